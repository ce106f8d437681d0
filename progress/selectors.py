"""Reads: where assignments and tasks stand on a given day.

Every figure here is computed as of a calendar date (Asia/Shanghai) from the
reports that stood on that date (ProgressReportQuerySet.standing_as_of) and the
light rule (tasks.lights.light_for). The latest report of each assignment is
picked in the database with a window function, so the cost is one query for
any number of assignments.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks.lights import Light, light_for
from tasks.models import Assignment, Task, Workplan

from .models import Evidence, ProgressReport, QuarterFinalisation, QuarterFinalRow, closes_as_of
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


def light_of(
    task: Task, *, percent: float, closed: bool, on: datetime.date, thresholds: tuple[int, int] | None = None
) -> Light:
    """``task``'s (``section__workplan`` selected) light by tasks.lights.light_for with its plan's thresholds.

    ``thresholds`` is (tolerance in points, due-soon days) when other than the plan's current ones.
    """
    plan = task.section.workplan
    tolerance, due_soon_days = thresholds or (plan.light_tolerance, plan.due_soon_days)
    return light_for(
        deadline=task.deadline,
        percent=percent,
        closed=closed,
        start=plan.start_date,
        on=on,
        tolerance=tolerance,
        due_soon_days=due_soon_days,
    )


def closed_day(status: str, decision: str | None, reviewed_at: datetime.datetime | None, day: datetime.date):
    """The day (Asia/Shanghai) an assignment was closed if its standing report closes it on ``day``, else None."""
    return timezone.localdate(reviewed_at) if closes_as_of(status, decision, reviewed_at, day) else None


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


def assignment_progress(
    assignments: Sequence[Assignment],
    *,
    as_of: datetime.date,
    scope: QuerySet[Assignment] | None = None,
    with_last_submitted: bool = False,
    with_reports: bool = True,
) -> dict[int, Progress]:
    """Progress of each assignment on ``as_of``, keyed by assignment id. One query (two with the last submission).

    ``assignments`` need ``task__section__workplan`` selected; ``scope`` is the
    queryset they came from, used as a subquery when there are many. An
    assignment without a standing report is not started at 0 %. With
    ``with_reports=False`` only the figures are read (Progress.report is None).
    """
    source = scope if scope is not None else [a.pk for a in assignments]
    reports = ProgressReport.objects.latest_per_assignment(source, as_of=as_of)
    progress = _progress_from(assignments, reports, on=as_of, closed_as_of=as_of, with_reports=with_reports)
    return _with_last(progress, source) if with_last_submitted else progress


def _with_last(progress: dict[int, Progress], source) -> dict[int, Progress]:
    last = latest_reports(source, as_of=None)
    return {pk: replace(p, last_submitted=last.get(pk)) for pk, p in progress.items()}


def _progress_from(
    assignments: Sequence[Assignment],
    reports: QuerySet[ProgressReport],
    *,
    on: datetime.date,
    closed_as_of: datetime.date,
    with_reports: bool,
) -> dict[int, Progress]:
    """Each assignment's Progress from its picked report (not started at 0 % without one), lit on ``on``."""
    if with_reports:
        standing = {}
        for r in reports.select_related("review"):
            review = getattr(r, "review", None)
            standing[r.assignment_id] = (
                r.percent_complete,
                r.status,
                review and review.decision,
                review and review.reviewed_at,
                r,
            )
    else:  # figures only: no report objects, which is what costs at province scale
        fields = ("assignment_id", "percent_complete", "status", "review__decision", "review__reviewed_at")
        standing = {row[0]: (*row[1:], None) for row in reports.values_list(*fields)}
    result = {}
    for assignment in assignments:
        percent, status, decision, reviewed_at, report = standing.get(
            assignment.pk, (0, ProgressReport.Status.NOT_STARTED, None, None, None)
        )
        closed_on = closed_day(status, decision, reviewed_at, closed_as_of)
        result[assignment.pk] = Progress(
            percent=percent,
            status=CLOSED if closed_on else status,
            light=light_of(assignment.task, percent=percent, closed=bool(closed_on), on=on),
            report=report,
            closed_on=closed_on,
        )
    return result


def task_progress(
    task: Task, parts: list[Progress], *, as_of: datetime.date, thresholds: tuple[int, int] | None = None
) -> Progress:
    """A task's figures rolled up from its assignments' (DESIGN.md): mean percent, closed when all are closed.

    ``thresholds`` (tolerance, due-soon days) replace the plan's: a finalised table lights by those it froze.
    """
    percent = mean_percent(p.percent for p in parts)
    closed = bool(parts) and all(p.closed for p in parts)
    if closed:
        status = CLOSED
    elif parts and all(p.status in (ProgressReport.Status.COMPLETED, CLOSED) for p in parts):
        status = ProgressReport.Status.COMPLETED
    elif any(p.status != ProgressReport.Status.NOT_STARTED for p in parts):
        status = ProgressReport.Status.IN_PROGRESS
    else:
        status = ProgressReport.Status.NOT_STARTED
    return Progress(
        percent=percent,
        status=status,
        light=light_of(task, percent=percent, closed=closed, on=as_of, thresholds=thresholds),
    )


@dataclass
class OnTime:
    """按期完成率 (DESIGN.md, "Status and light") of a department or section on day ``on``.

    Of the assignments whose deadline has passed by ``on`` (deadline before
    ``on``), the share closed (办结) on or before their deadline. ``rate`` is
    0–1, or None ("—") while no deadline has passed: never 100 % by default.
    """

    on: datetime.date
    due: int = 0
    on_time: int = 0

    def add(self, deadline: datetime.date, closed_on: datetime.date | None) -> None:
        if deadline < self.on:
            self.due += 1
            self.on_time += closed_on is not None and closed_on <= deadline

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class AssignmentRow:
    assignment: Assignment
    progress: Progress


def assignment_rows(assignments: Iterable[Assignment], *, as_of: datetime.date) -> list[AssignmentRow]:
    """Assignments (``task__section__workplan`` selected) paired with their progress on ``as_of``. Two queries."""
    assignments = list(assignments)
    progress = assignment_progress(assignments, as_of=as_of, with_last_submitted=True)
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
) -> list[TaskRow]:
    """Tasks (``section__workplan`` selected) with their assignments' and their own progress on ``as_of``.

    With ``department``, a row's own progress is that department's standing on
    the task (light, status, percent), not the whole task's: what a list or
    dashboard filtered to one department shows. Two queries for any number of
    tasks (three with the last submissions, which list pages show as 已退回).
    """
    tasks, scope, assignments = _assignments_of(tasks)
    progress = assignment_progress(
        assignments, as_of=as_of, scope=scope, with_last_submitted=with_last_submitted, with_reports=with_reports
    )
    return _task_rows(tasks, assignments, progress, as_of=as_of, department=department)


def _assignments_of(tasks) -> tuple[list[Task], QuerySet[Assignment], list[Assignment]]:
    """(tasks, their assignments as a queryset, the assignments in department order with task and department set)."""
    task_ids = tasks.values("pk") if isinstance(tasks, QuerySet) else [task.pk for task in tasks]
    tasks = list(tasks)
    by_id = {task.pk: task for task in tasks}
    scope = Assignment.objects.filter(task__in=task_ids)
    # Tasks and departments are attached from memory rather than joined, so each
    # is one object however many assignments share it.
    departments = Department.objects.in_bulk()
    assignments = list(scope.order_by("department__ordering", "department__name", "pk"))
    for assignment in assignments:
        assignment.task = by_id[assignment.task_id]
        assignment.department = departments[assignment.department_id]
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


def quarter_task_rows(
    tasks: Sequence[Task],
    *,
    quarter: int,
    as_of: datetime.date,
    today: datetime.date,
    finalisation: QuarterFinalisation | None = None,
) -> list[TaskRow]:
    """The quarterly table's rows for ``tasks`` (``section__workplan`` selected, one plan) and ``quarter`` (1–4).

    Rule (DESIGN.md, "Reporting periods", "What does the table for quarter Q
    say?"): while the quarter is a draft (``finalisation`` None), each
    assignment's latest report for a period up to ``quarter``, late reports
    (补报) included, standing on ``today``; closed when that report's acceptance
    stood on ``today``; lights on ``as_of`` (the quarter's end, or today while it
    runs). Once finalised (定稿), the frozen QuarterFinalRow figures and the
    thresholds recorded with them, whatever was filed or changed since.
    Two queries (three finalised) for any number of tasks.
    """
    tasks, scope, assignments = _assignments_of(tasks)
    if finalisation is None:
        reports = ProgressReport.objects.filter(quarter__lte=quarter).latest_per_assignment(scope, as_of=today)
        progress = _progress_from(assignments, reports, on=as_of, closed_as_of=today, with_reports=True)
        return _task_rows(tasks, assignments, progress, as_of=as_of)
    frozen = {
        row.assignment_id: row
        for row in QuarterFinalRow.objects.filter(finalisation=finalisation, assignment__in=scope).select_related(
            "report"
        )
    }
    thresholds = (finalisation.light_tolerance, finalisation.due_soon_days)
    progress = {}
    for assignment in assignments:
        row = frozen.get(assignment.pk)
        progress[assignment.pk] = (
            Progress(row.percent, row.status, Light(row.light), report=row.report, closed_on=row.closed_on)
            if row
            else Progress(
                0,
                ProgressReport.Status.NOT_STARTED,
                light_of(assignment.task, percent=0, closed=False, on=finalisation.as_of, thresholds=thresholds),
            )
        )
    return _task_rows(tasks, assignments, progress, as_of=finalisation.as_of, thresholds=thresholds)


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


def quarter_percents(
    rows: Sequence[TaskRow],
    scope: QuerySet[Assignment],
    *,
    quarters: Sequence[int],
    today: datetime.date,
    finalised: dict[int, QuarterFinalisation],
) -> list[float]:
    """The percent (0–100) of the tasks in ``rows`` in each quarter's table (quarter_task_rows' rule).

    One query for all draft quarters, one per finalised quarter.

    ``scope`` is the queryset of the rows' assignments, used as a subquery;
    ``finalised`` is open_finalisations() of their plan.
    """
    task_of = {assignment.pk: row.task.pk for row in rows for assignment, _ in row.assignments}
    drafts = [q for q in quarters if q not in finalised]
    draft_percents: dict[int, dict[int, int]] = {q: {} for q in drafts}
    if drafts:  # one pass over the standing reports serves every draft quarter
        standing = (
            ProgressReport.objects.standing_as_of(today)
            .filter(assignment__in=scope, quarter__lte=max(drafts))
            .order_by("submitted_at", "pk")
            .values_list("assignment_id", "quarter", "percent_complete")
        )
        for assignment_id, period, percent in standing:
            for quarter in drafts:
                if period <= quarter:
                    draft_percents[quarter][assignment_id] = percent  # later submissions overwrite earlier
    result = []
    for quarter in quarters:
        if quarter in finalised:
            frozen = QuarterFinalRow.objects.filter(finalisation=finalised[quarter], assignment__in=scope)
            standing = dict(frozen.values_list("assignment_id", "percent"))
        else:
            standing = draft_percents[quarter]
        percents: dict[int, list[float]] = {row.task.pk: [] for row in rows}
        for assignment_id, task_id in task_of.items():
            percents[task_id].append(standing.get(assignment_id, 0))
        result.append(mean_percent(mean_percent(values) for values in percents.values()))
    return result


def review_queue_reports() -> QuerySet[ProgressReport]:
    """待审核: each assignment's newest undecided report, oldest first, with its evidence.

    Older undecided reports of the same assignment are superseded by it:
    ``older_pending`` counts them (the task page lists them all).
    """
    newest = ProgressReport.objects.filter(assignment=OuterRef("assignment")).newest_first().values("pk")[:1]
    older = (
        ProgressReport.objects.awaiting_review()
        .filter(assignment=OuterRef("assignment"), submitted_at__lt=OuterRef("submitted_at"))
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
