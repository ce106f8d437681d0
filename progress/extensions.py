"""The deadline rule with extensions (延期申请, issue #18): which deadline an assignment has on a day.

An assignment's deadline is its task's, until the office approves an extension:
from the day of the approval (Asia/Shanghai) on, the newest approved deadline
counts, for the light, reminders, 按期完成率 and exports alike. Before that day
the original deadline counts, so the dashboard of an earlier date does not
change. The task's own deadline stays as published and is shown beside it.
"""

import datetime
from collections.abc import Sequence

from django.db.models import Case, DateField, OuterRef, QuerySet, Subquery, When

from tasks.models import Assignment

from .models import ExtensionRequest, end_of_day


def approved_by(as_of: datetime.date) -> QuerySet[ExtensionRequest]:
    """Extension requests approved by the end of ``as_of`` (Asia/Shanghai): those that count on that day."""
    return ExtensionRequest.objects.filter(status=ExtensionRequest.Status.APPROVED, decided_at__lt=end_of_day(as_of))


def extended_deadlines(
    assignments: QuerySet[Assignment] | Sequence[int], *, as_of: datetime.date
) -> dict[int, datetime.date]:
    """Assignment id → approved deadline, for those of ``assignments`` with an extension approved by the end of
    ``as_of`` (Asia/Shanghai); the newest approval wins. Others are absent: their task's deadline counts.

    ``assignments`` is a queryset (used as a subquery) or a list of ids. One query.
    """
    ids = assignments.values("pk") if isinstance(assignments, QuerySet) else list(assignments)
    approved = (
        approved_by(as_of)
        .filter(assignment__in=ids)
        .order_by("assignment_id", "decided_at", "pk")  # same order as with_extended_deadline, newest last
        .values_list("assignment_id", "requested_deadline")
    )
    return dict(approved)  # ordered oldest first, so the newest approval is the one kept


def extended_task_deadlines(
    tasks: QuerySet, *, as_of: datetime.date, department_id: int | None = None
) -> dict[int, datetime.date]:
    """Task id → its deadline in force on ``as_of`` where an approved extension moved it; others are absent.

    A task's deadline in force is the latest of its assignments' (as
    progress.selectors.task_progress rolls it up); with ``department_id``, that
    department's assignment's only (what its staff must meet). One query.
    """
    approved = approved_by(as_of).filter(assignment__task__in=tasks.values("pk"))
    if department_id is not None:
        approved = approved.filter(assignment__department_id=department_id)
    newest: dict[int, tuple[int, datetime.date]] = {}
    rows = approved.order_by("decided_at", "pk").values_list(
        "assignment_id", "assignment__task_id", "requested_deadline"
    )
    for assignment_id, task_id, deadline in rows:
        newest[assignment_id] = (task_id, deadline)  # oldest first: the newest approval is the one kept
    result: dict[int, datetime.date] = {}
    for task_id, deadline in newest.values():
        result[task_id] = max(deadline, result.get(task_id, deadline))
    return result


def with_extended_deadline(assignments: QuerySet[Assignment], *, as_of: datetime.date) -> QuerySet[Assignment]:
    """``assignments`` annotated with ``extended_to``: the deadline of the newest extension approved by the end of
    ``as_of`` (Asia/Shanghai), or None. The same rule as extended_deadlines, read with the assignments themselves.
    """
    return assignments.annotate(extended_to=extended_to(as_of))


def extended_to(as_of: datetime.date, assignment: str = "pk") -> Case:
    """The SQL expression of extended_deadlines' rule for the assignment whose id is at the path ``assignment``
    (``"pk"`` in an assignment query, ``"assignments__pk"`` in a task query): the deadline of its newest
    extension approved by the end of ``as_of`` (Asia/Shanghai), or NULL.

    Extensions are few: the newest approval is looked up only for assignments among the approved ones (a set
    the database builds once), not for every row.
    """
    approved = approved_by(as_of)
    newest = (
        approved.filter(assignment=OuterRef(assignment)).order_by("-decided_at", "-pk").values("requested_deadline")[:1]
    )
    return Case(
        When(**{f"{assignment}__in": approved.values("assignment_id")}, then=Subquery(newest)),
        output_field=DateField(),
    )


def deadline_label(original: datetime.date, effective: datetime.date) -> str:
    """完成时限 as tables print it: ``2021年6月30日``, or ``原定2021年6月30日，已延期至2021年9月30日``."""

    def day(value: datetime.date) -> str:
        return f"{value.year}年{value.month}月{value.day}日"

    return day(original) if effective == original else f"原定{day(original)}，已延期至{day(effective)}"
