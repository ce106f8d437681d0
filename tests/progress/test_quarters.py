"""Quarter tables (DESIGN.md, "Reporting periods"): late reports counted and marked, 定稿 freezes, reopening logged."""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from progress.models import QuarterFinalisation
from reports.exports import quarterly_table, write_quarterly_workbook
from tasks.models import Assignment
from tests.factories import ReportFactory, ReviewFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def cells(plan, quarter, now):
    """Every cell value of both sheets, as a list of rows per sheet."""
    stream = io.BytesIO()
    write_quarterly_workbook(quarterly_table(workplan=plan, quarter=quarter, now=now), stream)
    book = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def item(rows, number):
    return next(r for r in rows["推进情况"] if r[0] == number)


def yinzhou_item8():
    return Assignment.objects.get(task__number=8, department__code="yinzhou")


@pytest.fixture
def late_report(plan_2021):
    """鄞州 files its second-quarter report on item 8 on 5 July (after the quarter ended); the office accepts it."""
    report = ReportFactory(
        assignment=yinzhou_item8(),
        quarter=2,
        percent_complete=55,
        progress_summary="完成队伍整编",
        submitted_at=at(2021, 7, 5, 10),
    )
    ReviewFactory(report=report, reviewed_at=at(2021, 7, 6, 10))
    return report


def test_a_late_report_appears_in_its_quarters_draft_table_marked_late(late_report, plan_2021):
    rows = cells(plan_2021, 2, now=at(2021, 7, 15))

    assert rows["推进情况"][0][0].endswith("2021年第二季度推进情况表（草稿）")
    assert "【鄞州 55% 补报】完成队伍整编" in item(rows, 8)[5]
    assert item(rows, 8)[6] == pytest.approx(55 / 11 / 100)
    # Later quarters' tables include it too (latest report for a period up to the quarter) …
    assert "完成队伍整编" in item(cells(plan_2021, 3, now=at(2021, 7, 15)), 8)[5]
    # … earlier ones do not.
    assert "完成队伍整编" not in (item(cells(plan_2021, 1, now=at(2021, 7, 15)), 8)[5] or "")


def test_a_report_for_the_running_quarter_is_not_late(plan_2021):
    report = ReportFactory(assignment=yinzhou_item8(), quarter=3, submitted_at=at(2021, 7, 5))

    assert not report.is_late
    assert report.period_label == "2021年第三季度"


def test_after_finalising_a_newer_report_changes_nothing_in_that_quarters_export(late_report, plan_2021):
    office = UserFactory(username="office-1", role="office", first_name="督查")
    with time_machine.travel(at(2021, 7, 10, 9), tick=False):
        call_command("finalise_quarter", "--year", "2021", "--quarter", "2", stdout=io.StringIO())
    before = cells(plan_2021, 2, now=at(2021, 7, 12))
    finalisation = QuarterFinalisation.objects.get()

    newer = ReportFactory(
        assignment=yinzhou_item8(),
        quarter=2,
        percent_complete=90,
        progress_summary="再次补报",
        submitted_at=at(2021, 7, 20),
    )
    ReviewFactory(report=newer, reviewed_at=at(2021, 7, 21))
    plan_2021.light_tolerance = 0  # the office changes the thresholds afterwards
    plan_2021.save()
    after = cells(plan_2021, 2, now=at(2021, 8, 1))

    assert after == before  # byte-equal cell values, both sheets, title and subtitle included
    assert not before["推进情况"][0][0].endswith("（草稿）")
    assert "定稿于 2021-07-10 09:00" in before["推进情况"][1][0]
    assert finalisation.finalised_by_name.startswith("命令行")
    # The newer report shows in the next quarter's draft, and on the task page as late.
    assert "再次补报" in item(cells(plan_2021, 3, now=at(2021, 8, 1)), 8)[5]

    # Reopening (office, with a reason) makes it a draft that counts the newer report; the log stays.
    client = Client()
    client.force_login(office)
    refused = client.post(reverse("quarter_reopen", args=[finalisation.pk]), {"reason": "  "})
    assert refused.status_code == 302 and QuarterFinalisation.objects.get().reopened_at is None
    client.post(reverse("quarter_reopen", args=[finalisation.pk]), {"reason": "鄞州补报数据有误"})
    finalisation.refresh_from_db()
    assert (finalisation.reopened_by, finalisation.reopen_reason) == (office, "鄞州补报数据有误")
    reopened = cells(plan_2021, 2, now=at(2021, 8, 1))
    assert reopened["推进情况"][0][0].endswith("（草稿）")
    assert "再次补报" in item(reopened, 8)[5]
    page = client.get(reverse("report_export"), {"workplan": plan_2021.pk}).content.decode()
    assert "鄞州补报数据有误" in page and "定稿于" in page


def test_the_export_page_finalises_for_the_office_only(plan_2021, client):
    leader = UserFactory(username="leader-1", role="leader")
    office = UserFactory(username="office-1", role="office")
    client.force_login(leader)
    page = client.get(reverse("report_export")).content.decode()
    assert "2021年第一季度" in page and "草稿" in page
    assert 'action="/quarters/finalise/"' not in page
    assert client.post(reverse("quarter_finalise"), {"workplan": plan_2021.pk, "quarter": 1}).status_code == 403

    client.force_login(office)
    assert 'action="/quarters/finalise/"' in client.get(reverse("report_export")).content.decode()
    client.post(reverse("quarter_finalise"), {"workplan": plan_2021.pk, "quarter": 1})
    again = client.post(reverse("quarter_finalise"), {"workplan": plan_2021.pk, "quarter": 1}, follow=True)

    (finalisation,) = QuarterFinalisation.objects.all()
    assert (finalisation.quarter, finalisation.finalised_by) == (1, office)
    assert finalisation.rows.count() == Assignment.objects.count()
    assert "已定稿" in again.content.decode()


def test_the_command_names_what_it_cannot_finalise(plan_2021):
    with pytest.raises(CommandError, match="没有 2020 年"):
        call_command("finalise_quarter", "--year", "2020", "--quarter", "1")
    with pytest.raises(CommandError, match="编号为 999999"):
        call_command("finalise_quarter", "--year", "2021", "--quarter", "1", "--workplan", "999999")
    call_command("finalise_quarter", "--year", "2021", "--quarter", "1", stdout=io.StringIO())
    with pytest.raises(CommandError, match="2021年第一季度已定稿"):
        call_command("finalise_quarter", "--year", "2021", "--quarter", "1")
    assert QuarterFinalisation.objects.count() == 1
