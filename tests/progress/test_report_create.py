"""Filing a report: what staff see, bad input, concurrent submissions."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from progress.models import Evidence, ProgressReport
from tests.conftest import ROOT
from tests.factories import ReportFactory, ReviewFactory

PDF = b"%PDF-1.4\n%test\n"


def post(client, assignment, **fields):
    data = {"quarter": 1, "status": "in_progress", "percent_complete": 40, "progress_summary": "已开展选址"} | fields
    return client.post(reverse("report_create", args=[assignment.pk]), data)


def test_a_report_with_evidence_is_saved_and_shown(actors, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(actors.staff)

    response = post(
        client,
        actors.assignment,
        percent_complete=60,
        problems="资金未到位",
        next_steps="三季度开工",
        evidence=[SimpleUploadedFile("方案.pdf", PDF), SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\nxx")],
    )

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.percent_complete, report.submitted_by, report.problems) == (60, actors.staff, "资金未到位")
    assert sorted(e.original_name for e in report.evidence.all()) == ["方案.pdf", "现场.png"]
    page = client.get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    assert "资金未到位" in page and "三季度开工" in page and "方案.pdf" in page
    my_work = client.get(reverse("my_work")).content.decode()
    assert "60%" in my_work and "待审核" in my_work


def test_the_form_starts_from_the_last_report(actors, login):
    ReportFactory(assignment=actors.assignment, percent_complete=55, progress_summary="上次的进展")

    form = login(actors.staff).get(reverse("report_create", args=[actors.assignment.pk])).context["form"]

    assert form.initial["percent_complete"] == 55
    assert form.initial["progress_summary"] == "上次的进展"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"percent_complete": 101}, "percent_complete", "完成进度应在 0 到 100 之间。"),
        ({"percent_complete": -1}, "percent_complete", "完成进度应在 0 到 100 之间。"),
        ({"status": "completed", "percent_complete": 90}, "percent_complete", "已完成的事项完成进度应为100%。"),
        ({"status": "not_started", "percent_complete": 20}, "percent_complete", "未启动的事项完成进度应为0%。"),
        ({"progress_summary": "   "}, "progress_summary", "请填写进展情况。"),
        ({"quarter": 5}, "quarter", "选择一个有效的选项。 5 不在可用的选项中。"),
    ],
)
def test_bad_values_show_field_errors_and_save_nothing(actors, login, fields, field, message):
    response = post(login(actors.staff), actors.assignment, **fields)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "文件扩展“exe”是不被允许。"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "“fake.pdf”的内容不是 pdf 文件。"),
    ],
)
def test_evidence_of_another_type_is_refused(actors, login, upload, message):
    response = post(login(actors.staff), actors.assignment, evidence=[upload])

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["evidence"])
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()


def test_evidence_over_the_size_limit_is_refused(actors, login, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024 + 512 * 1024 - len(PDF)))

    response = post(login(actors.staff), actors.assignment, evidence=[big])

    assert "“big.pdf”有 1.50 MB，超过上限 1.00 MB。" in " ".join(response.context["form"].errors["evidence"])
    assert not ProgressReport.objects.exists()


def test_a_missing_csrf_token_is_refused(actors):
    client = Client(enforce_csrf_checks=True)
    client.force_login(actors.staff)

    response = post(client, actors.assignment)

    assert response.status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_closed_assignment_takes_no_more_reports(actors, login):
    closing = ReportFactory(assignment=actors.assignment, status="completed", percent_complete=100)
    ReviewFactory(report=closing)
    client = login(actors.staff)

    assert client.get(reverse("report_create", args=[actors.assignment.pk])).context["form"] is None
    response = post(client, actors.assignment)
    assert response.status_code == 200
    assert ProgressReport.objects.count() == 1


def test_two_people_submitting_from_the_same_form_keep_both_reports(actors, login):
    """The second sees a conflict message with the newer report; neither is lost or overwritten."""
    colleague = type(actors.staff).objects.create(username="staff-a-2", department=actors.staff.department)
    colleague.groups.set(actors.staff.groups.all())
    first = login(actors.staff)
    url = reverse("report_create", args=[actors.assignment.pk])
    based_on = first.get(url).context["form"].initial["based_on"]  # both open an empty form
    second = Client()
    second.force_login(colleague)

    post(first, actors.assignment, based_on=based_on or "", progress_summary="甲：完成选址")
    response = post(second, actors.assignment, based_on=based_on or "", progress_summary="乙：完成设计")

    assert ProgressReport.objects.count() == 2
    page = second.get(response.url).content.decode()
    assert "您填写期间，staff-a" in page and "甲：完成选址" in page
    assert "两份报告都已保存" in page
    latest = ProgressReport.objects.newest_first().first()
    assert latest.progress_summary == "乙：完成设计"


def test_a_report_after_the_one_seen_is_no_conflict(actors, login):
    client = login(actors.staff)
    post(client, actors.assignment)
    based_on = client.get(reverse("report_create", args=[actors.assignment.pk])).context["form"].initial["based_on"]

    response = post(client, actors.assignment, based_on=based_on, percent_complete=50)

    assert "您填写期间" not in client.get(response.url).content.decode()


def test_a_nul_character_in_the_report_is_refused_and_the_text_kept(actors, login):
    response = post(login(actors.staff), actors.assignment, progress_summary="已开展\x00选址", problems="资金")

    assert response.status_code == 200
    assert "不能包含空字符（NUL），请删除后再提交。" in response.content.decode()
    assert response.context["form"]["problems"].value() == "资金"
    assert not ProgressReport.objects.exists()


def test_a_paragraph_over_the_limit_is_refused_with_its_length_and_the_text_kept(actors, login):
    """Found by trying: 200,000 characters were taken and then cut in the exports; 1.5 million lost what was
    typed in a bare 400 page. The box stops typing at the limit, and the form says it."""
    client = login(actors.staff)
    form = client.get(reverse("report_create", args=[actors.assignment.pk])).content.decode()
    assert re.search(r'<textarea name="progress_summary"[^>]*maxlength="5000"', form)

    response = post(client, actors.assignment, progress_summary="进" * 5001, problems="资金")

    assert response.status_code == 200
    assert "不能超过 5000 字（现有 5001 字），请精简后再提交。" in response.content.decode()
    assert response.context["form"]["problems"].value() == "资金"
    assert not ProgressReport.objects.exists()
    assert post(client, actors.assignment, progress_summary="进" * 5000).status_code == 302


def test_a_paragraph_of_many_lines_counts_each_line_break_once_as_the_box_does(actors, login):
    """Found by trying: 500 short lines filled the box to exactly 5,000 characters, and the server refused them
    as 5,498, counting each line break the browser sends as CR LF twice."""
    client = login(actors.staff)
    lines = "\r\n".join(["进展九个字的一行。"] * 500)  # 500 × 9 characters and 499 breaks: 4,999 in the box

    assert post(client, actors.assignment, progress_summary=lines).status_code == 302


def test_evidence_over_the_total_limit_is_refused_and_the_typed_report_kept(actors, login, settings):
    """Two 15 MB files: each under 20 MB, together over what the proxy lets through (docs/deploy.md, 25 MB)."""
    big = PDF + b"0" * (15 * 1024 * 1024)

    response = post(
        login(actors.staff),
        actors.assignment,
        progress_summary="已完成主体施工",
        evidence=[SimpleUploadedFile("a.pdf", big), SimpleUploadedFile("b.pdf", big)],
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "超过一次提交的上限 24.00 MB" in page and "已填写的内容仍在" in page
    assert response.context["form"]["progress_summary"].value() == "已完成主体施工"
    assert not ProgressReport.objects.exists()


def test_the_total_limit_stays_below_the_documented_proxy_limit(settings):
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    proxy_megabytes = int(re.search(r"client_max_body_size (\d+)m;", deploy).group(1))

    assert proxy_megabytes * 1024 * 1024 > settings.EVIDENCE_MAX_TOTAL_BYTES


def test_what_was_typed_when_the_session_ended_comes_back_after_signing_in(actors, client):
    ReportFactory(assignment=actors.assignment, percent_complete=20, progress_summary="上次的进展")
    form_page = reverse("report_create", args=[actors.assignment.pk])
    typed = {"quarter": 2, "status": "in_progress", "percent_complete": 70, "progress_summary": "会话过期前写的一长段"}

    response = client.post(form_page, typed, HTTP_REFERER=f"http://testserver{form_page}")  # signed out by now

    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={form_page}"
    assert ProgressReport.objects.count() == 1
    assert "登录已超时，刚才的提交没有保存" in client.get(response.url).content.decode()
    client.force_login(actors.staff)
    form = client.get(form_page).context["form"]
    assert (form.initial["progress_summary"], form.initial["percent_complete"]) == ("会话过期前写的一长段", "70")
    assert client.get(form_page).context["form"].initial["progress_summary"] == "上次的进展"  # given back once


def test_the_status_list_asks_in_chinese_instead_of_a_dashed_line(actors, login):
    page = login(actors.staff).get(reverse("report_create", args=[actors.assignment.pk])).content.decode()
    status = page.split('name="status"', 1)[1].split("</select>", 1)[0]
    assert "---------" not in status and ">请选择状态</option>" in status
