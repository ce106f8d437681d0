"""Delivery: send one recorded message (a ReminderLog) by e-mail, claimed so that nothing goes twice."""

import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from .models import ReminderLog

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)


def deliver(log_id: int, *, final: bool) -> bool:
    """Send one recorded message by e-mail. Returns True when sent now.

    The log is claimed with a conditional update (pending/retrying → sending),
    so a duplicated or retried job sends nothing twice. On an SMTP or network
    error the log is marked retrying and the error re-raised for the caller to
    retry, or marked failed when ``final``.
    """
    claimable = [ReminderLog.Status.PENDING, ReminderLog.Status.RETRYING]
    log = ReminderLog.objects.filter(pk=log_id).first()
    if log is None or log.status not in claimable:
        return False
    if not ReminderLog.objects.filter(pk=log_id, status=log.status).update(
        status=ReminderLog.Status.SENDING, attempts=log.attempts + 1
    ):
        return False  # another worker has it
    message = EmailMultiAlternatives(log.subject, log.body_text, to=[log.email])
    message.attach_alternative(log.body_html, "text/html")
    try:
        message.send()
    except SEND_ERRORS as exc:
        status = ReminderLog.Status.FAILED if final else ReminderLog.Status.RETRYING
        ReminderLog.objects.filter(pk=log_id).update(status=status, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        logger.warning("reminder.send_failed log=%s to=%s final=%s error=%s", log_id, log.email, final, exc)
        if final:
            return False
        raise
    ReminderLog.objects.filter(pk=log_id).update(status=ReminderLog.Status.SENT, sent_at=timezone.now(), last_error="")
    logger.info("reminder.sent log=%s kind=%s to=%s", log_id, log.kind, log.email)
    return True
