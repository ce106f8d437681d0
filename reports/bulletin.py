"""督查通报 (supervision bulletin) for a quarter, as a Word document. Reads only.

Every figure comes from reports.dashboard.dashboard, the function the
dashboard page calls, for the plan's tasks as of the quarter's end (or today
while the quarter runs: progress.periods.quarter_as_of). So the bulletin of
2021年第一季度 and the dashboard of 2021-03-31 agree to the number. Problems
reported are each assignment's latest standing report on that day
(progress.selectors.latest_reports, the as-of rule). Departments are ranked by
results only: 按期完成率, then percent complete; never by logins or reports filed.
Written with python-docx on A4 portrait.
"""

import datetime
from dataclasses import dataclass
from typing import BinaryIO

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from departments.models import Department
from progress.periods import period_label, quarter_as_of, quarter_end
from progress.selectors import TaskFigures, latest_reports, task_figures
from tasks.lights import LIGHTS_IN_ORDER, Light, days_overdue
from tasks.models import Assignment, Section, Task, Workplan

from .dashboard import Bar, Dashboard, dashboard
from .exports import safe_filename


@dataclass
class ProblemLine:
    task: Task
    department: Department
    problems: str


@dataclass
class Bulletin:
    """What the bulletin says; ``board`` holds the dashboard's figures for the same day."""

    workplan: Workplan
    quarter: int
    board: Dashboard
    ranking: list[Bar]  # departments, best results first
    overdue: list[TaskFigures]  # the board's overdue tasks with each department's figures (逾期单位)
    problems: list[ProblemLine]
    issuer: str

    @property
    def period(self) -> str:
        return period_label(self.workplan.year, self.quarter)

    @property
    def title(self) -> str:
        return f"关于{self.period}《{self.workplan.title}》推进情况的督查通报"

    @property
    def filename(self) -> str:
        return safe_filename(f"{self.workplan.title}{self.period}督查通报", ".docx")


def bulletin(*, workplan: Workplan, quarter: int, today: datetime.date | None = None) -> Bulletin:
    """The bulletin of ``quarter`` (1–4) of ``workplan``, figures as of the quarter's last day, or ``today``
    (Asia/Shanghai, default today) while it runs. Raises ValueError for a quarter outside 1–4."""
    quarter_end(workplan.year, quarter)  # validates the quarter
    as_of = quarter_as_of(workplan.year, quarter, today or timezone.localdate())
    board = dashboard(workplan=workplan, tasks=Task.objects.all(), as_of=as_of)
    scope = Assignment.objects.filter(task__section__workplan=workplan)
    standing = latest_reports(scope, as_of=as_of)
    assignments = scope.select_related("task", "department").order_by("task__section__ordinal", "task__number")
    problems = [
        ProblemLine(a.task, a.department, standing[a.pk].problems.strip())
        for a in assignments.filter(pk__in=[pk for pk, r in standing.items() if r.problems.strip()])
    ]
    overdue = Task.objects.filter(pk__in=[row.pk for row in board.overdue]).order_by("section__ordinal", "number")
    issuer = Department.objects.filter(is_municipal_office=True).values_list("name", flat=True).first()
    return Bulletin(
        workplan,
        quarter,
        board,
        rank_departments(board.departments),
        list(task_figures(overdue, as_of=as_of).values()),
        problems,
        issuer or "督查办",
    )


def rank_departments(bars: list[Bar]) -> list[Bar]:
    """Best results first: 按期完成率 (none due ranks last), then percent complete, then catalogue order."""
    return sorted(
        bars,
        key=lambda bar: (
            bar.on_time_completion_rate is None,
            -(bar.on_time_completion_rate or 0),
            -round(bar.percent, 1),
            bar.ordering,
        ),
    )


def percent_text(value: float | None) -> str:
    """A 0–100 figure as the bulletin prints it (one decimal), — for None."""
    return "—" if value is None else f"{value:.1f}%"


def rate_text(rate: float | None) -> str:
    """A 0–1 rate as the bulletin prints it, — for None (nothing due yet)."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


# --- writing -------------------------------------------------------------------------------------------------------

_BODY_FONT = "仿宋"
_HEADING_FONT = "黑体"
_TITLE_FONT = "宋体"


def _run(paragraph, text: str, *, font: str = _BODY_FONT, size: float = 16, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)  # Chinese text takes this font
    return run


def _paragraph(document, text: str = "", *, indent: bool = True, **style):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32) if indent else None
    paragraph.paragraph_format.line_spacing = Pt(28)
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _run(cell.paragraphs[0], text, size=10.5, bold=True, font=_HEADING_FONT)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _run(cell.paragraphs[0], text, size=10.5)
    document.add_paragraph()


def _lights_text(lights) -> str:
    return "，".join(f"{light.label}{lights[light]}项" for light in LIGHTS_IN_ORDER)


def write_bulletin(item: Bulletin, stream: BinaryIO) -> None:
    """Write the bulletin as .docx to ``stream``: title, 总体进展, 各部分, 各单位 (ranked), 逾期事项, 存在问题."""
    board = item.board
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    title = _paragraph(document, indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, item.title, font=_TITLE_FONT, size=22, bold=True)
    as_of = f"{board.as_of.year}年{board.as_of.month}月{board.as_of.day}日"
    _paragraph(
        document,
        f"截至{as_of}，《{item.workplan.title}》共{board.tasks}项工作任务，平均完成进度{percent_text(board.percent)}；"
        f"其中{_lights_text(board.lights)}。现将{item.period}推进情况通报如下。",
    )

    _paragraph(document, "一、总体进展", font=_HEADING_FONT)
    _table(
        document,
        ["任务数", "平均完成进度", *[str(light.label) for light in LIGHTS_IN_ORDER]],
        [[str(board.tasks), percent_text(board.percent), *[str(board.lights[light]) for light in LIGHTS_IN_ORDER]]],
    )

    _paragraph(document, "二、各部分推进情况", font=_HEADING_FONT)
    _table(
        document,
        ["部分", "任务数", "平均完成进度", "逾期", "滞后"],
        [
            [
                bar.label,
                str(bar.count),
                percent_text(bar.percent),
                str(bar.lights[Light.OVERDUE]),
                str(bar.lights[Light.BEHIND]),
            ]
            for bar in board.sections
        ],
    )

    _paragraph(document, "三、各单位推进情况（以按期完成率、完成进度排名）", font=_HEADING_FONT)
    _table(
        document,
        ["排名", "单位", "分工数", "按期完成率", "平均完成进度", "逾期", "滞后", "临期"],
        [
            [
                str(rank),
                bar.label,
                str(bar.count),
                rate_text(bar.on_time_completion_rate),
                percent_text(bar.percent),
                str(bar.lights[Light.OVERDUE]),
                str(bar.lights[Light.BEHIND]),
                str(bar.lights[Light.DUE_SOON]),
            ]
            for rank, bar in enumerate(item.ranking, 1)
        ],
    )

    _paragraph(document, "四、逾期事项", font=_HEADING_FONT)
    overdue = [
        [
            f"{Section.numeral_of(row.section_ordinal)}-{row.number}",
            row.title,
            "、".join(part.department_name for part in row.parts if part.progress.light == Light.OVERDUE),
            row.progress.deadline_label,
            f"{days_overdue(row.progress.deadline, board.as_of)}天",
        ]
        for row in item.overdue
    ]
    if overdue:
        _table(document, ["序号", "工作任务", "逾期单位", "完成时限", "逾期"], overdue)
    else:
        _paragraph(document, "无逾期事项。")

    _paragraph(document, "五、存在问题", font=_HEADING_FONT)
    if item.problems:
        for line in item.problems:
            _paragraph(
                document,
                f"{line.department.display_name}（{line.task.number}. {line.task.title}）：{line.problems}",
                size=14,
            )
    else:
        _paragraph(document, "各单位本期未报告存在问题。")

    _paragraph(document, "六、下步要求", font=_HEADING_FONT)
    _paragraph(
        document,
        "请逾期、滞后事项的责任单位分析原因，明确整改措施和完成时限，于下一报送节点前报送进展；"
        "确需调整完成时限的，请通过系统提交延期申请。",
    )
    signature = _paragraph(document, indent=False)
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(signature, f"{item.issuer}\n{as_of}")
    document.save(stream)
