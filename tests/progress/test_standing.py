"""Kept-up figures (progress.standing): equal to a rebuild after any history, and to the as-of rule on any day."""

import contextlib
import datetime
import importlib
import io
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from departments.roles import Role
from progress.models import ProgressReport, Standing, StandingInterval, TaskDrafts, TaskInterval
from progress.services import report_review, report_submit
from progress.standing import standing_rebuild
from tests.factories import AssignmentFactory, DepartmentFactory, TaskFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2021, 1, 4, 9, tzinfo=SHANGHAI)


def kept_up() -> tuple[list, list, list, list]:
    """Every kept-up row as plain values, in a fixed order: the assignments' and their tasks'."""
    standings = list(
        Standing.objects.order_by("assignment_id").values_list(
            "assignment_id",
            "report_id",
            "status",
            "percent",
            "closed_at",
            "last_submitted_id",
            "last_returned",
            "q1_report_id",
            "q2_report_id",
            "q3_report_id",
            "q4_report_id",
            "q1_percent",
            "q2_percent",
            "q3_percent",
            "q4_percent",
        )
    )
    intervals = list(
        StandingInterval.objects.order_by("assignment_id", "valid_from").values_list(
            "assignment_id", "report_id", "valid_from", "valid_to", "percent", "status", "closed"
        )
    )
    task_intervals = list(
        TaskInterval.objects.order_by("task_id", "valid_from").values_list(
            "task_id", "valid_from", "valid_to", "percent_sum", "closed", "claimed", "started"
        )
    )
    drafts = list(
        TaskDrafts.objects.order_by("task_id").values_list(
            "task_id", "q1_percent_sum", "q2_percent_sum", "q3_percent_sum", "q4_percent_sum"
        )
    )
    return standings, intervals, task_intervals, drafts


def random_history(seed: int, *, assignments: int = 6, steps: int = 120):
    """Submits, accepts and returns through the services, at random times over 2021; returns the assignments."""
    rng = random.Random(seed)
    office = UserFactory(role=Role.OFFICE)
    task = TaskFactory()
    rows = []
    for n in range(assignments):
        department = DepartmentFactory(code=f"d{seed}-{n}", name=f"单位{seed}-{n}")
        staff = UserFactory(department=department, role=Role.STAFF)
        rows.append((AssignmentFactory(task=task, department=department), staff))
    moment = START
    for _ in range(steps):
        moment += datetime.timedelta(hours=rng.choice([1, 5, 20, 30, 70, 200]))
        assignment, staff = rng.choice(rows)
        with time_machine.travel(moment, tick=False):
            pending = list(ProgressReport.objects.filter(assignment=assignment, review__isnull=True))
            if pending and rng.random() < 0.6:
                report = rng.choice(pending)
                decision = "returned" if rng.random() < 0.35 else "accepted"
                report_review(
                    report=report, user=office, decision=decision, reason="请补充" if decision == "returned" else ""
                )
                continue
            status = rng.choice(["not_started", "in_progress", "in_progress", "completed"])
            percent = {"not_started": 0, "completed": 100}.get(status, rng.randrange(1, 100))
            with contextlib.suppress(ValidationError):  # closed: nothing more to report
                report_submit(
                    assignment=assignment,
                    user=staff,
                    quarter=rng.randrange(1, 5),
                    status=status,
                    percent_complete=percent,
                    progress_summary="进展",
                )
    return [assignment for assignment, _ in rows], moment


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_up_rows_equal_a_rebuild_after_random_submits_reviews_and_returns(db, seed):
    random_history(seed)
    before = kept_up()

    standing_rebuild()

    assert all(before)
    assert kept_up() == before


@pytest.mark.parametrize("seed", [4, 5])
def test_as_of_answers_equal_the_as_of_rule_on_every_day(db, seed):
    assignments, end = random_history(seed, steps=150)
    scope = [a.pk for a in assignments]
    day = START.date() - datetime.timedelta(days=1)
    checked = 0
    while day <= end.date() + datetime.timedelta(days=1):
        expected = {
            r.assignment_id: (r.pk, r.percent_complete, r.closes_assignment_as_of(day))
            for r in ProgressReport.objects.latest_per_assignment(scope, as_of=day).select_related("review")
        }
        intervals = StandingInterval.objects.filter(assignment__in=scope, valid_from__lte=day).exclude(
            valid_to__lte=day
        )
        assert {i.assignment_id: (i.report_id, i.percent, i.closed) for i in intervals} == expected, day
        checked += bool(expected)
        day += datetime.timedelta(days=3)
    assert checked > 10


@pytest.mark.parametrize("seed", [6, 8])
def test_a_tasks_kept_rows_equal_its_assignments_summed_on_every_day(db, seed):
    """TaskInterval on day D holds the sums over the task's assignments' standing on D, counted as the
    assignment-level figures count them; TaskDrafts each quarter's draft percents summed."""
    assignments, end = random_history(seed, steps=150)
    task_id = assignments[0].task_id
    day = START.date() - datetime.timedelta(days=1)
    while day <= end.date() + datetime.timedelta(days=1):
        standing = StandingInterval.objects.filter(assignment__in=assignments, valid_from__lte=day).exclude(
            valid_to__lte=day
        )
        expected = (
            sum(i.percent for i in standing),
            sum(i.closed_on is not None for i in standing),
            sum(i.closed_on is not None or i.status == "completed" for i in standing),
            sum(i.status != "not_started" for i in standing),
        )
        kept = TaskInterval.objects.filter(task_id=task_id, valid_from__lte=day).exclude(valid_to__lte=day)
        assert [(k.percent_sum, k.closed, k.claimed, k.started) for k in kept] == (
            [expected] if any(expected) else []
        ), day
        day += datetime.timedelta(days=2)
    drafts = TaskDrafts.objects.get(task_id=task_id)
    for quarter in (1, 2, 3, 4):
        values = Standing.objects.filter(assignment__in=assignments).values_list(f"q{quarter}_percent", flat=True)
        assert getattr(drafts, f"q{quarter}_percent_sum") == sum(v or 0 for v in values)


def test_the_command_rebuilds_what_was_lost(db):
    random_history(7, steps=40)
    before = kept_up()
    Standing.objects.all().delete()
    StandingInterval.objects.all().delete()
    TaskInterval.objects.all().delete()
    TaskDrafts.objects.all().delete()
    out = io.StringIO()

    call_command("rebuild_standing", stdout=out)

    assert kept_up() == before
    assert f"{len(before[0])} 条当前进展" in out.getvalue()


def test_the_migration_fills_the_quarter_percents_of_rows_kept_before_them(db):
    """progress 0007: rows written before the percents existed get them from the reports they point at."""
    from django.apps import apps

    backfill = importlib.import_module("progress.migrations.0007_standing_quarter_percents").backfill
    random_history(11, steps=40)
    before = kept_up()
    assert any(row[-4:] != (None,) * 4 for row in before[0])
    Standing.objects.update(q1_percent=None, q2_percent=None, q3_percent=None, q4_percent=None)

    backfill(apps, None)

    assert kept_up() == before


def test_as_of_answers_on_demo_data_equal_the_as_of_rule_at_several_dates(departments):
    call_command("generate_demo_data", "--tasks", "40", "--departments", "4", "--year", "2021", stdout=io.StringIO())
    scope = Standing.objects.values("assignment_id")
    for day in [datetime.date(2021, m, d) for m, d in [(1, 1), (3, 25), (3, 31), (6, 28), (9, 30), (12, 31)]]:
        expected = {
            r.assignment_id: (r.pk, r.closes_assignment_as_of(day))
            for r in ProgressReport.objects.latest_per_assignment(scope, as_of=day).select_related("review")
        }
        intervals = StandingInterval.objects.filter(valid_from__lte=day).exclude(valid_to__lte=day)
        assert {i.assignment_id: (i.report_id, i.closed) for i in intervals} == expected, day
