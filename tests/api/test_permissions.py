"""Every API endpoint × every role: the same visibility and refusals as the pages (tests/test_permissions.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from progress.models import Evidence, ProgressReport, Review
from tests.factories import ReportFactory, UserFactory

ROLES = ["staff", "outsider", "leader", "office", "no_role", None]


@pytest.fixture
def world(actors, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actors.no_role = UserFactory(username="nobody")
    actors.report = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    actors.evidence = Evidence.objects.create(
        report=actors.report, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), original_name="会议纪要.pdf", size=10
    )
    return actors


def url_for(world, endpoint):
    year = world.task.section.workplan.year
    return {
        "workplans": reverse("api_workplans"),
        "departments": reverse("api_departments"),
        "tasks": reverse("api_tasks"),
        "task": reverse("api_task", args=[world.task.pk]),
        "table": reverse("api_quarterly_table", args=[year, 1]),
        "evidence": reverse("api_evidence", args=[world.evidence.pk]),
    }[endpoint]


GET_MATRIX = {
    # endpoint: staff, outsider, leader, office, signed in without a role, no credentials
    "workplans": [200, 200, 200, 200, 403, 401],
    "departments": [200, 200, 200, 200, 403, 401],
    "tasks": [200, 200, 200, 200, 403, 401],
    "task": [200, 404, 200, 200, 403, 401],
    "table": [403, 403, 200, 200, 403, 401],  # the quarterly download is for leaders and the office
    "evidence": [200, 404, 200, 200, 403, 401],
}


@pytest.mark.parametrize("endpoint", GET_MATRIX)
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=[str(r) for r in ROLES])
def test_get_answers(world, api, endpoint, role_index):
    role = ROLES[role_index]
    response = api(getattr(world, role) if role else None).get(url_for(world, endpoint))

    assert response.status_code == GET_MATRIX[endpoint][role_index]
    if response.status_code >= 400:
        assert response.json()["error"]["status"] == response.status_code
        assert response.json()["error"]["message"]


REPORT = {"quarter": 1, "status": "in_progress", "percent_complete": 40, "progress_summary": "已开展选址"}


@pytest.mark.parametrize(
    ("role", "expected", "saved"),
    [
        ("staff", 201, 2),
        ("outsider", 404, 1),
        ("leader", 403, 1),
        ("office", 403, 1),
        ("no_role", 403, 1),
        (None, 401, 1),
    ],
)
def test_posting_a_report(world, api, role, expected, saved):
    client = api(getattr(world, role) if role else None)

    response = client.post(reverse("api_report_create", args=[world.assignment.pk]), REPORT, format="json")

    assert response.status_code == expected
    assert ProgressReport.objects.count() == saved


@pytest.mark.parametrize(
    ("role", "expected", "saved"),
    [
        ("staff", 403, 0),
        ("outsider", 403, 0),
        ("leader", 403, 0),
        ("office", 201, 1),
        ("no_role", 403, 0),
        (None, 401, 0),
    ],
)
def test_reviewing_a_report(world, api, role, expected, saved):
    client = api(getattr(world, role) if role else None)

    response = client.post(
        reverse("api_review_create", args=[world.report.pk]), {"decision": "accepted"}, format="json"
    )

    assert response.status_code == expected
    assert Review.objects.count() == saved


def _api_task_ids(client, **params):
    body = client.get(reverse("api_tasks"), params).json()
    return {row["id"] for row in body["results"]}


def test_staff_see_their_own_departments_tasks_only_as_on_my_work(world, api, login):
    page = login(world.staff).get(reverse("my_work"))
    on_the_page = {row.assignment.task_id for row in page.context["page"]}

    assert _api_task_ids(api(world.staff)) == on_the_page == {world.task.pk}
    assert _api_task_ids(api(world.outsider)) == {world.other_task.pk}


@pytest.mark.parametrize("role", ["leader", "office"])
def test_leaders_and_the_office_see_every_task_as_on_the_list(world, api, client, role):
    client.force_login(getattr(world, role))
    on_the_page = {row.task.pk for row in client.get(reverse("task_list")).context["page"]}

    assert _api_task_ids(api(getattr(world, role))) == on_the_page == {world.task.pk, world.other_task.pk}


def test_staff_see_other_departments_reports_on_a_shared_task(world, api):
    ReportFactory(assignment=world.lead, progress_summary="市办已部署", submitted_by=world.office)

    task = api(world.staff).get(reverse("api_task", args=[world.task.pk])).json()

    assert "市办已部署" in [report["progress_summary"] for report in task["reports"]]
    assert {a["can_report"] for a in task["assignments"] if a["id"] == world.assignment.pk} == {True}
    assert {a["can_report"] for a in task["assignments"] if a["id"] == world.lead.pk} == {False}


def test_staff_of_yinzhou_see_only_yinzhou_tasks_of_the_2021_plan(plan_2021, api):
    from django.core.management import call_command

    from departments.models import User
    from tasks.models import Task

    call_command("create_demo_users", "--password", "pw-for-tests", stdout=__import__("io").StringIO())
    staff = User.objects.get(username="staff-yinzhou")

    seen = _api_task_ids(api(staff), page_size=200)

    assert seen == set(Task.objects.filter(assignments__department__code="yinzhou").values_list("pk", flat=True))
    assert 0 < len(seen) < Task.objects.count()


def test_a_workplan_without_any_of_your_tasks_is_not_listed(world, api):
    from tests.factories import TaskFactory

    hidden = TaskFactory(title="别的计划里的事").section.workplan

    listed = {plan["id"] for plan in api(world.staff).get(reverse("api_workplans")).json()["results"]}

    assert world.task.section.workplan_id in listed
    assert hidden.pk not in listed


def test_a_task_as_of_a_past_day_shows_only_what_was_known_then(world, api):
    import datetime
    from zoneinfo import ZoneInfo

    ReportFactory(
        assignment=world.assignment,
        progress_summary="三月的进展",
        submitted_by=world.staff,
        submitted_at=datetime.datetime(2021, 3, 20, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    address = reverse("api_task", args=[world.task.pk])

    then = api(world.leader).get(address, {"as_of": "2021-03-31"}).json()
    now = api(world.leader).get(address).json()

    assert [r["progress_summary"] for r in then["reports"]] == ["三月的进展"]
    assert len(now["reports"]) == 2
