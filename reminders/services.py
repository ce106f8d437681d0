"""Reminders (DESIGN.md, "Reminders"): one digest each per day, never twice; chases; all recorded.

The sweep gathers the day's items (rules.reminder_items), records one
ReminderLog per recipient in the transaction that decides to send it, and
queues delivery (delivery.deliver, through the Celery job) after commit.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from progress.models import ProgressReport
from tasks.access import can_chase
from tasks.models import Assignment

from .delivery import deliver
from .models import Chase, Notification, ReminderLog
from .rules import DUE_SOON, OVERDUE, REPORT_DUE, Item, reminder_items, staff_by_department

logger = logging.getLogger(__name__)


def email_address(user) -> str:
    """Where a person's e-mail goes: their own address, else their department's contact address; '' for none."""
    for address in (user.email, user.department.email if user.department else ""):
        if address:
            try:
                validate_email(address)
            except Exception:  # noqa: BLE001 - an invalid address is a problem to log, not to raise
                logger.warning("reminder.invalid_address user=%s address=%r", user.username, address)
                continue
            return address
    return ""


def render_message(name: str, context: dict) -> tuple[str, str, str]:
    """(subject, text body, HTML body) from templates/emails/<name>-subject.txt, -body.txt, -body.html."""
    context = {"site_url": settings.SITE_URL} | context
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    return (
        subject,
        render_to_string(f"emails/{name}-body.txt", context),
        render_to_string(f"emails/{name}-body.html", context),
    )


def _record(*, user, kind: str, day: datetime.date, subject: str, text: str, html: str, url: str, chase=None):
    address = email_address(user)
    log = ReminderLog.objects.create(
        recipient=user,
        kind=kind,
        date=day,
        chase=chase,
        email=address,
        subject=subject,
        body_text=text,
        body_html=html,
        status=ReminderLog.Status.PENDING if address else ReminderLog.Status.NO_ADDRESS,
    )
    Notification.objects.create(recipient=user, log=log, title=subject, body=text, url=url)
    return log


@dataclass
class SweepResult:
    day: datetime.date
    sent: list[ReminderLog] = field(default_factory=list)  # digests recorded now (queued or, in sync mode, sent)
    skipped: int = 0  # recipients whose digest for the day already existed
    planned: dict = field(default_factory=dict)  # dry run: username → items

    def __str__(self):
        recipients = len({log.recipient_id for log in self.sent})
        return f"sent {len(self.sent)} digests to {recipients} recipients, skipped {self.skipped} already sent"


def sweep(day: datetime.date, *, dry_run: bool = False, deliver_now: bool = False) -> SweepResult:
    """The daily reminder sweep for ``day``: one digest per person with anything due, none when nothing is.

    Each digest is recorded in its own transaction under the unique (recipient,
    digest, day) constraint; a recipient already served that day is skipped.
    Delivery is queued to Celery after commit, or done in-process with
    ``deliver_now`` (the send_reminders command). ``dry_run`` records nothing and
    returns the plan in ``planned``. Logs that were recorded but never sent
    (a lost queue message, a crashed worker) are queued again.
    """
    result = SweepResult(day=day)
    items = reminder_items(day)
    staff = staff_by_department(items)
    for department_id, department_items in items.items():
        ordered = sorted(department_items, key=lambda i: ({OVERDUE: 0, DUE_SOON: 1, REPORT_DUE: 2}[i.kind], i.due))
        for user in staff.get(department_id, []):
            if dry_run:
                result.planned[user.username] = ordered
                continue
            log = _record_digest(user, day, ordered, deliver_now=deliver_now)
            if log is None:
                result.skipped += 1
            else:
                result.sent.append(log)
        if not staff.get(department_id):
            logger.warning("reminder.no_recipient department=%s items=%d", department_id, len(department_items))
    if not dry_run:
        _requeue_unsent(day, deliver_now=deliver_now)
    return result


def _record_digest(user, day, items: list[Item], *, deliver_now: bool) -> ReminderLog | None:
    subject, text, html = render_message(
        "digest",
        {
            "user": user,
            "day": day,
            "overdue": [i for i in items if i.kind == OVERDUE],
            "due_soon": [i for i in items if i.kind == DUE_SOON],
            "report_due": [i for i in items if i.kind == REPORT_DUE],
            "count": len(items),
        },
    )
    try:
        with transaction.atomic():
            log = _record(
                user=user,
                kind=ReminderLog.Kind.DIGEST,
                day=day,
                subject=subject,
                text=text,
                html=html,
                url=reverse("my_work"),
            )
            _after_commit(log, deliver_now)
    except IntegrityError:
        return None  # already recorded for this person and day
    return log


def _after_commit(log: ReminderLog, deliver_now: bool) -> None:
    if log.status not in (ReminderLog.Status.PENDING, ReminderLog.Status.RETRYING):
        return
    if deliver_now:
        transaction.on_commit(lambda: deliver(log.pk, final=True))
    else:
        from .jobs import send_reminder

        send_reminder.delay_on_commit(log.pk)


def _requeue_unsent(day: datetime.date, *, deliver_now: bool) -> None:
    """Queue again what was recorded over 30 minutes ago and never sent, whatever its day.

    A message lost by the broker stays pending; a worker that died mid-send leaves
    it sending (then it may have gone out once: at most one duplicate, never a loss).
    """
    stale = timezone.now() - datetime.timedelta(minutes=30)
    unsent = [ReminderLog.Status.PENDING, ReminderLog.Status.RETRYING, ReminderLog.Status.SENDING]
    for log in ReminderLog.objects.filter(status__in=unsent, created_at__lt=stale):
        if log.status == ReminderLog.Status.SENDING and not ReminderLog.objects.filter(
            pk=log.pk, status=ReminderLog.Status.SENDING
        ).update(status=ReminderLog.Status.RETRYING):
            continue
        log.status = ReminderLog.Status.RETRYING if log.status != ReminderLog.Status.PENDING else log.status
        _after_commit(log, deliver_now)


@transaction.atomic
def chase_create(*, assignment: Assignment, user, message: str = "") -> Chase:
    """催办: record a chase of ``assignment`` by the office and notify its department's staff at once.

    Raises PermissionDenied for anyone but the office, ValidationError when the
    assignment is already closed (办结). The chase is logged whether or not the
    department has staff to receive it.
    """
    if not can_chase(user):
        raise PermissionDenied
    if ProgressReport.objects.closes(assignment, timezone.localdate()):
        raise ValidationError("该事项已办结，无需催办。")
    chase = Chase.objects.create(assignment=assignment, message=message.strip(), created_by=user)
    task = assignment.task
    for recipient in staff_by_department([assignment.department_id]).get(assignment.department_id, []):
        subject, text, html = render_message(
            "chase",
            {
                "user": recipient,
                "chase": chase,
                "task": task,
                "url": settings.SITE_URL + reverse("task_detail", args=[task.pk]),
            },
        )
        log = _record(
            user=recipient,
            kind=ReminderLog.Kind.CHASE,
            day=timezone.localdate(),
            subject=subject,
            text=text,
            html=html,
            url=reverse("task_detail", args=[task.pk]),
            chase=chase,
        )
        _after_commit(log, deliver_now=False)
    logger.info("chase.created assignment=%s by=%s", assignment.pk, user.username)
    return chase
