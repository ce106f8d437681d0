"""What a reader makes of a document before anything is written: the draft.

Every reader (text, Word, task table) produces a :class:`Draft`; the preview
page, ``import_workplan --dry-run --json`` and the writer all take it. A draft
is plain data and round-trips through JSON (:meth:`Draft.as_json` /
:meth:`Draft.from_json`), so the browser preview keeps it server-side between
requests.
"""

import datetime
import logging
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext

LEAD, RESPONSIBLE, SUPPORTING = "lead", "responsible", "supporting"  # Assignment.Role values
logger = logging.getLogger(__name__)


class DocumentError(ValueError):
    """The document cannot be read as a plan. ``line`` is 1-based (a row for tables), or None for the whole file."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self):
        return gettext("第%(line)s行：%(message)s") % vars(self) if self.line else self.message


def unreadable(program: str, suffix: str, error: Exception) -> DocumentError:
    """The error for a file its library cannot open (damaged, or saved by another program under this name).

    The office reads what to do, in Chinese; the library's own error, in
    English, goes to the log for whoever looks into it.
    """
    logger.warning("import.unreadable program=%s error=%r", program, error)
    return DocumentError(
        gettext(
            "%(program)s 文件无法读取，可能已损坏或并非 %(program)s 所存；请在 %(program)s 中另存为 %(suffix)s 后再试"
        )
        % {"program": program, "suffix": suffix}
    )


@dataclass
class DraftDepartment:
    """A unit named on an item, with its role."""

    name: str  # the catalogue's full name, or the name as written when the catalogue does not know it
    role: str  # LEAD, RESPONSIBLE or SUPPORTING
    known: bool = True  # False: not in the catalogue, proposed as a new department


@dataclass
class DraftMilestone:
    """A dated step read from a time phrase: the clause it describes, the date, the phrase as written."""

    description: str
    due: datetime.date
    phrase: str


@dataclass
class DraftItem:
    """One work item as read; ``deadline`` is its latest milestone, or the plan year's 31 December."""

    number: int  # unique within the plan
    label: str  # the number as printed (“3”, “（二）”, “①”)
    title: str
    body: str
    deadline: datetime.date
    deadline_phrase: str | None
    departments: list[DraftDepartment]
    milestones: list[DraftMilestone]
    line: int
    cadence: str | None = None
    subsection: str = ""  # the （一） heading above a 1. item in a three-level plan
    notes: list[str] = field(default_factory=list)  # what the reader could not place (a time word it cannot date)

    @property
    def lead_department(self) -> str | None:
        """The first lead's name, or None."""
        return next((d.name for d in self.departments if d.role == LEAD), None)

    def uncertain(self) -> list[str]:
        """What the office should look at on this item (no department, an unknown unit, two leads)."""
        notes = list(self.notes)
        if not self.departments:
            notes.append(gettext("没有责任单位"))
        notes += [
            gettext("“%(name)s”不在单位名录中，将新建") % {"name": d.name} for d in self.departments if not d.known
        ]
        if sum(d.role == LEAD for d in self.departments) > 1:
            notes.append(gettext("有多个牵头单位：写入时第一个为牵头单位，其余为责任单位"))
        return notes


@dataclass
class DraftSection:
    """A part of the plan (一、…) holding its items; ``ordinal`` is the part's printed number."""

    ordinal: int
    title: str
    line: int
    items: list[DraftItem] = field(default_factory=list)


@dataclass
class Draft:
    """A whole plan as read: title and year (None/"" when not found), issuer, published date, sections."""

    year: int | None
    title: str
    sections: list[DraftSection]
    issuer: str = ""
    published_on: datetime.date | None = None
    notes: list[str] = field(default_factory=list)  # document-level things worth a look (parts left out, …)

    @property
    def items(self) -> list[DraftItem]:
        """Every item of every section, in document order."""
        return [item for section in self.sections for item in section.items]

    def uncertain(self) -> list[str]:
        """Everything the reader was unsure of, as sentences for the office; empty when all is clear."""
        found = []
        if not self.title:
            found.append(gettext("没有找到文件标题，请填写"))
        if self.year is None:
            found.append(gettext("没有找到年度，请填写"))
        found += self.notes
        for section in self.sections:
            found += _gaps(section)
            for item in section.items:
                found += [
                    gettext("事项 %(label)s（%(title)s）：%(note)s")
                    % {"label": item.label, "title": item.title[:20], "note": note}
                    for note in item.uncertain()
                ]
        return found

    def as_json(self) -> dict:
        """The draft as JSON-ready dicts; dates as ISO strings (YYYY-MM-DD), no times."""
        data = asdict(self)
        data["published_on"] = _iso(self.published_on)
        data["uncertain"] = self.uncertain()
        for section, section_data in zip(self.sections, data["sections"], strict=True):
            section_data["tasks"] = section_data.pop("items")
            for item, item_data in zip(section.items, section_data["tasks"], strict=True):
                item_data["deadline"] = _iso(item.deadline)
                item_data["lead_department"] = item.lead_department
                for milestone in item_data["milestones"]:
                    milestone["due"] = _iso(milestone["due"])
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Draft":
        """The inverse of :meth:`as_json` (derived keys such as ``uncertain`` are ignored)."""
        sections = [
            DraftSection(
                ordinal=s["ordinal"],
                title=s["title"],
                line=s["line"],
                items=[
                    DraftItem(
                        number=t["number"],
                        label=t["label"],
                        title=t["title"],
                        body=t["body"],
                        deadline=datetime.date.fromisoformat(t["deadline"]),
                        deadline_phrase=t["deadline_phrase"],
                        departments=[DraftDepartment(**d) for d in t["departments"]],
                        milestones=[
                            DraftMilestone(m["description"], datetime.date.fromisoformat(m["due"]), m["phrase"])
                            for m in t["milestones"]
                        ],
                        line=t["line"],
                        cadence=t.get("cadence"),
                        subsection=t.get("subsection", ""),
                        notes=list(t.get("notes", [])),
                    )
                    for t in s["tasks"]
                ],
            )
            for s in data["sections"]
        ]
        published = data.get("published_on")
        return cls(
            year=data["year"],
            title=data["title"],
            sections=sections,
            issuer=data.get("issuer", ""),
            published_on=datetime.date.fromisoformat(published) if published else None,
            notes=list(data.get("notes", [])),
        )


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _gaps(section: DraftSection) -> list[str]:
    """Gaps in a section's printed Arabic numbering (an item lost in copying)."""
    numbers = sorted(int(item.label) for item in section.items if item.label.isdigit())
    missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers)) if numbers else []
    if not missing:
        return []
    return [
        gettext("“%(section)s”中缺少事项 %(numbers)s")
        % {"section": section.title, "numbers": "、".join(map(str, missing))}
    ]
