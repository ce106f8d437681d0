"""The broker is down: whatever queues work records it, says so, and the next sweep sends it.

CELERY_BROKER_URL points at a closed port on 127.0.0.1, so queueing meets the real
connection error kombu raises (OperationalError), after the rows were committed.
"""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reminders.models import Chase, Notification, ReminderLog
from reminders.services import sweep
from tasks.models import Milestone
from workplan.celery import app

pytestmark = pytest.mark.django_db(transaction=True)  # after-commit queueing runs as in production

CLOSED_PORT = "redis://127.0.0.1:9/0"


def _reset_connections():
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(monkeypatch):
    """Celery's broker at a closed port (the environment variable wins over settings, as in production)."""
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT)
    app.conf.task_always_eager = False
    _reset_connections()
    yield
    monkeypatch.undo()
    _reset_connections()
    app.conf.task_always_eager = True  # the broker is back: jobs run in-process again


def test_a_chase_with_the_broker_down_is_recorded_and_said_to_follow(actors, client, broker_down):
    client.force_login(actors.office)

    response = client.post(reverse("chase_create", args=[actors.assignment.pk]), {"message": "请尽快报送"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已记录，站内通知已送达 1 人；发送队列暂不可用，邮件和群消息将在下次每日提醒时补发。"
    ]
    assert Chase.objects.count() == 1
    assert ReminderLog.objects.get().status == ReminderLog.Status.PENDING
    assert Notification.objects.get(recipient=actors.staff).title.startswith("【催办】")


def test_the_next_sweep_sends_what_the_broker_did_not_take(actors, client, broker_down):
    client.force_login(actors.office)
    client.post(reverse("chase_create", args=[actors.assignment.pk]), {"message": "请尽快报送"})
    broker_down_ended = timezone.now() + datetime.timedelta(minutes=31)

    app.conf.task_always_eager = True  # the broker is back
    with time_machine.travel(broker_down_ended):
        sweep(timezone.localdate())

    (message,) = mail.outbox
    assert message.to == ["staff-a@example.org"] and "请尽快报送" in message.body
    assert ReminderLog.objects.get().status == ReminderLog.Status.SENT


def test_the_digest_sweep_with_the_broker_down_keeps_its_digests_pending(actors, broker_down):
    Milestone.objects.create(task=actors.task, description="上半年完成选址", due_on=datetime.date(2021, 6, 30))

    result = sweep(datetime.date(2021, 6, 23))

    assert len(result.recorded) == 1
    assert (result.delivery.queued, result.delivery.pending) == (0, 1)
    assert "待重新排队 1" in str(result)
    assert ReminderLog.objects.get().status == ReminderLog.Status.PENDING
