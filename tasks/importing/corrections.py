"""The office's corrections to a draft in the preview: facts, items, departments, merges and splits.

Everything here changes a Draft in memory; nothing is written. The preview
keeps the corrected draft (tasks.models.ImportDraft) until it is confirmed.
"""

from .catalogue import Catalogue, split_names
from .draft import LEAD, RESPONSIBLE, SUPPORTING, Draft, DraftDepartment, DraftItem
from .items import ItemContext, milestones_of, split_title

ROLE_FIELDS = {"lead": LEAD, "responsible": RESPONSIBLE, "supporting": SUPPORTING}


def item_initial(item: DraftItem) -> dict:
    """The values an item's correction form starts from (departments as names joined by 、)."""
    names = {
        field: "、".join(d.name for d in item.departments if d.role == role) for field, role in ROLE_FIELDS.items()
    }
    return {"title": item.title, "body": item.body, "deadline": item.deadline, "action": "", **names}


def draft_correct(*, draft: Draft, facts: dict, items: list[dict], catalogue: Catalogue) -> Draft:
    """Apply the preview's corrections to ``draft`` and return it.

    ``facts`` holds title, year, issuer, published_on; ``items`` one cleaned
    DraftItemForm dict per item, in draft order. An item whose text changed
    gets its milestones read again; the typed deadline always wins. Actions:
    "drop" removes the item, "merge" appends it to the item before, "split"
    makes each paragraph of its body an item of its own. Numbers are made
    unique again afterwards, keeping the printed labels.
    """
    draft.title, draft.year = facts["title"], facts["year"]
    draft.issuer, draft.published_on = facts.get("issuer") or "", facts.get("published_on")
    context = ItemContext(year=draft.year, catalogue=catalogue, written=draft.published_on)
    typed = {id(item): values for item, values in zip(draft.items, items, strict=True)}
    for section in draft.sections:
        kept: list[DraftItem] = []
        for item in section.items:
            values = typed[id(item)]
            _apply(item, values, context)
            action = values.get("action")
            if action == "drop":
                continue
            if action == "merge" and kept:
                _merge(kept[-1], item)
            elif action == "split":
                kept += _split(item, context)
            else:
                kept.append(item)
        section.items = kept
    draft.sections = [section for section in draft.sections if section.items]
    _renumber(draft)
    return draft


def _apply(item: DraftItem, values: dict, context: ItemContext) -> None:
    text_changed = (values["title"], values["body"] or "") != (item.title, item.body)
    item.title, item.body = values["title"], values["body"] or ""
    if text_changed:
        item.milestones = milestones_of(f"{item.title}。{item.body}", context, item.line)
    if values["deadline"] != item.deadline:
        item.deadline, item.deadline_phrase = values["deadline"], None
    item.departments = departments_from_fields(values, context.catalogue)


def departments_from_fields(values: dict, catalogue: Catalogue) -> list[DraftDepartment]:
    """The departments typed in the lead / responsible / supporting fields, each name looked up in the catalogue."""
    found: list[DraftDepartment] = []
    for field, role in ROLE_FIELDS.items():
        for name in split_names(values.get(field) or ""):
            for full_name, known in catalogue.named(name):
                if all(d.name != full_name for d in found):
                    found.append(DraftDepartment(full_name, role, known))
    return found


def _merge(into: DraftItem, item: DraftItem) -> None:
    into.body = "\n".join(part for part in (into.body, f"{item.title}。{item.body}".rstrip("。")) if part)
    into.milestones += [m for m in item.milestones if m not in into.milestones]
    into.departments += [d for d in item.departments if all(d.name != other.name for other in into.departments)]
    if item.deadline > into.deadline:
        into.deadline, into.deadline_phrase = item.deadline, item.deadline_phrase


def _split(item: DraftItem, context: ItemContext) -> list[DraftItem]:
    paragraphs = [p for p in item.body.split("\n") if p.strip()]
    if not paragraphs:
        return [item]
    parts = [item]
    item.body = ""
    for paragraph in paragraphs:
        title, body = split_title(paragraph)
        milestones = milestones_of(paragraph, context, item.line)
        last = max(milestones, key=lambda m: m.due, default=None)
        parts.append(
            DraftItem(
                number=item.number,
                label=item.label,
                title=title or paragraph[:500],
                body=body,
                deadline=last.due if last else item.deadline,
                deadline_phrase=last.phrase if last else item.deadline_phrase,
                departments=list(item.departments),
                milestones=milestones,
                line=item.line,
                cadence=item.cadence,
                subsection=item.subsection,
            )
        )
    return parts


def _renumber(draft: Draft) -> None:
    numbers = [item.number for item in draft.items]
    if len(set(numbers)) != len(numbers):
        for position, item in enumerate(draft.items, 1):
            item.number = position
