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

from departments.models import Department
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
    report_due_quarter) are applied to plain values once per task (and per
    distinct date and plan year): a task's items are the same for each of its
    departments, except where an approved extension moved its deadline.
    """
    # Plans of last year, this year and next: a plan two years gone is closed out, not chased daily forever.
    years = {"section__workplan__year__gte": day.year - 1, "section__workplan__year__lte": day.year + 1}
    candidates = Assignment.objects.filter(**{f"task__{lookup}": year for lookup, year in years.items()})
    sent = days_sent_on(day)
    lead_dates = [r + datetime.timedelta(days=n) for r in sent for n in settings.WORKPLAN_DUE_SOON_LEAD_DAYS]
    milestones = defaultdict(list)
    for task_id, description, due_on in Milestone.objects.filter(due_on__in=lead_dates).values_list(
        "task_id", "description", "due_on"
    ):
        if (days := days_until_due(due_on, day, sent)) is not None:
            milestones[task_id].append((f"时间节点：{description}", due_on, days))
    deadline_rule: dict[datetime.date, tuple[str, int] | None] = {}  # deadline → (OVERDUE or DUE_SOON, days)
    url = task_urls()

    def deadline_items(task_id: int, number: int, title: str, deadline: datetime.date) -> list[Item]:
        """The task's 完成时限 and 时间节点 items when ``deadline`` is the deadline in force."""
        if deadline not in deadline_rule:
            if (days := days_overdue(deadline, day)) is not None:
                deadline_rule[deadline] = (OVERDUE, days)
            elif (days := days_until_due(deadline, day, sent)) is not None:
                deadline_rule[deadline] = (DUE_SOON, days)
            else:
                deadline_rule[deadline] = None
        found = []
        if rule := deadline_rule[deadline]:
            found.append(Item(rule[0], task_id, number, title, "完成时限", deadline, rule[1], url(task_id)))
        for what, due_on, days in milestones.get(task_id, ()):
            if due_on != deadline:
                found.append(Item(DUE_SOON, task_id, number, title, what, due_on, days, url(task_id)))
        return found

    report_rule: dict[int, tuple | None] = {}  # plan year → (quarter, what, cut-off, days to it) or None
    # Each task once, in the plan's order (Task's Meta ordering, which the assignments' own ordering follows):
    # task id → (position, number, title, its items, (quarter, its report item) or None).
    tasks = {}
    for position, (task_id, number, title, deadline, year) in enumerate(
        Task.objects.filter(**years).values_list("pk", "number", "title", "deadline", "section__workplan__year")
    ):
        if year not in report_rule:
            due = report_due_quarter(year, day, sent)
            report_rule[year] = due and (
                due[0],
                f"{period_label(year, due[0])}进展报告",
                quarter_cutoff(year, due[0]),
                due[1],
            )
        report = None
        if report_rule[year]:
            quarter, what, cutoff, days = report_rule[year]
            report = (quarter, Item(REPORT_DUE, task_id, number, title, what, cutoff, days, url(task_id)))
        tasks[task_id] = (position, number, title, deadline_items(task_id, number, title, deadline), report)

    extended = extended_deadlines(candidates, as_of=day)  # an approved 延期申请 moves the deadline chased
    # The kept-up figures, no scan of the report history: (percent, status, closed_on, quarter, report id).
    standing = standing_on(candidates, day)
    nothing = (None, None, None, 0, None)  # nothing standing: not closed, reported for no quarter
    found: list[tuple[int, int, list[Item]]] = []  # (task's position, department id, the assignment's items)
    # Unordered and without the task's columns: sorting 100,000 joined rows spilled to disk.
    for pk, department_id, task_id in candidates.order_by().values_list("pk", "department_id", "task_id"):
        position, number, title, task_items, report = tasks[task_id]
        if pk in extended:
            task_items = deadline_items(task_id, number, title, extended[pk])
        if not (task_items or report):
            continue
        _percent, _status, closed_on, reported_for, _report = standing.get(pk, nothing)
        if closed_on:
            continue
        if report and reported_for < report[0]:  # not yet reported for that quarter (or a later one)
            found.append((position, department_id, [*task_items, report[1]]))
        elif task_items:
            found.append((position, department_id, task_items))
    # The assignments' own order: by task, then department (Department's Meta ordering); the departments come
    # out in that order too (the dry run lists them so).
    department_order = {pk: n for n, pk in enumerate(Department.objects.values_list("pk", flat=True))}
    found.sort(key=lambda entry: (entry[0], department_order[entry[1]]))
    items: dict[int, list[Item]] = defaultdict(list)
    for _position, department_id, assignment_items in found:
        items[department_id] += assignment_items
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
