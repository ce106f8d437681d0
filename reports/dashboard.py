"""The leaders' dashboard: the plan's figures as of a date. Reads only.

Every figure comes from progress.selectors.task_rows (the as-of rule and the
light rule), the same rows the quarterly export reads, so the dashboard of
2021-03-31 and the first-quarter table agree to the number.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from departments.models import Department
from progress.models import ProgressReport
from progress.periods import QUARTER_NAMES, quarter_end, reporting_quarter
from progress.selectors import (
    TaskRow,
    closed_on_time,
    mean_percent,
    on_time_completion_rate,
    on_time_rate,
    plan_percents,
    task_rows,
)
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
    due: int = 0  # departments: assignments past their deadline on the as-of date
    closed_on_time: int = 0  # departments: of those, closed on or before their deadline

    @property
    def on_time_rate(self) -> float | None:
        return on_time_rate(self.lights)

    @property
    def on_time_completion_rate(self) -> float | None:
        """按期完成率 (0–1), None while nothing is due."""
        return on_time_completion_rate(self.due, self.closed_on_time)


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
    quarters: list[tuple[str, datetime.date, float]]  # (label, as-of date, plan percent)
    overdue: list[TaskRow]
    due_soon: list[TaskRow]  # deadline within DUE_LIST_DAYS, not closed
    not_reported: list[Bar]  # departments with no report standing for the reporting quarter


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
    all_rows = task_rows(tasks, as_of=as_of, with_reports=False)
    rows = [row for row in all_rows if not light or row.progress.light == light]

    scope = Assignment.objects.filter(task__in=tasks.values("pk"))
    deadlines = {a.pk: p.deadline for row in all_rows for a, p in row.assignments}
    on_time = closed_on_time(scope, as_of=as_of, deadlines=deadlines)
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
                )
            unit.count += 1
            unit.lights[progress.light] += 1
            if assignment.pk in on_time:
                unit.due += 1
                unit.closed_on_time += on_time[assignment.pk]
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
        quarters=_quarter_line(workplan, as_of, all_rows, scope),
        overdue=[row for row in rows if row.progress.light == Light.OVERDUE],
        due_soon=[
            row
            for row in rows
            if not row.progress.closed
            and as_of <= row.progress.deadline <= as_of + datetime.timedelta(days=DUE_LIST_DAYS)
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
    """The percent of the tasks in ``rows`` at the end of each quarter that ended before ``as_of``."""
    ends = [quarter_end(workplan.year, q) for q in range(1, 5) if quarter_end(workplan.year, q) < as_of]
    percents = plan_percents(rows, scope, dates=ends) if ends else []
    return [(f"第{QUARTER_NAMES[n]}季度末", end, p) for n, (end, p) in enumerate(zip(ends, percents, strict=True), 1)]
