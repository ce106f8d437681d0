"""Behind nginx every login arrives from 127.0.0.1: the lockout must fall on the client, not on everybody."""

import runpy

import pytest
from django.urls import reverse

from tests.conftest import ROOT

NGINX = "127.0.0.1"  # docs/deploy.md: nginx on the same machine sets X-Forwarded-For to the client's address
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.10"


@pytest.fixture
def behind_proxy(settings, monkeypatch):
    """workplan/settings.py as read with BEHIND_TLS_PROXY=1 (the production file), applied to this test."""
    monkeypatch.setenv("BEHIND_TLS_PROXY", "1")
    production = runpy.run_path(str(ROOT / "workplan" / "settings.py"))
    for name in ("SECURE_PROXY_SSL_HEADER", *[n for n in production if n.startswith("AXES_IPWARE_")]):
        setattr(settings, name, production[name])
    settings.AXES_FAILURE_LIMIT = 5


def login(client, password, client_address, forwarded=None):
    return client.post(
        reverse("login"),
        {"username": "office", "password": password},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded or client_address,
    )


def test_an_attacker_behind_the_proxy_does_not_lock_the_owner_out(actors, client, behind_proxy):
    for _ in range(5):
        login(client, "wrong", ATTACKER)

    assert login(client, "pw", ATTACKER).status_code == 429  # the attacker's address is locked
    assert login(client, "pw", OWNER).status_code == 302


def test_a_forged_forwarded_header_does_not_move_the_lock_onto_someone_else(actors, client, behind_proxy):
    """A client sending its own X-Forwarded-For (nginx passing it along) is not believed."""
    for _ in range(5):
        login(client, "wrong", ATTACKER, forwarded=f"{OWNER}, {ATTACKER}")

    assert login(client, "pw", OWNER).status_code == 302


def test_without_the_proxy_the_header_is_ignored(actors, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": "office", "password": "wrong"}, HTTP_X_FORWARDED_FOR=OWNER)

    other = client.post(reverse("login"), {"username": "office", "password": "pw"}, HTTP_X_FORWARDED_FOR=ATTACKER)

    assert other.status_code == 429  # same connection address: a client cannot choose its own bucket
