"""Reads: where assignments and tasks stand on a given day.

Every figure here is computed as of a calendar date (Asia/Shanghai) from the
reports that stood on that date (ProgressReportQuerySet.standing_as_of) and the
light rule (tasks.lights.light_for). The latest report of each assignment is
picked in the database with a window function, so the cost is one query for
any number of assignments.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks.lights import Light, light_for
from tasks.models import Assignment, Task

from .extensions import deadline_label, extended_deadlines, with_extended_deadline
from .models import Evidence, ExtensionRequest, ProgressReport, Review, closes_as_of, end_of_day

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

    ``assignments`` need ``task__section__workplan`` selected; annotated by
    progress.extensions.with_extended_deadline they carry their approved
    extensions, else those cost one more query. ``scope`` is the
    queryset they came from, used as a subquery when there are many. An
    assignment without a standing report is not started at 0 %. With
    ``with_reports=False`` only the figures are read (Progress.report is None).
    """
    source = scope if scope is not None else [a.pk for a in assignments]
    if with_reports:
        standing = {
            pk: (r.percent_complete, r.status, r.closes_assignment_as_of(as_of), r)
            for pk, r in latest_reports(source, as_of=as_of).items()
        }
    else:  # figures only: no report objects, which is what costs at province scale
        fields = ("assignment_id", "percent_complete", "status", "review__decision", "review__reviewed_at")
        standing = {
            pk: (percent, status, closes_as_of(status, decision, reviewed_at, as_of), None)
            for pk, percent, status, decision, reviewed_at in ProgressReport.objects.latest_per_assignment(
                source, as_of=as_of
            ).values_list(*fields)
        }
    last = latest_reports(source, as_of=None) if with_last_submitted else {}
    if all(hasattr(a, "extended_to") for a in assignments):  # read with them (with_extended_deadline)
        extended = {a.pk: a.extended_to for a in assignments if a.extended_to}
    else:
        extended = extended_deadlines(source, as_of=as_of)
    result = {}
    for assignment in assignments:
        percent, status, closed, report = standing.get(
            assignment.pk, (0, ProgressReport.Status.NOT_STARTED, False, None)
        )
        task = assignment.task
        deadline = extended.get(assignment.pk, task.deadline)
        result[assignment.pk] = Progress(
            percent=percent,
            status=CLOSED if closed else status,
            light=light_for(
                deadline=deadline, percent=percent, closed=closed, start=task.section.workplan.start_date, on=as_of
            ),
            report=report,
            last_submitted=last.get(assignment.pk),
            deadline=deadline,
            original_deadline=task.deadline,
        )
    return result


def task_progress(task: Task, parts: list[Progress], *, as_of: datetime.date) -> Progress:
    """A task's figures rolled up from its assignments' (DESIGN.md): mean percent, closed when all are closed.

    Its deadline is the latest of its assignments' deadlines in force (an extension
    approved for every department moves the task's too); the published one otherwise.
    """
    percent = mean_percent(p.percent for p in parts)
    deadline = max((p.deadline for p in parts if p.deadline), default=task.deadline)
    closed = bool(parts) and all(p.closed for p in parts)
    if closed:
        status = CLOSED
    elif parts and all(p.status in (ProgressReport.Status.COMPLETED, CLOSED) for p in parts):
        status = ProgressReport.Status.COMPLETED
    elif any(p.status != ProgressReport.Status.NOT_STARTED for p in parts):
        status = ProgressReport.Status.IN_PROGRESS
    else:
        status = ProgressReport.Status.NOT_STARTED
    light = light_for(
        deadline=deadline, percent=percent, closed=closed, start=task.section.workplan.start_date, on=as_of
    )
    return Progress(percent=percent, status=status, light=light, deadline=deadline, original_deadline=task.deadline)


def closed_on_time(
    assignments: QuerySet[Assignment], *, as_of: datetime.date, deadlines: dict[int, datetime.date] | None = None
) -> dict[int, bool]:
    """按期完成率's parts (DESIGN.md, "Status and light"): for each of ``assignments`` whose deadline in force
    (progress.extensions) has passed by ``as_of`` (deadline before that calendar date, Asia/Shanghai), whether
    it was closed (办结: an accepted 已完成 report) on or before that deadline. Assignments not yet due are left
    out.

    ``deadlines`` (assignment id → deadline in force on ``as_of``, as Progress.deadline gives it) saves
    reading them again: then one query, else three.
    """
    if deadlines is None:
        extended = extended_deadlines(assignments, as_of=as_of)
        pairs = assignments.values_list("pk", "task__deadline")
        deadlines = {pk: extended.get(pk, deadline) for pk, deadline in pairs}
    due = {pk: deadline for pk, deadline in deadlines.items() if deadline < as_of}
    closed_on: dict[int, datetime.date] = {}
    closings = ProgressReport.objects.filter(
        # An extension only moves a deadline later: whatever is due now was due by its task's deadline too.
        assignment__in=assignments.filter(task__deadline__lt=as_of).values("pk"),
        status=ProgressReport.Status.COMPLETED,
        review__decision=Review.Decision.ACCEPTED,
        review__reviewed_at__lt=end_of_day(as_of),
    ).values_list("assignment_id", "review__reviewed_at")
    for assignment_id, reviewed_at in closings:
        day = timezone.localtime(reviewed_at).date()
        closed_on[assignment_id] = min(closed_on.get(assignment_id, day), day)
    return {pk: pk in closed_on and closed_on[pk] <= deadline for pk, deadline in due.items()}


def on_time_completion_rate(due: int, on_time: int) -> float | None:
    """按期完成率 (0–1): of ``due`` assignments past their deadline, the share ``on_time`` closed by it; None ("—")
    when none is due yet, never 100 % (DESIGN.md)."""
    return on_time / due if due else None


def on_time_rate(lights: Counter) -> float | None:
    """按时率: the share (0–1) of counted assignments not overdue on the as-of date; None when there are none."""
    count = sum(lights.values())
    return (count - lights[Light.OVERDUE]) / count if count else None


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
) -> list[TaskRow]:
    """Tasks (``section__workplan`` selected) with their assignments' and their own progress on ``as_of``.

    Two queries for any number of tasks (three with the last submissions, which
    list pages show as 已退回).
    """
    task_ids = tasks.values("pk") if isinstance(tasks, QuerySet) else [task.pk for task in tasks]
    tasks = list(tasks)
    by_id = {task.pk: task for task in tasks}
    scope = Assignment.objects.filter(task__in=task_ids)
    # Tasks and departments are attached from memory rather than joined, so each
    # is one object however many assignments share it.
    departments = Department.objects.in_bulk()
    ordered = scope.order_by("department__ordering", "department__name", "pk")
    assignments = list(with_extended_deadline(ordered, as_of=as_of))
    for assignment in assignments:
        assignment.task = by_id[assignment.task_id]
        assignment.department = departments[assignment.department_id]
    progress = assignment_progress(
        assignments, as_of=as_of, scope=scope, with_last_submitted=with_last_submitted, with_reports=with_reports
    )
    by_task: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_task.setdefault(assignment.task_id, []).append(assignment)
    rows = []
    for task in tasks:
        parts = [(a, progress[a.pk]) for a in by_task.get(task.pk, [])]
        rows.append(TaskRow(task, task_progress(task, [p for _, p in parts], as_of=as_of), parts))
    return rows


def plan_percents(
    rows: Sequence[TaskRow], scope: QuerySet[Assignment], *, dates: Sequence[datetime.date]
) -> list[float]:
    """The percent (0–100) of the tasks in ``rows`` on each of ``dates``, by the roll-up rule. One query per date.

    ``scope`` is the queryset of the rows' assignments, used as a subquery.
    """
    task_of = {assignment.pk: row.task.pk for row in rows for assignment, _ in row.assignments}
    result = []
    for day in dates:
        standing = dict(
            ProgressReport.objects.latest_per_assignment(scope, as_of=day).values_list(
                "assignment_id", "percent_complete"
            )
        )
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
