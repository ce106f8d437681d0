"""Celery jobs. Thin: each takes an id or a date and calls a service in reminders.services.

Named ``jobs`` (listed in CELERY_IMPORTS) so that nobody confuses them with the ``tasks`` app.
"""

import datetime

from celery import shared_task
from django.utils import timezone

from .delivery import SEND_ERRORS, deliver, deliver_to_channel
from .services import sweep


@shared_task(bind=True, max_retries=3)
def send_reminder(self, log_id: int) -> None:
    """Send one recorded reminder (a ReminderLog id) by e-mail.

    An SMTP or network error is retried after 30, 60 and 120 seconds (short
    countdowns: no long ETA for Redis to redeliver), then marked failed for the
    office to see; other recipients are unaffected.
    """
    try:
        deliver(log_id, final=self.request.retries >= self.max_retries)
    except SEND_ERRORS as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(bind=True, max_retries=3)
def send_channel_message(self, message_id: int) -> None:
    """Send one recorded robot message (a ChannelMessage id) to its DingTalk / WeCom / Feishu group.

    Retried like send_reminder (30, 60, 120 seconds), then marked failed with the
    robot's answer for the office to see in the admin; other channels are unaffected.
    """
    try:
        deliver_to_channel(message_id, final=self.request.retries >= self.max_retries)
    except SEND_ERRORS as exc:
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task
def daily_sweep(day: str | None = None) -> str:
    """The 09:00 sweep (CELERY_BEAT_SCHEDULE), every day; on a day off it only says so (tasks.workdays).

    ``day`` is YYYY-MM-DD, default today in Asia/Shanghai.
    """
    return str(sweep(datetime.date.fromisoformat(day) if day else timezone.localdate()))
