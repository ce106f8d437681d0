"""Each role's day in a real browser (Chromium through Playwright) against a live server of the project.

The clock stands at 31 March 2021, 10:00 in Ningbo, a quarter into the 2021 plan.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from playwright.sync_api import expect

from departments.models import User
from progress.services import report_submit
from tasks.models import Assignment

pytestmark = pytest.mark.browser

ITEM8 = "不断加强人防专业力量建设"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def in_march_2021():
    with time_machine.travel(datetime.datetime(2021, 3, 31, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def yinzhou_item8() -> Assignment:
    return Assignment.objects.select_related("task").get(task__number=8, department__code="yinzhou")


def file_report(percent=45, summary="已组建人防应急救援队伍，完成首次拉动点验。", status="in_progress"):
    return report_submit(
        assignment=yinzhou_item8(),
        user=User.objects.get(username="staff-yinzhou"),
        quarter=1,
        status=status,
        percent_complete=percent,
        progress_summary=summary,
    ).report


def my_work_row(page):
    return page.locator("table.list tbody tr", has_text=ITEM8)


def test_staff_file_a_report_with_evidence_and_the_list_changes(site, session):
    page = session.open("staff-yinzhou")
    expect(page).to_have_title(re.compile("我的工作"))
    row = my_work_row(page)
    expect(row).to_contain_text("滞后")
    expect(row).to_contain_text("0%")

    row.get_by_role("link", name="填报").click()
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent_complete", "45")
    page.fill("#id_progress_summary", "已组建人防应急救援队伍，完成首次拉动点验。")
    page.set_input_files("#id_evidence", files=[{"name": "点验记录.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="提交").click()

    expect(page.locator(".message")).to_contain_text("已提交，等待督查办审核")
    expect(page.locator(".timeline")).to_contain_text("点验记录.pdf")
    page.get_by_role("link", name="我的工作").click()
    row = my_work_row(page)
    expect(row).to_contain_text("45%")
    expect(row).to_contain_text("序时推进")
    expect(row).to_contain_text("待审核")


def test_staff_of_another_department_typing_the_address_see_a_clear_page(site, session):
    page = session.open("staff-dongqianhu")

    response = page.goto(f"{session.url}/assignments/{yinzhou_item8().pk}/report/")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    expect(page.locator("body")).not_to_contain_text("进展情况")


def test_the_office_returns_a_report_then_accepts_and_the_assignment_closes(site, session):
    file_report(percent=100, status="completed", summary="两支队伍已建成")
    office = session.open("office")
    office.get_by_role("link", name="待审核").click()
    row = office.locator("tr", has_text=ITEM8)
    row.locator("textarea[name=reason]").fill("请补充点验照片")
    row.get_by_role("button", name="退回").click()
    expect(office.locator("tr", has_text=ITEM8)).to_contain_text("已退回")

    staff = session.open("staff-yinzhou")
    expect(my_work_row(staff)).to_contain_text("已退回")
    my_work_row(staff).get_by_role("link", name="填报").click()
    expect(staff.locator(".message-warning")).to_contain_text("上次填报已被退回：请补充点验照片")
    staff.fill("#id_progress_summary", "两支队伍已建成，点验照片见附件")
    staff.set_input_files(
        "#id_evidence", files=[{"name": "照片.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n0000"}]
    )
    staff.get_by_role("button", name="提交").click()
    expect(staff.locator(".message")).to_contain_text("已提交")

    office.reload()
    office.locator("tr", has_text=ITEM8).get_by_role("button", name="通过").click()
    expect(office.locator("tr", has_text=ITEM8)).to_contain_text("已通过")

    staff.get_by_role("link", name="我的工作").click()
    expect(my_work_row(staff)).to_contain_text("已办结")
    expect(my_work_row(staff).get_by_role("link", name="填报")).to_have_count(0)


def test_the_leader_watches_the_dashboard_move_and_drills_down(site, session):
    page = session.open("leader")
    expect(page).to_have_title(re.compile("驾驶舱"))
    before = float(page.locator("#figure-percent").inner_text().rstrip("%"))

    file_report(percent=90)
    page.reload()
    after = float(page.locator("#figure-percent").inner_text().rstrip("%"))
    assert after == pytest.approx(before + 90 / 11 / 21, abs=0.05)
    expect(page.locator("#chart-lights canvas")).to_have_count(1)
    expect(page.locator("#chart-sections canvas")).to_have_count(1)
    expect(page.locator("#chart-departments canvas")).to_have_count(1)

    # Click the bar of section 二 (item 8's) where ECharts drew it.
    x, y = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('chart-sections'));
          const value = chart.getOption().series[0].data[1];
          const [x, y] = chart.convertToPixel({seriesIndex: 0}, [value / 2, 1]);
          const box = document.getElementById('chart-sections').getBoundingClientRect();
          return [box.left + x, box.top + y];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/tasks/\?.*section="))
    expect(page.locator("h1")).to_have_text("全部任务")
    expect(page.locator(".count")).to_have_text("共 7 项")
    expect(page.locator("table.list")).to_contain_text(ITEM8)


def test_the_office_downloads_the_quarterly_table(site, session, tmp_path):
    file_report(summary="人防应急救援队伍组建完毕，开展拉动点验一次")
    page = session.open("office")
    page.get_by_role("link", name="报表").click()
    page.select_option("#id_quarter", "1")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    assert download.value.suggested_filename == "2021年宁波市人防工作要点2021年第一季度推进情况（草稿）.xlsx"
    sheet = openpyxl.load_workbook(path)["推进情况"]
    item8 = next(row for row in sheet.iter_rows(values_only=True) if row[0] == 8)
    assert "人防应急救援队伍组建完毕，开展拉动点验一次" in item8[5]

    first_quarter = page.locator("table.quarters tr", has_text="2021年第一季度")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    first_quarter.get_by_role("button", name="定稿").click()  # asked first, and "cancel" leaves it a draft
    expect(first_quarter).to_contain_text("草稿")
    assert "《2021年宁波市人防工作要点》2021年第一季度" in asked[0]
    page.once("dialog", lambda dialog: dialog.accept())
    first_quarter.get_by_role("button", name="定稿").click()
    expect(page.locator(".message")).to_contain_text("已定稿：2021年第一季度")
    expect(page.locator("table.quarters tr", has_text="2021年第一季度")).to_contain_text("已定稿")
    page.select_option("#id_quarter", "1")
    with page.expect_download() as final:
        page.get_by_role("button", name="下载 Excel").click()
    assert final.value.suggested_filename == "2021年宁波市人防工作要点2021年第一季度推进情况.xlsx"


def test_the_office_chases_and_staff_see_it_in_the_bell(site, session):
    office = session.open("office")
    office.goto(f"{session.url}/tasks/{yinzhou_item8().task_id}/")
    row = office.locator("tr", has_text="鄞州区")
    row.locator("summary", has_text="催办").click()
    row.locator("textarea[name=message]").fill("请本周五前报送点验情况")
    row.get_by_role("button", name="发送催办").click()
    expect(office.locator(".message")).to_contain_text("已催办鄞州区，通知 1 人")
    expect(office.locator(".chases")).to_contain_text("请本周五前报送点验情况")

    staff = session.open("staff-yinzhou")
    expect(staff.locator("#unread-count")).to_have_text("1")
    staff.locator("a.bell").click()
    expect(staff.locator(".notifications")).to_contain_text("请本周五前报送点验情况")
    expect(staff.locator("#unread-count")).to_have_count(0)


def test_changing_the_list_filters_again_and_again_keeps_one_copy_of_each_in_the_address(site, session):
    """Found by trying: each change added every field to the address again; after about 40 the list stopped
    answering (414) while still showing the old rows."""
    page = session.open("leader")
    page.get_by_role("link", name="全部任务").click()
    page.wait_for_load_state()
    for light in ["overdue", "behind", "on_track", "overdue", "", "behind"] * 3:
        page.select_option("#id_light", light)
        page.wait_for_url(re.compile(f"light={light}(&|$)"))

    query = page.url.split("?", 1)[1]
    assert query.count("light=") == 1
    assert len(page.url) < 300
    assert page.locator("label[for=id_deadline_0]").count() == 1  # the label points at the first date box
