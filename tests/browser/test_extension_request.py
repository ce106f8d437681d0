"""延期申请 in a real browser: 鄞州 applies on an overdue item, the office approves, the light changes.

The clock stands at 5 July 2021, 10:00 in Ningbo; item 8 was due 30 June and is 60 % done.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from departments.models import User
from progress.services import report_submit
from tasks.models import Assignment, Task

pytestmark = pytest.mark.browser

ITEM8 = "不断加强人防专业力量建设"


@pytest.fixture(autouse=True)
def in_july_2021():
    with time_machine.travel(datetime.datetime(2021, 7, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def overdue_item8(site):
    assignment = Assignment.objects.select_related("task").get(task__number=8, department__code="yinzhou")
    Task.objects.filter(pk=assignment.task_id).update(deadline=datetime.date(2021, 6, 30))
    report_submit(
        assignment=assignment,
        user=User.objects.get(username="staff-yinzhou"),
        quarter=2,
        status="in_progress",
        percent_complete=60,
        progress_summary="队伍已组建，装备采购进行中。",
    )
    return assignment


def yinzhou_row(page):
    return page.locator("table.list tbody tr", has_text="鄞州")


def test_staff_apply_the_office_approves_and_the_light_changes(overdue_item8, session):
    staff = session.open("staff-yinzhou")
    staff.get_by_role("link", name=ITEM8).first.click()
    expect(yinzhou_row(staff)).to_contain_text("逾期")
    yinzhou_row(staff).get_by_role("link", name="申请延期").click()
    staff.fill("#id_requested_deadline", "2021-09-30")
    staff.fill("#id_reason", "装备采购受供货影响，需顺延至三季度末。")
    staff.get_by_role("button", name="提交申请").click()
    expect(staff.locator(".message-success")).to_contain_text("延期申请已提交")
    expect(staff.locator(".extensions")).to_contain_text("待审批")
    expect(yinzhou_row(staff)).to_contain_text("逾期")  # nothing moves before the office decides

    office = session.open("office")
    expect(office.locator(".bell .count")).to_have_text("1")
    office.get_by_role("link", name="延期申请").first.click()
    request = office.locator(".timeline li", has_text=ITEM8)
    expect(request).to_contain_text("原定 2021-06-30，申请延期至 2021-09-30")
    request.get_by_role("button", name="批准", exact=True).click()
    expect(office.locator(".message-success")).to_contain_text("已批准：")

    staff.reload()
    expect(yinzhou_row(staff)).not_to_contain_text("逾期")
    expect(yinzhou_row(staff)).to_contain_text("序时推进")
    expect(yinzhou_row(staff)).to_contain_text("已延期至 2021-09-30")
    expect(staff.locator(".extensions")).to_contain_text("已批准")
    expect(staff.locator(".bell .count")).to_have_text("1")
    staff.get_by_role("link", name="我的工作").click()
    row = staff.locator("table.list tbody tr", has_text=ITEM8)
    expect(row).to_contain_text("2021-09-30")
    expect(row).to_contain_text("原定 2021-06-30，已延期")
