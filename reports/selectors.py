"""Reads: where assignments and tasks stand on a given day.

Every figure here is computed as of a calendar date (Asia/Shanghai) from the
reports that stood on that date (ProgressReportQuerySet.standing_as_of) and the
light rule (tasks.lights.light_for).
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from tasks.lights import Light, light_for
from tasks.models import Assignment, Task

from .models import ProgressReport

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
    last_submitted: ProgressReport | None = None  # the latest submission, returned or not (assignments only)

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


def with_report_ids(assignments: QuerySet[Assignment], *, as_of: datetime.date) -> QuerySet[Assignment]:
    """Annotate each assignment with ``standing_report_id`` (as of ``as_of``) and ``last_submitted_id``."""
    reports = ProgressReport.objects.filter(assignment=OuterRef("pk")).newest_first()
    return assignments.annotate(
        standing_report_id=Subquery(reports.standing_as_of(as_of).values("pk")[:1]),
        last_submitted_id=Subquery(reports.values("pk")[:1]),
    )


def assignment_progress(assignments: Iterable[Assignment], *, as_of: datetime.date) -> dict[int, Progress]:
    """Progress of each assignment on ``as_of``, keyed by assignment id. One query.

    ``assignments`` must come from :func:`with_report_ids` (same ``as_of``) with
    ``task__section__workplan`` selected. An assignment without a standing
    report is not started at 0 %.
    """
    assignments = list(assignments)
    wanted = {a.standing_report_id for a in assignments} | {a.last_submitted_id for a in assignments}
    reports = ProgressReport.objects.select_related("review", "submitted_by").in_bulk(wanted - {None})
    result = {}
    for assignment in assignments:
        report = reports.get(assignment.standing_report_id)
        task = assignment.task
        closed = report is not None and report.closes_assignment_as_of(as_of)
        percent = report.percent_complete if report else 0
        result[assignment.pk] = Progress(
            percent=percent,
            status=CLOSED if closed else (report.status if report else ProgressReport.Status.NOT_STARTED),
            light=light_for(
                deadline=task.deadline, percent=percent, closed=closed, start=task.section.workplan.start_date, on=as_of
            ),
            report=report,
            last_submitted=reports.get(assignment.last_submitted_id),
        )
    return result


def task_progress(task: Task, parts: list[Progress], *, as_of: datetime.date) -> Progress:
    """A task's figures rolled up from its assignments' (DESIGN.md): mean percent, closed when all are closed."""
    percent = sum(p.percent for p in parts) / len(parts) if parts else 0.0
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
        deadline=task.deadline, percent=percent, closed=closed, start=task.section.workplan.start_date, on=as_of
    )
    return Progress(percent=percent, status=status, light=light)


def on_time_rate(lights: Counter) -> float | None:
    """按时率: the share (0–1) of counted assignments not overdue on the as-of date; None when there are none."""
    count = sum(lights.values())
    return (count - lights[Light.OVERDUE]) / count if count else None


@dataclass
class AssignmentRow:
    assignment: Assignment
    progress: Progress


def assignment_rows(assignments: Iterable[Assignment], *, as_of: datetime.date) -> list[AssignmentRow]:
    """Assignments (from :func:`with_report_ids`) paired with their progress on ``as_of``. One query."""
    assignments = list(assignments)
    progress = assignment_progress(assignments, as_of=as_of)
    return [AssignmentRow(a, progress[a.pk]) for a in assignments]


@dataclass
class TaskRow:
    task: Task
    progress: Progress
    assignments: list[tuple[Assignment, Progress]]


def task_rows(tasks: Iterable[Task], *, as_of: datetime.date) -> list[TaskRow]:
    """Tasks with their assignments' and their own progress on ``as_of``. Two queries for any number of tasks."""
    task_ids = tasks.values("pk") if isinstance(tasks, QuerySet) else [task.pk for task in tasks]
    tasks = list(tasks)
    assignments = with_report_ids(
        Assignment.objects.filter(task__in=task_ids).select_related("department", "task__section__workplan"),
        as_of=as_of,
    )
    by_task: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_task.setdefault(assignment.task_id, []).append(assignment)
    progress = assignment_progress([a for group in by_task.values() for a in group], as_of=as_of)
    rows = []
    for task in tasks:
        parts = [(a, progress[a.pk]) for a in by_task.get(task.pk, [])]
        rows.append(TaskRow(task, task_progress(task, [p for _, p in parts], as_of=as_of), parts))
    return rows
