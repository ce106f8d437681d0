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

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    ForeignKey,
    Func,
    IntegerField,
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


@dataclass(slots=True)
class TaskStanding:
    """One task's figures on a day, as the dashboard needs them (no model instance; 10,000 of them a page)."""

    pk: int
    section_id: int
    section_label: str  # 一、…
    number: int
    title: str
    progress: Progress  # the task's, or the filtered department's standing on it
    parts: int  # its assignments counted (the filtered department's only: 1)
    draft_quarters: Sequence[int]  # the draft tables asked for (1–4): one sequence shared by every row
    draft_sums: tuple  # in that order, its assignments' percents summed in each table (None or 0: none)


def draft_percents(figures: Sequence[TaskStanding], quarter: int) -> list[float]:
    """Each task's percent (0–100) in ``quarter``'s draft table, in the order of ``figures`` (task_standings'
    rows, read with ``quarter`` among their draft quarters): the mean of its assignments', 0 without any."""
    if not figures:
        return []
    i = figures[0].draft_quarters.index(quarter)
    return [row.draft_sums[i] / row.parts if row.draft_sums[i] and row.parts else 0.0 for row in figures]


# What lighting a task reads of it: its id, published deadline and its plan's thresholds (PlanLights).
_LIGHT_FIELDS = (
    "pk",
    "deadline",
    "section__workplan__year",
    "section__workplan__light_tolerance",
    "section__workplan__due_soon_days",
)


def task_standings(
    tasks: QuerySet[Task],
    *,
    as_of: datetime.date,
    department: Department | int | None = None,
    draft_quarters: Sequence[int] = (),
) -> dict[int, TaskStanding]:
    """Every task of ``tasks``, in its order, with its progress on ``as_of`` (Asia/Shanghai), keyed by id.

    The progress is progress_by_task's; with ``department``, a task that
    department has no part in is left out. ``draft_quarters`` (1–4) adds each
    task's percent in those quarters' draft tables (draft_percents:
    the mean over all its assignments of the kept-up Standing row's
    q{Q}_percent, 0 when none). One query for any number of tasks.
    """
    lit = _Lighting(as_of)
    labels: dict[int, str] = {}
    result = {}
    draft_quarters = tuple(draft_quarters)
    ordering = tasks.query.order_by or Task._meta.ordering
    summed = _summed(
        tasks, TASK_FIELDS, ordering=ordering, as_of=as_of, department=department, draft_quarters=draft_quarters
    )
    for task, sums in summed:
        pk, section_id, ordinal, section_title, number, title, deadline = task[:7]
        label = labels.get(section_id)
        if label is None:
            label = labels[section_id] = Section.label(ordinal, section_title)
        progress = lit(deadline, task[7:], sums)  # task[7:]: the plan's (year, tolerance, due-soon days)
        result[pk] = TaskStanding(pk, section_id, label, number, title, progress, sums[0], draft_quarters, sums[6:])
    return result


def progress_by_task(
    tasks: QuerySet[Task],
    *,
    as_of: datetime.date,
    department: Department | int | None = None,
    light: str = "",
    status: str = "",
) -> dict[int, Progress]:
    """task id → its Progress on ``as_of`` (Asia/Shanghai), for every task of ``tasks`` whose light and status
    are ``light`` and ``status`` ("" asks for any: Progress.matches), in ``tasks``' order: what the light- and
    status-filtered lists read (nothing else of the task is fetched). One query.

    The roll-up rule (progress.selectors.rolled_up_counts) on counts summed in
    SQL per task, the deadline in force the latest of its assignments' (an
    approved extension counts), the light by tasks.lights.light_for with the
    task's plan's thresholds. With ``department``, a task's progress is that
    department's standing on it, and a task that department has no part in is
    left out.

    Only the tasks kept are put in order: when ``tasks`` is ordered by non-null dates and numbers
    (tasks.models.list_ordering), the rows are read unsorted and the kept ones sorted here (the database
    sorting every task on several keys was a third of the query); any other ordering is the database's.
    """
    lit = _Lighting(as_of)
    ordering = list(tasks.query.order_by or Task._meta.ordering)
    fields = list(_LIGHT_FIELDS)
    keys = []  # (where the row holds an ordering value, descending)
    in_python = _sortable_here(ordering)
    for name in ordering if in_python else ():
        bare = name.lstrip("-")
        if bare not in fields:
            fields.append(bare)
        keys.append((fields.index(bare), name.startswith("-")))
    kept = []
    for task, sums in _summed(
        tasks, fields, ordering=() if in_python else ordering, as_of=as_of, department=department
    ):
        progress = lit(task[1], task[2:5], sums)  # (deadline, (year, tolerance, due-soon days), sums)
        if progress.matches(light=light, status=status):
            kept.append((task, progress))
    for i, descending in reversed(keys):  # stable sorts: the last key first, the first key last
        kept.sort(key=lambda row, i=i: row[0][i], reverse=descending)
    return {task[0]: progress for task, progress in kept}


def _sortable_here(ordering: Sequence) -> bool:
    """Whether Python sorts Task rows by ``ordering`` (order_by() names) exactly as the database does: every
    name a path to a non-null date or integer field (or a foreign key's id). Texts (collations), nullable
    fields (where NULLs go) and expressions are left to the database."""
    for name in ordering:
        if not isinstance(name, str) or name in ("?", "-?"):
            return False
        *path, last = name.lstrip("-").split("__")
        model = Task
        try:
            for step in path:
                field = model._meta.get_field(step)
                if not field.many_to_one:  # a to-many step would repeat rows
                    return False
                model = field.related_model
            field = model._meta.pk if last == "pk" else model._meta.get_field(last)
        except FieldDoesNotExist:
            return False
        if field.null or (field.is_relation and last != field.attname):  # a relation sorts by its model's ordering
            return False
        if not isinstance(field, DateField | IntegerField | ForeignKey):  # a DateTimeField is a DateField
            return False
    return True


class _Lighting:
    """A task's Progress on day ``on`` from its sums: the roll-up rule, then its plan's light (PlanLights, one
    per plan). Tasks with the same deadline, plan and sums share one Progress (it is immutable): one
    department's 10,000 tasks come to a few hundred cases."""

    def __init__(self, on: datetime.date):
        self.on = on
        self.plans: dict[tuple, PlanLights] = {}
        self.known: dict[tuple, Progress] = {}

    def __call__(self, deadline: datetime.date, plan: Sequence[int], sums: tuple) -> Progress:
        """``plan``: (year, tolerance, due-soon days); ``sums``: what _kept_task_sums yields."""
        case = (deadline, *plan, *sums[:6])
        progress = self.known.get(case)
        if progress is None:
            progress = self.known[case] = self._progress(deadline, tuple(plan), sums)
        return progress

    def _progress(self, deadline: datetime.date, plan: tuple, sums: tuple) -> Progress:
        parts, percent_sum, closed_count, claimed, started, in_force = sums[:6]
        light = self.plans.get(plan)
        if light is None:
            light = self.plans[plan] = PlanLights(*plan, self.on)
        percent, status, closed = rolled_up_counts(
            parts=parts, percent_sum=percent_sum, closed=closed_count, claimed=claimed, started=started
        )
        in_force = in_force or deadline
        return Progress(
            percent,
            status,
            light(deadline=in_force, percent=percent, closed=closed),
            deadline=in_force,
            original_deadline=deadline,
        )


def _summed(
    tasks: QuerySet[Task],
    fields: Sequence[str],
    *,
    ordering: Sequence[str],
    as_of: datetime.date,
    department: Department | int | None,
    draft_quarters: Sequence[int] = (),
) -> Iterator[tuple[tuple, tuple]]:
    """(the task's ``fields``, its sums) for each task of ``tasks`` in ``ordering`` (order_by() names of Task;
    empty: in no order): over all departments from the kept-up task rows (_kept_task_sums), for one department
    from its assignments' own (_department_sums)."""
    department_id = getattr(department, "pk", department)
    if department_id is None:
        in_order = Task.objects.filter(pk__in=tasks.values("pk")).order_by(*ordering)
        return _kept_task_sums(in_order, fields, as_of=as_of, draft_quarters=draft_quarters)
    return _department_sums(
        tasks, ordering, fields, as_of=as_of, department_id=department_id, draft_quarters=draft_quarters
    )


def _kept_task_sums(
    in_order: QuerySet[Task], fields: Sequence[str], *, as_of: datetime.date, draft_quarters: Sequence[int]
) -> Iterator[tuple[tuple, tuple]]:
    """(each task of ``in_order``'s ``fields``, its sums over all its assignments on ``as_of``:
    (parts, percent sum, closed, claimed, started, deadline in force or None, *draft quarters' percent sums, None
    where the task has no TaskDrafts row)).

    Read from the kept-up task rows: the TaskInterval covering ``as_of`` (none: every sum 0) and the
    TaskDrafts, with the number of its assignments and, where an extension counts on ``as_of``, the deadline
    in force by the same expression (None elsewhere). One query, one row per task: the assignments are
    counted per task through their index, and only the few tasks with an approved extension look further.
    """
    own = Assignment.objects.filter(task=OuterRef("pk")).order_by().values("task")
    in_force = own.annotate(in_force=Max(Coalesce(extended_to(as_of), OuterRef("deadline")))).values("in_force")
    # COUNT(*) without GROUP BY (not an aggregate to Django): PostgreSQL counts from the task_id index alone.
    counted_rows = Func(template="COUNT(*)", output_field=IntegerField())
    parts = own.annotate(n=counted_rows).values("n")
    counts = ["parts", "now__percent_sum", "now__closed", "now__claimed", "now__started", "in_force"]
    drafts = [f"kept_drafts__q{q}_percent_sum" for q in draft_quarters]
    rows = in_order.annotate(
        now=FilteredRelation("kept_intervals", condition=covering(as_of, "kept_intervals")),
        parts=Subquery(parts),
        in_force=Case(
            When(pk__in=approved_by(as_of).values("assignment__task_id"), then=Subquery(in_force)),
            output_field=DateField(),
        ),
    ).values_list(*fields, *counts, *drafts)
    width, end = len(fields), len(fields) + len(counts)
    known: dict[tuple, tuple] = {}  # the same counts give the same sums: tasks share them
    for row in rows:
        facts = row[width:end]
        sums = known.get(facts)
        if sums is None:  # no covering row: every sum 0
            parts, percent_sum, closed, claimed, started, in_force = facts
            sums = known[facts] = (parts or 0, percent_sum or 0, closed or 0, claimed or 0, started or 0, in_force)
        yield row[:width], sums + row[end:]  # the drafts' sums as read (None: no TaskDrafts row)


def _department_sums(
    tasks: QuerySet[Task],
    ordering: Sequence[str],
    fields: Sequence[str],
    *,
    as_of: datetime.date,
    department_id: int,
    draft_quarters: Sequence[int],
) -> Iterator[tuple[tuple, tuple]]:
    """What _kept_task_sums yields (the task's ``fields``, its sums), over ``department_id``'s assignment to each
    task of ``tasks`` alone, on ``as_of``, in ``ordering`` (as order_by() takes it; empty: no order); tasks it
    has no part in are left out.

    A department has at most one assignment per task (unique task and department), so each row is one
    assignment, counted by progress.standing.counted: one query (_parts_on), no grouping.
    """
    drafts = [f"part__standing__q{q}_percent" for q in draft_quarters]
    rows = (
        _parts_on(tasks, as_of, department_id)
        .order_by(*ordering)
        .values_list(*fields, "now__percent", "now__status", "now__closed_on", "in_force", *drafts)
    )
    width = len(fields)
    known: dict[tuple, tuple] = {}  # the same standing gives the same sums: a few hundred cases in 10,000 rows
    for row in rows:
        task, facts = row[:width], row[width:]
        sums = known.get(facts)
        if sums is None:
            percent, status, closed_on, in_force, *drafted = facts
            sums = known[facts] = (1, *counted(percent, status, closed_on), in_force, *drafted)
        yield task, sums


def _parts_on(tasks: QuerySet[Task], as_of: datetime.date, department_id: int | None) -> QuerySet[Task]:
    """``tasks`` joined to their assignments as ``part`` (with ``department_id``, that department's one alone),
    one row per assignment, a task without any left out; each with its standing interval on ``as_of`` as
    ``now`` (progress.selectors.covering; none: nothing standing) and its deadline in force as ``in_force``
    (progress.extensions.extended_to, else the task's). Read from the tasks' side: no semi-join on the tasks'
    own filters."""
    mine = Q(assignments__department_id=department_id) if department_id is not None else Q()
    return (
        tasks.annotate(part=FilteredRelation("assignments", condition=mine))
        .filter(part__isnull=False)
        .annotate(
            now=FilteredRelation("part__standing_intervals", condition=covering(as_of, "part__standing_intervals")),
            in_force=Coalesce(extended_to(as_of, "part__pk"), F("deadline")),
        )
    )


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
    thresholds, and 按期完成率 counted by progress.selectors.OnTime. Two queries: the counts, then the
    departments' names.
    """
    department_id = getattr(department, "pk", department)
    scope = tasks.order_by() if isinstance(tasks, QuerySet) else Task.objects.filter(pk__in=list(tasks))
    parts = _parts_on(scope, as_of, department_id).annotate(department_id=F("part__department_id"))
    keys = (
        "department_id",
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
            n=Count("part__pk"),
            reported=Count("part__pk", filter=Q(now__quarter__gte=reporting_quarter))
            if reporting_quarter
            else Value(0),
        )
        .values_list(*keys, "n", "reported")
    )
    light = PlanLights(workplan.year, workplan.light_tolerance, workplan.due_soon_days, as_of)
    units: dict[int, UnitFigures] = {}
    for dept, in_force, percent, closed, closed_in_time, n, reported in grouped:
        unit = units.get(dept)
        if unit is None:
            unit = units[dept] = UnitFigures(dept, "", (), on_time=OnTime(as_of))
        unit.count += n
        unit.percent_sum += percent * n
        unit.lights[light(deadline=in_force, percent=percent, closed=closed)] += n
        unit.on_time.add_many(in_force, bool(closed_in_time), n)
        unit.reported = unit.reported or bool(reported)
    # Named after the counting, not grouped by the names: 100,000 rows hashed on an id rather than on texts.
    for dept, short, name, ordering in Department.objects.filter(pk__in=units).values_list(
        "pk", "short_name", "name", "ordering"
    ):
        units[dept].label, units[dept].ordering = short or name, (ordering, name)
    return sorted(units.values(), key=lambda unit: unit.ordering)
