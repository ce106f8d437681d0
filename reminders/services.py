"""Reminders (DESIGN.md, "Reminders"): one digest each per day, never twice; chases; all recorded.

The sweep gathers the day's items (rules.reminder_items), records one
ReminderLog per recipient in the transaction that decides to send it, and
queues delivery (delivery.deliver, through the Celery job) after commit.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError

from progress.models import ProgressReport
from tasks.access import can_chase
from tasks.models import Assignment
from tasks.workdays import day_off_name

from .channels import chase_markdown, digest_markdown
from .delivery import deliver, deliver_to_channel
from .digests import digest_blocks
from .models import Channel, ChannelMessage, Chase, ReminderLog
from .notices import Notice, chase_notice, digest_notice, digest_title, fit, notify, notify_logged
from .rules import DUE_SOON, OVERDUE, REPORT_DUE, Item, reminder_items, staff_by_department

logger = logging.getLogger(__name__)

# What queueing a job raises when the broker cannot be reached (kombu wraps refused and
# timed-out connections in OperationalError, a KombuError; a bare socket error is an OSError).
BROKER_ERRORS = (KombuError, OSError)


@dataclass
class Delivery:
    """What became of the messages (e-mails and robot messages) one action recorded, counted after commit."""

    sent: int = 0  # sent in this process (send_reminders)
    failed: int = 0  # refused by the mail server or the robot (the log says why; the bell has it anyway)
    queued: int = 0  # handed to the broker for a worker
    pending: int = 0  # the broker could not be reached: left pending, the next sweep queues it again
    in_app_only: int = 0  # no e-mail address: the bell only


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
    """(subject, text body, HTML body) from templates/emails/<name>-subject.txt, -body.txt, -body.html.

    The two .txt templates go through the "text" template engine, which never
    HTML-escapes (a subject is plain text: "&" stays "&"); the HTML body escapes once.
    """
    context = {"site_url": settings.SITE_URL} | context
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context, using="text").split())
    return (
        subject,
        render_to_string(f"emails/{name}-body.txt", context, using="text"),
        render_to_string(f"emails/{name}-body.html", context),
    )


def _record(*, user, kind: str, day: datetime.date, subject: str, text: str, html: str, notice: Notice, chase=None):
    """Record one e-mail (a ReminderLog) and its bell notification (``notice``, the short form)."""
    address = email_address(user)
    subject = fit(ReminderLog, "subject", subject)
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
    notify([user], notice, log=log)
    return log


@dataclass
class SweepResult:
    day: datetime.date
    recorded: list[ReminderLog] = field(default_factory=list)  # people's digests recorded by this run
    skipped: int = 0  # recipients whose digest for the day already existed
    delivery: Delivery = field(default_factory=Delivery)  # what became of the recorded messages
    planned: dict = field(default_factory=dict)  # dry run: username or robot → items
    robot_messages: list[ChannelMessage] = field(default_factory=list)  # department robots' digests recorded now
    day_off: str | None = None  # the holiday's name (国庆节) or 周末 when ``day`` is not a working day: nothing sent

    def __str__(self):
        if self.day_off:
            return _("%(day)s 是休息日（%(name)s），不发送提醒；到期的提醒已在此前的工作日发送。") % {
                "day": f"{self.day:%Y-%m-%d}",
                "name": self.day_off,
            }
        d = self.delivery
        robots = _("，群机器人 %(n)d 条") % {"n": len(self.robot_messages)} if self.robot_messages else ""
        return _(
            "%(day)s 每日提醒：记录 %(recorded)d 份%(robots)s，发送成功 %(sent)d，发送失败 %(failed)d，"
            "已排队 %(queued)d，待重新排队 %(pending)d，仅站内通知 %(in_app)d；已发过跳过 %(skipped)d 人"
        ) % {
            "day": f"{self.day:%Y-%m-%d}",
            "recorded": len(self.recorded),
            "robots": robots,
            "sent": d.sent,
            "failed": d.failed,
            "queued": d.queued,
            "pending": d.pending,
            "in_app": d.in_app_only,
            "skipped": self.skipped,
        }

    @property
    def all_failed(self) -> bool:
        """Every message this run tried to send was refused (send_reminders then exits non-zero)."""
        d = self.delivery
        return d.failed > 0 and d.sent == 0 and d.queued == 0


def sweep(day: datetime.date, *, dry_run: bool = False, deliver_now: bool = False) -> SweepResult:
    """The daily reminder sweep for ``day``: one digest per person with anything due, none when nothing is.

    Runs on working days only (tasks.workdays): on a day off it sends nothing
    and says why in ``day_off``. The day's digests are recorded together in
    one transaction under the unique (recipient, digest, day) constraint
    (_record_digests); a recipient already served that day is skipped.
    Delivery is queued to Celery after commit, or done in-process with
    ``deliver_now`` (the send_reminders command); ``result.delivery`` counts
    what was sent, refused, queued, and left pending because the broker was
    down. ``dry_run`` records nothing and returns the plan in ``planned``. Logs
    that were recorded but never sent (a broker that was down, a lost queue
    message, a crashed worker) are queued again.
    """
    result = SweepResult(day=day, day_off=day_off_name(day))
    if result.day_off:  # reminders due today went out on the working day before; stuck sends still go
        if not dry_run:
            _requeue_unsent(day, deliver_now=deliver_now, delivery=result.delivery)
        return result
    items = reminder_items(day)
    staff = staff_by_department(items)
    channels = active_channels(departments=items, users=[u for users in staff.values() for u in users])
    order = {OVERDUE: 0, DUE_SOON: 1, REPORT_DUE: 2}
    digests: list[Digest] = []  # people's digests, recorded together below
    for department_id, department_items in items.items():
        ordered = sorted(department_items, key=lambda i: (order[i.kind], i.due))
        people = staff.get(department_id, [])
        if dry_run:
            result.planned |= {user.username: ordered for user in people}
        elif people:
            # What every one of the department's staff is sent, made once for all of them.
            blocks, notice = digest_blocks(ordered), digest_notice(day=day, items=ordered)
            digests += [Digest(user, ordered, blocks, notice) for user in people]
        for channel in channels.get(("department", department_id), []):
            if dry_run:
                result.planned[str(channel)] = ordered
            elif message := _record_robot_digest(
                channel, day, ordered, deliver_now=deliver_now, delivery=result.delivery
            ):
                result.robot_messages.append(message)
        if not people and not channels.get(("department", department_id)):
            logger.warning("reminder.no_recipient department=%s items=%d", department_id, len(department_items))
    if digests:
        result.recorded, result.skipped = _record_digests(
            digests, day, channels=channels, deliver_now=deliver_now, delivery=result.delivery
        )
    if not dry_run:
        _requeue_unsent(day, deliver_now=deliver_now, delivery=result.delivery)
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


def _record_robot_message(
    channel: Channel, *, kind: str, day, title: str, body: str, deliver_now: bool, delivery: Delivery, chase=None
):
    """Record one message for one robot in its own savepoint; None when it already had this digest or chase."""
    try:
        with transaction.atomic():
            message = ChannelMessage.objects.create(
                channel=channel, kind=kind, date=day, chase=chase, title=fit(ChannelMessage, "title", title), body=body
            )
            _after_commit(message, deliver_now, delivery)
    except IntegrityError:
        return None
    return message


def _record_robot_digest(channel: Channel, day, items: list[Item], *, deliver_now: bool, delivery: Delivery):
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
        title=digest_title(day, len(items)),
        body=body,
        deliver_now=deliver_now,
        delivery=delivery,
    )


class Digest(NamedTuple):
    """One person's digest to record: their department's ``items``, its ``blocks`` (digests.digest_blocks) and
    bell ``notice``."""

    user: Any
    items: list[Item]
    blocks: dict
    notice: Notice


def _served(day: datetime.date, users: list) -> set[int]:
    """Ids of ``users`` whose digest for ``day`` is already recorded."""
    return set(
        ReminderLog.objects.filter(kind=ReminderLog.Kind.DIGEST, date=day, recipient__in=users).values_list(
            "recipient_id", flat=True
        )
    )


def _record_digests(
    digests: list[Digest], day: datetime.date, *, channels: dict, deliver_now: bool, delivery: Delivery
) -> tuple[list[ReminderLog], int]:
    """Record the day's ``digests`` in one transaction: one INSERT each for the e-mails, their bell
    notifications and the people's own robot messages.

    Returns (the logs recorded, in the order of ``digests``; how many people
    already had the day's digest and were skipped). ``channels`` is
    active_channels(): a person's ("user", id) robots get their digest in the
    same transaction, so never twice. A digest recorded between the check and
    the insert (another sweep at the same moment) makes the unique constraint
    refuse the whole batch: then each is recorded in its own transaction
    (_record_digest), which skips whoever has theirs.
    """
    served = _served(day, [digest.user for digest in digests])
    logs, messages = [], []
    for user, items, blocks, _notice in (d for d in digests if d.user.pk not in served):
        subject, text, html = render_message("digest", {"user": user, "day": day} | blocks)
        address = email_address(user)
        logs.append(
            ReminderLog(
                recipient=user,
                kind=ReminderLog.Kind.DIGEST,
                date=day,
                email=address,
                subject=fit(ReminderLog, "subject", subject),
                body_text=text,
                body_html=html,
                status=ReminderLog.Status.PENDING if address else ReminderLog.Status.NO_ADDRESS,
            )
        )
        messages += [
            ChannelMessage(
                channel=channel,
                kind=ReminderLog.Kind.DIGEST,
                date=day,
                title=fit(ChannelMessage, "title", subject),
                body=_own_robot_digest(user, channel, day, items),
            )
            for channel in channels.get(("user", user.pk), [])
        ]
    if not logs:
        return [], len(served)
    notices = {digest.user.pk: digest.notice for digest in digests}
    try:
        with transaction.atomic():
            ReminderLog.objects.bulk_create(logs)
            notify_logged((log, notices[log.recipient_id]) for log in logs)
            ChannelMessage.objects.bulk_create(messages)
            for row in (*logs, *messages):  # last: nothing after this can roll the rows back
                _after_commit(row, deliver_now, delivery)
    except IntegrityError:
        logger.info("reminder.digest_race day=%s digests=%d: recording one at a time", day, len(logs))
        recorded = [
            log
            for user, items, blocks, notice in digests
            if (
                log := _record_digest(
                    user,
                    day,
                    items,
                    blocks=blocks,
                    notice=notice,
                    channels=channels.get(("user", user.pk), []),
                    deliver_now=deliver_now,
                    delivery=delivery,
                )
            )
        ]
        return recorded, len(digests) - len(recorded)
    return logs, len(served)


def _own_robot_digest(user, channel: Channel, day: datetime.date, items: list[Item]) -> str:
    """The digest for a person's own robot: addressed to them, for their department."""
    return digest_markdown(
        kind=channel.kind,
        intro=f"{user.get_full_name() or user.username}，截至 {day.year}年{day.month}月{day.day}日，"
        f"{user.department.name}有以下事项需要关注：",
        items=items,
        more_url=settings.SITE_URL + reverse("my_work"),
    )


def _record_digest(
    user,
    day,
    items: list[Item],
    *,
    blocks: dict,
    notice: Notice,
    channels: list[Channel],
    deliver_now: bool,
    delivery: Delivery,
) -> ReminderLog | None:
    """Record ``user``'s digest of ``items`` in its own transaction; None when they already had it today.

    ``blocks`` (digests.digest_blocks) and ``notice`` are the department's;
    ``channels`` are the person's own robots.
    """
    subject, text, html = render_message("digest", {"user": user, "day": day} | blocks)
    try:
        with transaction.atomic():
            log = _record(
                user=user,
                kind=ReminderLog.Kind.DIGEST,
                day=day,
                subject=subject,
                text=text,
                html=html,
                notice=notice,
            )
            _after_commit(log, deliver_now, delivery)
            for channel in channels:  # a person's own robots: inside this transaction, so never twice
                message = ChannelMessage.objects.create(
                    channel=channel,
                    kind=ReminderLog.Kind.DIGEST,
                    date=day,
                    title=fit(ChannelMessage, "title", subject),
                    body=_own_robot_digest(user, channel, day, items),
                )
                _after_commit(message, deliver_now, delivery)
    except IntegrityError:
        return None  # already recorded for this person and day
    return log


def _after_commit(log: ReminderLog | ChannelMessage, deliver_now: bool, delivery: Delivery) -> None:
    """Send ``log`` (an e-mail or a robot message) after commit: in-process, or queued to its Celery job.

    After commit, because a worker must see the row. The outcome is counted in
    ``delivery``; a broker that cannot be reached leaves the row pending for the
    next sweep (_requeue_unsent) instead of failing the action that recorded it.
    """
    if log.status == ReminderLog.Status.NO_ADDRESS:
        delivery.in_app_only += 1
        return
    if log.status not in (ReminderLog.Status.PENDING, ReminderLog.Status.RETRYING):
        return
    if deliver_now:
        transaction.on_commit(lambda: _deliver_here(log, delivery))
    else:
        transaction.on_commit(lambda: _queue(log, delivery))


def _deliver_here(log: ReminderLog | ChannelMessage, delivery: Delivery) -> None:
    model = type(log)
    send = deliver_to_channel if model is ChannelMessage else deliver
    if send(log.pk, final=True):
        delivery.sent += 1
    elif model.objects.filter(pk=log.pk, status=ReminderLog.Status.FAILED).exists():
        delivery.failed += 1


def _queue(log: ReminderLog | ChannelMessage, delivery: Delivery) -> None:
    from .jobs import send_channel_message, send_reminder

    job = send_channel_message if isinstance(log, ChannelMessage) else send_reminder
    try:
        job.delay(log.pk)
    except BROKER_ERRORS as exc:
        delivery.pending += 1
        logger.warning("reminder.queue_failed %s=%s error=%s", type(log).__name__, log.pk, exc)
    else:
        delivery.queued += 1


def _requeue_unsent(day: datetime.date, *, deliver_now: bool, delivery: Delivery) -> None:
    """Queue again what was recorded over 30 minutes ago and never sent, whatever its day.

    A message the broker never took (it was down) or lost stays pending; a worker
    that died mid-send leaves it sending (then it may have gone out once: at most
    one duplicate, never a loss).
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
            _after_commit(log, deliver_now, delivery)


@dataclass
class Chased:
    """A chase as filed: the record, and what became of its messages (known once its transaction committed)."""

    chase: Chase
    recipients: int
    delivery: Delivery
    replayed: bool = False  # the same form was sent again (a double click): nothing new was written
    robots: int = 0  # group robots (the department's and its staff's own) the chase went to


def chase_create(*, assignment: Assignment, user, message: str = "", token=None) -> Chased:
    """催办: record a chase of ``assignment`` by the office and notify its department's staff at once.

    ``token`` is the form's one-time submission token: a second request with the
    same token (a double click, a resent form) writes nothing and returns the
    first chase with ``replayed`` set. Messages are queued after commit; when
    the broker is down they stay pending (``delivery.pending``) for the next
    sweep, and the bell has them already. Raises PermissionDenied for anyone but
    the office, ValidationError when the assignment is already closed (办结). The
    chase is logged whether or not the department has staff to receive it.
    """
    if not can_chase(user):
        raise PermissionDenied
    delivery = Delivery()
    with transaction.atomic():
        # One chase at a time per assignment, so that a replayed token is seen by the second request.
        Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
        first = Chase.objects.filter(submission_token=token).first() if token else None
        if first is not None:
            return Chased(
                chase=first,
                recipients=first.logs.count(),
                delivery=delivery,
                replayed=True,
                robots=first.channel_messages.count(),
            )
        if ProgressReport.objects.closes(assignment, timezone.localdate()):
            raise ValidationError(_("该事项已办结，无需催办。"))
        chase = Chase.objects.create(
            assignment=assignment, message=message.strip(), created_by=user, submission_token=token
        )
        recipients = staff_by_department([assignment.department_id]).get(assignment.department_id, [])
        channels = active_channels(departments=[assignment.department_id], users=recipients)
        robots = [c for owned in channels.values() for c in owned]
        for channel in robots:
            _record_chase_for_robot(chase, channel, delivery)
        for recipient in recipients:
            _after_commit(_record_chase(chase, recipient), deliver_now=False, delivery=delivery)
    logger.info("chase.created assignment=%s by=%s pending=%d", assignment.pk, user.username, delivery.pending)
    return Chased(chase=chase, recipients=len(recipients), delivery=delivery, robots=len(robots))


def _chase_url(chase: Chase) -> str:
    return settings.SITE_URL + reverse("task_detail", args=[chase.assignment.task_id])


def _record_chase_for_robot(chase: Chase, channel: Channel, delivery: Delivery) -> None:
    task = chase.assignment.task
    body = chase_markdown(
        kind=channel.kind,
        department=chase.assignment.department.display_name,
        task=task,
        message=chase.message,
        url=_chase_url(chase),
    )
    _record_robot_message(
        channel,
        kind=ReminderLog.Kind.CHASE,
        day=timezone.localdate(),
        title=f"【催办】{task.number}. {task.title}",
        body=body,
        deliver_now=False,
        delivery=delivery,
        chase=chase,
    )


def _record_chase(chase: Chase, recipient) -> ReminderLog:
    task = chase.assignment.task
    subject, text, html = render_message(
        "chase", {"user": recipient, "chase": chase, "task": task, "url": _chase_url(chase)}
    )
    return _record(
        user=recipient,
        kind=ReminderLog.Kind.CHASE,
        day=timezone.localdate(),
        subject=subject,
        text=text,
        html=html,
        notice=chase_notice(chase),
        chase=chase,
    )
