"""A report filed through the API is the same report as one filed on the page: on the task page, in the
quarterly table (API and Excel), reviewed through the API with the same notification to its author."""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from departments.models import User
from progress.models import Evidence
from reminders.models import Notification
from tasks.models import Assignment

JUNE = datetime.datetime(2021, 6, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
SUMMARY = "已组建区级人防专业队伍，完成首次点验"


@pytest.fixture
def people(plan_2021, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("create_demo_users", "--password", "pw-for-tests", stdout=io.StringIO())
    return {u.username: u for u in User.objects.all()}


def test_a_report_with_evidence_filed_through_the_api_shows_everywhere(people, api, login, client):
    assignment = Assignment.objects.get(task__section__workplan__year=2021, task__number=8, department__code="yinzhou")
    task = assignment.task
    pdf = SimpleUploadedFile("点验记录.pdf", b"%PDF-1.4 minutes of the drill", content_type="application/pdf")

    with time_machine.travel(JUNE):
        filed = api(people["staff-yinzhou"]).post(
            reverse("api_report_create", args=[assignment.pk]),
            {
                "quarter": 2,
                "status": "in_progress",
                "percent_complete": 60,
                "progress_summary": SUMMARY,
                "problems": "社会力量参与不足",
                "evidence": [pdf],
            },
            format="multipart",
        )
        assert filed.status_code == 201, filed.content
        report = filed.json()["report"]
        assert report["quarter_label"] == "2021年第二季度"
        assert report["evidence"][0]["name"] == "点验记录.pdf"
        assert Evidence.objects.get().report_id == report["id"]

        # the task page, for the author and for a leader
        for username in ("staff-yinzhou", "leader"):
            client.force_login(people[username])
            page = client.get(reverse("task_detail", args=[task.pk])).content.decode()
            assert SUMMARY in page and "点验记录.pdf" in page

        # the evidence through the API, as the task page serves it
        download = api(people["leader"]).get(report["evidence"][0]["url"])
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")

        # the quarterly table as JSON
        table = api(people["office"]).get(reverse("api_quarterly_table", args=[2021, 2])).json()
        (row,) = [r for s in table["sections"] for r in s["rows"] if r["number"] == 8 and r["title"] == task.title]
        assert SUMMARY in row["progress"] and "社会力量参与不足" in row["problems"]

        # and in the Excel download from the page
        client.force_login(people["office"])
        xlsx = client.get(reverse("report_export"), {"workplan": task.section.workplan_id, "quarter": 2})
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
        assert any(SUMMARY in str(cell.value or "") for line in sheet.iter_rows() for cell in line)

        # the office returns it through the API: the author hears about it in-app, as from the review queue
        returned = api(people["office"]).post(
            reverse("api_review_create", args=[report["id"]]),
            {"decision": "returned", "reason": "请补充点验照片"},
            format="json",
        )
        assert returned.status_code == 201
        notice = Notification.objects.get(recipient=people["staff-yinzhou"])
        assert "请补充点验照片" in notice.body

        detail = api(people["staff-yinzhou"]).get(reverse("api_task", args=[task.pk])).json()
        mine = next(a for a in detail["assignments"] if a["id"] == assignment.pk)
        assert mine["returned"] is True and mine["can_report"] is True


def test_a_conflicting_report_is_kept_and_named(people, api):
    """A colleague of the same department filed in between; one's own earlier report is no conflict (#15)."""
    assignment = Assignment.objects.get(task__section__workplan__year=2021, task__number=8, department__code="yinzhou")
    colleague = User.objects.create_user("staff-yinzhou-2", department=assignment.department)
    colleague.groups.set(people["staff-yinzhou"].groups.all())
    report = {"quarter": 1, "status": "in_progress", "percent_complete": 20, "progress_summary": "第一份"}
    first = api(colleague).post(reverse("api_report_create", args=[assignment.pk]), report, format="json").json()

    second = (
        api(people["staff-yinzhou"])
        .post(
            reverse("api_report_create", args=[assignment.pk]),
            report | {"progress_summary": "第二份", "based_on": None},
            format="json",
        )
        .json()
    )

    assert second["conflict"]["id"] == first["report"]["id"]
    assert assignment.reports.count() == 2
