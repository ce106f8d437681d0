"""The leaders' dashboard: the plan's figures as of a date. Reads only.

Every figure is summed in SQL from the kept-up rows (progress.aggregates: the as-of
rule's intervals, the roll-up and light rules applied to the sums); the quarter line
reads each quarter's table by the same rule as the quarterly export, draft
(kept-up Standing) or finalised (frozen rows).
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from departments.models import Department
from progress.aggregates import (
    TaskStanding,
    department_figures,
    draft_percents,
    finalised_task_totals,
    task_standings,
)
from progress.periods import period_label, quarter_end, reporting_quarter
from progress.selectors import OnTime, mean_percent
from tasks.lights import Light
from tasks.models import Task, Workplan

from .figures_cache import cached_figures, filters_key

# The dashboard's "due in the next 30 days" list (wider than the light's due-soon window).
DUE_LIST_DAYS = 30
# How many overdue and due-soon tasks the page lists (their counts link to the whole list).
LISTED = 20


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
    def on_time_completion_rate(self) -> float | None:
        """按期完成率 0–1 (progress.selectors.OnTime, deadlines in force), None ("—") while none has passed."""
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
    overdue: list[TaskStanding]  # the first ``listed`` (dashboard()), in plan order
    due_soon: list[TaskStanding]  # deadline within DUE_LIST_DAYS, not closed; the first ``listed``
    overdue_count: int
    due_soon_count: int
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
    listed: int | None = None,
) -> Dashboard:
    """The dashboard of ``workplan`` as of the calendar date ``as_of`` (Asia/Shanghai).

    ``tasks`` are the plan's tasks after the list filters (section, department:
    reports.filters.TaskFilter, the same the drill-down list uses); ``light``
    keeps the tasks with that light on ``as_of``; ``department`` also narrows the
    department bars to that department and makes each task's figures that
    department's. ``listed`` keeps only that many overdue and due-soon tasks
    (the page shows 20; None keeps all, as the bulletin lists them); their
    counts are always of all. Percentages are 0–100 with tasks weighted equally; a task's
    percent is the mean of its assignments'. A fixed number of queries, summed
    in SQL (progress.aggregates): the tasks' figures, the departments', the
    plan's finalised quarters and their frozen percents.
    """
    tasks = tasks.filter(section__workplan=workplan).order_by("section__ordinal", "number")
    ended = [q for q in range(1, 5) if quarter_end(workplan.year, q) <= as_of]
    frozen = finalised_task_totals(workplan, tasks, ended, department=department) if ended else {}
    drafts = [q for q in ended if q not in frozen]
    figures = list(task_standings(tasks, as_of=as_of, department=department, draft_quarters=drafts).values())
    rows = [row for row in figures if not light or row.progress.light == light]
    quarter = reporting_quarter(workplan.year, as_of)
    units = department_figures(
        [row.pk for row in rows] if light else tasks,
        workplan=workplan,
        as_of=as_of,
        reporting_quarter=quarter,
        department=department,
    )

    sections: dict[int, Bar] = {}
    overdue, due_soon = [], []
    due_by = as_of + datetime.timedelta(days=DUE_LIST_DAYS)
    for row in rows:  # one pass: 10,000 tasks a plan
        progress = row.progress
        bar = sections.get(row.section_id)
        if bar is None:  # not setdefault: that built a Bar (and its Counter) for every task
            bar = sections[row.section_id] = Bar(row.section_id, row.section_label, 0, 0)
        bar.count += 1
        bar.lights[progress.light] += 1
        bar.percent += progress.percent
        if progress.light == Light.OVERDUE:
            overdue.append(row)
        if as_of <= progress.deadline <= due_by and not progress.closed:
            due_soon.append(row)
    lights = Counter()
    for bar in sections.values():
        lights.update(bar.lights)
        bar.percent = bar.percent / bar.count
    departments = [
        Bar(
            unit.department_id,
            unit.label,
            unit.percent,
            unit.count,
            lights=unit.lights,
            reported=unit.reported,
            ordering=unit.ordering,
            on_time=unit.on_time,
        )
        for unit in units
    ]
    return Dashboard(
        workplan=workplan,
        as_of=as_of,
        reporting_quarter=quarter,
        tasks=len(rows),
        lights=lights,
        percent=mean_percent([row.progress.percent for row in rows]),
        sections=list(sections.values()),
        departments=departments,
        quarters=_quarter_line(workplan, rows, ended, frozen),
        overdue=overdue[:listed],
        due_soon=due_soon[:listed],
        overdue_count=len(overdue),
        due_soon_count=len(due_soon),
        not_reported=[bar for bar in departments if quarter and not bar.reported],
    )


def latest_plan(plans: Iterable[Workplan] | None = None) -> Workplan | None:
    """The plan the dashboard opens on when none is picked: the latest year's, the last loaded of that year;
    among ``plans`` (the dashboard's plan picker reads them anyway), by default among every plan. None when
    there is none."""
    if plans is None:
        plans = Workplan.objects.all()
    return max(plans, key=lambda plan: (plan.year, plan.pk), default=None)


def kept_dashboard(filterset, as_of: datetime.date) -> Dashboard:
    """The dashboard page's figures for a valid reports.filters.TaskFilter (its ``workplan`` set) over every
    task, as of ``as_of``, kept in the shared cache under the filters and the date (reports.figures_cache).

    Leaders and the office see every task, so the figures depend on the filters alone: the page and the
    job that keeps them ready (reports.jobs.keep_dashboards) call this with the same filters and get one entry.
    """
    cleaned = filterset.form.cleaned_data
    return cached_figures(
        "dashboard",
        (as_of, *filters_key(cleaned)),
        lambda: dashboard(
            # Read again: the form read the plan before the figures' version was, and its title and
            # thresholds must be those of the version they are kept under.
            workplan=Workplan.objects.get(pk=cleaned["workplan"].pk),
            tasks=filterset.qs,
            as_of=as_of,
            department=cleaned["department"],
            light=cleaned["light"],
            listed=LISTED,
        ),
    )


def _quarter_line(
    workplan: Workplan, figures: list[TaskStanding], ended: list[int], frozen: dict[int, dict[int, int]]
) -> list[tuple[str, datetime.date, float]]:
    """The percent of the tasks in ``figures`` (the page's: after its light filter too) in the table of each
    quarter that has ended by the as-of date.

    The quarter ending on the as-of date counts. A draft quarter's percents come
    with the figures (progress.aggregates.draft_percents); a finalised one's from its frozen
    rows (``frozen``: progress.aggregates.finalised_task_totals). Filtered to a
    department, the percents are that department's. Labels carry the year and
    say 定稿 or 草稿 (DESIGN.md, "Reporting periods").
    """
    line = []
    for q in ended:
        if q in frozen:
            per_task = [frozen[q].get(row.pk, 0) / row.parts if row.parts else 0.0 for row in figures]
        else:
            per_task = draft_percents(figures, q)
        label = f"{period_label(workplan.year, q)}（{'定稿' if q in frozen else '草稿'}）"
        line.append((label, quarter_end(workplan.year, q), mean_percent(per_task)))
    return line
