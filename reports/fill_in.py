"""Fill-in workbooks (填报表) going out: one department's assignments with their standing and blank report columns.

Reads only. The layout (columns, template mark, signed ids) is defined by
progress.fill_in, which reads the workbook back; the standing shown and
pre-filled is each assignment's on the export day (progress.selectors, the
as-of rule and the light rule). The 编号 column and the item columns are
locked (sheet protection without a password: it guards against slips, not
people); status is a drop-down and percent a whole number 0–100 through data
validation; a second sheet explains how to fill it in; it prints on A4
landscape.
"""

import datetime
import zipfile
from typing import BinaryIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from departments.models import Department
from progress.fill_in import (
    COLUMN_OF,
    COLUMNS,
    FILL_SHEET,
    HEADER_ROW,
    HEADERS,
    INSTRUCTIONS_SHEET,
    MAX_ROWS,
    META_SHEET,
    STATUS_BY_LABEL,
    TEMPLATE_MARK,
    row_token,
    template_token,
)
from progress.periods import QUARTER_NAMES, period_label
from progress.selectors import AssignmentRow, assignment_rows
from tasks.models import Assignment, Workplan

from .workbooks import BOLD, BORDER, CENTRE, FONT, HEADER_FILL, WRAP, clean_text, page_setup, safe_filename

WIDTHS = {
    "token": 14,
    "number": 6,
    "task": 36,
    "role": 9,
    "deadline": 12,
    "standing": 16,
    "status": 9,
    "percent": 9,
    "progress_summary": 40,
    "problems": 24,
    "next_steps": 24,
}
_EDITABLE_FILL = PatternFill("solid", fgColor="FFF9E0")  # the cells to fill in, pale yellow


def fill_in_filename(workplan: Workplan, quarter: int, department: Department) -> str:
    """e.g. 2021年宁波市人防工作要点2021年第一季度填报表（鄞州）.xlsx, characters no file system takes replaced.

    The period carries its year (period_label), like the quarterly table's file name.
    """
    name = f"{workplan.title}{period_label(workplan.year, quarter)}填报表（{department.display_name}）"
    return safe_filename(name, ".xlsx")


def fill_in_zip_filename(workplan: Workplan, quarter: int) -> str:
    """e.g. 2021年宁波市人防工作要点2021年第一季度填报表（全部单位）.zip."""
    name = f"{workplan.title}{period_label(workplan.year, quarter)}填报表（全部单位）"
    return safe_filename(name, ".zip")


def fill_in_departments(workplan: Workplan) -> list[Department]:
    """The departments with at least one assignment in ``workplan``, in catalogue order."""
    return list(
        Department.objects.filter(assignments__task__section__workplan=workplan).distinct().order_by("ordering", "name")
    )


def fill_in_rows(*, workplan: Workplan, department: Department, as_of: datetime.date) -> list[AssignmentRow]:
    """The department's assignments in ``workplan`` in document order with their standing on ``as_of``."""
    assignments = (
        Assignment.objects.filter(department=department, task__section__workplan=workplan)
        .select_related("task__section__workplan", "department")
        .order_by("task__section__ordinal", "task__number")
    )
    return assignment_rows(assignments, as_of=as_of)


def write_fill_in_workbook(
    *, workplan: Workplan, quarter: int, department: Department, stream: BinaryIO, today: datetime.date | None = None
) -> int:
    """Write the department's fill-in workbook for ``quarter`` (1–4) of ``workplan`` to ``stream``; return its rows.

    Standing and pre-filled values are as of ``today`` (Asia/Shanghai, default
    today). Raises ValueError for a quarter outside 1–4, or when the department
    has more than progress.fill_in.MAX_ROWS assignments (the upload would refuse it).
    """
    if quarter not in QUARTER_NAMES:
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")
    today = today or timezone.localdate()
    rows = fill_in_rows(workplan=workplan, department=department, as_of=today)
    if len(rows) > MAX_ROWS:
        raise ValueError(f"{len(rows)} assignments: more than a fill-in workbook takes ({MAX_ROWS})")
    workbook = Workbook()
    ws = workbook.active
    ws.title = FILL_SHEET
    _fill_sheet(ws, workplan, quarter, department, rows, today)
    _instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), workplan, quarter, department)
    meta = workbook.create_sheet(META_SHEET)
    meta["A1"], meta["B1"] = TEMPLATE_MARK, template_token(workplan, quarter, department)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    workbook.save(stream)
    return len(rows)


def write_fill_in_zip(*, workplan: Workplan, quarter: int, stream: BinaryIO, today: datetime.date | None = None) -> int:
    """Every department's fill-in workbook for ``quarter`` of ``workplan``, one .xlsx each, in one zip.

    Returns how many workbooks. Standing as of ``today`` (default today, Asia/Shanghai).
    """
    departments = fill_in_departments(workplan)
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for department in departments:
            with archive.open(fill_in_filename(workplan, quarter, department), "w") as member:
                write_fill_in_workbook(
                    workplan=workplan, quarter=quarter, department=department, stream=member, today=today
                )
    return len(departments)


def _fill_sheet(ws, workplan, quarter, department, rows: list[AssignmentRow], today: datetime.date) -> None:
    last = get_column_letter(len(COLUMNS))
    ws["A1"] = f"{workplan.title} {period_label(workplan.year, quarter)}进展填报表"
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = CENTRE
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    ws["A2"] = (
        f"填报单位：{department.name}    季度：{period_label(workplan.year, quarter)}    "
        f"当前情况截至 {today.year}年{today.month}月{today.day}日    只填写黄色列，编号列请勿改动"
    )
    ws.merge_cells(f"A2:{last}2")
    for index, (key, header, _editable) in enumerate(COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, index, header)
        cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, CENTRE, BORDER
        ws.column_dimensions[get_column_letter(index)].width = WIDTHS[key]
    for offset, row in enumerate(rows, 1):
        for index, (key, _header, editable) in enumerate(COLUMNS, 1):
            cell = ws.cell(HEADER_ROW + offset, index, _value(key, row))
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a report's text, never a formula
            cell.font, cell.border, cell.alignment = FONT, BORDER, WRAP
            if editable and not row.progress.closed:
                cell.protection = Protection(locked=False)
                cell.fill = _EDITABLE_FILL
    end = HEADER_ROW + max(len(rows), 1)
    _validations(ws, end)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 3)
    page_setup(ws, header_rows=f"1:{HEADER_ROW}")
    # Locked cells stay selectable and columns resizable, so the sheet reads normally.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _value(key: str, row: AssignmentRow):
    """One cell of an assignment's row: the item, its standing, and the standing report pre-filled."""
    assignment, progress = row.assignment, row.progress
    report = progress.report
    task = assignment.task
    match key:
        case "token":
            return row_token(assignment.pk, progress.last_submitted.pk if progress.last_submitted else None)
        case "number":
            return f"{task.section.numeral}-{task.number}"
        case "task":
            return clean_text(task.title)
        case "role":
            return str(assignment.get_role_display())
        case "deadline":
            return progress.deadline_label
        case "standing":
            return f"{progress.status_label} {progress.percent:.0f}%（{progress.light.label}）"
        case "status":
            return str(report.get_status_display()) if report else "未启动"
        case "percent":
            return report.percent_complete if report else 0
        case _:
            return clean_text(getattr(report, key)) if report else ""


def _validations(ws, end: int) -> None:
    """Status from a list; percent a whole number 0–100. The upload checks again: validation is only a help."""
    rules = {
        "status": (
            {"type": "list", "formula1": '"{}"'.format(",".join(STATUS_BY_LABEL)), "allow_blank": False},
            "请从列表中选择：未启动、推进中、已完成。",
            "选择 未启动、推进中 或 已完成（已完成须 100%）。",
        ),
        "percent": (
            {"type": "whole", "operator": "between", "formula1": "0", "formula2": "100"},
            "请填写 0 到 100 的整数。",
            "0 到 100 的整数，不带 % 号。",
        ),
    }
    for key, (rule, error, prompt) in rules.items():
        header = HEADERS[COLUMN_OF[key]]
        validation = DataValidation(
            **rule, showErrorMessage=True, errorTitle=header, error=error, showInputMessage=True, promptTitle=header
        )
        validation.prompt = prompt
        column = get_column_letter(COLUMN_OF[key] + 1)
        validation.add(f"{column}{HEADER_ROW + 1}:{column}{end}")
        ws.add_data_validation(validation)


INSTRUCTIONS = [
    "1. 本表由系统导出，每行是本单位在该工作要点中的一项责任分解，“当前情况”为导出当天的状态、进度和灯色。",
    "2. 只填写黄色的五列：状态（下拉选择）、完成进度（0–100 的整数）、进展情况（必填）、存在问题、下步计划。",
    "3. 已预填最近一次的填报内容；不需要更新的行保持原样即可，上传时不会重复生成报告。",
    "4. 已完成的事项完成进度须为 100，未启动的须为 0；已办结的事项不能再填报（整行锁定）。",
    "5. 请勿改动编号列，勿增删列或改动表头，勿在单元格中使用公式；可用 Excel、WPS 或 LibreOffice 编辑，保存为 .xlsx。",
    "6. 填好后在系统“我的工作 → 上传填报表”上传：先预览，逐行列出问题，确认后才写入；",
    "   每个更新的行成为一份进展报告，等待督查办审核。",
    "7. 季度结束后上传的，按该季度的补报处理。",
]


def _instructions(ws, workplan: Workplan, quarter: int, department: Department) -> None:
    ws["A1"] = "填写说明"
    ws["A1"].font = Font(name="宋体", size=14, bold=True)
    ws["A2"] = f"{workplan.title} · {period_label(workplan.year, quarter)} · {department.name}"
    for offset, line in enumerate(INSTRUCTIONS, 4):
        ws.cell(offset, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[offset].height = 32
    ws.column_dimensions["A"].width = 100
    page_setup(ws, header_rows="1:1")
    ws.page_setup.orientation = "portrait"
