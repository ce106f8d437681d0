"""待审核 with the keyboard in a real browser: accept one report, return another, the count follows without reload.

鄞州 has reported (late, 补报) for 2021年第一季度 on items 8 and 9 of the 2021 plan.
"""

import pytest
from playwright.sync_api import expect

from departments.models import User
from progress.models import Review
from progress.services import report_submit
from tasks.models import Assignment

pytestmark = pytest.mark.browser


@pytest.fixture
def two_reports(site):
    staff = User.objects.get(username="staff-yinzhou")
    reports = []
    for number, problems in ((8, "装备采购周期长"), (9, "场地协调困难")):
        assignment = Assignment.objects.get(task__number=number, department__code="yinzhou")
        reports.append(
            report_submit(
                assignment=assignment,
                user=staff,
                quarter=1,
                status="in_progress",
                percent_complete=40,
                progress_summary=f"第{number}项推进中。",
                problems=problems,
                next_steps="二季度完成",
            ).report
        )
    return reports


def tab_to(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until ``predicate`` (JavaScript on document.activeElement ``el``) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached: {predicate}")


def focus_is_visible(page) -> bool:
    return page.evaluate("getComputedStyle(document.activeElement).outlineStyle !== 'none'")


def test_the_office_accepts_and_returns_with_the_keyboard_and_the_count_drops(two_reports, session):
    first, second = two_reports
    page = session.open("office")
    page.get_by_role("link", name="待审核").first.click()
    count = page.locator("#review-count")
    expect(count).to_have_text("待审核 2 份报告")
    expect(page.locator(f"#report-{first.pk}")).to_contain_text("装备采购周期长")
    expect(page.locator(f"#report-{first.pk}")).to_contain_text("二季度完成")
    page.evaluate("window.notReloaded = true")

    tab_to(page, f"el.tagName === 'TEXTAREA' && el.closest('tr').id === 'report-{first.pk}'")
    assert focus_is_visible(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "通过"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    expect(count).to_have_text("待审核 1 份报告")
    expect(page.locator(f"#report-{first.pk}")).to_contain_text("已通过")
    # Focus went on to the next report's reason box: type the reason, Tab twice to 退回.
    expect(page.locator(f"#report-{second.pk} textarea")).to_be_focused()
    page.keyboard.type("请补充场地协调的书面材料")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "退回"
    page.keyboard.press("Enter")

    expect(count).to_have_text("待审核 0 份报告")
    expect(page.locator(f"#report-{second.pk}")).to_contain_text("已退回")
    assert page.evaluate("window.notReloaded === true")
    assert {r.report_id: (r.decision, r.reason) for r in Review.objects.all()} == {
        first.pk: ("accepted", ""),
        second.pk: ("returned", "请补充场地协调的书面材料"),
    }
