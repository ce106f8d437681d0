"""The list pages and the task page run a bounded number of queries, whatever the number of tasks."""

import datetime
import io

import pytest
from django.urls import reverse

from progress.models import ProgressReport
from tasks.models import Assignment, Section, Task

# Session read, the user with role and unread count (workplan.auth), the page's own queries and
# its filter form's choices: at most 10 on any page (issue 14), the same for 21 tasks and for 2,000.
# The staff task page, on a task with reports, evidence and reviews, is at the bound: it also reads
# the user's permissions (one query) and the task's extension requests (延期申请); the standing
# reports come from the page's own list of reports.
MAX_QUERIES = 10


def add_generated_tasks(plan, count):
    """``count`` more tasks in the plan, each assigned to the office (lead) and 鄞州, each with a report."""
    from departments.models import Department, User

    section = Section.objects.create(workplan=plan, ordinal=9, title="生成的部分")
    tasks = Task.objects.bulk_create(
        Task(section=section, number=i + 1, title=f"生成任务{i}", deadline=datetime.date(2021, 12, 31))
        for i in range(count)
    )
    office = Department.objects.get(is_municipal_office=True)
    yinzhou = Department.objects.get(code="yinzhou")
    assignments = Assignment.objects.bulk_create(
        [Assignment(task=t, department=office, role="lead") for t in tasks]
        + [Assignment(task=t, department=yinzhou, role="responsible") for t in tasks]
    )
    author = User.objects.create(username="author")
    ProgressReport.objects.bulk_create(
        ProgressReport(
            assignment=a,
            quarter=1,
            status="in_progress",
            percent_complete=50,
            progress_summary="x",
            submitted_by=author,
        )
        for a in assignments
    )


def add_reports(task, author):
    """Two reports on each of the task's assignments, the first accepted and with evidence: the task page lists them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from progress.models import Evidence
    from tests.factories import ReportFactory, ReviewFactory

    for assignment in task.assignments.all():
        first = ReportFactory(assignment=assignment, submitted_by=author, percent_complete=30)
        ReviewFactory(report=first)
        Evidence.objects.create(
            report=first, file=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 x"), original_name="纪要.pdf", size=10
        )
        ReportFactory(assignment=assignment, submitted_by=author, quarter=2, percent_complete=60)


@pytest.fixture(params=[0, 2000], ids=["21 tasks", "2021 tasks"])
def plan(request, plan_2021, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    if request.param:
        add_generated_tasks(plan_2021, request.param)
    from tests.factories import UserFactory

    add_reports(item(9), UserFactory(username="reporter"))
    return plan_2021


@pytest.fixture
def users(plan):
    from django.core.management import call_command

    call_command("create_demo_users", "--password", "pw-for-tests", stdout=io.StringIO())
    from departments.models import User

    return {u.username: u for u in User.objects.filter(username__in=["office", "leader", "staff-yinzhou"])}


def item(number):
    return Task.objects.get(section__ordinal__lt=9, number=number)


@pytest.mark.parametrize(
    ("username", "url", "shows"),
    [
        ("staff-yinzhou", lambda: "/my-work/", "不断加强人防专业力量建设"),
        ("staff-yinzhou", lambda: "/my-work/?light=overdue", "不断加强人防专业力量建设"),
        ("leader", lambda: "/tasks/", "工作任务"),
        (
            "office",
            lambda: f"/tasks/?department={item(8).assignments.get(department__code='yinzhou').department_id}",
            "鄞州",
        ),
        ("leader", lambda: reverse("task_detail", args=[item(8).pk]), "不断加强人防专业力量建设"),
        ("staff-yinzhou", lambda: reverse("task_detail", args=[item(9).pk]), "有力推进人防疏散体系建设"),
        ("leader", lambda: reverse("task_detail", args=[item(9).pk]), "纪要.pdf"),
        ("office", lambda: "/reviews/", "待审核"),
        ("leader", lambda: "/dashboard/", "总体完成进度"),
        ("leader", lambda: "/dashboard/?as_of=2021-08-01&light=behind", "总体完成进度"),
    ],
)
def test_pages_run_a_bounded_number_of_queries(client, users, username, url, shows, django_assert_max_num_queries):
    client.force_login(users[username])
    address = url()

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(address)

    assert response.status_code == 200
    assert shows in response.content.decode()
