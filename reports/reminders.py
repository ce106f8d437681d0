"""Reminders (DESIGN.md, "Reminders"): what is due for whom on a day, one digest each, never twice.

The rules are small pure functions on dates (tested under a frozen clock); the
sweep gathers the day's items, records one ReminderLog per recipient in the
transaction that decides to send it, and queues delivery after commit. Delivery
(``deliver``) sends one recorded message and is what the Celery job calls.
"""

import datetime
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from departments.roles import Role
from tasks.access import can_chase
from tasks.lights import days_overdue
from tasks.models import Assignment, Milestone

from .models import Chase, Notification, ProgressReport, ReminderLog
from .periods import QUARTER_NAMES, quarter_cutoff, quarter_of

logger = logging.getLogger(__name__)

DUE_SOON = "due_soon"
OVERDUE = "overdue"
REPORT_DUE = "report_due"


# --- the rules -------------------------------------------------------------------------------------


def days_until_due(due: datetime.date, today: datetime.date) -> int | None:
    """Days ahead when ``due`` is a reminder day (settings.WORKPLAN_DUE_SOON_LEAD_DAYS: 7, 3, 1, 0), else None."""
    days = (due - today).days
    return days if days in settings.WORKPLAN_DUE_SOON_LEAD_DAYS else None


def report_due_quarter(year: int, today: datetime.date) -> tuple[int, int] | None:
    """(quarter, days to its cut-off) when ``today`` is a report-reminder day for a plan of ``year``.

    Reminder days are settings.WORKPLAN_REPORT_DUE_LEAD_DAYS (5 and 1) before the
    cut-off (settings.WORKPLAN_REPORT_CUTOFF_DAY of the quarter's last month).
    """
    if today.year != year:
        return None
    quarter = quarter_of(today)
    days = (quarter_cutoff(year, quarter) - today).days
    return (quarter, days) if days in settings.WORKPLAN_REPORT_DUE_LEAD_DAYS else None


# --- gathering -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One thing due for a department on a day."""

    kind: str  # DUE_SOON, OVERDUE or REPORT_DUE
    task_id: int
    task_number: int
    task_title: str
    what: str  # 完成时限, the milestone's words, or 第N季度进展报告
    due: datetime.date
    days: int  # days ahead (due soon, report due) or days overdue

    @property
    def url(self) -> str:
        return settings.SITE_URL + reverse("task_detail", args=[self.task_id])


def reminder_items(day: datetime.date) -> dict[int, list[Item]]:
    """Everything due on ``day`` (Asia/Shanghai), by department id, for assignments not closed on that day.

    A constant number of queries, whatever the number of assignments.
    """
    # Plans of last year, this year and next: a plan two years gone is closed out, not chased daily forever.
    candidates = Assignment.objects.filter(
        task__section__workplan__year__gte=day.year - 1, task__section__workplan__year__lte=day.year + 1
    )
    standing = ProgressReport.objects.latest_per_assignment(candidates, as_of=day).select_related("review")
    closed = {report.assignment_id for report in standing if report.closes_assignment_as_of(day)}
    rows = list(
        candidates.values_list(
            "pk",
            "department_id",
            "task_id",
            "task__number",
            "task__title",
            "task__deadline",
            "task__section__workplan__year",
        )
    )
    milestones = defaultdict(list)
    lead_dates = [day + datetime.timedelta(days=n) for n in settings.WORKPLAN_DUE_SOON_LEAD_DAYS]
    for task_id, description, due_on in Milestone.objects.filter(due_on__in=lead_dates).values_list(
        "task_id", "description", "due_on"
    ):
        milestones[task_id].append((description, due_on))
    reported = _reported_this_quarter(day)

    items: dict[int, list[Item]] = defaultdict(list)
    for pk, department_id, task_id, number, title, deadline, year in rows:
        if pk in closed:
            continue

        def add(kind, what, due, days, task_id=task_id, number=number, title=title, department_id=department_id):
            items[department_id].append(Item(kind, task_id, number, title, what, due, days))

        if (days := days_overdue(deadline, day)) is not None:
            add(OVERDUE, "完成时限", deadline, days)
        elif (days := days_until_due(deadline, day)) is not None:
            add(DUE_SOON, "完成时限", deadline, days)
        for description, due_on in milestones.get(task_id, []):
            if due_on != deadline and (days := days_until_due(due_on, day)) is not None:
                add(DUE_SOON, f"时间节点：{description}", due_on, days)
        if (due := report_due_quarter(year, day)) and pk not in reported:
            quarter, days = due
            add(REPORT_DUE, f"第{QUARTER_NAMES[quarter]}季度进展报告", quarter_cutoff(year, quarter), days)
    return items


def _reported_this_quarter(day: datetime.date) -> set[int]:
    """Assignments with a report for the quarter ``day`` falls in, standing on ``day``."""
    return set(
        ProgressReport.objects.standing_as_of(day)
        .filter(quarter=quarter_of(day), assignment__task__section__workplan__year=day.year)
        .order_by()
        .values_list("assignment_id", flat=True)
        .distinct()
    )


def _staff_by_department(department_ids) -> dict[int, list]:
    users = (
        get_user_model()
        .objects.filter(department_id__in=department_ids, is_active=True, groups__name=str(Role.STAFF.label))
        .select_related("department")
        .order_by("username")
    )
    result = defaultdict(list)
    for user in users:
        result[user.department_id].append(user)
    return result


# --- recording -------------------------------------------------------------------------------------


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
    staff = _staff_by_department(items)
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
    for recipient in _staff_by_department([assignment.department_id]).get(assignment.department_id, []):
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


# --- delivery --------------------------------------------------------------------------------------

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
