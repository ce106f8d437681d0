"""Reminders (DESIGN.md, "Reminders"): one digest each per day, never twice; chases; all recorded.

The sweep gathers the day's items (rules.reminder_items), records one
ReminderLog per recipient in the transaction that decides to send it, and
queues delivery (delivery.deliver, through the Celery job) after commit.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from progress.models import ProgressReport
from tasks.access import can_chase
from tasks.models import Assignment
from tasks.workdays import day_off_name

from .channels import chase_markdown, digest_markdown
from .delivery import deliver, deliver_to_channel
from .models import Channel, ChannelMessage, Chase, Notification, ReminderLog
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
    planned: dict = field(default_factory=dict)  # dry run: username or robot → items
    robot_messages: list[ChannelMessage] = field(default_factory=list)  # department robots' digests recorded now
    day_off: str | None = None  # the holiday's name (国庆节) or 周末 when ``day`` is not a working day: nothing sent

    def __str__(self):
        recipients = len({log.recipient_id for log in self.sent})
        robots = f", {len(self.robot_messages)} to department robots" if self.robot_messages else ""
        return f"sent {len(self.sent)} digests to {recipients} recipients{robots}, skipped {self.skipped} already sent"


def sweep(day: datetime.date, *, dry_run: bool = False, deliver_now: bool = False) -> SweepResult:
    """The daily reminder sweep for ``day``: one digest per person with anything due, none when nothing is.

    Runs on working days only (tasks.workdays): on a day off it sends nothing
    and says why in ``day_off``. Each digest is recorded in its own transaction under the unique (recipient,
    digest, day) constraint; a recipient already served that day is skipped.
    Delivery is queued to Celery after commit, or done in-process with
    ``deliver_now`` (the send_reminders command). ``dry_run`` records nothing and
    returns the plan in ``planned``. Logs that were recorded but never sent
    (a lost queue message, a crashed worker) are queued again.
    """
    result = SweepResult(day=day, day_off=day_off_name(day))
    if result.day_off:  # reminders due today went out on the working day before; stuck sends still go
        if not dry_run:
            _requeue_unsent(day, deliver_now=deliver_now)
        return result
    items = reminder_items(day)
    staff = staff_by_department(items)
    channels = active_channels(departments=items, users=[u for users in staff.values() for u in users])
    for department_id, department_items in items.items():
        ordered = sorted(department_items, key=lambda i: ({OVERDUE: 0, DUE_SOON: 1, REPORT_DUE: 2}[i.kind], i.due))
        for user in staff.get(department_id, []):
            if dry_run:
                result.planned[user.username] = ordered
                continue
            log = _record_digest(
                user, day, ordered, channels=channels.get(("user", user.pk), []), deliver_now=deliver_now
            )
            if log is None:
                result.skipped += 1
            else:
                result.sent.append(log)
        for channel in channels.get(("department", department_id), []):
            if dry_run:
                result.planned[str(channel)] = ordered
            elif message := _record_robot_digest(channel, day, ordered, deliver_now=deliver_now):
                result.robot_messages.append(message)
        if not staff.get(department_id) and not channels.get(("department", department_id)):
            logger.warning("reminder.no_recipient department=%s items=%d", department_id, len(department_items))
    if not dry_run:
        _requeue_unsent(day, deliver_now=deliver_now)
    return result


def active_channels(*, departments, users) -> dict[tuple[str, int], list[Channel]]:
    """Enabled robots by ("department", id) and ("user", id), for the given department ids and users."""
    result = defaultdict(list)
    for channel in (
        Channel.objects.filter(Q(department_id__in=list(departments)) | Q(user__in=list(users)), is_active=True)
        .select_related("department")
        .order_by("pk")
    ):
        owner = ("department", channel.department_id) if channel.department_id else ("user", channel.user_id)
        result[owner].append(channel)
    return result


def _robot_title(day: datetime.date, count: int) -> str:
    return f"【工作要点提醒】{day.month}月{day.day}日：{count} 项事项需要关注"


def _record_robot_message(channel: Channel, *, kind: str, day, title: str, body: str, deliver_now: bool, chase=None):
    """Record one message for one robot in its own savepoint; None when it already had this digest or chase."""
    try:
        with transaction.atomic():
            message = ChannelMessage.objects.create(
                channel=channel, kind=kind, date=day, chase=chase, title=title[:200], body=body
            )
            _after_commit(message, deliver_now)
    except IntegrityError:
        return None
    return message


def _record_robot_digest(channel: Channel, day, items: list[Item], *, deliver_now: bool):
    department = channel.department.display_name
    body = digest_markdown(
        kind=channel.kind,
        intro=f"截至 {day.year}年{day.month}月{day.day}日，{department}有以下事项需要关注：",
        items=items,
        more_url=settings.SITE_URL + reverse("my_work"),
    )
    return _record_robot_message(
        channel,
        kind=ReminderLog.Kind.DIGEST,
        day=day,
        title=_robot_title(day, len(items)),
        body=body,
        deliver_now=deliver_now,
    )


def _record_digest(user, day, items: list[Item], *, channels: list[Channel], deliver_now: bool) -> ReminderLog | None:
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
            for channel in channels:  # a person's own robots: inside this transaction, so never twice
                body = digest_markdown(
                    kind=channel.kind,
                    intro=f"{user.get_full_name() or user.username}，截至 {day.year}年{day.month}月{day.day}日，"
                    f"{user.department.name}有以下事项需要关注：",
                    items=items,
                    more_url=settings.SITE_URL + reverse("my_work"),
                )
                message = ChannelMessage.objects.create(
                    channel=channel, kind=ReminderLog.Kind.DIGEST, date=day, title=subject, body=body
                )
                _after_commit(message, deliver_now)
    except IntegrityError:
        return None  # already recorded for this person and day
    return log


def _after_commit(log: ReminderLog | ChannelMessage, deliver_now: bool) -> None:
    """Send ``log`` (an e-mail or a robot message) after commit: in-process, or queued to its Celery job."""
    if log.status not in (ReminderLog.Status.PENDING, ReminderLog.Status.RETRYING):
        return
    from .jobs import send_channel_message, send_reminder

    is_robot = isinstance(log, ChannelMessage)
    if deliver_now:
        send = deliver_to_channel if is_robot else deliver
        transaction.on_commit(lambda: send(log.pk, final=True))
    else:
        (send_channel_message if is_robot else send_reminder).delay_on_commit(log.pk)


def _requeue_unsent(day: datetime.date, *, deliver_now: bool) -> None:
    """Queue again what was recorded over 30 minutes ago and never sent, whatever its day.

    A message lost by the broker stays pending; a worker that died mid-send leaves
    it sending (then it may have gone out once: at most one duplicate, never a loss).
    """
    stale = timezone.now() - datetime.timedelta(minutes=30)
    unsent = [ReminderLog.Status.PENDING, ReminderLog.Status.RETRYING, ReminderLog.Status.SENDING]
    for model in (ReminderLog, ChannelMessage):
        for log in model.objects.filter(status__in=unsent, created_at__lt=stale):
            if log.status == ReminderLog.Status.SENDING and not model.objects.filter(
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
    recipients = staff_by_department([assignment.department_id]).get(assignment.department_id, [])
    channels = active_channels(departments=[assignment.department_id], users=recipients)
    url = settings.SITE_URL + reverse("task_detail", args=[task.pk])
    for channel in [c for owned in channels.values() for c in owned]:
        body = chase_markdown(
            kind=channel.kind,
            department=assignment.department.display_name,
            task=task,
            message=chase.message,
            url=url,
        )
        title = f"【催办】{task.number}. {task.title}"
        _record_robot_message(
            channel,
            kind=ReminderLog.Kind.CHASE,
            day=timezone.localdate(),
            title=title,
            body=body,
            deliver_now=False,
            chase=chase,
        )
    for recipient in recipients:
        subject, text, html = render_message(
            "chase",
            {
                "user": recipient,
                "chase": chase,
                "task": task,
                "url": url,
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
