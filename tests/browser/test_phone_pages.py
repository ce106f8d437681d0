"""The pages on a phone (390 × 844) and a tablet (768 px): staff's day from the login to the bell, the
office's pages, the folding menu. No page is ever wider than the screen, tap targets are at least 44 px,
and dates and unit names are not broken mid-word.

With DOCS_PICTURES=1 the staff's day also writes its screens to docs/phone-*.png (the README shows one):
``DOCS_PICTURES=1 .venv/bin/python -m pytest tests/browser/test_phone_pages.py -k staff``.
"""

import datetime
import os
import struct
import zlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from departments.models import User
from progress.services import report_review, report_submit
from tasks.models import Assignment
from tests.browser.conftest import PASSWORD
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
ITEM8 = "不断加强人防专业力量建设"
TAP = 44  # px, the smallest tap target


@pytest.fixture(autouse=True)
def in_march_2021():
    with time_machine.travel(datetime.datetime(2021, 3, 31, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour (8-bit RGB), as a phone's camera roll would hand over."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def assignment(number: int, code: str) -> Assignment:
    return Assignment.objects.select_related("task").get(task__number=number, department__code=code)


def file_report(number: int, code: str, percent: int = 20):
    return report_submit(
        assignment=assignment(number, code),
        user=User.objects.get(username=f"staff-{code}"),
        quarter=1,
        status="in_progress",
        percent_complete=percent,
        progress_summary="已召开专题会议部署，明确责任分工和时间节点，正按计划推进。",
    ).report


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits(page, width: int = PHONE["width"]):
    """Nothing on the page is wider than the screen: no sideways scroll."""
    page.wait_for_load_state()
    assert page_width(page) <= width, f"{page.url} is {page_width(page)} px wide on a {width} px screen"


def assert_tappable(locator):
    box = locator.bounding_box()
    assert box is not None and box["height"] >= TAP, f"{locator} is {box and box['height']} px high"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, f"{locator} is off-screen: {box}"


def lines(locator) -> int:
    """How many lines the element's first text runs over on screen (1: not broken)."""
    return locator.evaluate(
        """el => {
          const text = [...el.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
          const range = document.createRange();
          range.selectNodeContents(text);
          return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        }"""
    )


def assert_menu_folds(page, link: str):
    """The menu is folded behind one button; Enter opens it, Escape closes it and gives the focus back."""
    toggle = page.get_by_role("button", name="菜单")
    menu = page.locator("#site-menu")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert_tappable(toggle)
    assert_tappable(page.locator("a.bell"))

    toggle.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert_tappable(page.get_by_role("link", name=link))
    assert_tappable(page.get_by_role("link", name="API 令牌"))
    assert_fits(page)

    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()


class Pictures:
    """Screens for docs/ (DOCS_PICTURES=1) or a scratch folder; each kept under 150 KB."""

    def __init__(self, folder):
        self.folder = ROOT / "docs" if os.environ.get("DOCS_PICTURES") == "1" else folder

    def take(self, page, name: str):
        path = self.folder / f"phone-{name}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size <= 150_000, f"{path.name} is {path.stat().st_size} bytes"


@pytest.fixture
def returned_report(site):
    """Item 5's report from 鄞州, returned by the office: a notification waits in staff-yinzhou's bell."""
    report = file_report(5, "yinzhou", percent=30)
    report_review(
        report=report, user=User.objects.get(username="office"), decision="returned", reason="请补充具体措施和时间安排"
    )


def test_staff_day_on_a_phone(returned_report, session, tmp_path):
    pictures = Pictures(tmp_path)
    page = session.new_page("staff-yinzhou", viewport=PHONE)

    page.goto(f"{session.url}/accounts/login/")
    assert_fits(page)
    assert_tappable(page.get_by_role("button", name="登录"))
    pictures.take(page, "login")
    page.fill("#id_username", "staff-yinzhou")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()

    # 我的工作: one card per item, its 填报 button on screen, the date on one line.
    expect(page.locator("h1")).to_contain_text("我的工作")
    assert_fits(page)
    expect(page.locator("thead")).to_be_hidden()
    card = page.locator("table.list tbody tr", has_text=ITEM8)
    assert_tappable(card.get_by_role("link", name="填报"))
    deadline = card.locator("td[data-label=完成时限]")
    expect(deadline).to_contain_text("2021-12-31")
    assert lines(deadline) == 1
    assert lines(card.locator("td[data-label=角色]")) == 1
    expect(page.locator(".filters")).to_be_hidden()  # folded on a phone: the list comes first
    pictures.take(page, "my-work")
    assert_menu_folds(page, "我的工作")
    page.get_by_role("button", name="菜单").click()
    pictures.take(page, "menu")
    page.get_by_role("button", name="菜单").click()

    # The task page: each department a card, 鄞州区's with its 填报 and 申请延期 buttons.
    card.get_by_role("link", name=ITEM8).click()
    expect(page.locator("h1")).to_contain_text(ITEM8)
    assert_fits(page)
    own = page.locator("table.list tbody tr", has_text="鄞州区")
    assert lines(own.locator("td.unit")) == 1
    assert lines(own.locator("td", has_text="责任单位")) == 1
    assert_tappable(own.get_by_role("link", name="申请延期"))
    own.get_by_role("link", name="申请延期").click()
    expect(page.locator("h1")).to_contain_text("申请延期")
    assert_fits(page)
    page.go_back()
    pictures.take(page, "task")

    # The report form, with a photo from the phone.
    photo = tmp_path / "拉动点验现场.png"
    photo.write_bytes(png(64, 48, (46, 125, 50)))
    own.get_by_role("link", name="填报").click()
    expect(page.locator("h1")).to_contain_text("填报进展")
    assert_fits(page)
    page.select_option("#id_status", "in_progress")
    page.fill("#id_percent_complete", "45")
    page.fill("#id_progress_summary", "已组建人防应急救援队伍，完成首次拉动点验。")
    page.set_input_files("#id_evidence", str(photo))
    pictures.take(page, "report-form")
    assert_tappable(page.get_by_role("button", name="提交"))
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".message")).to_contain_text("已提交")
    expect(page.locator(".timeline")).to_contain_text("拉动点验现场.png")
    assert_fits(page)

    # The bell stays outside the folded menu: one tap to the office's answer.
    expect(page.locator("#unread-count")).to_have_text("1")
    page.locator("a.bell").click()
    expect(page.locator(".notifications")).to_contain_text("请补充具体措施和时间安排")
    assert_fits(page)
    expect(page.locator("#unread-count")).to_have_count(0)
    pictures.take(page, "notifications")

    for path in ("/account/api-tokens/", "/fill-in/upload/", "/channels/"):
        page.goto(session.url + path)
        assert_fits(page)


def test_the_office_pages_fit_a_phone(site, session):
    for number, code in ((8, "yinzhou"), (1, "nbrf"), (2, "nbrf")):
        file_report(number, code)
    page = session.open("office", viewport=PHONE)

    expect(page.locator("h1")).to_contain_text("驾驶舱")
    expect(page.locator("#chart-departments canvas")).to_have_count(1)
    assert_fits(page)
    assert_menu_folds(page, "全部任务")

    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="全部任务").click()
    expect(page.locator("p.count")).to_have_text("共 21 项")
    assert_fits(page)

    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="待审核").click()
    expect(page.locator("h1")).to_have_text("待审核")
    row = page.locator("tr", has_text=ITEM8)
    assert_fits(page)
    assert_tappable(row.get_by_role("button", name="通过"))
    row.locator("textarea[name=reason]").fill("请补充点验照片")
    row.get_by_role("button", name="退回").click()
    expect(page.locator("tr", has_text=ITEM8)).to_contain_text("已退回")
    assert_fits(page)


def test_the_review_queue_on_a_tablet_is_a_table_with_big_buttons(site, session):
    file_report(8, "yinzhou")
    file_report(1, "nbrf")
    page = session.open("office", viewport=TABLET)
    page.goto(f"{session.url}/reviews/")

    assert_fits(page, TABLET["width"])
    expect(page.locator("table.review thead")).to_be_visible()
    row = page.locator("tr", has_text="始终把政治建设摆在首位")
    assert lines(row.locator("td").nth(1)) == 1  # 市人防办 on one line
    for name in ("通过", "退回"):
        assert row.get_by_role("button", name=name).bounding_box()["height"] >= TAP
    row.get_by_role("button", name="通过").click()
    expect(page.locator("tr", has_text="始终把政治建设摆在首位")).to_contain_text("已通过")


def test_on_a_desktop_the_menu_is_in_the_bar(site, session):
    page = session.open("office")

    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    for name in ("驾驶舱", "全部任务", "待审核", "API 令牌"):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    page.get_by_role("link", name="全部任务").click()
    expect(page.locator("table.list thead")).to_be_visible()
    expect(page.locator(".filters")).to_be_visible()


def test_a_long_unbroken_address_wraps_and_the_review_buttons_stay_on_screen(site, session):
    """Found by trying: one report holding a pasted address with no break made 待审核 3,000 px wide (every
    report's 通过/退回 off screen, even on a desktop) and the task page as wide on a phone."""
    report = report_submit(
        assignment=assignment(8, "yinzhou"),
        user=User.objects.get(username="staff-yinzhou"),
        quarter=1,
        status="in_progress",
        percent_complete=20,
        progress_summary="http://example.gov.cn/" + "a" * 400,
        problems="B" * 300,
    ).report
    file_report(1, "nbrf")
    for viewport in (PHONE, {"width": 1280, "height": 900}):
        page = session.open("office", viewport=viewport)
        page.goto(f"{session.url}/reviews/")
        assert_fits(page, viewport["width"])
        for row in (page.locator("tr", has_text=ITEM8), page.locator("tr", has_text="始终把政治建设摆在首位")):
            box = row.get_by_role("button", name="通过").bounding_box()
            assert box["x"] + box["width"] <= viewport["width"], box
        page.goto(f"{session.url}/tasks/{report.assignment.task_id}/")
        assert_fits(page, viewport["width"])


def test_the_export_page_with_a_finalised_quarter_fits_a_phone(site, session):
    """Found by trying: the 撤销原因 box beside 撤销定稿 made the page 394 px wide once a quarter was 定稿."""
    from progress.quarters import quarter_finalise
    from tasks.models import Workplan

    quarter_finalise(workplan=Workplan.objects.get(), quarter=1, user=User.objects.get(username="office"))
    page = session.open("office", viewport=PHONE)
    page.goto(f"{session.url}/exports/quarterly/")
    expect(page.get_by_role("button", name="撤销定稿")).to_be_visible()
    assert_fits(page)
    assert_tappable(page.get_by_role("button", name="撤销定稿"))
    # Found by trying: in a table at 390 px the quarter's name ran over four lines; each quarter is a card.
    assert lines(page.locator("table.quarters td.title", has_text="2021年第二季度")) == 1
