"""Kept-up figures (the read model; DESIGN.md, "Reporting periods", last paragraph).

Screens must not scan the report history, so every write that changes where an
assignment stands (a report, a review, an admin change) rewrites that
assignment's kept-up rows in the same transaction (signal receivers below):

- Standing: one row per assignment with a report: its current standing report,
  status, percent, when it was closed, its last submission and whether that was
  returned, and for each quarter Q the report the draft table for Q shows;
- StandingInterval: the as-of rule unrolled over time: for each stretch of days
  (valid_from, valid_to) the report that stood and whether it closed the
  assignment, so "as of day D" is one indexed range lookup for any D;
- TaskInterval and TaskDrafts: the same summed over each task's assignments
  (percents, closed, claimed, started; each quarter's draft percents), so the
  whole-plan figures read one row per task instead of one per assignment.

The assignment's rows are computed by one pure function (standing_of) from its
reports, the task's by another (task_rows_of) from its assignments' rows, so a
rebuild (manage.py rebuild_standing) and the kept-up rows agree by
construction; tests check them against ProgressReportQuerySet.standing_as_of,
the as-of rule's statement in the query language, and against the sums over
the assignments.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from tasks.models import Assignment, Task

from .models import ProgressReport, Review, Standing, StandingInterval, TaskDrafts, TaskInterval, closes_as_of

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Facts:
    """What the as-of rule reads of one report: its own fields and its review's (decision None: not reviewed)."""

    pk: int
    quarter: int
    submitted_at: datetime.datetime  # aware
    status: str
    percent: int
    decision: str | None
    reviewed_at: datetime.datetime | None  # aware

    @property
    def submitted_on(self) -> datetime.date:
        return timezone.localdate(self.submitted_at)

    def returned_by(self, day: datetime.date) -> bool:
        return self.decision == Review.Decision.RETURNED and timezone.localdate(self.reviewed_at) <= day


FIELDS = (
    "assignment_id",
    "pk",
    "quarter",
    "submitted_at",
    "status",
    "percent_complete",
    "review__decision",
    "review__reviewed_at",
)


def _standing_report(reports: Sequence[Facts], day: datetime.date) -> Facts | None:
    """The as-of rule on plain facts: the latest report submitted on or before ``day`` and not returned by then.

    ``reports`` are ordered oldest first (submitted_at, pk), as the rule's "latest" means.
    """
    for report in reversed(reports):
        if report.submitted_on <= day and not report.returned_by(day):
            return report
    return None


def standing_of(assignment_id: int, reports: Sequence[Facts]) -> tuple[Standing | None, list[StandingInterval]]:
    """The kept-up rows of one assignment from its reports (oldest first); (None, []) without reports.

    The standing can only change on a day something happened (a submission or a
    review), so the rule is evaluated on those days and equal neighbours merged.
    """
    if not reports:
        return None, []
    days = sorted(
        {r.submitted_on for r in reports} | {timezone.localdate(r.reviewed_at) for r in reports if r.decision}
    )
    intervals: list[StandingInterval] = []
    previous = None
    for day in days:
        report = _standing_report(reports, day)
        closed = bool(report) and closes_as_of(report.status, report.decision, report.reviewed_at, day)
        state = (report.pk, closed) if report else None
        if state == previous:
            continue
        if intervals and intervals[-1].valid_to is None:
            intervals[-1].valid_to = day
        if report:
            intervals.append(
                StandingInterval(
                    assignment_id=assignment_id,
                    report_id=report.pk,
                    valid_from=day,
                    valid_to=None,
                    quarter=report.quarter,
                    status=report.status,
                    percent=report.percent,
                    closed=closed,
                    closed_on=timezone.localdate(report.reviewed_at) if closed else None,
                )
            )
        previous = state
    return _current(assignment_id, reports), intervals


def _current(assignment_id: int, reports: Sequence[Facts]) -> Standing:
    """Where the assignment stands with everything written so far, and what each quarter's draft table shows."""
    standing = [r for r in reports if r.decision != Review.Decision.RETURNED]
    now = standing[-1] if standing else None
    last = reports[-1]
    closed = now is not None and now.status == ProgressReport.Status.COMPLETED and now.decision == "accepted"
    row = Standing(
        assignment_id=assignment_id,
        report_id=now.pk if now else None,
        status=now.status if now else ProgressReport.Status.NOT_STARTED,
        percent=now.percent if now else 0,
        closed_at=now.reviewed_at if closed else None,
        last_submitted_id=last.pk,
        last_submitted_at=last.submitted_at,
        last_returned=last.decision == Review.Decision.RETURNED,
    )
    for quarter in QUARTERS:
        upto = [r for r in standing if r.quarter <= quarter]
        setattr(row, f"q{quarter}_report_id", upto[-1].pk if upto else None)
        setattr(row, f"q{quarter}_percent", upto[-1].percent if upto else None)
    return row


# What a task's rows read of one StandingInterval: (valid_from, valid_to or None, percent, status, closed_on).
IntervalFacts = tuple[datetime.date, datetime.date | None, int, str, datetime.date | None]
INTERVAL_FIELDS = ("valid_from", "valid_to", "percent", "status", "closed_on")
DRAFT_FIELDS = tuple(f"q{quarter}_percent" for quarter in QUARTERS)
TASK_INTERVAL_FIELDS = ("valid_from", "valid_to", "percent_sum", "closed", "claimed", "started")


def counted(percent: int | None, status: str | None, closed_on: datetime.date | None) -> tuple[int, int, int, int]:
    """How one assignment's standing on a day counts in its task's sums: (percent 0–100, closed, claimed,
    started), each of the last three 0 or 1. Closed when it has a closing day, claimed when closed or at 已完成,
    started at anything but 未启动; nothing standing (all None) counts 0 everywhere. The rule rolled_up_counts
    reads its counts by."""
    closed = closed_on is not None
    return (
        percent or 0,
        int(closed),
        int(closed or status == ProgressReport.Status.COMPLETED),
        int(status is not None and status != ProgressReport.Status.NOT_STARTED),
    )


def task_rows_of(
    task_id: int, intervals: Iterable[IntervalFacts], drafts: Iterable[Sequence[int | None]]
) -> tuple[TaskDrafts | None, list[TaskInterval]]:
    """The kept-up rows of one task from its assignments' StandingIntervals (``intervals``, any order) and their
    Standing rows' quarter percents (``drafts``: (q1, q2, q3, q4) each, None counting 0).

    On each day the sums are over the intervals covering it, each counted by counted(): a sweep over the
    days an interval starts or stops, adding what starts and taking away what stops. Stretches where every
    sum is 0 get no row (no row reads as 0); equal neighbours are merged. (None, []) for a task nothing
    was reported on.
    """
    changes: dict[datetime.date, list[int]] = {}  # day → what starts counting that day, less what stops
    for valid_from, valid_to, *standing in intervals:
        values = counted(*standing)
        for day, sign in ((valid_from, 1), (valid_to, -1)):
            if day is not None:
                change = changes.setdefault(day, [0, 0, 0, 0])
                for n, value in enumerate(values):
                    change[n] += sign * value
    rows: list[TaskInterval] = []
    state = previous = (0, 0, 0, 0)
    for day in sorted(changes):
        state = tuple(total + change for total, change in zip(state, changes[day], strict=True))
        if state == previous:
            continue
        if rows and rows[-1].valid_to is None:
            rows[-1].valid_to = day
        if any(state):
            percent_sum, closed, claimed, started = state
            rows.append(
                TaskInterval(
                    task_id=task_id,
                    valid_from=day,
                    valid_to=None,
                    percent_sum=percent_sum,
                    closed=closed,
                    claimed=claimed,
                    started=started,
                )
            )
        previous = state
    drafts = list(drafts)
    if not drafts:
        return None, rows
    totals = [sum(row[q] or 0 for row in drafts) for q in range(len(QUARTERS))]
    return TaskDrafts(task_id=task_id, **{f"q{q}_percent_sum": t for q, t in zip(QUARTERS, totals, strict=True)}), rows


def task_refresh(task_id: int) -> None:
    """Rewrite one task's kept-up rows (TaskInterval, TaskDrafts) from its assignments' kept-up rows, inside the
    caller's transaction (standing_refresh's, after it rewrote an assignment's).

    The task row is locked first: two writers on two of its assignments apply
    one after the other, so the second sums the first's committed rows.
    """
    Task.objects.select_for_update().filter(pk=task_id).values_list("pk").first()
    intervals = StandingInterval.objects.filter(assignment__task_id=task_id).values_list(*INTERVAL_FIELDS)
    drafts = Standing.objects.filter(assignment__task_id=task_id).values_list(*DRAFT_FIELDS)
    totals, rows = task_rows_of(task_id, intervals, drafts)
    # Only what changed is written: a report usually moves the last stretch alone.
    wanted = {tuple(getattr(row, name) for name in TASK_INTERVAL_FIELDS): row for row in rows}
    kept = TaskInterval.objects.filter(task_id=task_id).values_list("pk", *TASK_INTERVAL_FIELDS)
    stale = [pk for pk, *values in kept if wanted.pop(tuple(values), None) is None]
    if stale:
        TaskInterval.objects.filter(pk__in=stale).delete()
    if wanted:
        TaskInterval.objects.bulk_create(wanted.values())
    if totals is None:
        TaskDrafts.objects.filter(task_id=task_id).delete()
    else:
        totals.save()


def _facts(rows: Iterable[tuple]) -> dict[int, list[Facts]]:
    by_assignment: dict[int, list[Facts]] = {}
    for assignment_id, *values in rows:
        by_assignment.setdefault(assignment_id, []).append(Facts(*values))
    return by_assignment


@transaction.atomic(savepoint=False)
def standing_refresh(assignment_id: int) -> None:
    """Rewrite one assignment's kept-up rows from its reports, and its task's (task_refresh), inside the caller's
    transaction.

    The assignment row is locked first, so two writers on one assignment (two
    reviews of different reports) apply one after the other, and the second
    reads the first's committed review. No savepoint of its own: if it fails,
    the report or review that called it fails with it (two queries less on
    every submit and review).
    """
    task_id = Assignment.objects.select_for_update().values_list("task_id", flat=True).get(pk=assignment_id)
    reports = ProgressReport.objects.filter(assignment_id=assignment_id).order_by("submitted_at", "pk")
    facts = _facts(reports.values_list(*FIELDS)).get(assignment_id, [])
    current, intervals = standing_of(assignment_id, facts)
    StandingInterval.objects.filter(assignment_id=assignment_id).delete()
    StandingInterval.objects.bulk_create(intervals)
    if current is None:
        Standing.objects.filter(assignment_id=assignment_id).delete()
    else:
        current.save()
    task_refresh(task_id)


@transaction.atomic
def standing_rebuild(*, workplan=None, chunk: int = 2000, tasks: bool = True) -> tuple[int, int]:
    """Recompute the kept-up rows from the reports (manage.py rebuild_standing); returns (standings, intervals).

    Every assignment's, or only ``workplan``'s (a tasks.models.Workplan); with
    ``tasks`` (progress 0006 runs without: the task tables came later) their
    tasks' too (task_rebuild). Reads the reports in chunks of ``chunk``
    assignments, so memory stays flat.
    """
    scope = (
        Assignment.objects.all() if workplan is None else Assignment.objects.filter(task__section__workplan=workplan)
    )
    StandingInterval.objects.filter(assignment__in=scope).delete()
    Standing.objects.filter(assignment__in=scope).delete()
    reported = ProgressReport.objects.filter(assignment__in=scope).order_by("assignment_id")
    ids = list(reported.values_list("assignment_id", flat=True).distinct())
    standings = intervals = 0
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        reports = ProgressReport.objects.filter(assignment_id__in=part).order_by("assignment_id", "submitted_at", "pk")
        rows_current, rows_intervals = [], []
        for assignment_id, facts in _facts(reports.values_list(*FIELDS)).items():
            current, kept = standing_of(assignment_id, facts)
            rows_current.append(current)
            rows_intervals += kept
        Standing.objects.bulk_create(rows_current)
        StandingInterval.objects.bulk_create(rows_intervals, batch_size=5000)
        standings += len(rows_current)
        intervals += len(rows_intervals)
    if tasks:
        task_rebuild(workplan=workplan, chunk=chunk)
    return standings, intervals


@transaction.atomic
def task_rebuild(*, workplan=None, chunk: int = 2000) -> int:
    """Recompute every task's kept-up rows (TaskInterval, TaskDrafts), or only ``workplan``'s, from its
    assignments' kept-up rows; returns the number of task intervals written. Memory stays flat: ``chunk``
    tasks at a time.
    """
    scope = Task.objects.all() if workplan is None else Task.objects.filter(section__workplan=workplan)
    TaskInterval.objects.filter(task__in=scope).delete()
    TaskDrafts.objects.filter(task__in=scope).delete()
    ids = list(scope.filter(assignments__standing__isnull=False).values_list("pk", flat=True).distinct().order_by())
    written = 0
    for start in range(0, len(ids), chunk):
        part = sorted(ids[start : start + chunk])
        intervals: dict[int, list] = {}
        rows = StandingInterval.objects.filter(assignment__task_id__in=part).values_list(
            "assignment__task_id", *INTERVAL_FIELDS
        )
        for task_id, *facts in rows:
            intervals.setdefault(task_id, []).append(facts)
        drafts: dict[int, list] = {}
        for task_id, *values in Standing.objects.filter(assignment__task_id__in=part).values_list(
            "assignment__task_id", *DRAFT_FIELDS
        ):
            drafts.setdefault(task_id, []).append(values)
        totals, kept = [], []
        for task_id in part:
            task_totals, task_intervals = task_rows_of(task_id, intervals.get(task_id, []), drafts.get(task_id, []))
            if task_totals is not None:
                totals.append(task_totals)
            kept += task_intervals
        TaskDrafts.objects.bulk_create(totals)
        TaskInterval.objects.bulk_create(kept, batch_size=5000)
        written += len(kept)
    return written


@receiver(post_save, sender=ProgressReport, dispatch_uid="standing_after_report")
def _after_report(sender, instance: ProgressReport, raw=False, **kwargs):
    if not raw:  # loaddata: rebuild_standing afterwards
        standing_refresh(instance.assignment_id)


@receiver(post_save, sender=Review, dispatch_uid="standing_after_review")
def _after_review(sender, instance: Review, raw=False, **kwargs):
    if raw:
        return
    report = Review._meta.get_field("report")
    if report.is_cached(instance):  # the review service holds the (locked) report: no query for its assignment
        assignment_id = report.get_cached_value(instance).assignment_id
    else:
        assignment_id = ProgressReport.objects.values_list("assignment_id", flat=True).get(pk=instance.report_id)
    standing_refresh(assignment_id)
