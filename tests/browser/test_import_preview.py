"""The office imports a Word file in a real browser: preview, fix a department and a date, confirm."""

import pytest
from playwright.sync_api import expect

from tasks.models import Task

from ..tasks.importing.documents import word_file

pytestmark = pytest.mark.browser

PARAGRAPHS = [
    (None, "2023年某市人防工作要点"),
    (0, "重点任务"),
    (1, "推进指挥所建设。6月底前完成选址。（牵头单位：区发改局）"),
    (1, "完善方案计划。三季度完成。"),
    (None, "某市人民防空办公室"),
    (None, "2023年1月22日"),
]


def test_the_office_uploads_a_word_file_fixes_the_preview_and_confirms(site, session, tmp_path):
    path = tmp_path / "2023年工作要点.docx"
    path.write_bytes(word_file(PARAGRAPHS))
    page = session.open("office")

    page.get_by_role("link", name="导入工作要点").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="生成预览").click()

    expect(page.locator("h1")).to_contain_text("导入预览")
    expect(page.locator("main")).to_contain_text("“区发改局”不在单位名录中，将新建")
    expect(page.locator("#id_item-0-title")).to_have_value("推进指挥所建设")
    expect(page.locator("#id_item-1-deadline")).to_have_value("2023-09-30")
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the preview scrolls sideways"

    page.fill("#id_item-0-lead", "鄞州区")
    page.fill("#id_item-1-deadline", "2023-08-31")
    page.get_by_role("button", name="确认导入").click()

    expect(page.locator(".message-success")).to_contain_text("新建《2023年某市人防工作要点》")
    first, second = Task.objects.filter(section__workplan__year=2023).order_by("number")
    assert (first.title, first.lead_department.name) == ("推进指挥所建设", "鄞州区")
    assert (second.title, str(second.deadline)) == ("完善方案计划", "2023-08-31")
