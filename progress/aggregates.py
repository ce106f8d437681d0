"""Figures summed in SQL: the dashboard and the light- or status-filtered lists at any number of tasks.

The database does the counting: one query reads each task's sums on the day
(the counts progress.selectors.rolled_up_counts decides on, from the kept-up
task rows, or from one department's assignments; and the latest deadline in
force), one counts each department's assignments grouped by the facts the
light depends on. Python then applies the rules themselves
(tasks.lights.light_for, rolled_up_counts, OnTime) once per task, or once per
distinct group of facts: each rule keeps its one copy, and no model instance
is built per task or assignment. The standing on the as-of date comes from the
kept-up intervals (progress.standing), the deadline in force from
progress.extensions.extended_to: the same rules the task page reads.
"""

import datetime
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from departments.models import Department
from tasks.models import Assignment, Section, Task, Workplan

from .extensions import approved_by, extended_to
from .models import QuarterFinalRow
from .selectors import TASK_FIELDS, OnTime, PlanLights, Progress, covering, rolled_up_counts
from .standing import counted


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
    department's standing on it, and a task that department has no part in is
    left out. ``draft_quarters`` (1–4) adds each task's percent in those
    quarters' draft tables (the mean over all its assignments of the kept-up
    Standing row's q{Q}_percent, 0 when none).

    Over all departments the sums are the kept-up task rows (_kept_task_sums),
    for one department its assignments' own (_department_sums). One query over all
    departments, two for one, for any number of tasks.
    """
    department_id = getattr(department, "pk", department)
    in_order = (
        Task.objects.filter(pk__in=tasks.values("pk"))
        .order_by(*(tasks.query.order_by or Task._meta.ordering))
        .values_list(*TASK_FIELDS)
    )
    if department_id is None:
        rows = _kept_task_sums(in_order, as_of=as_of, draft_quarters=draft_quarters)
    else:
        summed = _department_sums(tasks, as_of=as_of, department_id=department_id, draft_quarters=draft_quarters)
        rows = ((*task, summed[task[0]]) for task in in_order if task[0] in summed)  # tasks it has a part in
    plans: dict[tuple, PlanLights] = {}
    labels: dict[int, str] = {}
    result = {}
    for pk, section_id, ordinal, section_title, number, title, deadline, year, tolerance, due_soon, sums in rows:
        parts, percent_sum, closed_count, claimed, started, in_force, *drafted = sums
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


def _kept_task_sums(in_order: QuerySet, *, as_of: datetime.date, draft_quarters: Sequence[int]) -> Iterator[tuple]:
    """Each row of ``in_order`` (tasks' TASK_FIELDS) with its sums over all its assignments on ``as_of``:
    (parts, percent sum, closed, claimed, started, deadline in force, *draft quarters' percent sums).

    Read from the kept-up task rows: the TaskInterval covering ``as_of`` (none: every sum 0) and the
    TaskDrafts, with the number of its assignments and, where an extension counts on ``as_of``, the deadline
    in force by the same expression (None elsewhere). One query, one row per task: the assignments are
    counted per task through their index, and only the few tasks with an approved extension look further.
    """
    own = Assignment.objects.filter(task=OuterRef("pk")).order_by().values("task")
    in_force = own.annotate(in_force=Max(Coalesce(extended_to(as_of), OuterRef("deadline")))).values("in_force")
    counts = ["parts", "now__percent_sum", "now__closed", "now__claimed", "now__started", "in_force"]
    drafts = [f"kept_drafts__q{q}_percent_sum" for q in draft_quarters]
    rows = in_order.annotate(
        now=FilteredRelation("kept_intervals", condition=covering(as_of, "kept_intervals")),
        parts=Subquery(own.annotate(n=Count("pk")).values("n")),
        in_force=Case(
            When(pk__in=approved_by(as_of).values("assignment__task_id"), then=Subquery(in_force)),
            output_field=DateField(),
        ),
    ).values_list(*TASK_FIELDS, *counts, *drafts)
    width = len(TASK_FIELDS)
    for row in rows:
        task, (parts, percent_sum, closed, claimed, started, in_force, *drafted) = row[:width], row[width:]
        sums = (parts or 0, percent_sum or 0, closed or 0, claimed or 0, started or 0, in_force)
        yield (*task, (*sums, *(total or 0 for total in drafted)))  # no covering row: every sum 0


def _department_sums(
    tasks: QuerySet[Task], *, as_of: datetime.date, department_id: int, draft_quarters: Sequence[int]
) -> dict[int, tuple]:
    """task id → the sums _kept_task_sums gives, over ``department_id``'s assignment to the task alone, on
    ``as_of``; tasks it has no part in are absent. A department has at most one assignment per task (unique
    task and department), so each row is one assignment, counted by progress.standing.counted: one query, no
    grouping."""
    drafts = [f"standing__q{q}_percent" for q in draft_quarters]
    rows = (
        Assignment.objects.filter(task__in=tasks.values("pk"), department_id=department_id)
        .annotate(
            now=FilteredRelation("standing_intervals", condition=covering(as_of, "standing_intervals")),
            in_force=Coalesce(extended_to(as_of), F("task__deadline")),
        )
        .order_by()
        .values_list("task_id", "now__percent", "now__status", "now__closed_on", "in_force", *drafts)
    )
    return {
        task_id: (1, *counted(percent, status, closed_on), in_force, *(total or 0 for total in drafted))
        for task_id, percent, status, closed_on, in_force, *drafted in rows
    }


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
