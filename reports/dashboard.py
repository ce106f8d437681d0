"""The leaders' dashboard: the plan's figures as of a date. Reads only.

Every figure comes from progress.selectors.task_rows (the as-of rule and the
light rule); the quarter line reads each quarter's table by the same rule as the
quarterly export (progress.selectors.quarter_percents), draft or finalised.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from departments.models import Department
from progress.models import ProgressReport
from progress.periods import period_label, quarter_end, reporting_quarter
from progress.selectors import OnTime, TaskRow, mean_percent, open_finalisations, quarter_percents, task_rows
from tasks.lights import Light
from tasks.models import Assignment, Task, Workplan

# The dashboard's "due in the next 30 days" list (wider than the light's due-soon window).
DUE_LIST_DAYS = 30


@dataclass
class Bar:
    """One bar: a section's or a department's figures."""

    key: int  # the section's or department's id, for drill-down links
    label: str
    percent: float  # 0–100, tasks (or assignments) weighted equally
    count: int
    lights: Counter = field(default_factory=Counter)
    reported: bool | None = None  # departments: reported in the reporting quarter
    ordering: tuple = ()  # departments: (ordering, name), the order bars are shown in
    on_time: OnTime | None = None  # departments: 按期完成率 on the as-of date

    @property
    def on_time_rate(self) -> float | None:
        """按期完成率 0–1, None ("—") while none of the bar's deadlines has passed."""
        return self.on_time.rate if self.on_time else None


@dataclass
class Dashboard:
    workplan: Workplan
    as_of: datetime.date
    reporting_quarter: int | None  # the plan's quarter that as_of falls in (4 once the year is over)
    tasks: int
    lights: Counter
    percent: float  # 0–100
    sections: list[Bar]
    departments: list[Bar]
    quarters: list[tuple[str, datetime.date, float]]  # (label, quarter end, plan percent in that quarter's table)
    overdue: list[TaskRow]
    due_soon: list[TaskRow]  # deadline within DUE_LIST_DAYS, not closed
    not_reported: list[Bar]  # departments with no report standing for the reporting quarter

    @property
    def reporting_period(self) -> str:
        """The reporting quarter with its year (2021年第二季度), '' before the plan's year."""
        return period_label(self.workplan.year, self.reporting_quarter) if self.reporting_quarter else ""


def dashboard(
    *,
    workplan: Workplan,
    tasks: QuerySet[Task],
    as_of: datetime.date,
    department: Department | None = None,
    light: str | None = None,
) -> Dashboard:
    """The dashboard of ``workplan`` as of the calendar date ``as_of`` (Asia/Shanghai).

    ``tasks`` are the plan's tasks after the list filters (section, department:
    reports.filters.TaskFilter, the same the drill-down list uses); ``light``
    keeps the tasks with that light on ``as_of``; ``department`` also narrows the
    department bars to that department. Percentages are 0–100 with tasks
    weighted equally; a task's percent is the mean of its assignments'.
    """
    tasks = tasks.filter(section__workplan=workplan).select_related("section__workplan")
    tasks = tasks.order_by("section__ordinal", "number")
    all_rows = task_rows(tasks, as_of=as_of, with_reports=False, department=department)
    rows = [row for row in all_rows if not light or row.progress.light == light]

    sections: dict[int, Bar] = {}
    departments: dict[int, Bar] = {}
    department_percents: dict[int, list[float]] = {}
    for row in rows:
        bar = sections.setdefault(row.task.section_id, Bar(row.task.section_id, str(row.task.section), 0, 0))
        bar.count += 1
        bar.lights[row.progress.light] += 1
        bar.percent += row.progress.percent
        for assignment, progress in row.assignments:
            if department and assignment.department_id != department.pk:
                continue
            unit = departments.get(assignment.department_id)
            if unit is None:
                unit = departments[assignment.department_id] = Bar(
                    assignment.department_id,
                    assignment.department.display_name,
                    0,
                    0,
                    ordering=(assignment.department.ordering, assignment.department.name),
                    on_time=OnTime(as_of),
                )
            unit.count += 1
            unit.lights[progress.light] += 1
            unit.on_time.add(row.task.deadline, progress.closed_on)
            department_percents.setdefault(assignment.department_id, []).append(progress.percent)
    for bar in sections.values():
        bar.percent = bar.percent / bar.count
    for key, bar in departments.items():
        bar.percent = mean_percent(department_percents[key])

    quarter = reporting_quarter(workplan.year, as_of)
    reported = _departments_reported(workplan, quarter, as_of) if quarter else set()
    for key, bar in departments.items():
        bar.reported = key in reported
    ordered_departments = sorted(departments.values(), key=lambda bar: bar.ordering)

    return Dashboard(
        workplan=workplan,
        as_of=as_of,
        reporting_quarter=quarter,
        tasks=len(rows),
        lights=Counter(row.progress.light for row in rows),
        percent=mean_percent([row.progress.percent for row in rows]),
        sections=list(sections.values()),
        departments=ordered_departments,
        quarters=_quarter_line(workplan, as_of, all_rows, Assignment.objects.filter(task__in=tasks.values("pk"))),
        overdue=[row for row in rows if row.progress.light == Light.OVERDUE],
        due_soon=[
            row
            for row in rows
            if not row.progress.closed and as_of <= row.task.deadline <= as_of + datetime.timedelta(days=DUE_LIST_DAYS)
        ],
        not_reported=[bar for bar in ordered_departments if quarter and not bar.reported],
    )


def _departments_reported(workplan: Workplan, quarter: int, as_of: datetime.date) -> set[int]:
    """Departments with a report for ``quarter`` of this plan standing on ``as_of``."""
    return set(
        ProgressReport.objects.standing_as_of(as_of)
        .filter(assignment__task__section__workplan=workplan, quarter=quarter)
        .order_by()
        .values_list("assignment__department_id", flat=True)
        .distinct()
    )


def _quarter_line(
    workplan: Workplan, as_of: datetime.date, rows: list[TaskRow], scope: QuerySet[Assignment]
) -> list[tuple[str, datetime.date, float]]:
    """The percent of the tasks in ``rows`` in the table of each quarter that has ended by ``as_of`` (inclusive).

    Labels carry the year and say 定稿 or 草稿 (DESIGN.md, "Reporting periods").
    """
    quarters = [q for q in range(1, 5) if quarter_end(workplan.year, q) <= as_of]
    if not quarters:
        return []
    finalised = open_finalisations(workplan)
    percents = quarter_percents(rows, scope, quarters=quarters, today=timezone.localdate(), finalised=finalised)
    return [
        (
            f"{period_label(workplan.year, q)}（{'定稿' if q in finalised else '草稿'}）",
            quarter_end(workplan.year, q),
            percent,
        )
        for q, percent in zip(quarters, percents, strict=True)
    ]
