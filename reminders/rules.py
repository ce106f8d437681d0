"""Reminder rules (DESIGN.md, "Reminders"): what is due for which department on a day.

Small pure functions on dates (tested under a frozen clock) and one gathering
query set; nothing here writes.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from departments.roles import Role
from progress.extensions import extended_deadlines
from progress.periods import period_label, quarter_cutoff, quarter_of
from progress.selectors import standing_on
from tasks.lights import days_overdue
from tasks.models import Assignment, Milestone, Task
from tasks.workdays import days_sent_on

logger = logging.getLogger(__name__)

DUE_SOON = "due_soon"
OVERDUE = "overdue"
REPORT_DUE = "report_due"


def _reminded_on(due: datetime.date, leads, sent: list[datetime.date]) -> bool:
    return any(due - datetime.timedelta(days=n) in sent for n in leads)


def days_until_due(due: datetime.date, today: datetime.date, sent: list[datetime.date] | None = None) -> int | None:
    """Days from ``today`` to ``due`` when ``today`` carries one of its reminders, else None.

    Reminder days are settings.WORKPLAN_DUE_SOON_LEAD_DAYS (7, 3, 1, 0) before
    ``due``; one that falls on a day off is sent on the working day before
    (tasks.workdays.days_sent_on, passed as ``sent`` when already known).
    """
    sent = days_sent_on(today) if sent is None else sent
    return (due - today).days if _reminded_on(due, settings.WORKPLAN_DUE_SOON_LEAD_DAYS, sent) else None


def report_due_quarter(
    year: int, today: datetime.date, sent: list[datetime.date] | None = None
) -> tuple[int, int] | None:
    """(quarter, days to its cut-off) when ``today`` carries a report reminder for a plan of ``year``.

    Reminder days are settings.WORKPLAN_REPORT_DUE_LEAD_DAYS (5 and 1) before the
    cut-off (settings.WORKPLAN_REPORT_CUTOFF_DAY of the quarter's last month),
    moved to the working day before when they fall on a day off.
    """
    if today.year != year:
        return None
    quarter = quarter_of(today)
    cutoff = quarter_cutoff(year, quarter)
    sent = days_sent_on(today) if sent is None else sent
    return (
        (quarter, (cutoff - today).days) if _reminded_on(cutoff, settings.WORKPLAN_REPORT_DUE_LEAD_DAYS, sent) else None
    )


@dataclass(frozen=True, slots=True)
class Item:
    """One thing due for a department on a day."""

    kind: str  # DUE_SOON, OVERDUE or REPORT_DUE
    task_id: int
    task_number: int
    task_title: str
    what: str  # 完成时限, the milestone's words, or 2021年第二季度进展报告
    due: datetime.date
    days: int  # days ahead (due soon, report due) or days overdue
    url: str  # the task page, absolute (settings.SITE_URL): what the e-mail and the robots link to

    @property
    def kind_label(self) -> str:
        """逾期, 临近时限 or 季度进展报告未填报, as the digest's headings say."""
        return {OVERDUE: _("逾期"), DUE_SOON: _("临近时限"), REPORT_DUE: _("季度进展报告未填报")}[self.kind]

    @property
    def days_label(self) -> str:
        """已逾期 3 天, 今天到期 or 还有 7 天."""
        if self.kind == OVERDUE:
            return _("已逾期 %(n)d 天") % {"n": self.days}
        return _("还有 %(n)d 天") % {"n": self.days} if self.days else _("今天到期")


def task_urls() -> Callable[[int], str]:
    """A function from task id to its page's absolute address (settings.SITE_URL + reverse("task_detail")).

    reverse() costs tens of microseconds a call, and a day's digests link
    tens of thousands of items: the address is reversed twice here and the
    id put in its place after that. When the two do not show where the id goes
    (an unusual URL pattern), every call reverses.
    """

    def reversed_url(task_id: int) -> str:
        return settings.SITE_URL + reverse("task_detail", args=[task_id])

    head, marker, tail = reversed_url(7919).rpartition("7919")
    if not marker or reversed_url(31) != f"{head}31{tail}":
        return reversed_url
    return lambda task_id: f"{head}{task_id}{tail}"


def reminder_items(day: datetime.date) -> dict[int, list[Item]]:
    """Everything due on ``day`` (Asia/Shanghai), by department id and in the plan's order, for assignments not
    closed on that day.

    Closed and reported are read from the kept-up figures as of ``day``
    (progress.selectors.standing_on). A constant number of queries, whatever the
    number of assignments. The rules (tasks.lights.days_overdue, days_until_due,
    report_due_quarter) are applied to plain values, once per distinct deadline,
    milestone date and plan year: a plan's 10,000 tasks share a few hundred dates.
    """
    # Plans of last year, this year and next: a plan two years gone is closed out, not chased daily forever.
    years = {"section__workplan__year__gte": day.year - 1, "section__workplan__year__lte": day.year + 1}
    candidates = Assignment.objects.filter(**{f"task__{lookup}": year for lookup, year in years.items()})
    # The kept-up figures, no scan of the report history: (percent, status, closed_on, quarter, report id).
    standing = standing_on(candidates, day)
    # Unordered: sorting 100,000 rows by the plan's order spills to disk; the items are put in that order below.
    rows = candidates.order_by().values_list(
        "pk",
        "department_id",
        "task_id",
        "task__number",
        "task__title",
        "task__deadline",
        "task__section__workplan__year",
    )
    milestones = defaultdict(list)
    sent = days_sent_on(day)
    lead_dates = [r + datetime.timedelta(days=n) for r in sent for n in settings.WORKPLAN_DUE_SOON_LEAD_DAYS]
    for task_id, description, due_on in Milestone.objects.filter(due_on__in=lead_dates).values_list(
        "task_id", "description", "due_on"
    ):
        milestones[task_id].append((description, due_on))
    extended = extended_deadlines(candidates, as_of=day)  # an approved 延期申请 moves the deadline chased

    deadline_rule: dict[datetime.date, tuple[str, int] | None] = {}  # deadline → (OVERDUE or DUE_SOON, days)
    ahead: dict[datetime.date, int | None] = {}  # milestone date → days_until_due
    report_rule: dict[int, tuple[int, str, datetime.date, int] | None] = {}  # year → (quarter, what, cut-off, days)
    url = task_urls()
    urls: dict[int, str] = {}
    items: dict[int, list[Item]] = defaultdict(list)
    nothing = (None, None, None, 0, None)  # nothing standing: not closed, reported for no quarter
    for pk, department_id, task_id, number, title, deadline, year in rows:
        _percent, _status, closed_on, reported_for, _report = standing.get(pk, nothing)
        if closed_on:
            continue
        deadline = extended.get(pk, deadline)
        if deadline not in deadline_rule:
            if (days := days_overdue(deadline, day)) is not None:
                deadline_rule[deadline] = (OVERDUE, days)
            elif (days := days_until_due(deadline, day, sent)) is not None:
                deadline_rule[deadline] = (DUE_SOON, days)
            else:
                deadline_rule[deadline] = None
        if year not in report_rule:
            due = report_due_quarter(year, day, sent)
            report_rule[year] = due and (
                due[0],
                f"{period_label(year, due[0])}进展报告",
                quarter_cutoff(year, due[0]),
                due[1],
            )
        due_deadline, due_milestones, due_report = deadline_rule[deadline], milestones.get(task_id), report_rule[year]
        if due_report and reported_for >= due_report[0]:  # reported for that quarter (or a later one) already
            due_report = None
        if not (due_deadline or due_milestones or due_report):
            continue
        if task_id not in urls:
            urls[task_id] = url(task_id)
        found = []
        if due_deadline:
            kind, days = due_deadline
            found.append(Item(kind, task_id, number, title, "完成时限", deadline, days, urls[task_id]))
        for description, due_on in due_milestones or ():
            if due_on not in ahead:
                ahead[due_on] = days_until_due(due_on, day, sent)
            if due_on != deadline and (days := ahead[due_on]) is not None:
                found.append(
                    Item(DUE_SOON, task_id, number, title, f"时间节点：{description}", due_on, days, urls[task_id])
                )
        if due_report:
            _quarter, what, cutoff, days = due_report
            found.append(Item(REPORT_DUE, task_id, number, title, what, cutoff, days, urls[task_id]))
        if found:
            items[department_id] += found
    # Each department's items in the plan's order (Task's Meta ordering), as the assignments' own ordering gave them.
    position = {pk: n for n, pk in enumerate(Task.objects.filter(**years).values_list("pk", flat=True))}
    for department_items in items.values():
        department_items.sort(key=lambda item: position[item.task_id])  # stable: a task's own items keep their order
    return dict(items)


def staff_by_department(department_ids) -> dict[int, list]:
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
