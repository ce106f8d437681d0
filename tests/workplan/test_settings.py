"""Start-up reads its settings from the environment and names the variable it cannot read."""

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def start(show="s.DEBUG, s.DATABASES['default']['ENGINE'], s.TIME_ZONE, s.LANGUAGE_CODE", **env):
    """Start Django with ``env`` over a clean environment and print ``show`` (an expression on settings ``s``)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CACHE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings as s; print({show})"],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "workplan.settings"} | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_defaults_are_for_development():
    result = start()

    assert result.stdout.split() == ["True", "django.db.backends.sqlite3", "Asia/Shanghai", "zh-hans"]


def test_postgres_url_selects_postgresql():
    result = start(DATABASE_URL="postgres://postgres@127.0.0.1:5432/workplan")

    assert result.stdout.split()[1] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a yes/no value"),
        ({"DEBUG": "0"}, "SECRET_KEY must be set when DEBUG is off."),
        ({"CONN_MAX_AGE": "forever"}, "CONN_MAX_AGE='forever' is not a whole number."),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL cannot be read"),
        ({"CACHE_URL": "memcached://x"}, "CACHE_URL='memcached://x' is not a redis:// address."),
        ({"API_THROTTLE_RATE": "lots"}, "API_THROTTLE_RATE='lots' is not a rate such as 600/hour."),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(env, message):
    result = start(**env)

    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("env", "kept"),
    [
        ({}, False),  # SQLite, no shared cache: `make run` on a fresh machine; the job would only log
        ({"CACHE_URL": "redis://127.0.0.1:6379/1"}, False),  # SQLite: figures are never kept
        ({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/workplan"}, False),  # no shared cache
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/workplan", "CACHE_URL": "redis://127.0.0.1:6379/1"},
            True,
        ),
    ],
)
def test_the_dashboards_are_kept_ready_only_where_figures_are_kept(env, kept):
    result = start(show="sorted(s.CELERY_BEAT_SCHEDULE)", **env)

    assert ("keep-dashboards" in result.stdout) is kept
    assert "daily-reminder-sweep" in result.stdout
