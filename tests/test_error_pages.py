"""With DEBUG off (as `make run` serves), a page a user may not see is the product's Chinese 404 or 403 page."""

import pytest
from django.urls import reverse

DJANGO_DEBUG_PAGE = ["Page not found", "URLconf", "Using the URLconf", "Forbidden", "DEBUG = True"]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


def assert_product_page(response, status: int, heading: str, line: str) -> None:
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="zh-hans">' in html
    assert f"<h1>{heading}</h1>" in html and line in html
    assert 'href="/">返回首页</a>' in html
    for text in DJANGO_DEBUG_PAGE:
        assert text not in html


def test_staff_typing_another_departments_task_address_get_the_chinese_404(actors, login):
    outsider = login(actors.outsider)

    for url in (
        reverse("task_detail", args=[actors.task.pk]),
        reverse("report_create", args=[actors.assignment.pk]),
        reverse("extension_create", args=[actors.assignment.pk]),
        reverse("task_detail", args=[987654]),
        "/no/such/page/",
    ):
        assert_product_page(outsider.get(url), 404, "页面不存在", "找不到该页面，或您无权查看。")


def test_staff_opening_the_offices_pages_get_the_chinese_403(actors, login):
    staff = login(actors.staff)

    for url in (reverse("review_queue"), reverse("extension_queue")):
        assert_product_page(staff.get(url), 403, "无权访问", "您的账号没有执行此操作的权限。如有疑问，请联系督查办。")


def test_the_icon_browsers_ask_for_is_the_products(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
