"""Reading a task table (重点工作任务分解表, 任务清单, 进展情况表) into a draft.

Rule source: DESIGN.md, "Reading a published document" → Formats. One row per
item under a header row whose names are recognised in their common variants
(序号 | 工作任务 | 具体内容 | 牵头单位 | 责任单位 | 配合单位 | 完成时限). A
section is a row spanning the table (一、稳增长) or a category column, merged
over its rows; rows repeating the number and task of the row above (a merged
task cell) add to that item. The rows come from .xlsx, .csv, a Word table, or a
table flattened into text (``|``-separated, or one cell per line).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from . import front
from .catalogue import Catalogue
from .chars import fold
from .draft import LEAD, RESPONSIBLE, SUPPORTING, DocumentError, Draft, DraftSection
from .items import ItemContext, build_item
from .outline import classify

# Column kind → header names (after spaces and line breaks are removed).
_COLUMNS = [
    ("number", re.compile(r"^(?:序号|编号|序|项目编号|任务编号|事项编号)$")),
    ("lead", re.compile(r"^(?:牵头(?:单位|部门|处室|科室|责任单位)?|主办单位|牵头单位[/、]责任单位)$")),
    ("responsible", re.compile(r"^(?:责任(?:单位|部门|处室|科室|主体)|主责(?:单位|部门)|承办单位|实施单位|落实单位)")),
    (
        "supporting",
        re.compile(
            r"^(?:配合(?:责任)?(?:单位|部门|处室|科室)|协办(?:单位|部门)|参与(?:单位|部门)|协助单位|协同单位|协作单位)"
        ),
    ),
    (
        "deadline",
        re.compile(
            r"完成时限|完成时间|时间节点|^时限$|^时间$|完成期限|完成年限|时间要求|进度安排|时间进度|节点要求|时间安排|完成节点"
        ),
    ),
    (
        "section",
        re.compile(
            r"^(?:类别|分类|板块|领域|重点领域|一级任务|工作类别|项目类别|任务类别|部分|工作板块|大类|工作领域)$"
        ),
    ),
    (
        "title",
        re.compile(
            r"工作任务|重点任务|任务名称|工作事项|事项名称|重点工作|项目名称|^任务$|^事项$|二级任务|工作项目|主要任务|工作名称|督办事项"
        ),
    ),
    (
        "body",
        re.compile(
            r"具体内容|工作内容|主要内容|任务内容|具体措施|工作措施|目标任务|工作目标|具体任务|任务要求|主要举措|工作举措|具体工作|推进措施|工作要求|目标要求|事项内容|^(?:年度|具体|主要|节点)目标$"
        ),
    ),
]
_ROLES = {"lead": LEAD, "responsible": RESPONSIBLE, "supporting": SUPPORTING}
_ISO_DATE = re.compile(r"^((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_YEAR_ONLY = re.compile(r"^(?:((?:19|20)\d{2})\s*年度?|本年度?|年度内|当年)$")
_ISO_MONTH = re.compile(r"^((?:19|20)\d{2})[-/.](\d{1,2})(?![\d/.-])")


@dataclass
class Table:
    """Rows of cell texts, each with the line (or row) number it came from, and the lines before the table.

    ``notes`` say what the reader left out of the rows (a hidden row), for the draft.
    """

    rows: list[tuple[int, list[str]]]
    before: list[str]
    notes: list[str] = field(default_factory=list)


def header_kind(cell: str) -> str | None:
    """The column kind a header cell names ("number", "title", "lead", …), or None."""
    name = re.sub(r"\s+", "", fold(cell or ""))
    # 牵头单位（部门）, 完成时限(时间节点): a bracketed qualifier after the column's name
    name = re.sub(r"^(.{2,}?)[（(][^（）()]{1,8}[）)]$", r"\1", name)
    if not name or len(name) > 12 or re.search(r"\d", name):  # a header names a column; a title is longer
        return None
    return next((kind for kind, pattern in _COLUMNS if pattern.search(name)), None)


def column_kinds(cells: list[str]) -> dict[str, int]:
    """Column kind → index for a header row; empty when the row is not a task table's header."""
    kinds: dict[str, int] = {}
    for index, cell in enumerate(cells):
        kind = header_kind(cell)
        if kind:
            kinds.setdefault(kind, index)
    usable = len(kinds) >= 2 and ("title" in kinds or "body" in kinds)
    return kinds if usable else {}


def find_header(rows: list[tuple[int, list[str]]]) -> int | None:
    """Position in ``rows`` of the header row among the first 15; None when none is a header."""
    return next((i for i, (_, cells) in enumerate(rows[:15]) if column_kinds(cells)), None)


def under_heading(table: Table, lead_in: list[str]) -> Table:
    """``table`` with the part heading written just above it (一、提升文稿服务质量) as a section row under its header.

    A plan set out as one small table per part (序号 | 工作内容 under each
    heading) keeps its parts; ``lead_in`` is the text between this table and
    the one before it. Any other text above a table changes nothing.
    """
    heading = next((line for line in reversed(lead_in) if line.strip()), "")
    found = classify(heading.strip())
    if not found or found[0] not in ("part", "cn", "cn_paren") or len(heading) > 40:
        return table
    header = find_header(table.rows)
    at = header + 1 if header is not None else 0
    line = table.rows[at - 1][0] if at else table.rows[0][0] if table.rows else 1
    rows = [*table.rows[:at], (line, [heading.strip()]), *table.rows[at:]]
    return Table(rows=rows, before=table.before, notes=table.notes)


def join_tables(tables: list[Table]) -> Table | None:
    """The one task table of a document that holds it in several pieces; None when none has a header.

    A Word table broken by a page or a 续表 line, one sheet per part: the first
    table with a header row, then every later table with the same columns
    (its header repeated, or a continuation without one, as wide as the
    header). Later tables of other columns (a contact list, a signature block)
    are left out, and so, with a note, is one whose title or sheet names
    another year than the first's (last year's list kept beside this year's).
    """
    first = next((i for i, table in enumerate(tables) if find_header(table.rows) is not None), None)
    if first is None:
        return None
    header = tables[first].rows[find_header(tables[first].rows)][1]
    kinds, rows, notes = column_kinds(header), list(tables[first].rows), list(tables[first].notes)
    year = _year_above(tables[first], find_header(tables[first].rows))
    for table in tables[first + 1 :]:
        position = find_header(table.rows)
        other_year = _year_above(table, position) if position is not None else None
        if year and other_year and other_year != year and not _carried_into(table, position, year):
            # last year's list kept on a sheet of its own
            notes.append(
                gettext("“%(name)s”是%(year)s年的表格，与本计划年度不同，未导入")
                % {"name": (table.before or [""])[-1] or other_year, "year": other_year}
            )
        elif position is not None and column_kinds(table.rows[position][1]) == kinds:
            rows += table.rows[position:]
            notes += table.notes
        elif position is None and table.rows and all(len(cells) == len(header) for _, cells in table.rows):
            rows += table.rows
            notes += table.notes
    return Table(rows=rows, before=tables[first].before, notes=notes)


def _year_above(table: Table, header: int) -> int | None:
    """The year the text above a table's header names (its sheet's name, its title row), or None."""
    return front.year_of(_text_above(table, header))


# Projects carried over from an earlier year (2023年结转续建项目) are this year's work too.
_CARRIED_OVER = re.compile(r"结转|续建|延续|接续|继续")


def _carried_into(table: Table, header: int, year: int) -> bool:
    """True when a sheet titled with another year still belongs to the ``year`` plan: its title names that
    year as well, or carries its projects over (结转, 续建, 继续推进)."""
    text = _text_above(table, header)
    return str(year) in text or bool(_CARRIED_OVER.search(text))


def _text_above(table: Table, header: int) -> str:
    """The text above a table's header: its sheet's name, its title rows."""
    above = [" ".join(cell for cell in cells if cell) for _, cells in table.rows[:header]]
    return "\n".join([*table.before, *above])


def parse_table(table: Table, *, catalogue: Catalogue, year: int | None = None, title: str | None = None) -> Draft:
    """Read a task table into a Draft; ``year`` and ``title`` override what the document says.

    Raises DocumentError (with the row) when there is no header row, no item,
    or an impossible date. A missing title or year is left for the office (the
    draft marks it uncertain).
    """
    header = find_header(table.rows)
    if header is None:
        raise DocumentError(
            gettext("没有找到表头（如“序号、工作任务、牵头单位、完成时限”）"), table.rows[0][0] if table.rows else 1
        )
    kinds = column_kinds(table.rows[header][1])
    if header + 1 < len(table.rows) and (below := column_kinds(table.rows[header + 1][1])):
        # A two-row header: 责任单位 over 牵头单位 | 配合单位 names its columns in the second row.
        kinds = {kind: index for kind, index in kinds.items() if index not in below.values()} | below
    before = table.before + [" ".join(dict.fromkeys(c for c in cells if c)) for _, cells in table.rows[:header]]
    _, found_title = front.find_title(before, classify)
    draft_title = title or found_title
    year = year or front.year_of(draft_title) or front.year_of("\n".join(before))
    draft = Draft(year=year, title=draft_title, sections=[], notes=list(table.notes))
    issuer, draft.published_on = front.signature(before)
    draft.issuer = issuer
    if year is None:
        return draft
    context = ItemContext(year=year, catalogue=catalogue, written=draft.published_on)
    rows = _item_rows(table.rows[header + 1 :], kinds, draft)
    if not rows:
        raise DocumentError(gettext("表格中没有任务行"), table.rows[header][0])
    printed = [row["label"] for row in rows]
    keep = all(label.isdigit() for label in printed) and len(set(printed)) == len(printed)
    for position, row in enumerate(rows, 1):
        row["section"].items.append(
            build_item(
                number=int(row["label"]) if keep else position,
                label=row["label"] or str(position),
                text=row["text"],
                line=row["line"],
                context=context,
                columns=row["columns"],
                deadline_text=row["deadline"],
                heading=row["title"],
            )
        )
    draft.sections = [section for section in draft.sections if section.items]
    return draft


# A row under the tasks that is no task: a total, a note.
_FOOTER = re.compile(r"^(?:合\s*计|小\s*计|总\s*计|注\s*[:：]|备注\s*[:：]|说明\s*[:：])")


def _cell(cells: list[str], kinds: dict[str, int], kind: str) -> str:
    index = kinds.get(kind)
    return (cells[index] or "").strip() if index is not None and index < len(cells) else ""


def _item_rows(rows, kinds: dict[str, int], draft: Draft) -> list[dict]:
    """One dict per item (section, label, text, line, unit columns, deadline), rows of a merged task joined."""
    items: list[dict] = []
    section = None
    for line, cells in rows:
        values = [(c or "").strip() for c in cells]
        if not any(values) or column_kinds(values):
            continue  # an empty row, or the header repeated on a new page
        filled = list(dict.fromkeys(v for v in values if v))
        if _FOOTER.match(filled[0]):
            continue  # 合计 2项, 注：牵头领导为区政府分管领导

        heading = _section_heading(values, kinds, filled)
        category = _category(_cell(values, kinds, "section"))
        if heading or (category and (section is None or category != section.title)):
            section = DraftSection(ordinal=len(draft.sections) + 1, title=heading or category, line=line)
            draft.sections.append(section)
            if heading:
                continue
        if section is None:
            section = DraftSection(ordinal=1, title=draft.title or gettext("工作任务"), line=line)
            draft.sections.append(section)
        label = re.sub(r"\.0$", "", _cell(values, kinds, "number")).strip("．.、 ")
        title, body = _cell(values, kinds, "title"), _cell(values, kinds, "body")
        columns = [(role, _cell(values, kinds, kind)) for kind, role in _ROLES.items() if _cell(values, kinds, kind)]
        deadline = _deadline_text(_cell(values, kinds, "deadline"))
        previous = items[-1] if items else None
        if previous and previous["section"] is section and (label, title) == (previous["label"], previous["title"]):
            previous["text"] += "\n" + body if body and body not in previous["text"] else ""
            previous["columns"] += [c for c in columns if c not in previous["columns"]]
            previous["deadline"] += " " + deadline if deadline not in previous["deadline"] else ""
            continue
        if not (title or body):
            continue
        text = f"{title}。{body}" if title and body and not title.endswith(("。", "；")) else (title + body)
        items.append(
            {"section": section, "label": label, "title": title, "text": text, "line": line, "columns": columns,
             "deadline": deadline}
        )  # fmt: skip
    return items


def _section_heading(values: list[str], kinds: dict[str, int], filled: list[str]) -> str:
    """The heading of a row that starts a section, else "".

    A section row is one text across the whole table (a merged row), a row
    holding only a numbered part heading (一、稳增长), or a Chinese numeral in
    the number column with a task name and nothing else.
    """
    if len(filled) == 1:
        found = classify(filled[0])
        if found and found[0] in ("part", "cn", "cn_paren"):
            return found[3] or filled[0]
        if len(values) > 1 and all(value == filled[0] for value in values):
            return filled[0]
    number = _cell(values, kinds, "number")
    found = classify(f"{number}、") if number else None
    if found and found[0] == "cn" and len(filled) == 2:
        return _cell(values, kinds, "title") or _cell(values, kinds, "body")
    return ""


def _category(cell: str) -> str:
    """A category cell as a section title: 一、经济发展 and （一）经济发展 are the section 经济发展."""
    found = classify(cell)
    return found[3] if found and found[0] in ("part", "cn", "cn_paren") and found[3] else cell


def _deadline_text(value: str) -> str:
    """A 完成时限 cell as the time-phrase rule reads it (2023-06-30 → 2023年6月30日, 2024.6 → 2024年6月).

    A cell naming only a year (2025年, 2024年度) means by the end of that year,
    and 本年度 / 年度内 the plan year's end: alone in a cell they are a deadline,
    where in running text (2024年是关键一年) a year names no date.
    """
    match = _YEAR_ONLY.match(value)
    if match:
        return f"{match.group(1)}年底" if match.group(1) else "年内"
    match = _ISO_DATE.match(value)
    if match:
        return f"{match.group(1)}年{int(match.group(2))}月{int(match.group(3))}日"
    match = _ISO_MONTH.match(value)
    if match:
        return f"{match.group(1)}年{int(match.group(2))}月{value[match.end() :]}"
    return value
