"""The report form in Chromium: evidence over the total limit is stopped before sending, a double click sends once."""

import re

import pytest
from playwright.sync_api import expect

from progress.models import ProgressReport
from tasks.models import Assignment

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_report_form(session):
    page = session.open("staff-yinzhou")
    assignment = Assignment.objects.get(task__number=8, department__code="yinzhou")
    page.goto(f"{session.url}/assignments/{assignment.pk}/report/")
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent_complete", "45")
    page.fill("#id_progress_summary", "已组建人防应急救援队伍，完成首次拉动点验。")
    return page


def test_evidence_over_the_total_limit_is_stopped_in_the_browser_with_the_text_kept(site, session):
    page = open_report_form(session)
    big = PDF + b"0" * (13 * 1024 * 1024)
    page.set_input_files(
        "#id_evidence",
        [
            {"name": "a.pdf", "mimeType": "application/pdf", "buffer": big},
            {"name": "b.pdf", "mimeType": "application/pdf", "buffer": big},
        ],
    )

    page.get_by_role("button", name="提交").click()

    expect(page.locator(".client-errors")).to_contain_text("超过一次提交的上限 24 MB")
    expect(page.locator("#id_progress_summary")).to_have_value("已组建人防应急救援队伍，完成首次拉动点验。")
    assert not ProgressReport.objects.exists()


def test_a_double_click_files_one_report(site, session):
    page = open_report_form(session)

    page.get_by_role("button", name="提交").dblclick()
    page.wait_for_url(re.compile(r"/tasks/\d+/"))

    assert ProgressReport.objects.count() == 1
