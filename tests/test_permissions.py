"""Every page and action × every role: exactly the expected answer (DESIGN.md, "Who uses it")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from progress.models import Evidence, ProgressReport, Review
from tests.factories import ReportFactory

ROLES = ["staff", "outsider", "leader", "office", None]


def url_for(actors, page):
    report = getattr(actors, "report", None)
    return {
        "home": reverse("home"),
        "dashboard": reverse("dashboard"),
        "my_work": reverse("my_work"),
        "task_list": reverse("task_list"),
        "task_detail": reverse("task_detail", args=[actors.task.pk]),
        "report_form": reverse("report_create", args=[actors.assignment.pk]),
        "review_queue": reverse("review_queue"),
        "review": reverse("review_create", args=[report.pk]) if report else None,
        "evidence": reverse("evidence_download", args=[actors.evidence.pk]) if report else None,
    }[page]


@pytest.fixture
def with_report(actors, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actors.report = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    actors.evidence = Evidence.objects.create(
        report=actors.report, file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), original_name="会议纪要.pdf", size=10
    )
    return actors


def answer(response):
    if response.status_code == 302:
        target = response.url
        if target.startswith(reverse("login")):
            return "login"
        return f"302 {target}"
    return response.status_code


GET_MATRIX = {
    # page: staff, outsider, leader, office, anonymous
    "home": ["302 /my-work/", "302 /my-work/", "302 /dashboard/", "302 /dashboard/", "login"],
    "dashboard": ["302 /my-work/", "302 /my-work/", 200, 200, "login"],
    "my_work": [200, 200, "302 /tasks/", "302 /tasks/", "login"],
    "task_list": [403, 403, 200, 200, "login"],
    "task_detail": [200, 404, 200, 200, "login"],
    "report_form": [200, 404, 403, 403, "login"],
    "review_queue": [403, 403, 403, 200, "login"],
    "evidence": [200, 404, 200, 200, "login"],
}


@pytest.mark.parametrize("page", GET_MATRIX)
@pytest.mark.parametrize("role_index", range(5), ids=[str(r) for r in ROLES])
def test_get_answers(with_report, login, page, role_index):
    role = ROLES[role_index]
    client = login(getattr(with_report, role) if role else None)

    assert answer(client.get(url_for(with_report, page))) == GET_MATRIX[page][role_index]


REPORT_POST = {"quarter": 1, "status": "in_progress", "percent_complete": 40, "progress_summary": "已开展选址"}


@pytest.mark.parametrize(
    ("role", "expected", "saved"),
    [("staff", "302", 1), ("outsider", 404, 0), ("leader", 403, 0), ("office", 403, 0), (None, "login", 0)],
)
def test_posting_a_report(actors, login, role, expected, saved):
    client = login(getattr(actors, role) if role else None)

    response = client.post(reverse("report_create", args=[actors.assignment.pk]), REPORT_POST)

    assert str(answer(response)).split(" ")[0] == str(expected)
    assert ProgressReport.objects.count() == saved


@pytest.mark.parametrize(
    ("role", "expected", "saved"),
    [("staff", 403, 0), ("outsider", 403, 0), ("leader", 403, 0), ("office", "302", 1), (None, "login", 0)],
)
def test_reviewing_a_report(with_report, login, role, expected, saved):
    client = login(getattr(with_report, role) if role else None)

    response = client.post(url_for(with_report, "review"), {"decision": "accepted"})

    assert str(answer(response)).split(" ")[0] == str(expected)
    assert Review.objects.count() == saved


def test_staff_sees_other_departments_reports_on_a_shared_task(actors, login):
    ReportFactory(assignment=actors.lead, progress_summary="市办已部署", submitted_by=actors.office)

    page = login(actors.staff).get(reverse("task_detail", args=[actors.task.pk]))

    assert "市办已部署" in page.content.decode()


def test_staff_list_holds_only_their_own_department(actors, login):
    page = login(actors.staff).get(reverse("my_work")).content.decode()

    assert actors.task.title in page
    assert actors.other_task.title not in page


@pytest.mark.parametrize(
    ("role", "with_department", "says"),
    [("staff", False, "还没有关联所在单位"), (None, True, "还没有分配角色")],
)
def test_an_account_nobody_finished_setting_up_is_told_what_is_missing(actors, login, role, with_department, says):
    """Found by trying: a 填报员 without a department (or a user in no group) got 403 on /, and its 返回首页
    led to the same 403."""
    from tests.factories import UserFactory

    user = UserFactory(username="half-made", role=role, department=actors.staff.department if with_department else None)
    client = login(user)
    for page in ("home", "my_work"):
        response = client.get(url_for(actors, page))

        assert response.status_code == 403
        body = response.content.decode()
        assert says in body and "请联系督查办或系统管理员" in body
        assert "返回首页" not in body and "退出登录" in body
