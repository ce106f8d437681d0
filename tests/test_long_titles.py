"""An item whose first sentence is longer than any subject line: import, report, accept, chase, digest, export.

The column limits bite on PostgreSQL (value too long for type character varying);
SQLite stores anything, so this is red before the fix only on PostgreSQL, as CI runs it.
"""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from departments.models import Department
from progress.models import ProgressReport, Review
from reminders.models import Notification, ReminderLog
from reminders.services import sweep
from tasks.models import Task
from tests.factories import UserFactory

LONG = "全面推进" + "人防工程建设与平战结合开发利用" * 20  # 304 characters, no full stop


@pytest.fixture
def long_item(departments, tmp_path):
    document = tmp_path / "plan.txt"
    document.write_text(
        f"2021年某市人防工作要点\n一、工程建设\n1.{LONG}。6月底前完成。（责任单位：鄞州区）\n", encoding="utf-8"
    )
    call_command("import_workplan", str(document), stdout=io.StringIO())
    return Task.objects.get()


@pytest.mark.django_db(transaction=True)  # messages go out as their transactions commit, as in production
def test_a_300_character_title_goes_all_the_way_through(long_item, client, settings):
    assert long_item.title == LONG
    yinzhou = Department.objects.get(code="yinzhou")
    assignment = long_item.assignments.get(department=yinzhou)
    staff = UserFactory(username="staff-yinzhou", department=yinzhou, role="staff")
    office = UserFactory(username="office", role="office")

    with time_machine.travel(datetime.datetime(2021, 6, 20, 10, tzinfo=datetime.UTC)):
        client.force_login(staff)
        filed = client.post(
            reverse("report_create", args=[assignment.pk]),
            {"quarter": 2, "status": "in_progress", "percent_complete": 80, "progress_summary": "主体完工"},
        )
        client.force_login(office)
        accepted = client.post(
            reverse("review_create", args=[ProgressReport.objects.get().pk]), {"decision": "accepted"}
        )
        chased = client.post(reverse("chase_create", args=[assignment.pk]), {"message": "请报送验收材料"})
        digests = sweep(datetime.date(2021, 6, 23), deliver_now=True)
    with time_machine.travel(datetime.datetime(2021, 7, 15, 10, tzinfo=datetime.UTC)):
        client.force_login(office)
        exported = client.get(reverse("report_export"), {"workplan": long_item.section.workplan_id, "quarter": 2})

    assert (filed.status_code, accepted.status_code, chased.status_code, exported.status_code) == (302, 302, 302, 200)
    assert Review.objects.get().decision == "accepted"
    review_notice = Notification.objects.get(recipient=staff, log__isnull=True)
    assert review_notice.title.endswith("…") and len(review_notice.title) == 200
    chase_log = ReminderLog.objects.get(kind="chase", recipient=staff)
    assert chase_log.subject.startswith("【催办】1. 全面推进") and chase_log.subject.endswith("…")
    assert len(chase_log.subject) == 200 and chase_log.notification.title == chase_log.subject
    assert len(digests.recorded) == 1 and digests.delivery.sent == 1
    assert any(LONG in message.body for message in mail.outbox)  # the body carries the whole title
    table = openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0]
    assert any(LONG in str(cell) for row in table.values for cell in row if cell)
