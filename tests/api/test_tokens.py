"""Personal API tokens: made and revoked on the own page or the admin, stored hashed; throttled per token."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken, hash_key
from api.services import token_create
from api.throttling import PerTokenThrottle


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_user_creates_a_token_on_their_page_and_sees_the_key_once(actors, login):
    client = login(actors.staff)

    page = client.post(reverse("api_tokens"), {"name": "浙政钉小程序"}).content.decode()

    key = re.search(r'id="new-token"[^>]*>(wpt_[\w-]+)<', page).group(1)
    token = ApiToken.objects.get()
    assert token.user == actors.staff and token.name == "浙政钉小程序"
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert token.prefix == key[:12]
    assert bearer(key).get(reverse("api_tasks")).status_code == 200
    assert key not in client.get(reverse("api_tokens")).content.decode()  # shown once
    assert token.prefix in client.get(reverse("api_tokens")).content.decode()


def test_a_token_without_a_name_is_refused_on_the_page(actors, login):
    page = login(actors.staff).post(reverse("api_tokens"), {"name": ""}).content.decode()

    assert "请写明令牌用在哪里。" in page
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_and_kept(actors, login):
    token, key = token_create(user=actors.staff, name="小程序")
    assert bearer(key).get(reverse("api_tasks")).status_code == 200

    login(actors.staff).post(reverse("api_token_revoke", args=[token.pk]))

    response = bearer(key).get(reverse("api_tasks"))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "令牌无效或已吊销。"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_another_users_token_on_the_page(actors, login):
    token, key = token_create(user=actors.staff, name="小程序")

    response = login(actors.outsider).post(reverse("api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert bearer(key).get(reverse("api_tasks")).status_code == 200


def test_a_deactivated_users_token_stops_working(actors):
    _token, key = token_create(user=actors.staff, name="小程序")
    actors.staff.is_active = False
    actors.staff.save()

    assert bearer(key).get(reverse("api_tasks")).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer wpt_unknown", "Token 令牌"])
def test_a_malformed_or_unknown_token_is_a_401(actors, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))

    response = client.get(reverse("api_tasks"))

    assert response.status_code == 401
    assert response.json()["error"]["message"]


def test_last_use_is_recorded(actors):
    token, key = token_create(user=actors.staff, name="小程序")

    bearer(key).get(reverse("api_tasks"))

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_administrator_creates_a_token_for_anyone_and_revokes_it(actors, client):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:api_apitoken_add"), {"user": actors.leader.pk, "name": "统计系统"}, follow=True
    )

    key = re.search(r"(wpt_[\w-]{43})", response.content.decode()).group(1)
    token = ApiToken.objects.get(user=actors.leader)
    assert token.key_hash == hash_key(key)
    assert bearer(key).get(reverse("api_tasks")).status_code == 200

    client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )

    assert bearer(key).get(reverse("api_tasks")).status_code == 401


def test_the_pages_scripts_use_the_session_and_must_send_the_csrf_token(actors):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(actors.staff)
    address = reverse("api_report_create", args=[actors.assignment.pk])
    report = {"quarter": 1, "status": "in_progress", "percent_complete": 10, "progress_summary": "已部署"}

    assert client.get(reverse("api_tasks")).status_code == 200
    refused = client.post(address, report, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]

    client.get(reverse("api_tokens"))  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    assert client.post(address, report, format="json", HTTP_X_CSRFTOKEN=token).status_code == 201


def test_each_token_has_its_own_budget(actors, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"api": "3/minute"})
    _first, key = token_create(user=actors.staff, name="一")
    _second, other = token_create(user=actors.staff, name="二")
    client = bearer(key)

    answers = [client.get(reverse("api_departments")).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    refused = client.get(reverse("api_departments"))
    assert "请求" in refused.json()["error"]["message"] and int(refused["Retry-After"]) > 0
    assert bearer(other).get(reverse("api_departments")).status_code == 200
