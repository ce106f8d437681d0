"""In-site notifications (the bell): a short title, one line, and a link, made here for every kind.

The bell is not the e-mail: e-mails (templates/emails/*) greet the reader,
list every item and end with a footer; a notification says in one line what
happened and links to the page where the reader acts on it. Every place that
records a notification builds it with one of the ``*_notice`` functions below
and writes it with ``notify``.

Rows written before this module existed hold the e-mail's text body;
``short_line`` reads one line out of them for display.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification

LINE_LIMIT = 120  # characters of the one line: a reason or a chase message longer than that is cut with "…"


def fit(model, field_name: str, text: str) -> str:
    """``text`` cut to the column's max_length, ending in "…" when cut.

    Subjects and titles are derived from a task's title, whose length the
    published document decides; a column limit must never refuse them
    (PostgreSQL raises "value too long", SQLite would store them whole).
    """
    return _cut(text, model._meta.get_field(field_name).max_length)


def _one_line(text: str, limit: int = LINE_LIMIT) -> str:
    """``text`` with its line breaks and runs of spaces made single spaces, cut to ``limit`` characters."""
    return _cut(" ".join(text.split()), limit)


def _cut(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its first ``limit - 1`` and "…"."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Notice:
    """What the bell shows: ``title`` (≤ 200 characters once fitted), one ``line``, and a site-relative ``url``."""

    title: str
    line: str
    url: str


def _task_title(task) -> str:
    return f"{task.number}. {task.title}"


def digest_title(day: datetime.date, count: int) -> str:
    """The day's digest title, also the robots' message title: 【工作要点提醒】6月23日：3 项事项需要关注."""
    return _("【工作要点提醒】%(month)d月%(day)d日：%(n)d 项事项需要关注") % {
        "month": day.month,
        "day": day.day,
        "n": count,
    }


def digest_notice(*, day: datetime.date, items) -> Notice:
    """The daily digest (reminders.rules.Item list): counts by kind in one line, linking to 我的工作."""
    from .rules import DUE_SOON, OVERDUE, REPORT_DUE

    words = {
        OVERDUE: lambda n: ngettext("逾期 %(n)d 项", "逾期 %(n)d 项", n),
        DUE_SOON: lambda n: ngettext("临近时限 %(n)d 项", "临近时限 %(n)d 项", n),
        REPORT_DUE: lambda n: ngettext("季度进展报告待填报 %(n)d 项", "季度进展报告待填报 %(n)d 项", n),
    }
    parts = []
    for kind, word in words.items():
        n = sum(1 for item in items if item.kind == kind)
        if n:
            parts.append(word(n) % {"n": n})
    return Notice(title=digest_title(day, len(items)), line="，".join(parts) + "。", url=reverse("my_work"))


def chase_notice(chase) -> Notice:
    """A chase (催办): the office's message, or a standard request when it wrote none; links to the task."""
    task = chase.assignment.task
    if chase.message:
        line = _("督查办催办：%(message)s") % {"message": chase.message}
    else:
        line = _("督查办催办此项工作，请尽快推进并填报进展。")
    return Notice(
        title=_("【催办】%(task)s") % {"task": _task_title(task)},
        line=_one_line(line),
        url=reverse("task_detail", args=[task.pk]),
    )


def review_notice(review) -> Notice:
    """A review decision on one's report: accepted, or returned with the reason; links to the task."""
    report = review.report
    task = report.assignment.task
    word = review.get_decision_display()
    if review.reason:
        line = _("退回原因：%(reason)s。请修改后重新填报。") % {"reason": review.reason.rstrip("。")}
    else:
        line = _("您于 %(when)s 提交的进展报告已%(word)s。") % {
            "when": f"{timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M}",
            "word": word,
        }
    return Notice(
        title=_("【%(word)s】%(task)s") % {"word": word, "task": _task_title(task)},
        line=_one_line(line),
        url=reverse("task_detail", args=[task.pk]),
    )


def extension_request_notice(extension) -> Notice:
    """A department's extension request, for the office: who, to when, why; links to the 延期申请 queue."""
    assignment = extension.assignment
    line = _("%(department)s申请延期至 %(to)s（原定 %(from)s）：%(reason)s") % {
        "department": assignment.department.display_name,
        "to": f"{extension.requested_deadline:%Y-%m-%d}",
        "from": f"{extension.original_deadline:%Y-%m-%d}",
        "reason": extension.reason,
    }
    return Notice(
        title=_("【延期申请】%(task)s") % {"task": _task_title(assignment.task)},
        line=_one_line(line),
        url=reverse("extension_queue"),
    )


def extension_decision_notice(extension) -> Notice:
    """The office's decision on an extension request, for the department: decision, date, comment; links to the task."""
    task = extension.assignment.task
    word = extension.get_status_display()
    line = _("延期至 %(to)s 的申请%(word)s。") % {"to": f"{extension.requested_deadline:%Y-%m-%d}", "word": word}
    if extension.decision_reason:
        line += _("审批意见：%(reason)s") % {"reason": extension.decision_reason}
    return Notice(
        title=_("【延期申请%(word)s】%(task)s") % {"word": word, "task": _task_title(task)},
        line=_one_line(line),
        url=reverse("task_detail", args=[task.pk]),
    )


def notify(recipients: Iterable, notice: Notice, *, log=None) -> list[Notification]:
    """Write ``notice`` into each recipient's bell (one Notification each); ``log`` links the e-mail it goes with."""
    title = fit(Notification, "title", notice.title)
    return Notification.objects.bulk_create(
        Notification(recipient=user, log=log, title=title, body=notice.line, url=notice.url) for user in recipients
    )


def notify_logged(logged: Iterable[tuple]) -> list[Notification]:
    """Write each (ReminderLog, Notice) pair's notice into the bell of the log's recipient, linked to that (saved)
    log: one INSERT for all of them, as the sweep records the day's digests together."""
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=log.recipient_id,
            log=log,
            title=fit(Notification, "title", notice.title),
            body=notice.line,
            url=notice.url,
        )
        for log, notice in logged
    )


# What an e-mail body carries that the bell does not: the greeting, bare addresses, the sign-off.
_EMAIL_ONLY = re.compile(r"您好[：:]\s*$|^(https?://|/)\S*$|自动发送，请勿回复|^请登录 ")


def short_line(body: str, *, email_copy: bool) -> str:
    """The one line to show for a stored notification body.

    New rows hold their line already. Older rows hold the e-mail's text body
    (``email_copy``, they have a ReminderLog) or a few lines: without the
    greeting, bare URLs and footer, an e-mail copy shows its first remaining
    line, another row its lines joined.
    """
    lines = [line.strip() for line in body.splitlines()]
    lines = [line for line in lines if line and not _EMAIL_ONLY.search(line)]
    if email_copy:
        lines = lines[:1]
    return _one_line(" ".join(lines))
