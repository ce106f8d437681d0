"""dump_plan: one plan with its reports as a portable backup that loaddata restores."""

import io

import pytest
from django.core.management import call_command

from departments.models import Department, User
from progress.models import ProgressReport, Review
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
