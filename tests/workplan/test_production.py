"""Ready for an intranet: deploy checks, login lockout, idle sessions, health, concurrency, escaping."""

import datetime
import os
import secrets
import subprocess
import sys
import threading

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from progress.models import ProgressReport
from progress.selectors import assignment_rows
from progress.services import report_submit
from tests.conftest import ROOT
from tests.factories import ReportFactory
from workplan.celery import app


def production_env() -> dict[str, str]:
    """The example production file as /bin/sh reads it (`set -a; . FILE`), as the docs tell an office to."""
    listing = subprocess.run(
        ["/bin/sh", "-c", 'set -a; . "$0"; env -0', str(ROOT / "deploy" / "production.env.example")],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        check=True,
    ).stdout.decode()
    env = dict(item.split("=", 1) for item in listing.split("\0") if "=" in item)
    return {k: v for k, v in env.items() if k not in {"PATH", "PWD", "SHLVL", "_"}} | {
        "SECRET_KEY": secrets.token_urlsafe(50)
    }


def test_the_example_env_file_is_valid_for_sh():
    env = production_env()

    assert env["DEFAULT_FROM_EMAIL"] == "工作要点推进管理 <workplan@example.gov.cn>"
    assert env["DEBUG"] == "0" and env["BEHIND_TLS_PROXY"] == "1"


def test_check_deploy_reports_no_warnings_with_the_production_settings():
    dropped = {"DEBUG", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean | production_env(),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_logins_lock_after_repeated_failures_and_the_office_can_clear_them(actors, client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("login")
    for _ in range(3):
        client.post(url, {"username": "staff-a", "password": "wrong"})

    locked = client.post(url, {"username": "staff-a", "password": "pw"})

    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert AccessAttempt.objects.filter(username="staff-a").exists()
    assert actors.office.has_perm("axes.delete_accessattempt")
    AccessAttempt.objects.filter(username="staff-a").delete()  # what the office does in the admin
    assert client.post(url, {"username": "staff-a", "password": "pw"}).status_code == 302


def test_a_lock_is_per_user_and_address(actors, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    url = reverse("login")
    for _ in range(2):
        client.post(url, {"username": "staff-a", "password": "wrong"})

    assert client.post(url, {"username": "staff-b", "password": "pw"}).status_code == 302
    other_address = client.post(url, {"username": "staff-a", "password": "pw"}, REMOTE_ADDR="10.0.0.9")
    assert other_address.status_code == 302


def test_a_session_idle_past_its_time_is_logged_out(actors, client, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    client.post(reverse("login"), {"username": "staff-a", "password": "pw"})
    assert client.get(reverse("my_work")).status_code == 200

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        assert client.get(reverse("my_work")).status_code == 200  # activity renews it
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=51)):
        response = client.get(reverse("my_work"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_healthz_answers_when_database_and_broker_do(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_down(db, client, monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")  # Celery reads the variable first
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original

    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"].startswith("down")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)")
def test_two_submissions_at_once_on_postgresql_keep_both(actors):
    barrier = threading.Barrier(2)
    errors = []

    def submit(percent):
        try:
            barrier.wait()
            report_submit(
                assignment=actors.assignment,
                user=actors.staff,
                quarter=1,
                status="in_progress",
                percent_complete=percent,
                progress_summary=f"并发提交 {percent}",
            )
        except Exception as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(p,)) for p in (30, 60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    reports = list(ProgressReport.objects.filter(assignment=actors.assignment).newest_first())
    assert sorted(r.percent_complete for r in reports) == [30, 60]
    (row,) = assignment_rows([actors.assignment], as_of=timezone.localdate())
    assert row.progress.percent == reports[0].percent_complete


SCRIPT = "<script>alert('x')</script>"


def test_a_summary_with_script_is_shown_as_text_everywhere(actors, login):
    ReportFactory(assignment=actors.assignment, progress_summary=SCRIPT, problems=SCRIPT, next_steps=SCRIPT)
    pages = [
        (actors.staff, reverse("task_detail", args=[actors.task.pk])),
        (actors.staff, reverse("report_create", args=[actors.assignment.pk])),
        (actors.office, reverse("review_queue")),
        (actors.leader, reverse("task_detail", args=[actors.task.pk])),
    ]
    for user, url in pages:
        html = login(user).get(url).content.decode()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html, url
        assert SCRIPT not in html, url


def test_pages_do_not_write_the_session_on_every_request(actors, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.post(reverse("login"), {"username": "staff-a", "password": "pw"})
    client.get(reverse("my_work"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("my_work")).status_code == 200

    writes = [q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert writes == []
