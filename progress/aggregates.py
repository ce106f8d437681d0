"""Figures summed in SQL: the dashboard and the light- or status-filtered lists at any number of tasks.

The database does the counting: one query sums each task's assignments (the
counts progress.selectors.rolled_up_counts decides on, and the latest deadline
in force), one counts each department's assignments grouped by the facts the
light depends on. Python then applies the rules themselves
(tasks.lights.light_for, rolled_up_counts, OnTime) once per task, or once per
distinct group of facts: each rule keeps its one copy, and no model instance
is built per task or assignment. The standing on the as-of date comes from the
kept-up intervals (progress.standing), the deadline in force from
progress.extensions.extended_to: the same rules the task page reads.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, F, FilteredRelation, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from departments.models import Department
from tasks.models import Assignment, Section, Task, Workplan

from .extensions import extended_to
from .models import ProgressReport, QuarterFinalRow
from .selectors import TASK_FIELDS, OnTime, PlanLights, Progress, covering, rolled_up_counts


@dataclass(frozen=True)
class TaskStanding:
    """One task's figures on a day, as the dashboard and filtered lists need them (no model instance)."""

    pk: int
    section_id: int
    section_label: str  # 一、…
    number: int
    title: str
    progress: Progress  # the task's, or the filtered department's standing on it
    parts: int  # its assignments counted (the filtered department's only: 1)
    drafts: dict[int, float]  # quarter → the task's percent (0–100) in that quarter's draft table


def task_standings(
    tasks: QuerySet[Task],
    *,
    as_of: datetime.date,
    department: Department | int | None = None,
    draft_quarters: Sequence[int] = (),
) -> dict[int, TaskStanding]:
    """Every task of ``tasks``, in its order, with its progress on ``as_of`` (Asia/Shanghai), keyed by id.

    The roll-up rule (progress.selectors.rolled_up_counts) on counts summed in
    SQL per task, the deadline in force the latest of its assignments' (an
    approved extension counts), the light by tasks.lights.light_for with the
    task's plan's thresholds. With ``department``, a task's progress is that
    department's standing on it. ``draft_quarters`` (1–4) adds each task's
    percent in those quarters' draft tables (the mean over all its assignments
    of the kept-up Standing row's q{Q}_percent, 0 when none). One query, for
    any number of tasks.
    """
    scope = Task.objects.filter(pk__in=tasks.values("pk"))
    department_id = getattr(department, "pk", department)
    if department_id is not None:  # the join every sum below reads: that department's assignments only
        scope = scope.filter(assignments__department_id=department_id)
    started = Q(now__status__isnull=False) & ~Q(now__status=ProgressReport.Status.NOT_STARTED)
    closed = Q(now__closed_on__isnull=False)
    counts = {
        "parts": Count("assignments"),
        "percent_sum": Coalesce(Sum("now__percent"), 0),
        "closed": Count("assignments", filter=closed),
        "claimed": Count("assignments", filter=closed | Q(now__status=ProgressReport.Status.COMPLETED)),
        "started": Count("assignments", filter=started),
    }
    drafts = {f"q{q}": Coalesce(Sum(f"assignments__standing__q{q}_percent"), 0) for q in draft_quarters}
    rows = (
        scope.annotate(
            now=FilteredRelation(
                "assignments__standing_intervals", condition=covering(as_of, "assignments__standing_intervals")
            )
        )
        .annotate(
            **counts,
            in_force=Max(Coalesce(extended_to(as_of, "assignments__pk"), F("deadline"))),
            **drafts,
        )
        .order_by(*(tasks.query.order_by or Task._meta.ordering))
        .values_list(*TASK_FIELDS, "in_force", *counts, *drafts)
    )
    plans: dict[tuple, PlanLights] = {}
    labels: dict[int, str] = {}
    result = {}
    for row in rows:
        pk, section_id, ordinal, section_title, number, title, deadline, year, tolerance, due_soon, in_force = row[:11]
        parts, percent_sum, closed_count, claimed, started, *drafted = row[11:]
        plan = (year, tolerance, due_soon)
        light = plans.get(plan) or plans.setdefault(plan, PlanLights(*plan, as_of))
        if section_id not in labels:
            labels[section_id] = Section.label(ordinal, section_title)
        percent, status, closed = rolled_up_counts(
            parts=parts, percent_sum=percent_sum, closed=closed_count, claimed=claimed, started=started
        )
        in_force = in_force or deadline
        result[pk] = TaskStanding(
            pk,
            section_id,
            labels[section_id],
            number,
            title,
            Progress(
                percent,
                status,
                light(deadline=in_force, percent=percent, closed=closed),
                deadline=in_force,
                original_deadline=deadline,
            ),
            parts,
            {q: total / parts if parts else 0.0 for q, total in zip(draft_quarters, drafted, strict=True)},
        )
    return result


def finalised_task_totals(
    workplan: Workplan,
    tasks: QuerySet[Task],
    quarters: Sequence[int],
    *,
    department: Department | int | None = None,
) -> dict[int, dict[int, int]]:
    """The finalised (定稿, not reopened) quarters among ``quarters`` (1–4) of ``workplan``, each with
    {task id: the sum of its assignments' percents (0–100 each) in the frozen table} for ``tasks``; with
    ``department``, that department's assignment only. Divided by TaskStanding.parts it is the task's
    percent in the table (an assignment without a frozen row counts 0).

    A quarter is finalised here when its finalisation froze a row for one of ``tasks`` (定稿 writes one per
    assignment): a quarter whose only tasks came after its 定稿 reads as a draft. One query.
    """
    frozen = QuarterFinalRow.objects.filter(
        finalisation__workplan=workplan,
        finalisation__reopened_at__isnull=True,
        finalisation__quarter__in=quarters,
        assignment__task__in=tasks.values("pk"),
    )
    department_id = getattr(department, "pk", department)
    if department_id is not None:
        frozen = frozen.filter(assignment__department_id=department_id)
    result: dict[int, dict[int, int]] = {}
    for quarter, task_id, total in (
        frozen.order_by()
        .values("finalisation__quarter", "assignment__task_id")
        .annotate(total=Sum("percent"))
        .values_list("finalisation__quarter", "assignment__task_id", "total")
    ):
        result.setdefault(quarter, {})[task_id] = total
    return result


@dataclass
class UnitFigures:
    """One department's assignments among the tasks counted, on a day."""

    department_id: int
    label: str  # Department.display_name
    ordering: tuple  # (ordering, full name): the order departments are listed in
    count: int = 0
    percent_sum: int = 0  # of the assignments' percents (0–100 each)
    lights: Counter = field(default_factory=Counter)
    on_time: OnTime | None = None  # 按期完成率 on the day
    reported: bool = False  # has a report standing for the reporting quarter

    @property
    def percent(self) -> float:
        """The mean percent of its assignments (the roll-up rule), 0 without any."""
        return self.percent_sum / self.count if self.count else 0.0


def department_figures(
    tasks: QuerySet[Task] | Sequence[int],
    *,
    workplan: Workplan,
    as_of: datetime.date,
    reporting_quarter: int | None,
    department: Department | int | None = None,
) -> list[UnitFigures]:
    """Each department's assignments among ``tasks`` (a queryset, or task ids) of ``workplan`` on ``as_of``
    (Asia/Shanghai), departments in their listed order; with ``department``, that one only.

    Counted in SQL, grouped by the facts the rules read (deadline in force,
    percent, closed, a report standing for ``reporting_quarter``); each
    distinct group is lit once by tasks.lights.light_for with the plan's
    thresholds, and 按期完成率 counted by progress.selectors.OnTime. One query.
    """
    department_id = getattr(department, "pk", department)
    task_ids = tasks.values("pk") if isinstance(tasks, QuerySet) else list(tasks)
    parts = (
        Assignment.objects.filter(task__in=task_ids)
        .annotate(now=FilteredRelation("standing_intervals", condition=covering(as_of, "standing_intervals")))
        .annotate(in_force=Coalesce(extended_to(as_of), F("task__deadline")))
    )
    if department_id is not None:
        parts = parts.filter(department_id=department_id)
    keys = (
        "department_id",
        "department__short_name",
        "department__name",
        "department__ordering",
        "in_force",
        "percent_now",
        "closed_now",
        "closed_in_time",
    )
    grouped = (
        parts.annotate(
            percent_now=Coalesce(F("now__percent"), 0),
            closed_now=ExpressionWrapper(Q(now__closed_on__isnull=False), output_field=BooleanField()),
            closed_in_time=ExpressionWrapper(Q(now__closed_on__lte=F("in_force")), output_field=BooleanField()),
        )
        .order_by()
        .values(*keys)
        .annotate(
            n=Count("pk"),
            reported=Count("pk", filter=Q(now__quarter__gte=reporting_quarter)) if reporting_quarter else Value(0),
        )
        .values_list(*keys, "n", "reported")
    )
    light = PlanLights(workplan.year, workplan.light_tolerance, workplan.due_soon_days, as_of)
    units: dict[int, UnitFigures] = {}
    for dept, short, name, ordering, in_force, percent, closed, closed_in_time, n, reported in grouped:
        unit = units.get(dept)
        if unit is None:
            unit = units[dept] = UnitFigures(dept, short or name, (ordering, name), on_time=OnTime(as_of))
        unit.count += n
        unit.percent_sum += percent * n
        unit.lights[light(deadline=in_force, percent=percent, closed=closed)] += n
        unit.on_time.add_many(in_force, bool(closed_in_time), n)
        unit.reported = unit.reported or bool(reported)
    return sorted(units.values(), key=lambda unit: unit.ordering)
