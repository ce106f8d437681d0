"""The quarterly progress table (季度推进情况表) as an Excel workbook. Reads only.

Layout source: DESIGN.md, "The quarterly table", and the export issue: one row per
task under its section. Figures by the quarter-table rule
(progress.selectors.quarter_task_rows: the latest standing report for a period up
to the quarter, late reports marked 补报, until the quarter is finalised (定稿);
then the frozen rows), lights by tasks.lights.light_for, read as plain values.
Written with openpyxl's write-only mode, rows made as they are written (the
plan's figures are held as plain tuples, about 6 KB a task); each distinct cell
style is looked up once per workbook and shared by the cells that have it (_cell).
"""

import datetime
import functools
import itertools
import logging
import re
import weakref
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension

from departments.models import Department
from progress.models import QuarterFinalisation
from progress.periods import period_label, quarter_as_of, quarter_end
from progress.selectors import OnTime, QuarterPart, QuarterRow, open_finalisations, quarter_task_rows
from tasks.lights import LIGHTS_IN_ORDER, Light
from tasks.models import Assignment, Section, Task, Workplan

from .workbooks import (
    BOLD,
    BORDER,
    CENTRE,
    FONT,
    HEADER_FILL,
    SECTION_FILL,
    WRAP,
    clean_text,
    display_width,
    page_setup,
    safe_filename,
)

logger = logging.getLogger(__name__)

HEADER = [
    "序号",
    "工作任务",
    "牵头单位",
    "责任单位",
    "完成时限",
    "进展情况",
    "完成进度",
    "状态",
    "存在问题",
    "下步计划",
]
# Narrowest and widest a column gets, in character cells (a Chinese character counts two); text wraps beyond.
# Chosen so the table fits A4 landscape at a readable size.
MIN_WIDTHS = [6, 20, 10, 12, 16, 30, 9, 9, 18, 18]
MAX_WIDTHS = [6, 28, 12, 18, 16, 44, 9, 9, 24, 24]
LINE_HEIGHT = 14  # points per wrapped line at the 10-point body font
MAX_ROW_HEIGHT = 409  # points: the tallest row Excel allows (a taller one is not opened as written)
CHUNK = 500  # the first rows, measured for the column widths (write-only sheets fix widths before any row)
FILLS = {"red": "F4B6B0", "yellow": "FCE49A", "blue": "BDD7EE", "green": "B7DFC1", "grey": "D9D9D9"}
# Every style object a cell gets is made once, here: _cell shares each distinct combination across cells.
LIGHT_FILLS = {colour: PatternFill("solid", fgColor=rgb) for colour, rgb in FILLS.items()}
TITLE_FONT = Font(bold=True, size=16)
RIGHT = Alignment(horizontal="right")
MIDDLE = Alignment(vertical="center")
DATE_FORMAT = 'yyyy"年"m"月"d"日"'


@dataclass
class TaskLine:
    """One task's row: texts as shown, percent as a fraction 0–1."""

    number: int
    title: str
    lead: str
    departments: str
    deadline: datetime.date  # as published
    deadline_label: str  # as printed: the date, or 原定…，已延期至… after an approved extension
    extended: bool
    progress: str
    percent: float
    light: Light
    light_label: str  # 状态 as printed (the light's label)
    problems: str
    next_steps: str
    parts: list[QuarterPart]  # the assignments it shows (one department's table: that department's)


@dataclass
class QuarterlyTable:
    """What the table shows; sections() streams the rows from the database."""

    workplan: Workplan
    quarter: int
    department: Department | None
    as_of: datetime.date
    exported_at: datetime.datetime  # aware
    finalisation: QuarterFinalisation | None = None  # None: a draft
    summary_by_section: dict[str, Counter] = field(default_factory=dict)
    summary_by_department: dict[int, Counter] = field(default_factory=dict)  # by department id
    on_time_by_department: dict[int, OnTime] = field(default_factory=dict)  # by department id
    # What the two above are made from once every line is read: (department id, light) and
    # (department id, deadline in force, closed on) → assignments (one count a part, not two objects' calls).
    _lights: Counter = field(default_factory=Counter, repr=False)
    _deadlines: Counter = field(default_factory=Counter, repr=False)

    @property
    def title(self) -> str:
        """The merged title row: plan, period with its year, the department of a one-department table, and
        （草稿） until the quarter is finalised."""
        department = f"（{self.department.display_name}）" if self.department else ""
        draft = "" if self.finalisation else "（草稿）"
        return f"{self.workplan.title} {period_label(self.workplan.year, self.quarter)}推进情况表{department}{draft}"

    @property
    def filename(self) -> str:
        """e.g. 宁波市人防工作要点2021年第一季度推进情况（鄞州）.xlsx; characters file systems refuse replaced."""
        name = f"{self.workplan.title}{period_label(self.workplan.year, self.quarter)}推进情况"
        if not self.finalisation:
            name += "（草稿）"
        if self.department:
            name += f"（{self.department.display_name}）"
        return safe_filename(name, ".xlsx")

    @functools.cached_property
    def _light_labels(self) -> dict[Light, str]:
        """Each light's label in the active language, translated once rather than once per row."""
        return {light: str(light.label) for light in Light}

    def sections(self) -> Iterator[tuple[Section, Iterator[TaskLine]]]:
        """Each section with its task lines in document order; tallies the summary as it goes (the
        departments' once the last section is taken).

        Every section's lines come from one reading of the plan (quarter_task_rows, made when the first
        line is taken), in table order: take each section's lines before the next section's (lines left
        unread are skipped).
        """
        sections = list(self.workplan.sections.order_by("ordinal"))
        place = {section.pk: i for i, section in enumerate(sections)}
        tasks = Task.objects.filter(section__workplan=self.workplan)
        if self.department:
            tasks = tasks.filter(assignments__department=self.department)
        rows = quarter_task_rows(
            tasks,
            workplan=self.workplan,
            quarter=self.quarter,
            as_of=self.as_of,
            today=self.exported_at.date(),
            finalisation=self.finalisation,
        )
        ahead: list[QuarterRow] = []  # the first row of a later section, read while finishing a section
        for i, section in enumerate(sections):
            yield section, self._lines(section, i, rows, ahead, place)
        for (department_id, light), count in self._lights.items():
            self.summary_by_department.setdefault(department_id, Counter())[light] += count
        for (department_id, deadline, closed_on), count in self._deadlines.items():
            on_time = self.on_time_by_department.setdefault(department_id, OnTime(self.as_of))
            on_time.add(deadline, closed_on, count)

    def _lines(
        self, section: Section, i: int, rows: Iterator[QuarterRow], ahead: list, place: dict
    ) -> Iterator[TaskLine]:
        by_light = self.summary_by_section.setdefault(str(section), Counter())
        while row := ahead.pop() if ahead else next(rows, None):
            if place[row.section_id] > i:
                ahead.append(row)
                return
            if place[row.section_id] < i:  # an earlier section's line its reader left
                continue
            line = self._line(row)
            by_light[line.light] += 1
            for part in line.parts:
                self._lights[part.department_id, part.light] += 1
                self._deadlines[part.department_id, part.deadline, part.closed_on] += 1
            yield line

    def _line(self, row: QuarterRow) -> TaskLine:
        parts = row.parts
        if self.department:
            parts = [part for part in parts if part.department_id == self.department.pk]
        progress = parts[0].progress if self.department and parts else row.progress
        lead = next((part.department_name for part in row.parts if part.role == Assignment.Role.LEAD), "")
        others = [
            part.department_name + ("（配合）" if part.role == Assignment.Role.SUPPORTING else "")
            for part in row.parts
            if part.role != Assignment.Role.LEAD
        ]
        labelled = len(parts) > 1
        # Each text is labelled 【department percent 补报】 when the row has several parts, 【补报】 alone when late.
        progress_texts, problems, next_steps = [], [], []
        for part in parts:
            late = " 补报" if part.late else ""
            marks = f"{part.department_name} {part.percent:.0f}%{late}" if labelled else late.strip()
            label = f"【{marks}】" if marks else ""
            if part.progress_summary:
                progress_texts.append(label + part.progress_summary)
            if part.problems:
                problems.append(label + part.problems)
            if part.next_steps:
                next_steps.append(label + part.next_steps)

        return TaskLine(
            number=row.number,
            title=row.title,
            lead=lead,
            departments="、".join(others),
            deadline=row.deadline,
            deadline_label=progress.deadline_label,
            extended=progress.extended,
            progress="\n".join(progress_texts),
            percent=progress.percent / 100,
            light=progress.light,
            light_label=self._light_labels[progress.light],
            problems="\n".join(problems),
            next_steps="\n".join(next_steps),
            parts=parts,
        )


def quarterly_table(
    *, workplan: Workplan, quarter: int, department: Department | None = None, now: datetime.datetime | None = None
) -> QuarterlyTable:
    """The quarterly table of ``workplan`` for ``quarter`` (1–4): finalised (frozen) or a draft.

    A draft's lights are as of the quarter's end, or today while it runs; a
    finalised table's as of the day recorded when it was finalised.
    ``department`` limits it to that department's tasks and reports. ``now`` is
    the (aware) export time, default now. Raises ValueError for a quarter outside 1–4.
    """
    now = timezone.localtime(now or timezone.now())
    quarter_end(workplan.year, quarter)  # validates the quarter
    finalisation = open_finalisations(workplan).get(quarter)
    return QuarterlyTable(
        workplan=workplan,
        quarter=quarter,
        department=department,
        as_of=finalisation.as_of if finalisation else quarter_as_of(workplan.year, quarter, now.date()),
        exported_at=now,
        finalisation=finalisation,
    )


# --- writing -------------------------------------------------------------------------------------------------------


# Per workbook: (ids of font, fill, alignment, border; number format; quote prefix) → (openpyxl's style array for
# them, the style objects, kept alive so that their ids are not reused while the workbook is written).
_STYLES: weakref.WeakKeyDictionary[Workbook, dict[tuple, tuple[StyleArray, tuple]]] = weakref.WeakKeyDictionary()


def _cell(ws, value, *, font=FONT, fill=None, alignment=WRAP, border=BORDER, number_format=None):
    """A write-only cell with ``value`` and the style given (None: not set, openpyxl's default).

    Texts starting with = + - @ stay text (and are marked so that Excel keeps them text when edited);
    characters Excel forbids are dropped. A style combination is looked up in the workbook's style tables
    the first time it is used and then shared: setting each style object on each cell would hash it
    every time (most of the time a large table took to write).
    """
    if isinstance(value, str):
        value = clean_text(value)
        quoted = value[:1] in ("=", "+", "-", "@")
    else:
        quoted = False
    styles = _STYLES.setdefault(ws.parent, {})
    key = (id(font), id(fill), id(alignment), id(border), number_format, quoted)
    known = styles.get(key)
    if known is None:
        array = _style_array(ws, font, fill, alignment, border, number_format, quoted)
        known = styles[key] = (array, (font, fill, alignment, border))
    cell = Cell(ws, row=1, column=1, value=value, style_array=known[0])  # as WriteOnlyCell; append places it
    if quoted:
        cell.data_type = "s"  # text, never a formula
    return cell


def _style_array(ws, font, fill, alignment, border, number_format, quoted) -> StyleArray:
    """The style array of a cell given these styles: each registered in the workbook's tables, as openpyxl does."""
    cell = WriteOnlyCell(ws)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    if border:
        cell.border = border
    if number_format:
        cell.number_format = number_format
    if quoted:
        cell.quotePrefix = True  # Excel keeps the text a text when the cell is edited
    return cell._style if cell._style is not None else StyleArray()


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title: no []:*?/\\, at most 31 characters, not already in ``taken``."""
    base = re.sub(r"[\[\]:*?/\\]", "_", clean_text(name)).strip("'") or "Sheet"
    title, n = base[:31], 1
    while title in taken:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    taken.add(title)
    return title


def _title_rows(ws, table: QuarterlyTable, width: int, subtitle: str) -> None:
    last = get_column_letter(width)
    ws.append([_cell(ws, table.title, font=TITLE_FONT, alignment=CENTRE, border=None)])
    ws.merged_cells.add(f"A1:{last}1")
    ws.append([_cell(ws, subtitle, alignment=RIGHT, border=None)])
    ws.merged_cells.add(f"A2:{last}2")
    ws.row_dimensions[1].height = 30


def write_quarterly_workbook(table: QuarterlyTable, stream: BinaryIO) -> None:
    """Write the table as .xlsx to ``stream``: sheet 推进情况 then sheet 汇总.

    Texts starting with = + - @ are written as text; characters Excel forbids are
    dropped; times are Asia/Shanghai wall-clock time. Column widths are measured
    on the first rows (write-only sheets fix widths before any row is written).
    """
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    suffix = f"-{table.department.display_name}" if table.department else ""
    ws = workbook.create_sheet(sheet_title(f"推进情况{suffix}", taken))
    items = _items(table)
    first = list(itertools.islice(items, CHUNK))
    widths = list(MIN_WIDTHS)
    for item in first:
        if isinstance(item, TaskLine):
            for i, value in enumerate(_texts(item)):
                widths[i] = max(widths[i], min(display_width(value) + 2, MAX_WIDTHS[i]))
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    page_setup(ws, header_rows="1:3")
    _title_rows(ws, table, len(HEADER), _subtitle(table))
    ws.append([_cell(ws, h, font=BOLD, fill=HEADER_FILL, alignment=CENTRE) for h in HEADER])
    row = 3
    last_column = get_column_letter(len(HEADER))
    # One RowDimension per distinct height, shared by its rows: the sheet is written the same (a row's number
    # comes from its place), without making 10,000 of openpyxl's row objects (about 0.15 s of the table).
    heights: dict[float, RowDimension] = {}
    for item in itertools.chain(first, items):
        row += 1
        if isinstance(item, TaskLine):
            height = _row_height(item, widths)
            dimension = heights.get(height)
            if dimension is None:
                dimension = heights[height] = RowDimension(ws, ht=height)
            ws.row_dimensions[row] = dimension
            ws.append(_task_cells(ws, item))
        else:
            ws.append([_cell(ws, str(item), font=BOLD, fill=SECTION_FILL, alignment=MIDDLE)])
            ws.merged_cells.add(f"A{row}:{last_column}{row}")
    ws.auto_filter.ref = f"A3:{last_column}{row}"
    _write_summary(workbook.create_sheet(sheet_title("汇总", taken)), table)
    workbook.save(stream)
    logger.info(
        "export.quarterly workplan=%s quarter=%s department=%s as_of=%s rows=%d",
        table.workplan.pk,
        table.quarter,
        table.department.code if table.department else "-",
        table.as_of,
        row,
    )


def _items(table: QuarterlyTable) -> Iterator[Section | TaskLine]:
    """Section headings, each followed by its task lines.

    A section with no line (in one department's table) is left out.
    """
    for section, lines in table.sections():
        first = next(lines, None)
        if first is None:
            continue
        yield section
        yield first
        yield from lines


def _subtitle(table: QuarterlyTable) -> str:
    """截至 date, then the export time (a draft) or who finalised it and when (the same on every later export)."""
    as_of = f"{table.as_of.year}年{table.as_of.month}月{table.as_of.day}日"
    final = table.finalisation
    if final:
        return (
            f"截至 {as_of}    {final.finalised_by_name} 定稿于 {timezone.localtime(final.finalised_at):%Y-%m-%d %H:%M}"
        )
    return f"截至 {as_of}    草稿，导出时间 {table.exported_at:%Y-%m-%d %H:%M}"


def _row_height(line: TaskLine, widths: list[float]) -> float:
    """Points for a row whose cells wrap at the column widths: spreadsheet programs do not always grow rows.

    A line of n characters takes at most 2n cells (every character wide): a one-line text that short fits
    without measuring it, and a text that even then wraps to no more lines than a longer one already
    measured is not measured (the table has 10,000 rows of 10 cells; display_width reads every character).
    """
    lines = 1
    unsure = []  # (most lines it can take, the text, room)
    for text, width in zip(_texts(line), widths, strict=True):
        room = max(int(width) - 1, 1)
        breaks = text.count("\n")
        if not breaks and 2 * len(text) <= room:  # one short line
            continue
        # Each of its k lines of n characters takes at most 2n / room + 1 lines: together at most this many.
        unsure.append((-(-2 * (len(text) - breaks) // room) + breaks + 1, text, room))
    unsure.sort(key=itemgetter(0), reverse=True)
    for most, text, room in unsure:
        if most <= lines:
            break
        wrapped = sum(
            1 if 2 * len(part) <= room else max(1, -(-display_width(part) // room)) for part in text.split("\n")
        )
        lines = max(lines, wrapped)
    return min(lines * LINE_HEIGHT + 4, MAX_ROW_HEIGHT)


def _texts(line: TaskLine) -> list[str]:
    """The cells as a reader sees them, for measuring column widths."""
    deadline = line.deadline_label
    return [
        str(line.number),
        line.title,
        line.lead,
        line.departments,
        deadline,
        line.progress,
        f"{line.percent:.0%}",
        line.light_label,
        line.problems,
        line.next_steps,
    ]


def _task_cells(ws, line: TaskLine) -> list:
    fill = LIGHT_FILLS[line.light.colour]
    return [
        _cell(ws, line.number, alignment=CENTRE),
        _cell(ws, line.title),
        _cell(ws, line.lead, alignment=CENTRE),
        _cell(ws, line.departments),
        _cell(ws, line.deadline_label, alignment=CENTRE)
        if line.extended
        else _cell(ws, line.deadline, alignment=CENTRE, number_format=DATE_FORMAT),
        _cell(ws, line.progress),
        _cell(ws, line.percent, alignment=CENTRE, number_format="0%"),
        _cell(ws, line.light_label, fill=fill, alignment=CENTRE),
        _cell(ws, line.problems),
        _cell(ws, line.next_steps),
    ]


def _write_summary(ws, table: QuarterlyTable) -> None:
    labels = [str(light.label) for light in LIGHTS_IN_ORDER]
    widths = [40, 10, *[10] * len(LIGHTS_IN_ORDER), 12]
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    page_setup(ws, header_rows="1:2")
    _title_rows(ws, table, len(widths), _subtitle(table))

    def block(heading: str, count_label: str, counts: dict[str, tuple[Counter, OnTime | None]]) -> None:
        on_time = any(rate is not None for _, rate in counts.values())
        header = [heading, count_label, *labels] + (["按期完成率"] if on_time else [])
        ws.append([_cell(ws, h, font=BOLD, fill=HEADER_FILL, alignment=CENTRE) for h in header])
        total, total_on_time = Counter(), OnTime(table.as_of)
        for name, (counter, rate) in counts.items():
            total.update(counter)
            if rate is not None:
                total_on_time.due += rate.due
                total_on_time.on_time += rate.on_time
            ws.append(_summary_row(ws, name, counter, rate))
        ws.append(_summary_row(ws, "合计", total, total_on_time if on_time else None, font=BOLD))
        ws.append([])

    block("部分", "任务数", {name: (counter, None) for name, counter in table.summary_by_section.items()})
    names = Department.objects.in_bulk(table.summary_by_department)
    departments = sorted(names.values(), key=lambda d: (d.ordering, d.name))
    block(
        "单位",
        "分工数",
        {d.display_name: (table.summary_by_department[d.pk], table.on_time_by_department[d.pk]) for d in departments},
    )


def _summary_row(ws, name: str, counter: Counter, on_time: OnTime | None, font=None) -> list:
    """One summary line; 按期完成率 is "—" while none of its deadlines has passed (DESIGN.md)."""
    cells = [_cell(ws, name, font=font), _cell(ws, sum(counter.values()), font=font, alignment=CENTRE)]
    cells += [_cell(ws, counter[light], font=font, alignment=CENTRE) for light in LIGHTS_IN_ORDER]
    if on_time is not None:
        rate = on_time.rate
        value = "—" if rate is None else rate
        cells.append(_cell(ws, value, font=font, alignment=CENTRE, number_format="0%"))
    return cells
