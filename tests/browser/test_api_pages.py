"""The API's pages in a real browser: a user makes a token on their own page (390 px wide), the docs load
from this server only, and a page's own script reads the API with the signed-in session."""

import re

import pytest
from playwright.sync_api import expect

from api.models import ApiToken

pytestmark = pytest.mark.browser


def test_staff_make_a_token_on_a_phone_and_revoke_it(site, session):
    page = session.open("staff-yinzhou")
    page.set_viewport_size({"width": 390, "height": 844})

    page.get_by_role("button", name="菜单").click()  # the link is in the folded menu on a phone
    page.get_by_role("link", name="API 令牌").click()
    page.get_by_label("名称").fill("浙政钉小程序")
    page.get_by_role("button", name="新建令牌").click()

    key = page.locator("#new-token").inner_text()
    assert re.fullmatch(r"wpt_[\w-]{43}", key)
    expect(page.locator("table.list")).to_contain_text("浙政钉小程序")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="吊销").click()
    expect(page.locator("main")).to_contain_text("已吊销令牌“浙政钉小程序”")
    assert ApiToken.objects.get().revoked_at is not None


def test_the_docs_load_from_this_server_and_a_page_script_reads_the_api(site, session):
    page = session.open("leader")

    page.goto(f"{session.url}/api/docs/")
    expect(page.locator(".swagger-ui")).to_contain_text("工作要点推进管理 API")
    expect(page.locator(".swagger-ui")).to_contain_text("/api/tasks/")

    page.goto(f"{session.url}/dashboard/")
    body = page.evaluate("fetch('/api/tasks/?page_size=1', {credentials: 'same-origin'}).then(r => r.json())")
    assert body["count"] == 21
    assert body["results"][0]["title"]
