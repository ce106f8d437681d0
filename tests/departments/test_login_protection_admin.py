"""登录保护 (django-axes) in the admin and its lockout message: Chinese, like the rest of the product."""

import re

from axes.helpers import get_lockout_message
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

ENGLISH = ["Axes", "Access attempts", "Access logs", "Access failures", "IP Address", "Attempt Time", "Locked Out"]


def test_the_admin_names_the_section_and_its_models_in_chinese(db, client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    index = client.get(reverse("admin:index")).content.decode()

    for name in ("登录保护", "访问尝试", "访问日志", "登录失败记录"):
        assert name in index
    for word in ENGLISH:
        assert f">{word}<" not in index


def test_the_attempts_list_its_columns_status_and_clean_up_are_chinese(db, client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    for username, failures in (("staff-a", 2), ("staff-b", 5)):
        AccessAttempt.objects.create(
            username=username,
            ip_address="10.0.0.9",
            user_agent="x",
            http_accept="*/*",
            path_info="/accounts/login/",
            get_data="",
            post_data="",
            failures_since_start=failures,
        )
    url = reverse("admin:axes_accessattempt_changelist")

    page = client.get(url).content.decode()
    action = {"action": "cleanup_expired_attempts", "_selected_action": [AccessAttempt.objects.first().pk]}
    done = client.post(url, action, follow=True)

    for text in ("IP 地址", "尝试时间", "失败次数", "还可尝试 3 次", "已锁定", "清理已过期的尝试记录"):
        assert text in page
    for word in ENGLISH:
        assert word not in page
    assert "条过期的访问尝试记录" in done.content.decode()


def test_the_lockout_message_is_chinese(db):
    assert str(get_lockout_message()) == "账号已锁定：登录失败次数过多，请稍后再试。"


def test_the_committed_catalogue_carries_every_translation_in_the_po_file():
    """locale/…/django.mo is compiled from django.po (a stale .mo would show English again)."""
    from django.utils import translation

    from tests.conftest import ROOT

    po = (ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, flags=re.M)
    assert len(pairs) > 20
    with translation.override("zh-hans"):
        assert {msgid: translation.gettext(msgid) for msgid, _ in pairs} == dict(pairs)
