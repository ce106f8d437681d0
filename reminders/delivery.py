"""Delivery: send one recorded message by e-mail (a ReminderLog) or to one robot (a ChannelMessage).

Each message is claimed with a conditional update (pending/retrying → sending),
so a duplicated or retried job sends nothing twice, and each goes on its own:
a failing channel never holds back the e-mail or the other channels.
"""

import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from .channels import ChannelError, robot
from .models import ChannelMessage, ReminderLog

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError, ChannelError)


def _send_claimed(model, pk: int, send, *, final: bool) -> bool:
    """Claim row ``pk`` of ``model``, call ``send(row)``, record sent / retrying / failed. True when sent now.

    On one of SEND_ERRORS the row is marked retrying and the error re-raised for
    the caller to retry, or marked failed when ``final``.
    """
    claimable = [ReminderLog.Status.PENDING, ReminderLog.Status.RETRYING]
    row = model.objects.filter(pk=pk).first()
    if row is None or row.status not in claimable:
        return False
    if not model.objects.filter(pk=pk, status=row.status).update(
        status=ReminderLog.Status.SENDING, attempts=row.attempts + 1
    ):
        return False  # another worker has it
    try:
        send(row)
    except SEND_ERRORS as exc:
        status = ReminderLog.Status.FAILED if final else ReminderLog.Status.RETRYING
        error = str(exc) if isinstance(exc, ChannelError) else f"{type(exc).__name__}: {exc}"
        model.objects.filter(pk=pk).update(status=status, last_error=error[:2000])
        logger.warning("reminder.send_failed %s=%s final=%s error=%s", model.__name__, pk, final, error)
        if final:
            return False
        raise
    model.objects.filter(pk=pk).update(status=ReminderLog.Status.SENT, sent_at=timezone.now(), last_error="")
    logger.info("reminder.sent %s=%s kind=%s", model.__name__, pk, row.kind)
    return True


def _send_email(log: ReminderLog) -> None:
    message = EmailMultiAlternatives(log.subject, log.body_text, to=[log.email])
    message.attach_alternative(log.body_html, "text/html")
    message.send()


def _send_to_robot(message: ChannelMessage) -> None:
    channel = message.channel
    robot(channel.kind, channel.webhook, channel.secret).post_markdown(message.title, message.body)


def deliver(log_id: int, *, final: bool) -> bool:
    """Send one recorded message (ReminderLog id) by e-mail. True when sent now; see _send_claimed for errors."""
    return _send_claimed(ReminderLog, log_id, _send_email, final=final)


def deliver_to_channel(message_id: int, *, final: bool) -> bool:
    """Send one recorded robot message (ChannelMessage id). True when sent now; see _send_claimed for errors.

    Errors are stored with the webhook token and secret masked (channels.ChannelError).
    """
    return _send_claimed(ChannelMessage, message_id, _send_to_robot, final=final)
