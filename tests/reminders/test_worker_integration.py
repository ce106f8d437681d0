"""A real Celery worker, against the configured broker (Redis in CI), sends the sweep's digests."""

import datetime
import logging
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from reminders.models import ReminderLog
from reminders.services import sweep
from tasks.models import Milestone
from workplan.celery import app

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis"),
        reason="no Redis broker configured: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0 to run (CI does)",
    ),
]


@pytest.fixture(autouse=True)
def _root_logger_restored():
    """start_worker sets the root logger to the worker's level (ERROR) and keeps it so: later tests would see
    no warning in caplog. Put the root logger back as it was."""
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


@pytest.mark.django_db(transaction=True)
def test_the_sweep_runs_through_a_real_worker(actors):
    Milestone.objects.create(task=actors.task, description="上半年完成选址", due_on=datetime.date(2021, 6, 30))
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = sweep(datetime.date(2021, 6, 23))  # autocommit: the digests are queued as their transaction commits
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not mail.outbox:
            time.sleep(0.2)

    assert len(result.recorded) == 1
    (message,) = mail.outbox
    assert message.to == ["staff-a@example.org"]
    assert "上半年完成选址" in message.body
    assert ReminderLog.objects.get().status == ReminderLog.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_to_the_department_robots(actors, department_robots, robots):
    from reminders.models import ChannelMessage

    Milestone.objects.create(task=actors.task, description="上半年完成选址", due_on=datetime.date(2021, 6, 30))
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        sweep(datetime.date(2021, 6, 23))
        deadline = time.monotonic() + 30
        sent = ChannelMessage.objects.filter(status=ReminderLog.Status.SENT)
        while time.monotonic() < deadline and (sent.count() < 3 or not mail.outbox):
            time.sleep(0.2)

    assert {r.robot for r in robots.delivered("dingtalk") + robots.delivered("wecom") + robots.delivered("feishu")} == {
        "dingtalk",
        "wecom",
        "feishu",
    }
    assert "上半年完成选址" in robots.delivered("dingtalk")[0].payload["markdown"]["text"]
    assert set(ChannelMessage.objects.values_list("status", flat=True)) == {ReminderLog.Status.SENT}
    assert len(mail.outbox) == 1
