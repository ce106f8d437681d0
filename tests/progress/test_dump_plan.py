"""dump_plan: one plan with its reports as a portable backup that loaddata restores."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from departments.models import Department, User
from progress.models import ExtensionRequest, ProgressReport, Review
from tasks.models import Assignment, Task, Workplan
from tests.factories import ReportFactory, ReviewFactory


@pytest.mark.django_db(transaction=True)  # flush truncates tables, which PostgreSQL refuses inside a transaction
def test_a_plan_round_trips_through_dump_and_loaddata(plan_2021, tmp_path):
    author = User.objects.create_user(
        "staff-yinzhou", password="secret-pw-1", department=Department.objects.get(code="yinzhou")
    )
    item8 = Assignment.objects.get(task__number=8, department__code="yinzhou")
    first = ReportFactory(assignment=item8, submitted_by=author, progress_summary="第一次")
    ReviewFactory(report=first, decision="returned", reason="请补充")
    ReportFactory(assignment=item8, submitted_by=author, progress_summary="第二次", based_on=first)
    path = tmp_path / "plan.json"
    counts = [
        Workplan.objects.count(),
        Task.objects.count(),
        Assignment.objects.count(),
        ProgressReport.objects.count(),
        Review.objects.count(),
    ]

    call_command("dump_plan", "--year", "2021", "--output", str(path), stderr=io.StringIO())
    call_command("flush", "--no-input", verbosity=0)
    assert not Task.objects.exists()
    call_command("loaddata", str(path), verbosity=0)

    assert [
        Workplan.objects.count(),
        Task.objects.count(),
        Assignment.objects.count(),
        ProgressReport.objects.count(),
        Review.objects.count(),
    ] == counts
    restored = ProgressReport.objects.get(progress_summary="第二次")
    assert restored.based_on.review.reason == "请补充"
    assert not User.objects.get(username="staff-yinzhou").has_usable_password()


@pytest.mark.django_db(transaction=True)
def test_restoring_into_a_database_with_users_overwrites_nobody(plan_2021, tmp_path):
    """docs/deploy.md's order: a fresh database, the office's own logins first, then the backup."""
    yinzhou = Department.objects.get(code="yinzhou")
    author = User.objects.create_user("staff-yinzhou", password="old-pw-1", department=yinzhou)
    reviewer = User.objects.create_user("reviewer", password="old-pw-2")
    item8 = Assignment.objects.get(task__number=8, department__code="yinzhou")
    first = ReportFactory(assignment=item8, submitted_by=author, progress_summary="第一次")
    ReviewFactory(report=first, decision="returned", reason="请补充", reviewed_by=reviewer)
    ReportFactory(assignment=item8, submitted_by=author, progress_summary="第二次", based_on=first)
    ExtensionRequest.objects.create(
        assignment=item8,
        original_deadline=item8.task.deadline,
        requested_deadline=item8.task.deadline + datetime.timedelta(days=90),
        reason="资金未到位",
        requested_by=author,
        status="refused",
        decided_by=reviewer,
        decided_at=timezone.now(),
        decision_reason="理由不足",
    )
    path = tmp_path / "plan.json"
    call_command("dump_plan", "--year", "2021", "--output", str(path), stderr=io.StringIO())
    call_command("flush", "--no-input", verbosity=0)
    call_command("loaddata", "departments", verbosity=0)
    office = User.objects.create_superuser("office", password="office-pw-1")  # may take an id the file uses
    User.objects.create_user("staff-yinzhou", password="new-pw-3", department=Department.objects.get(code="yinzhou"))
    out = io.StringIO()

    call_command("restore_plan", str(path), stdout=out)

    office.refresh_from_db()
    assert office.check_password("office-pw-1") and office.username == "office" and office.is_superuser
    assert User.objects.get(username="staff-yinzhou").check_password("new-pw-3")
    assert not User.objects.get(username="reviewer").has_usable_password()
    restored = ProgressReport.objects.get(progress_summary="第二次")
    assert restored.submitted_by.username == "staff-yinzhou"
    assert restored.based_on.review.reason == "请补充"
    assert restored.assignment.department.code == "yinzhou" and restored.assignment.task.number == 8
    extension = ExtensionRequest.objects.get()
    assert (extension.requested_by.username, extension.decided_by.username) == ("staff-yinzhou", "reviewer")
    assert (extension.assignment, extension.decision_reason) == (restored.assignment, "理由不足")
    assert "新建用户 1 个" in out.getvalue() and "已有用户 1 个保持不变" in out.getvalue()


def test_restoring_a_plan_that_exists_changes_nothing(plan_2021, tmp_path):
    path = tmp_path / "plan.json"
    call_command("dump_plan", "--year", "2021", "--output", str(path), stderr=io.StringIO())
    before = Task.objects.count()

    with pytest.raises(CommandError, match="恢复不会覆盖已有的工作要点"):
        call_command("restore_plan", str(path), stdout=io.StringIO())

    assert Task.objects.count() == before and Workplan.objects.count() == 1
