"""Writing a draft: a new plan, or a revised document over the plan already in the tracker.

Rule source: DESIGN.md, "Reading a published document" → Identity on re-import.
Items are matched to existing tasks by their text, not by (section, number):
an item keeps its tasks's reports when it moves or is renumbered, and an item
whose text changed while it has reports is only updated when the office says it
is the same item (``accept_changes``). Everything is written in one transaction.
"""

import difflib
import logging
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from departments.models import Department, DepartmentAlias

from ..models import Assignment, Milestone, Section, Task, Workplan
from .catalogue import Catalogue
from .draft import LEAD, RESPONSIBLE, DocumentError, Draft, DraftItem

logger = logging.getLogger(__name__)

ADDED, REMOVED, CHANGED, RENUMBERED, UNCHANGED = "added", "removed", "changed", "renumbered", "unchanged"
_SIMILAR = 0.6  # difflib ratio above which a changed item is taken for the same item
_OUT_OF_THE_WAY = 20000  # added to numbers while tasks change places (item numbers stay below 10000)
_TASK_FIELDS = ["section", "number", "label", "subsection", "title", "body", "deadline", "deadline_phrase", "cadence"]


@dataclass
class Match:
    """One line of the comparison: a draft item and the task it updates (either may be None)."""

    kind: str  # ADDED, REMOVED, CHANGED, RENUMBERED or UNCHANGED
    item: DraftItem | None
    task: Task | None
    has_reports: bool = False
    section_ordinal: int | None = None

    @property
    def needs_decision(self) -> bool:
        """A changed item with reports: the office must say it is the same item."""
        return self.kind == CHANGED and self.has_reports

    def describe(self) -> str:
        """One line for the office: what happens to this item."""
        values = {
            "old": f"{self.task.section.ordinal}-{self.task.label or self.task.number}" if self.task else "",
            "was": self.task.title if self.task else "",
            "new": f"{self.section_ordinal}-{self.item.label}" if self.item else "",
            "title": self.item.title if self.item else "",
        }
        if self.kind == ADDED:
            return gettext("新增：%(label)s %(title)s") % {"label": self.item.label, "title": self.item.title}
        if self.kind == REMOVED:
            return gettext("文件中已没有（保留未删）：%(old)s %(was)s") % values
        if self.kind == RENUMBERED:
            return gettext("编号变化：%(old)s → %(new)s %(title)s") % values
        if self.has_reports:
            return gettext("内容变化（已有填报）：%(old)s %(was)s → %(title)s") % values
        return gettext("内容变化：%(old)s %(was)s → %(title)s") % values


@dataclass
class Comparison:
    """How a draft lines up with the plan already stored under its title and year (none: all added)."""

    workplan: Workplan | None
    matches: list[Match]

    def of_kind(self, *kinds: str) -> list[Match]:
        """The matches of the given kinds, in document order (tasks not in the document last)."""
        return [m for m in self.matches if m.kind in kinds]

    @property
    def needing_decision(self) -> list[Match]:
        """Changed items with reports (see Match.needs_decision)."""
        return [m for m in self.matches if m.needs_decision]


class ChangesNeedDecision(DocumentError):
    """Items with reports whose text changed; raised unless the office accepts the changes."""

    def __init__(self, matches: list[Match]):
        super().__init__(
            gettext("%(count)d 项已有填报的任务内容有变化，未导入（确认是同一事项请加 --accept-changes）：%(listed)s")
            % {"count": len(matches), "listed": "；".join(m.describe() for m in matches)}
        )
        self.matches = matches


@dataclass
class ImportSummary:
    """What an import wrote: counts per Match kind, assignments and milestones added, units created, tasks kept."""

    workplan: Workplan
    created: bool
    sections: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    assignments_created: int = 0
    milestones: int = 0
    departments_created: list[str] = field(default_factory=list)
    tasks_not_in_document: list[str] = field(default_factory=list)

    def __str__(self):
        counts = {kind: self.counts.get(kind, 0) for kind in (ADDED, CHANGED, RENUMBERED, UNCHANGED)}
        values = {
            "title": self.workplan.title,
            "year": self.workplan.year,
            "sections": self.sections,
            "total": sum(counts.values()),
            "assignments": self.assignments_created,
            "milestones": self.milestones,
            **counts,
        }
        text = (gettext("新建") if self.created else gettext("更新")) + gettext(
            "《%(title)s》（%(year)s年）：%(sections)s 个部分，%(total)s 项任务（新增 %(added)s，更新 %(changed)s，"
            "改号 %(renumbered)s，未变 %(unchanged)s），新增责任分解 %(assignments)s 条，时间节点 %(milestones)s 个"
        ) % values
        if self.departments_created:
            text += gettext("；新建单位：%(names)s") % {"names": "、".join(self.departments_created)}
        if self.tasks_not_in_document:
            text += gettext("；文件中已没有的任务（保留未删）：%(items)s") % {
                "items": "、".join(self.tasks_not_in_document)
            }
        return text


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def workplan_compare(*, draft: Draft) -> Comparison:
    """Line the draft's items up with the tasks of the stored plan of the same title and year.

    Same text → the same task (UNCHANGED, or RENUMBERED when its section or
    number moved); same title or similar text (difflib ratio ≥ 0.6) → CHANGED;
    the rest of the draft is ADDED and the rest of the plan REMOVED. Reads only.
    """
    workplan = Workplan.objects.filter(title=draft.title, year=draft.year).first()
    tasks = list(Task.objects.filter(section__workplan=workplan).select_related("section")) if workplan else []
    reported = _tasks_with_records([t.pk for t in tasks])
    items = [(section.ordinal, item) for section in draft.sections for item in section.items]
    found: dict[int, Match] = {}
    free = {task.pk: task for task in tasks}
    for same_text, key in ((True, lambda x: _key(x.title + x.body)), (False, lambda x: _key(x.title))):
        waiting: dict[str, list[Task]] = {}
        for task in free.values():
            waiting.setdefault(key(task), []).append(task)
        for position, (ordinal, item) in enumerate(items):
            candidates = [t for t in waiting.get(key(item), []) if t.pk in free] if position not in found else []
            if candidates:
                found[position] = _matched(ordinal, item, free.pop(candidates[0].pk), reported, same_text)
    _match_similar(items, free, found, reported)
    matches = [found.get(p) or Match(ADDED, item, None, section_ordinal=o) for p, (o, item) in enumerate(items)]
    matches += [Match(REMOVED, None, task, task.pk in reported) for task in free.values()]
    return Comparison(workplan, matches)


def _matched(ordinal: int, item: DraftItem, task: Task, reported: set, same_text: bool) -> Match:
    if not same_text:
        return Match(CHANGED, item, task, task.pk in reported, ordinal)
    moved = (task.section.ordinal, task.number) != (ordinal, item.number)
    return Match(RENUMBERED if moved else UNCHANGED, item, task, task.pk in reported, ordinal)


def _match_similar(items, free: dict, found: dict, reported: set) -> None:
    """Pair what is left by similarity of text, most similar first."""
    pairs = []
    for position, (_, item) in enumerate(items):
        if position in found:
            continue
        for task in free.values():
            matcher = difflib.SequenceMatcher(None, _key(item.title + item.body), _key(task.title + task.body))
            if matcher.quick_ratio() >= _SIMILAR and (ratio := matcher.ratio()) >= _SIMILAR:
                pairs.append((ratio, position, task.pk))
    for _, position, pk in sorted(pairs, reverse=True):
        if position not in found and pk in free:
            ordinal, item = items[position]
            found[position] = _matched(ordinal, item, free.pop(pk), reported, False)


def _tasks_with_records(task_ids: list[int]) -> set[int]:
    """Ids of tasks that anything outside this app records work on (progress reports, chases), via their assignments.

    Found through the relations other apps declare to Assignment, so this app
    never imports the apps that build on it.
    """
    found: set[int] = set()
    if not task_ids:
        return found
    for relation in Assignment._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == "tasks" or relation.many_to_many or not relation.field.concrete:
            continue
        path = f"{relation.field.name}__task_id"
        found.update(model._default_manager.filter(**{f"{path}__in": task_ids}).values_list(path, flat=True))
    return found


@transaction.atomic
def workplan_import(
    *,
    draft: Draft,
    catalogue: Catalogue,
    source: str,
    accept_changes: bool = False,
    mapping: dict[str, int] | None = None,
) -> ImportSummary:
    """Write ``draft`` in one transaction: a new plan, or an update of the stored plan with its title and year.

    Items are matched by text (see :func:`workplan_compare`). Text, numbers,
    deadlines and milestones follow the document; assignments are only ever
    added, so what the office changed by hand stays. Tasks missing from the
    document are kept (they may carry reports) and listed. ``mapping`` maps a
    unit name the catalogue did not know to the id of the department the office
    chose (an alias is saved so the next document is read right); other unknown
    names become new municipal departments.

    Raises ChangesNeedDecision when an item with reports changed its text and
    ``accept_changes`` is false; DocumentError when the draft has no title,
    year or item; ValidationError when a row breaks a model rule. Nothing is written then.
    """
    if not draft.title or not draft.year:
        raise DocumentError(gettext("缺少标题或年度，无法导入（命令行用 --title / --year 指定）"))
    if not draft.items:
        raise DocumentError(gettext("没有任何任务，无法导入"))
    comparison = workplan_compare(draft=draft)
    if comparison.needing_decision and not accept_changes:
        raise ChangesNeedDecision(comparison.needing_decision)
    workplan = comparison.workplan or Workplan(title=draft.title, year=draft.year)
    summary = ImportSummary(workplan=workplan, created=workplan.pk is None)
    workplan.source, workplan.published_on = source, draft.published_on or workplan.published_on
    workplan.full_clean()  # the year's range is a constraint: a wrong year is a message, not a database error
    workplan.save()
    departments = _resolve_departments(draft, catalogue, mapping or {}, summary)
    sections = _save_sections(workplan, draft)
    summary.sections = len(draft.sections)
    _save_tasks(comparison, sections, departments, summary)
    logger.info(
        "import.done workplan=%s year=%s source=%s counts=%s assignments_added=%d",
        workplan.pk, workplan.year, source, summary.counts, summary.assignments_created,
    )  # fmt: skip
    return summary


def _save_sections(workplan: Workplan, draft: Draft) -> dict[int, Section]:
    existing = {section.ordinal: section for section in workplan.sections.all()} if workplan.pk else {}
    for parsed in draft.sections:
        section = existing.get(parsed.ordinal)
        if section is None:
            section = existing[parsed.ordinal] = Section(workplan=workplan, ordinal=parsed.ordinal)
        if section.pk is None or section.title != parsed.title[:300]:
            section.title = parsed.title[:300]
            section.full_clean(validate_constraints=False, exclude=["workplan"])
            section.save()
    return existing


def _save_tasks(comparison: Comparison, sections: dict[int, Section], departments: dict, summary) -> None:
    """Move renumbered tasks out of the way, then update, create and attach assignments and milestones."""
    kept = [m for m in comparison.matches if m.task and m.item]
    finals = {(sections[m.section_ordinal].pk, m.item.number) for m in comparison.matches if m.item}
    removed = [m.task for m in comparison.of_kind(REMOVED)]
    in_the_way = [t for t in removed if (t.section_id, t.number) in finals]
    moving = [
        m.task.pk for m in kept if (m.task.section_id, m.task.number) != (sections[m.section_ordinal].pk, m.item.number)
    ]
    Task.objects.filter(pk__in=moving + [t.pk for t in in_the_way]).update(number=F("number") + _OUT_OF_THE_WAY)
    changed = []
    for match in kept:
        task = match.task
        before = [getattr(task, name) for name in _TASK_FIELDS]
        _fill_task(task, match.item, sections[match.section_ordinal])
        if [getattr(task, name) for name in _TASK_FIELDS] != before or task.pk in moving:
            changed.append(task)
    if changed:
        bulk_update_with_history(changed, Task, _TASK_FIELDS)
    new = [m for m in comparison.matches if m.kind == ADDED]
    created = bulk_create_with_history([_fill_task(Task(), m.item, sections[m.section_ordinal]) for m in new], Task)
    for match, task in zip(new, created, strict=True):
        match.task = task
    _park(in_the_way)
    for match in comparison.matches:
        summary.counts[match.kind] = summary.counts.get(match.kind, 0) + 1
    summary.tasks_not_in_document = [f"{t.section.ordinal}-{t.label or t.number}" for t in removed]
    matched = [m for m in comparison.matches if m.item]
    _add_assignments(matched, departments, summary)
    _replace_milestones(matched, summary)


def _park(tasks: list[Task]) -> None:
    """Number tasks no longer in the document after every other task of their section (they were moved aside)."""
    for task in tasks:
        numbers = Task.objects.filter(section_id=task.section_id, number__lt=_OUT_OF_THE_WAY).values_list("number")
        task.number = max((number for (number,) in numbers), default=0) + 1
        task.save(update_fields=["number"])


def _fill_task(task: Task, item: DraftItem, section: Section) -> Task:
    task.section = section
    task.number = item.number
    task.label = item.label[:20]
    task.subsection = item.subsection[:300]
    task.title = item.title[:500]
    task.body = item.body
    task.deadline = item.deadline
    task.deadline_phrase = (item.deadline_phrase or "")[:50]
    task.cadence = (item.cadence or "")[:20]
    task.full_clean(validate_constraints=False, validate_unique=False, exclude=["section"])
    return task


def _add_assignments(matches: list[Match], departments: dict, summary) -> None:
    existing: dict[int, dict[int, str]] = {}
    for task_id, department_id, role in Assignment.objects.filter(task__in=[m.task for m in matches]).values_list(
        "task_id", "department_id", "role"
    ):
        existing.setdefault(task_id, {})[department_id] = role
    new = []
    for match in matches:
        roles = existing.setdefault(match.task.pk, {})
        for item in match.item.departments:
            department = departments[item.name]
            if department.pk in roles:
                continue
            role = RESPONSIBLE if item.role == LEAD and LEAD in roles.values() else item.role
            roles[department.pk] = role
            new.append(Assignment(task=match.task, department=department, role=role))
    bulk_create_with_history(new, Assignment)
    summary.assignments_created = len(new)


def _replace_milestones(matches: list[Match], summary) -> None:
    wanted: dict[int, list[tuple]] = {}
    for match in matches:
        rows, seen = [], set()
        for milestone in match.item.milestones:
            description = milestone.description
            while description in seen:  # one clause with two dates: the second named by its phrase
                description = f"{description}（{milestone.phrase}）"
            seen.add(description)
            rows.append((description[:500], milestone.due, milestone.phrase[:50]))
        wanted[match.task.pk] = rows
    stored: dict[int, list[tuple]] = {}
    for row in (
        Milestone.objects.filter(task_id__in=wanted)
        .order_by("id")
        .values_list("task_id", "description", "due_on", "phrase")
    ):
        stored.setdefault(row[0], []).append(tuple(row[1:]))
    stale = [pk for pk, rows in wanted.items() if sorted(stored.get(pk, [])) != sorted(rows)]
    Milestone.objects.filter(task_id__in=stale).delete()
    Milestone.objects.bulk_create(
        [Milestone(task_id=pk, description=d, due_on=due, phrase=p) for pk in stale for d, due, p in wanted[pk]]
    )
    summary.milestones = sum(len(rows) for rows in wanted.values())


def _resolve_departments(draft: Draft, catalogue: Catalogue, mapping: dict[str, int], summary) -> dict:
    """Map every department name in the draft to a saved Department, creating what is missing.

    The reference catalogue (an empty database) is saved first with its aliases
    and collective phrases; a name the office mapped gets an alias; any other
    unknown name becomes a new municipal department for the office to correct.
    """
    if any(department._state.adding for department in catalogue.departments):
        from departments.services import reference_catalogue_save

        reference_catalogue_save()
    by_name = {department.name: department for department in catalogue.departments}
    resolved = {}
    for item in draft.items:
        for named in item.departments:
            if named.name in resolved:
                continue
            department = by_name.get(named.name) or Department.objects.filter(name=named.name).first()
            if department is None and named.name in mapping:
                department = Department.objects.get(pk=mapping[named.name])
                DepartmentAlias.objects.get_or_create(name=named.name, defaults={"department": department})
            if department is None:
                department = Department(
                    code=slugify(named.name, allow_unicode=True)[:40] or f"department-{Department.objects.count() + 1}",
                    name=named.name,
                    level=Department.Level.MUNICIPAL,
                    ordering=1000,
                )
                department.full_clean()
                department.save()
                summary.departments_created.append(named.name)
            resolved[named.name] = department
    return resolved
