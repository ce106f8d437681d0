"""Fill-in workbooks (填报表) coming back: read, check every cell, then file the changed rows as reports.

The workbook is written by reports.fill_in (the reading side) with the layout
defined here, so both ends agree on one list of columns. Reading never writes:
``fill_in_read`` returns the rows that would become reports and every problem
found, by row and column, in Chinese. ``fill_in_apply`` files the changed rows
through ``services.report_submit`` (the web form's service and rules) in one
transaction: all rows or none.

Rule sources: DESIGN.md, "Status and light" and "Reporting periods"; issue #18.
"""

import datetime
import logging
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from departments.editing import sentences, too_long
from departments.models import Department
from departments.roles import Role, role_of
from tasks.access import can_report_on_behalf
from tasks.models import Assignment, Workplan

from .models import ProgressReport
from .periods import period_label
from .selectors import assignment_progress
from .services import Submission, report_submit

logger = logging.getLogger(__name__)

FILL_SHEET = "填报"
INSTRUCTIONS_SHEET = "填写说明"
META_SHEET = "模板信息"
TEMPLATE_MARK = "workplan-fill-in/1"
HEADER_ROW = 3  # rows 1–2: title and subtitle
# (key, header, whether the department fills it in). The order is the sheet's column order.
COLUMNS = [
    ("token", "编号", False),
    ("number", "序号", False),
    ("task", "工作任务", False),
    ("role", "角色", False),
    ("deadline", "完成时限", False),
    ("standing", "当前情况", False),
    ("status", "状态", True),
    ("percent", "完成进度(%)", True),
    ("progress_summary", "进展情况", True),
    ("problems", "存在问题", True),
    ("next_steps", "下步计划", True),
]
HEADERS = [header for _key, header, _editable in COLUMNS]
COLUMN_OF = {key: index for index, (key, _header, _editable) in enumerate(COLUMNS)}
# A department has dozens of assignments; a sheet far beyond this is not a fill-in workbook.
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
STATUS_BY_LABEL = {str(label): value for value, label in ProgressReport.Status.choices}
_SALT = "progress.fill_in"


def row_token(assignment_id: int, based_on_id: int | None) -> str:
    """The 编号 cell: the assignment and the report the row was filled from, signed so an edit is noticed."""
    return signing.Signer(salt=_SALT).sign(f"{assignment_id}.{based_on_id or 0}")


def template_token(workplan: Workplan, quarter: int, department: Department) -> str:
    """The hidden sheet's mark: which plan, quarter and department the workbook was made for, signed."""
    return signing.Signer(salt=_SALT).sign(f"{workplan.pk}.{quarter}.{department.pk}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded workbook; row and column as the spreadsheet numbers and names them."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = _("第 %(row)d 行") % {"row": self.row}
        if self.column:
            where += _("“%(column)s”列") % {"column": self.column}
        return f"{where}：{self.message}"


@dataclass
class FillInRow:
    """A row that differs from its assignment's current standing: it becomes one report."""

    row: int
    assignment: Assignment
    based_on_id: int | None
    status: str
    percent_complete: int
    progress_summary: str
    problems: str
    next_steps: str

    def get_status_display(self) -> str:
        return ProgressReport.Status(self.status).label


@dataclass
class FillInUpload:
    """What an uploaded workbook says: the changed rows, how many were unchanged, and every problem."""

    workplan: Workplan | None = None
    quarter: int | None = None
    department: Department | None = None
    changed: list[FillInRow] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def period(self) -> str:
        """The workbook's quarter as users read it (2021年第一季度), or "" when the workbook did not say."""
        return period_label(self.workplan.year, self.quarter) if self.workplan and self.quarter else ""


def fill_in_read(stream: BinaryIO, *, user, today: datetime.date | None = None) -> FillInUpload:
    """Read and check an uploaded fill-in workbook; writes nothing.

    ``stream`` is the file (any size: a file over MAX_BYTES is refused unread).
    ``user`` is staff of the workbook's department, or the office (who files on
    the department's behalf). Rows are compared with each assignment's standing
    on ``today`` (Asia/Shanghai, default today): an unchanged row is counted,
    not filed. Every problem is collected with its row and column; the upload
    is usable only when ``problems`` is empty. Raises nothing for bad files:
    not an xlsx, another template, a file over MAX_ROWS rows are problems too.
    """
    upload = FillInUpload()
    workbook = _open(stream, upload)
    if workbook is None:
        return upload
    try:
        _read_template(workbook, upload, user)
        if upload.ok:
            _read_rows(workbook[FILL_SHEET], upload, today or timezone.localdate())
    finally:
        workbook.close()
    return upload


def _open(stream: BinaryIO, upload: FillInUpload):
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > MAX_BYTES:
        upload.problems.append(
            Problem(_("文件有 %(size).1f MB，超过 5 MB 上限；填报表不会这么大，请重新下载。") % {"size": size / 2**20})
        )
        return None
    if not zipfile.is_zipfile(stream):
        upload.problems.append(Problem(_("不是 xlsx 文件。请上传从本系统下载、填好后保存为 .xlsx 的填报表。")))
        return None
    stream.seek(0)
    try:
        # Not read-only: formulas must be seen as formulas, and the file is small (MAX_BYTES).
        return load_workbook(stream, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        upload.problems.append(
            Problem(_("无法读取该文件，请确认是 .xlsx 格式（WPS、Excel、LibreOffice 均可另存为）。"))
        )
        return None


def _read_template(workbook, upload: FillInUpload, user) -> None:
    """The hidden sheet says which plan, quarter and department; the user must be allowed to file for it."""
    wrong = Problem(_("不是本系统导出的填报表（缺少模板信息或已被修改），请重新下载填报表。"))
    if META_SHEET not in workbook.sheetnames or FILL_SHEET not in workbook.sheetnames:
        upload.problems.append(wrong)
        return
    meta = workbook[META_SHEET]
    if meta["A1"].value != TEMPLATE_MARK:
        upload.problems.append(wrong)
        return
    try:
        workplan_id, quarter, department_id = (
            int(x) for x in signing.Signer(salt=_SALT).unsign(meta["B1"].value).split(".")
        )
    except (signing.BadSignature, TypeError, ValueError):
        upload.problems.append(wrong)
        return
    upload.workplan = Workplan.objects.filter(pk=workplan_id).first()
    upload.department = Department.objects.filter(pk=department_id).first()
    upload.quarter = quarter
    if upload.workplan is None or upload.department is None:
        upload.problems.append(Problem(_("填报表对应的工作要点或单位已不存在。")))
        return
    if role_of(user) == Role.STAFF:
        if user.department_id != department_id:
            upload.problems.append(
                Problem(
                    _("这是%(department)s的填报表，您只能上传本单位（%(own)s）的。")
                    % {"department": upload.department.display_name, "own": user.department.display_name}
                )
            )
    elif not can_report_on_behalf(user):
        raise PermissionDenied
    headers = [_text(cell.value) for cell in workbook[FILL_SHEET][HEADER_ROW]][: len(HEADERS)]
    if headers != HEADERS:
        upload.problems.append(
            Problem(_("表头与模板不符（列被增删或改名），请在重新下载的填报表中填写。"), row=HEADER_ROW)
        )


def _read_rows(sheet, upload: FillInUpload, today: datetime.date) -> None:
    parsed: list[tuple[int, Assignment, int | None, list]] = []
    seen: set[int] = set()
    filled = 0
    for number, cells in enumerate(sheet.iter_rows(min_row=HEADER_ROW + 1), start=HEADER_ROW + 1):
        cells = list(cells)[: len(COLUMNS)] + [None] * (len(COLUMNS) - len(cells))
        if all(cell is None or _text(cell.value) == "" for cell in cells):
            continue
        filled += 1
        if filled > MAX_ROWS:  # one message for the whole file, not thousands of row problems
            upload.problems[:] = [
                Problem(_("行数超过 %(max)d 行，不是本系统的填报表；请重新下载后填写。") % {"max": MAX_ROWS})
            ]
            return
        if _formulas(number, cells, upload):
            continue
        token = _text(cells[COLUMN_OF["token"]].value if cells[COLUMN_OF["token"]] else None)
        try:
            assignment_id, based_on_id = (int(x) for x in signing.Signer(salt=_SALT).unsign(token).split("."))
        except (signing.BadSignature, ValueError):
            upload.problems.append(Problem(_("编号被修改或无法识别，请勿改动编号列。"), number, "编号"))
            continue
        if assignment_id in seen:
            upload.problems.append(Problem(_("与上面某行编号重复（同一事项只能填一行）。"), number, "编号"))
            continue
        seen.add(assignment_id)
        parsed.append((number, assignment_id, based_on_id or None, cells))
    assignments = Assignment.objects.select_related("task__section__workplan", "department").in_bulk(
        [assignment_id for _n, assignment_id, _b, _c in parsed]
    )
    progress = assignment_progress(list(assignments.values()), as_of=today)
    for number, assignment_id, based_on_id, cells in parsed:
        assignment = assignments.get(assignment_id)
        if assignment is None:
            upload.problems.append(Problem(_("编号对应的事项已不存在。"), number, "编号"))
            continue
        if (
            assignment.department_id != upload.department.pk
            or assignment.task.section.workplan_id != upload.workplan.pk
        ):
            upload.problems.append(
                Problem(
                    _("这是%(department)s的事项，不属于本填报表。")
                    % {"department": assignment.department.display_name},
                    number,
                    "编号",
                )
            )
            continue
        _read_row(number, assignment, based_on_id, cells, progress[assignment_id], upload)


def _formulas(number: int, cells: list, upload: FillInUpload) -> bool:
    """A formula anywhere in the row is refused: a report is text and numbers, and =cmd|… is an attack."""
    found = False
    for (_key, header, _editable), cell in zip(COLUMNS, cells, strict=True):
        if cell is not None and (cell.data_type == "f" or _text(cell.value).startswith("=")):
            upload.problems.append(Problem(_("单元格含公式，请改为直接填写文字或数字。"), number, header))
            found = True
    return found


def _read_row(number, assignment, based_on_id, cells, standing, upload: FillInUpload) -> None:
    def value(key):
        cell = cells[COLUMN_OF[key]]
        return _text(cell.value if cell is not None else None)

    texts = {key: value(key) for key in ("progress_summary", "problems", "next_steps")}
    status_text, percent_text = value("status"), value("percent")
    report = standing.report
    current = (
        (report.status, report.percent_complete, report.progress_summary, report.problems, report.next_steps)
        if report
        else (ProgressReport.Status.NOT_STARTED, 0, "", "", "")
    )
    status = STATUS_BY_LABEL.get(status_text)
    percent = _percent(percent_text)
    filled = (status, percent, texts["progress_summary"], texts["problems"], texts["next_steps"])
    left_blank = not (status_text or percent_text or any(texts.values()))  # cleared: nothing to report
    if left_blank or filled == tuple(_text(x) if isinstance(x, str) else x for x in current):
        upload.unchanged += 1
        return
    if standing.closed:
        upload.problems.append(Problem(_("该事项已办结，不能再填报；请恢复原内容或删去此行。"), number))
        return
    problems = []
    if not status_text:
        problems.append(Problem(_("必填，请选择 未启动、推进中 或 已完成。"), number, "状态"))
    elif status is None:
        problems.append(
            Problem(_("“%(value)s”不是可选的状态（未启动、推进中、已完成）。") % {"value": status_text}, number, "状态")
        )
    if not percent_text:
        problems.append(Problem(_("必填，请填写 0 到 100 的整数。"), number, "完成进度(%)"))
    elif percent is None or not 0 <= percent <= 100:
        problems.append(
            Problem(
                _("完成进度应为 0 到 100 的整数，填的是“%(value)s”。") % {"value": percent_text}, number, "完成进度(%)"
            )
        )
    elif status == ProgressReport.Status.COMPLETED and percent != 100:
        problems.append(Problem(_("已完成的事项完成进度应为100%。"), number, "完成进度(%)"))
    elif status == ProgressReport.Status.NOT_STARTED and percent != 0:
        problems.append(Problem(_("未启动的事项完成进度应为0%。"), number, "完成进度(%)"))
    for key, text in texts.items():
        if "\x00" in text:  # PostgreSQL takes no NUL in text
            problems.append(Problem(_("含空字符（NUL），请删除后再上传。"), number, HEADERS[COLUMN_OF[key]]))
        if message := too_long(text):
            problems.append(Problem(message, number, HEADERS[COLUMN_OF[key]]))
    if not texts["progress_summary"]:
        problems.append(Problem(_("必填，请填写进展情况。"), number, "进展情况"))
    if problems:
        upload.problems.extend(problems)
        return
    upload.changed.append(FillInRow(number, assignment, based_on_id, status, percent, **texts))


def _text(value) -> str:
    """A cell as text: stripped, Windows and old-Mac line ends made \\n (WPS and LibreOffice differ)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _percent(text: str) -> int | None:
    """A whole percent from a cell: 40, 40.0 and 40% are 40; anything else is None."""
    text = text.removesuffix("%").strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


@transaction.atomic
def fill_in_apply(upload: FillInUpload, *, user, batch: uuid.UUID | None = None) -> list[Submission]:
    """File each changed row of a checked upload as one report, all or none.

    Reports go through ``report_submit`` with the workbook's quarter and
    source=workbook; the office's upload is filed on behalf of the department.
    Raises ValueError when ``upload`` has problems, PermissionDenied when the
    user may not file for its department, ValidationError naming the row when
    a rule refuses one (say the item was closed since the preview): then
    nothing is written. ``batch`` names this upload: a confirmation sent twice
    (double click, two tabs) files each row once (each report's submission
    token is derived from it and the row number).
    """
    if not upload.ok:
        raise ValueError("an upload with problems cannot be applied")
    on_behalf = role_of(user) != Role.STAFF
    submissions = []
    for row in upload.changed:
        based_on = ProgressReport.objects.filter(assignment=row.assignment, pk=row.based_on_id).first()
        try:
            submissions.append(
                report_submit(
                    assignment=row.assignment,
                    user=user,
                    quarter=upload.quarter,
                    status=row.status,
                    percent_complete=row.percent_complete,
                    progress_summary=row.progress_summary,
                    problems=row.problems,
                    next_steps=row.next_steps,
                    based_on=based_on,
                    source=ProgressReport.Source.WORKBOOK,
                    on_behalf=on_behalf,
                    submission_token=uuid.uuid5(batch, str(row.row)) if batch else None,
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                _("第 %(row)d 行：%(error)s") % {"row": row.row, "error": sentences(exc.messages)}
            ) from exc
    logger.info(
        "fill_in.applied workplan=%s quarter=%s department=%s by=%s reports=%d unchanged=%d",
        upload.workplan.pk,
        upload.quarter,
        upload.department.code,
        user.username,
        len(submissions),
        upload.unchanged,
    )
    return submissions
