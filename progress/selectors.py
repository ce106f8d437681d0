"""Reads: where assignments and tasks stand on a given day, and what each quarter's table says.

Every figure is read from the kept-up rows (progress.standing: Standing,
StandingInterval, QuarterFinalRow), never by scanning the report history: the
as-of rule (ProgressReportQuerySet.standing_as_of) is what those rows hold for
every day, and the light rule (tasks.lights.light_for) is applied to plain
values. The cost is a fixed number of queries for any number of assignments.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks.lights import Light, light_for
from tasks.models import Assignment, Section, Task, Workplan

from . import periods
from .extensions import deadline_label, extended_deadlines, with_extended_deadline
from .models import (
    Evidence,
    ExtensionRequest,
    ProgressReport,
    QuarterFinalisation,
    QuarterFinalRow,
    Review,
    Standing,
    StandingInterval,
    closes_as_of,
)
from .periods import period_label

CLOSED = "closed"
STATUS_CHOICES = [*ProgressReport.Status.choices, (CLOSED, _("已办结"))]
STATUS_LABELS = dict(STATUS_CHOICES)


@dataclass(frozen=True)
class Progress:
    """Where an assignment or a task stands on a day."""

    percent: float  # 0–100
    status: str  # a ProgressReport.Status value, or CLOSED
    light: Light
    report: ProgressReport | None = None  # the latest standing report (assignments only)
    last_submitted: ProgressReport | None = None  # the latest submission, returned or not (lists only)
    closed_on: datetime.date | None = None  # the day the office accepted its completion (assignments only)
    deadline: datetime.date | None = None  # the deadline in force that day (an approved extension counts)
    original_deadline: datetime.date | None = None  # the task's published deadline

    @property
    def extended(self) -> bool:
        return self.deadline is not None and self.deadline != self.original_deadline

    @property
    def deadline_label(self) -> str:
        """完成时限 as printed: the date, or 原定…，已延期至… (progress.extensions.deadline_label)."""
        return deadline_label(self.original_deadline, self.deadline)

    @property
    def closed(self) -> bool:
        return self.status == CLOSED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def returned(self) -> ProgressReport | None:
        """The latest submission when the office returned it: the department has to report again."""
        return self.last_submitted if self.last_submitted and self.last_submitted.is_returned else None

    def matches(self, *, light: str = "", status: str = "") -> bool:
        """Whether a list filtered by ``light`` (a Light value) and ``status`` (a ProgressReport.Status value or
        CLOSED) keeps it; "" asks for any."""
        return (not light or self.light == light) and (not status or self.status == status)


def light_of(
    task: Task,
    *,
    percent: float,
    closed: bool,
    on: datetime.date,
    thresholds: tuple[int, int] | None = None,
    deadline: datetime.date | None = None,
) -> Light:
    """``task``'s (``section__workplan`` selected) light by tasks.lights.light_for with its plan's thresholds.

    ``thresholds`` is (tolerance in points, due-soon days) when other than the plan's current ones;
    ``deadline`` the deadline in force (an approved extension, progress.extensions) when not the task's own.
    """
    plan = task.section.workplan
    tolerance, due_soon_days = thresholds or (plan.light_tolerance, plan.due_soon_days)
    return light_for(
        deadline=deadline or task.deadline,
        percent=percent,
        closed=closed,
        start=plan.start_date,
        on=on,
        tolerance=tolerance,
        due_soon_days=due_soon_days,
    )


class PlanLights:
    """tasks.lights.light_for with one plan's thresholds (its year's start, tolerance in points, due-soon days)
    on one day ``on`` (Asia/Shanghai), each distinct (deadline, percent, closed) computed once: the readers that
    light thousands of rows call it on plain values."""

    def __init__(self, year: int, tolerance: int, due_soon_days: int, on: datetime.date):
        self.start, self.tolerance, self.due_soon_days, self.on = Workplan.start_of(year), tolerance, due_soon_days, on
        self.known: dict[tuple, Light] = {}

    def __call__(self, deadline: datetime.date, percent: float, closed: bool) -> Light:
        case = (deadline, percent, closed)
        if case not in self.known:
            self.known[case] = light_for(
                deadline=deadline,
                percent=percent,
                closed=closed,
                start=self.start,
                on=self.on,
                tolerance=self.tolerance,
                due_soon_days=self.due_soon_days,
            )
        return self.known[case]


# One assignment's standing on a day, as read from the kept-up intervals:
# (percent 0–100, status, closed_on or None, period of the standing report, report id).
Figures = tuple[int, str, datetime.date | None, int, int]
NOT_STARTED: Figures = (0, ProgressReport.Status.NOT_STARTED, None, 0, None)


def covering(day: datetime.date, path: str = "") -> Q:
    """The as-of rule on the kept-up intervals: the StandingInterval (at ``path``, e.g. ``"standing_intervals"``
    from an assignment, ``""`` on StandingInterval itself) that holds an assignment's standing on ``day``."""
    prefix = f"{path}__" if path else ""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def standing_on(assignments: QuerySet[Assignment] | Sequence[int], day: datetime.date) -> dict[int, Figures]:
    """Each assignment's standing on ``day`` (Asia/Shanghai) by the as-of rule, keyed by id; one indexed query.

    Read from the kept-up intervals (progress.standing), which tests hold equal
    to ProgressReportQuerySet.standing_as_of on every day. An assignment with
    nothing standing is absent (callers use NOT_STARTED). ``assignments`` is a
    queryset (a subquery, for any number) or a short list of ids.
    """
    ids = assignments.values("pk") if isinstance(assignments, QuerySet) else list(assignments)
    rows = StandingInterval.objects.filter(covering(day), assignment__in=ids).values_list(
        "assignment_id", "percent", "status", "closed_on", "quarter", "report_id"
    )
    return {row[0]: row[1:] for row in rows}


def with_standing(assignments: QuerySet[Assignment], day: datetime.date) -> QuerySet[Assignment]:
    """``assignments`` with their standing on ``day`` joined in (now_percent, now_status, now_closed_on,
    now_quarter, now_report_id; None when nothing stood) and the deadline of an extension approved by then
    (extended_to, progress.extensions.with_extended_deadline): saves assignment_progress two queries."""
    return with_extended_deadline(assignments, as_of=day).annotate(
        now=FilteredRelation("standing_intervals", condition=covering(day, "standing_intervals")),
        now_percent=F("now__percent"),
        now_status=F("now__status"),
        now_closed_on=F("now__closed_on"),
        now_quarter=F("now__quarter"),
        now_report_id=F("now__report_id"),
        now_day=Value(day, output_field=DateField()),
    )


def _joined_standing(assignments: Sequence[Assignment], day: datetime.date) -> dict[int, Figures] | None:
    """The standing with_standing() joined in, if it was, for ``day``; None when it has to be queried."""
    if not assignments or any(getattr(a, "now_day", None) != day for a in assignments):
        return None
    return {
        a.pk: (a.now_percent, a.now_status, a.now_closed_on, a.now_quarter, a.now_report_id)
        for a in assignments
        if a.now_percent is not None
    }


def latest_reports(
    assignments: QuerySet[Assignment] | Sequence[int], *, as_of: datetime.date | None
) -> dict[int, ProgressReport]:
    """Each assignment's latest report, keyed by assignment id; one query.

    With ``as_of``, the latest report standing on that date (the as-of rule);
    with None, the latest submission whatever its review. ``assignments`` is a
    queryset (used as a subquery, for any number) or a short list of ids.
    """
    ranked = ProgressReport.objects.latest_per_assignment(assignments, as_of=as_of).select_related("review")
    return {report.assignment_id: report for report in ranked}


def mean_percent(percents: Iterable[float]) -> float:
    """The roll-up rule (DESIGN.md): a task's percent is the mean of its assignments', a plan's of its tasks'."""
    values = list(percents)
    return sum(values) / len(values) if values else 0.0


def _attached(report: ProgressReport | None, assignment: Assignment) -> ProgressReport | None:
    """``report`` pointing at the assignment already in memory (with its task and plan), so that its
    period label and 补报 mark cost no query per report."""
    if report is not None:
        report.assignment = assignment
    return report


def assignment_progress(
    assignments: Sequence[Assignment],
    *,
    as_of: datetime.date,
    scope: QuerySet[Assignment] | None = None,
    with_last_submitted: bool = False,
    with_reports: bool = True,
    known_reports: dict[int, ProgressReport] | None = None,
) -> dict[int, Progress]:
    """Progress of each assignment on ``as_of``, keyed by assignment id, from the kept-up figures.

    ``assignments`` need ``task__section__workplan`` selected; annotated by
    progress.extensions.with_extended_deadline they carry their approved
    extensions, else those cost one more query. ``scope`` is the
    queryset they came from, used as a subquery when there are many. An
    assignment without a standing report is not started at 0 %. One query, one
    more for the report texts (``with_reports``), one more for the last
    submission (``with_last_submitted``: lists show 已退回, the form starts from it;
    none when the assignments carry their Standing row, selected with them).
    ``known_reports`` (id → report with its review) are reports the caller
    already read, such as the task page's list: only the others are queried.
    """
    source = scope if scope is not None else [a.pk for a in assignments]
    standing = _joined_standing(assignments, as_of)
    if standing is None:
        standing = standing_on(source, as_of)
    reports = {}
    if with_reports and standing:
        reports = _reports([figures[4] for figures in standing.values()], known_reports)
    extended = _extended(assignments, source, as_of)
    progress = {}
    for assignment in assignments:
        percent, status, closed_on, _period, report_id = standing.get(assignment.pk, NOT_STARTED)
        deadline = extended.get(assignment.pk, assignment.task.deadline)
        progress[assignment.pk] = Progress(
            percent=percent,
            status=CLOSED if closed_on else status,
            light=light_of(assignment.task, percent=percent, closed=bool(closed_on), on=as_of, deadline=deadline),
            report=_attached(reports.get(report_id), assignment),
            closed_on=closed_on,
            deadline=deadline,
            original_deadline=assignment.task.deadline,
        )
    return _with_last(progress, source, assignments, known_reports) if with_last_submitted else progress


def _reports(ids: Iterable[int | None], known: dict[int, ProgressReport] | None) -> dict[int, ProgressReport]:
    """The reports ``ids`` (None skipped) with their review: those in ``known`` as they are, the others queried."""
    known = known or {}
    missing = {pk for pk in ids if pk is not None and pk not in known}
    found = ProgressReport.objects.select_related("review").in_bulk(missing) if missing else {}
    return known | found


def _extended(assignments: Sequence[Assignment], source, as_of: datetime.date) -> dict[int, datetime.date]:
    """Approved extensions in force on ``as_of``: read with the assignments when with_standing joined them
    for that day, else one query."""
    if assignments and all(getattr(a, "now_day", None) == as_of for a in assignments):
        return {a.pk: a.extended_to for a in assignments if a.extended_to}
    return extended_deadlines(source, as_of=as_of)


def _with_last(progress: dict[int, Progress], source, assignments, known) -> dict[int, Progress]:
    field = Assignment._meta.get_field("standing")
    if assignments and all(field.is_cached(a) for a in assignments):  # selected with the assignments
        standing_rows = [field.get_cached_value(a) for a in assignments]  # None: nothing reported yet
        ids = {row.assignment_id: row.last_submitted_id for row in standing_rows if row is not None}
        reports = _reports(ids.values(), known)
        last = {pk: reports.get(report_id) for pk, report_id in ids.items()}
    else:
        ids = source.values("pk") if isinstance(source, QuerySet) else list(source)
        kept = Standing.objects.filter(assignment__in=ids).select_related("last_submitted__review")
        last = {row.assignment_id: row.last_submitted for row in kept}
    return {pk: replace(p, last_submitted=last.get(pk)) for pk, p in progress.items()}


def rolled_up(parts: Sequence[Progress]) -> tuple[float, str, bool]:
    """The roll-up rule (DESIGN.md, "Status and light"): (mean percent 0–100, status, closed) of a task's parts.

    Counted here (closed: at CLOSED; claimed: closed or 已完成; started: anything but 未启动), in one pass (the
    quarterly table rolls up 10,000 tasks), and decided by rolled_up_counts, which progress.aggregates calls on
    counts summed in SQL.
    """
    percent_sum = closed = claimed = started = 0
    for part in parts:
        status = part.status
        percent_sum += part.percent
        if status == CLOSED:
            closed += 1
            claimed += 1
        elif status == ProgressReport.Status.COMPLETED:
            claimed += 1
        if status != ProgressReport.Status.NOT_STARTED:
            started += 1
    return rolled_up_counts(parts=len(parts), percent_sum=percent_sum, closed=closed, claimed=claimed, started=started)


def rolled_up_counts(
    *, parts: int, percent_sum: float, closed: int, claimed: int, started: int
) -> tuple[float, str, bool]:
    """The roll-up rule on counts of a task's ``parts`` (assignments): (mean percent 0–100, status, closed).

    ``percent_sum`` is the sum of their percents, ``closed`` how many are closed (办结), ``claimed`` how many
    are completed or closed, ``started`` how many are anything but not started. Closed when all are; 已完成 when
    all claim it; 推进中 once any has started; a task without parts is not started at 0 %.
    """
    percent = percent_sum / parts if parts else 0.0
    if parts and closed == parts:
        return percent, CLOSED, True
    if parts and claimed == parts:
        return percent, ProgressReport.Status.COMPLETED, False
    if started:
        return percent, ProgressReport.Status.IN_PROGRESS, False
    return percent, ProgressReport.Status.NOT_STARTED, False


def task_deadline(published: datetime.date, parts: Sequence[Progress]) -> datetime.date:
    """A task's deadline in force: the latest of its assignments' (an extension approved for every department
    moves the task's too; one department's alone leaves the others' earlier deadline), the published one
    when no part carries one."""
    return max((p.deadline for p in parts if p.deadline), default=published)


def task_progress(
    task: Task, parts: list[Progress], *, as_of: datetime.date, thresholds: tuple[int, int] | None = None
) -> Progress:
    """A task's figures rolled up from its assignments' (rolled_up), lit on ``as_of`` against its deadline in
    force (task_deadline).

    ``thresholds`` (tolerance, due-soon days) replace the plan's: a finalised table lights by those it froze.
    """
    percent, status, closed = rolled_up(parts)
    deadline = task_deadline(task.deadline, parts)
    return Progress(
        percent=percent,
        status=status,
        light=light_of(task, percent=percent, closed=closed, on=as_of, thresholds=thresholds, deadline=deadline),
        deadline=deadline,
        original_deadline=task.deadline,
    )


@dataclass(frozen=True)
class Part:
    """One assignment's figures inside TaskFigures."""

    assignment_id: int
    department_id: int
    department_name: str  # as tables show it (Department.display_name)
    department_order: tuple  # (ordering, full name): the order departments are listed in
    progress: Progress
    period: int  # the quarter of its standing report (0: none): "has reported for the quarter"


@dataclass(frozen=True)
class TaskFigures:
    """A task's figures without model instances (dashboard, filtered lists): what aggregates read."""

    pk: int
    section_id: int
    section_ordinal: int  # 1 for 一
    section_label: str  # 一、…
    number: int
    title: str
    deadline: datetime.date
    progress: Progress  # the task's, or the filtered department's standing on it
    parts: list[Part]  # every assignment, department order


# A task as the many-row readers read it: its own fields, then its plan's thresholds (PlanLights).
TASK_FIELDS = (
    "pk",
    "section_id",
    "section__ordinal",
    "section__title",
    "number",
    "title",
    "deadline",
    "section__workplan__year",
    "section__workplan__light_tolerance",
    "section__workplan__due_soon_days",
)


def task_figures(
    tasks: QuerySet[Task],
    *,
    as_of: datetime.date,
    department: Department | int | None = None,
) -> dict[int, TaskFigures]:
    """Every task of ``tasks`` (in its order) with its figures on ``as_of``, keyed by id, and each of its
    assignments' (TaskFigures.parts: the bulletin names the overdue units). Two queries.

    Plain values in, the light rule applied through PlanLights: no model
    instance per task or assignment. The as-of standing comes from the kept-up
    intervals joined in the assignments' query. With ``department``, a task's
    own progress is that department's. For totals alone (the dashboard, the
    filtered lists) progress.aggregates sums in SQL instead.
    """
    department_id = getattr(department, "pk", department)
    task_values = list(tasks.values_list(*TASK_FIELDS))
    assignments = (
        with_extended_deadline(Assignment.objects.filter(task__in=tasks.values("pk")), as_of=as_of)
        .annotate(now=FilteredRelation("standing_intervals", condition=covering(as_of, "standing_intervals")))
        .order_by()  # each task's few parts are put in order below: no sort of every assignment
        .values_list(
            "pk",
            "task_id",
            "department_id",
            "department__short_name",
            "department__name",
            "department__ordering",
            "now__percent",
            "now__status",
            "now__closed_on",
            "now__quarter",
            "extended_to",
        )
    )
    parts: dict[int, list[tuple]] = {}
    for row in assignments:
        parts.setdefault(row[1], []).append(row)
    result = {}
    plans: dict[tuple, PlanLights] = {}
    for pk, section_id, ordinal, section_title, number, title, deadline, *plan in task_values:
        light = plans.get(tuple(plan)) or plans.setdefault(tuple(plan), PlanLights(*plan, as_of))
        mine = []
        # In department order (ordering, full name, id), as every table lists them.
        for row in sorted(parts.get(pk, ()), key=lambda row: (row[5], row[4], row[0])):
            assignment_id, _task, dept, short, name, order, percent, status, closed_on, period, extended = row
            if percent is None:  # nothing standing: not started
                percent, status, period = 0, ProgressReport.Status.NOT_STARTED, 0
            in_force = extended or deadline
            progress = Progress(
                percent,
                CLOSED if closed_on else status,
                light(deadline=in_force, percent=percent, closed=bool(closed_on)),
                closed_on=closed_on,
                deadline=in_force,
                original_deadline=deadline,
            )
            mine.append(Part(assignment_id, dept, short or name, (order, name), progress, period))
        own = [part.progress for part in mine if department_id is None or part.department_id == department_id]
        percent, status, closed = rolled_up(own)
        in_force = task_deadline(deadline, own)
        result[pk] = TaskFigures(
            pk,
            section_id,
            ordinal,
            Section.label(ordinal, section_title),
            number,
            title,
            deadline,
            Progress(
                percent,
                status,
                light(deadline=in_force, percent=percent, closed=closed),
                deadline=in_force,
                original_deadline=deadline,
            ),
            mine,
        )
    return result


def assignment_figures(assignments: QuerySet[Assignment], *, as_of: datetime.date) -> dict[int, Progress]:
    """Every assignment of ``assignments`` (in its order) with its progress on ``as_of``, keyed by id. Two queries."""
    standing = standing_on(assignments, as_of)
    fields = (
        "pk",
        "task__deadline",
        "extended_to",
        "task__section__workplan__year",
        "task__section__workplan__light_tolerance",
        "task__section__workplan__due_soon_days",
    )
    result = {}
    plans: dict[tuple, PlanLights] = {}
    for pk, published, extended, *plan in with_extended_deadline(assignments, as_of=as_of).values_list(*fields):
        percent, status, closed_on, _period, _report = standing.get(pk, NOT_STARTED)
        deadline = extended or published
        lights = plans.get(tuple(plan)) or plans.setdefault(tuple(plan), PlanLights(*plan, as_of))
        light = lights(deadline=deadline, percent=percent, closed=bool(closed_on))
        result[pk] = Progress(
            percent,
            CLOSED if closed_on else status,
            light,
            closed_on=closed_on,
            deadline=deadline,
            original_deadline=published,
        )
    return result


@dataclass
class OnTime:
    """按期完成率 (DESIGN.md, "Status and light") of a department or section on day ``on``.

    Of the assignments whose deadline in force (an approved extension counts,
    progress.extensions; Progress.deadline) has passed by ``on`` (deadline before
    ``on``), the share closed (办结) on or before that deadline. ``rate`` is
    0–1, or None ("—") while no deadline has passed: never 100 % by default.
    """

    on: datetime.date
    due: int = 0
    on_time: int = 0

    def add(self, deadline: datetime.date, closed_on: datetime.date | None, count: int = 1) -> None:
        """Counts ``count`` assignments with the deadline in force ``deadline``, closed on ``closed_on`` (None:
        not closed)."""
        self.add_many(deadline, closed_on is not None and closed_on <= deadline, count)

    def add_many(self, deadline: datetime.date, closed_by_deadline: bool, count: int = 1) -> None:
        """Counts ``count`` assignments with the deadline in force ``deadline``, closed by it or not."""
        if deadline < self.on:
            self.due += count
            self.on_time += count if closed_by_deadline else 0

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class AssignmentRow:
    assignment: Assignment
    progress: Progress


def assignment_rows(
    assignments: Iterable[Assignment], *, as_of: datetime.date, with_reports: bool = True
) -> list[AssignmentRow]:
    """Assignments (``task__section__workplan`` selected) paired with their progress on ``as_of``. Two queries;
    one without the standing reports' texts (``with_reports``, Progress.report: a list shows none)."""
    assignments = list(assignments)
    progress = assignment_progress(assignments, as_of=as_of, with_last_submitted=True, with_reports=with_reports)
    return [AssignmentRow(a, progress[a.pk]) for a in assignments]


@dataclass
class TaskRow:
    task: Task
    progress: Progress
    assignments: list[tuple[Assignment, Progress]]


def task_rows(
    tasks: QuerySet[Task] | Iterable[Task],
    *,
    as_of: datetime.date,
    with_last_submitted: bool = False,
    with_reports: bool = True,
    department: Department | None = None,
    known_reports: dict[int, ProgressReport] | None = None,
) -> list[TaskRow]:
    """Tasks (``section__workplan`` selected) with their assignments' and their own progress on ``as_of``.

    With ``department``, a row's own progress is that department's standing on
    the task (light, status, percent), not the whole task's: what a list or
    dashboard filtered to one department shows. Two queries for any number of
    tasks (the last submissions, which list pages show as 已退回, come with
    the assignments); one when every report needed is in ``known_reports``
    (id → report with its review: the task page's own list).
    """
    tasks, scope, assignments = _assignments_of(tasks, as_of, with_standing_row=with_last_submitted)
    progress = assignment_progress(
        assignments,
        as_of=as_of,
        scope=scope,
        with_last_submitted=with_last_submitted,
        with_reports=with_reports,
        known_reports=known_reports,
    )
    return _task_rows(tasks, assignments, progress, as_of=as_of, department=department)


def _assignments_of(
    tasks, as_of=None, *, with_standing_row: bool = False
) -> tuple[list[Task], QuerySet[Assignment], list[Assignment]]:
    """(tasks, their assignments as a queryset, the assignments in department order with task and department set).

    With ``as_of``, each assignment's standing on that day is joined in (with_standing);
    with ``with_standing_row``, its kept-up Standing row too (``assignment.standing``).
    """
    task_ids = tasks.values("pk") if isinstance(tasks, QuerySet) else [task.pk for task in tasks]
    tasks = list(tasks)
    by_id = {task.pk: task for task in tasks}
    scope = Assignment.objects.filter(task__in=task_ids)
    # Tasks are attached from memory rather than joined, so each is one object
    # however many assignments share it; departments are joined (one query less).
    joined = ["department", "standing"] if with_standing_row else ["department"]
    ordered = scope.select_related(*joined).order_by("department__ordering", "department__name", "pk")
    assignments = list(with_standing(ordered, as_of) if as_of else ordered)
    for assignment in assignments:
        assignment.task = by_id[assignment.task_id]
    return tasks, scope, assignments


def _task_rows(tasks, assignments, progress, *, as_of, department=None, thresholds=None) -> list[TaskRow]:
    by_task: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_task.setdefault(assignment.task_id, []).append(assignment)
    rows = []
    for task in tasks:
        parts = [(a, progress[a.pk]) for a in by_task.get(task.pk, [])]
        own = [p for a, p in parts if department is None or a.department_id == department.pk]
        rows.append(TaskRow(task, task_progress(task, own, as_of=as_of, thresholds=thresholds), parts))
    return rows


@dataclass(slots=True)
class QuarterPart:
    """One assignment's line in a quarter's table, as plain values: its figures (what Progress holds, read by
    rolled_up and task_deadline alike) and its report's texts. Not frozen: a table makes 100,000 of them."""

    assignment_id: int
    department_id: int
    department_name: str  # as tables show it (Department.display_name)
    role: str  # an Assignment.Role value
    percent: int  # 0–100
    status: str  # a ProgressReport.Status value, or CLOSED
    light: Light
    closed_on: datetime.date | None  # the day the office accepted its completion
    deadline: datetime.date  # in force on the table's day (an approved extension counts)
    original_deadline: datetime.date  # the task's published deadline
    report_id: int | None  # the report the figures come from (None: nothing for a period up to the quarter)
    late: bool  # 补报: that report was filed after its quarter ended (progress.periods.is_late)
    progress_summary: str
    problems: str
    next_steps: str

    @property
    def closed(self) -> bool:
        return self.status == CLOSED

    @property
    def progress(self) -> Progress:
        """Its figures as a Progress (its report left out: the texts above are what the table shows of it)."""
        return Progress(
            self.percent,
            self.status,
            self.light,
            closed_on=self.closed_on,
            deadline=self.deadline,
            original_deadline=self.original_deadline,
        )


@dataclass(frozen=True)
class QuarterRow:
    """One task's line in a quarter's table: the task's own figures (rolled up from all its parts) and its parts."""

    pk: int
    section_id: int
    number: int
    title: str
    deadline: datetime.date  # as published
    progress: Progress
    parts: list[QuarterPart]  # every assignment, department order (ordering, full name, id)


# What a quarter's table reads of a report: (id, status, percent, progress, problems, next steps).
_QUARTER_REPORT_FIELDS = ("id", "status", "percent_complete", "progress_summary", "problems", "next_steps")


def _late(report: str, year: int) -> Case:
    """补报 (progress.periods.is_late) of the report at path ``report`` of a plan of ``year``, as an SQL expression:
    submitted at or after its quarter's periods.late_from, so that no submission time is read into Python."""
    late = [
        Q(**{f"{report}__quarter": quarter, f"{report}__submitted_at__gte": periods.late_from(year, quarter)})
        for quarter in periods.QUARTER_NAMES
    ]
    return Case(*[When(condition, then=Value(True)) for condition in late], default=Value(False))


def quarter_task_rows(
    tasks: QuerySet[Task],
    *,
    workplan: Workplan,
    quarter: int,
    as_of: datetime.date,
    today: datetime.date,
    finalisation: QuarterFinalisation | None = None,
) -> Iterator[QuarterRow]:
    """The quarterly table's rows for ``tasks`` (of ``workplan``) and ``quarter`` (1–4), in the table's order
    (section, then number).

    Rule (DESIGN.md, "Reporting periods", "What does the table for quarter Q
    say?"): while the quarter is a draft (``finalisation`` None), each
    assignment's latest report for a period up to ``quarter``, late reports
    (补报) included, standing on ``today``; closed when that report's acceptance
    stood on ``today`` (progress.models.closes_as_of); lights on ``as_of`` (the
    quarter's end, or today while it runs) with the plan's thresholds. Once
    finalised (定稿), the frozen QuarterFinalRow figures and the thresholds
    recorded with them, whatever was filed or changed since. Deadlines in force
    are those approved by ``as_of`` (the finalisation's day once finalised).
    A task's own figures are its parts' rolled up (rolled_up, task_deadline).

    Read as plain values (the draft report is the kept-up Standing row's
    ``q{quarter}_report``), lit by tasks.lights.light_for through PlanLights: no
    model instance per task or assignment. The assignments' figures and texts
    are read in one unsorted query and held as tuples (about 6 KB a task: 60 MB
    at 10,000 tasks of 10 departments); each row's objects are made as it is
    yielded. Four queries (five finalised) for any number of tasks.
    """
    scope = Task.objects.filter(pk__in=tasks.values("pk"))
    assignments = Assignment.objects.filter(task__in=tasks.values("pk")).order_by()  # one semi-join, not two
    day = finalisation.as_of if finalisation else as_of
    # The deadline in force on the table's day: an extension approved after it (or after 定稿) changes nothing.
    extended = extended_deadlines(assignments, as_of=day)
    departments = {pk: rest for pk, *rest in Department.objects.values_list("pk", "ordering", "short_name", "name")}
    columns = ["task_id", "pk", "role", "department_id"]
    frozen: dict[int, tuple] = {}
    if finalisation is None:
        report = f"standing__q{quarter}_report"  # kept up by progress.standing: no scan of the report history
        accepted = Q(**{f"{report}__status": ProgressReport.Status.COMPLETED})
        accepted &= Q(**{f"{report}__review__decision": Review.Decision.ACCEPTED})
        columns += [f"{report}__{name}" for name in _QUARTER_REPORT_FIELDS]
        columns += [
            _late(report, workplan.year),
            f"{report}__review__decision",
            # The review's time matters only to an accepted completion claim (closes_as_of): only those are read.
            Case(When(accepted, then=F(f"{report}__review__reviewed_at"))),
        ]
        thresholds = (workplan.light_tolerance, workplan.due_soon_days)
    else:
        rows = QuarterFinalRow.objects.filter(finalisation=finalisation, assignment__in=assignments).values_list(
            "assignment_id",
            "status",
            "percent",
            "closed_on",
            "light",
            "report_id",
            "report__progress_summary",
            "report__problems",
            "report__next_steps",
            _late("report", workplan.year),
        )
        frozen = {row[0]: row[1:] for row in rows}
        thresholds = (finalisation.light_tolerance, finalisation.due_soon_days)
    # Unsorted: each task's few parts are put in department order below, not 100,000 rows with texts in SQL.
    assigned: dict[int, list[tuple]] = {}
    for row in assignments.values_list(*columns):  # (task id, assignment id, role, department id, *figures)
        assigned.setdefault(row[0], []).append(row)
    light = PlanLights(workplan.year, *thresholds, day)
    names = {pk: short_name or name for pk, (_ordering, short_name, name) in departments.items()}

    not_frozen = (None, 0, None, None, None, None, None, None, False)

    def part(row: tuple, original: datetime.date) -> QuarterPart:
        if finalisation is None:
            (
                _task,
                assignment_id,
                role,
                department_id,
                report_id,
                report_status,
                percent,
                summary,
                problems,
                next_steps,
                late,
                decision,
                reviewed_at,
            ) = row
            deadline = extended.get(assignment_id, original)
            # reviewed_at is read for accepted completion claims only: the rest cannot close.
            closed = reviewed_at is not None and closes_as_of(report_status, decision, reviewed_at, today)
            if report_id is None:
                percent, status = 0, ProgressReport.Status.NOT_STARTED
            else:
                status = CLOSED if closed else report_status
            closed_on = timezone.localdate(reviewed_at) if closed else None
            part_light = light(deadline, percent, closed)
        else:
            _task, assignment_id, role, department_id = row
            deadline = extended.get(assignment_id, original)
            status, percent, closed_on, lit_as, report_id, summary, problems, next_steps, late = frozen.get(
                assignment_id, not_frozen
            )
            if status is None:  # assigned after the quarter was finalised: not started, lit as it would have been
                status, part_light = ProgressReport.Status.NOT_STARTED, light(deadline, 0, False)
            else:
                part_light = Light(lit_as)
        return QuarterPart(
            assignment_id,
            department_id,
            names[department_id],
            role,
            percent,
            status,
            part_light,
            closed_on,
            deadline,
            original,
            report_id,
            late,
            summary or "",
            problems or "",
            next_steps or "",
        )

    def in_department_order(row: tuple) -> tuple:  # (ordering, full name, assignment id)
        ordering, _short_name, name = departments[row[3]]
        return ordering, name, row[1]

    ordered = scope.order_by("section__ordinal", "number", "pk")
    for pk, section_id, number, title, deadline in ordered.values_list(
        "pk", "section_id", "number", "title", "deadline"
    ):
        rows = assigned.pop(pk, [])
        rows.sort(key=in_department_order)  # as every table lists them
        mine = [part(row, deadline) for row in rows]
        percent, status, closed = rolled_up(mine)
        in_force = task_deadline(deadline, mine)
        progress = Progress(
            percent, status, light(in_force, percent, closed), deadline=in_force, original_deadline=deadline
        )
        yield QuarterRow(pk, section_id, number, title, deadline, progress, mine)


def open_finalisations(workplan: Workplan) -> dict[int, QuarterFinalisation]:
    """The plan's finalised (定稿, not reopened) quarters: quarter (1–4) → its QuarterFinalisation."""
    return {f.quarter: f for f in QuarterFinalisation.objects.filter(workplan=workplan, reopened_at__isnull=True)}


@dataclass
class QuarterState:
    """One quarter of a plan on the export page: its label, the open finalisation (None: draft) and its log."""

    quarter: int
    label: str  # 2021年第一季度
    final: QuarterFinalisation | None
    log: list[QuarterFinalisation]  # every finalisation of the quarter, newest first, reopened ones included


def quarter_states(workplan: Workplan) -> list[QuarterState]:
    """The plan's four quarters with their 定稿 state and history. One query."""
    log: dict[int, list[QuarterFinalisation]] = {}
    finalisations = QuarterFinalisation.objects.filter(workplan=workplan).select_related("reopened_by")
    for finalisation in finalisations.order_by("-finalised_at", "-pk"):
        log.setdefault(finalisation.quarter, []).append(finalisation)
    return [
        QuarterState(
            quarter,
            period_label(workplan.year, quarter),
            next((f for f in log.get(quarter, []) if f.reopened_at is None), None),
            log.get(quarter, []),
        )
        for quarter in range(1, 5)
    ]


def review_queue_reports() -> QuerySet[ProgressReport]:
    """待审核: each assignment's newest undecided report for each quarter, oldest first, with its evidence.

    Older undecided reports of the same assignment and quarter are superseded by it:
    ``older_pending`` counts them (the task page lists them all). A report for another quarter is not
    superseded: that quarter's table reads it (DESIGN.md, "Reporting periods"), so the office can decide it.
    """
    newest = (
        ProgressReport.objects.filter(assignment=OuterRef("assignment"), quarter=OuterRef("quarter"))
        .newest_first()
        .values("pk")[:1]
    )
    older = (
        ProgressReport.objects.awaiting_review()
        .filter(
            assignment=OuterRef("assignment"), quarter=OuterRef("quarter"), submitted_at__lt=OuterRef("submitted_at")
        )
        .order_by()
        .values("assignment")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        ProgressReport.objects.awaiting_review()
        .annotate(newest_id=Subquery(newest), older_pending=Coalesce(Subquery(older), 0))
        .filter(pk=F("newest_id"))
        .select_related("assignment__task__section__workplan", "assignment__department", "submitted_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        .order_by("submitted_at", "pk")
    )


def reports_of_task(task: Task) -> QuerySet[ProgressReport]:
    """Every report on the task's assignments, newest first, with department, author, review and evidence."""
    return (
        ProgressReport.objects.filter(assignment__task=task)
        .select_related(
            "assignment__department", "assignment__task__section__workplan", "submitted_by", "review__reviewed_by"
        )
        .prefetch_related("evidence")
        .newest_first()
    )


def extension_requests_of_task(task: Task) -> QuerySet[ExtensionRequest]:
    """Every extension request on the task's assignments, newest first, with department and the people involved."""
    return (
        ExtensionRequest.objects.filter(assignment__task=task)
        .select_related("assignment__department", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def pending_extension_requests() -> QuerySet[ExtensionRequest]:
    """延期申请 awaiting the office, oldest first, with what the queue shows."""
    return (
        ExtensionRequest.objects.filter(status=ExtensionRequest.Status.PENDING)
        .select_related("assignment__task__section__workplan", "assignment__department", "requested_by")
        .order_by("requested_at", "pk")
    )
