"""定稿: finalising a quarter's table and reopening it (DESIGN.md, "Reporting periods").

A draft table follows the reports as they come in (late ones included); a
finalised one is frozen: its rows are copied here, once, from the same rule the
draft reads (selectors.quarter_task_rows), and every later export of that
quarter reads the copy. Reopening is an office action with a reason; the
finalisation stays as the log of who froze and who reopened, when and why.
"""

import itertools
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tasks.access import can_review
from tasks.models import Task, Workplan

from .models import QuarterFinalisation, QuarterFinalRow
from .periods import QUARTER_NAMES, period_label, quarter_as_of
from .selectors import quarter_task_rows

logger = logging.getLogger(__name__)

CHUNK = 5000  # frozen rows written at a time


@transaction.atomic
def quarter_finalise(*, workplan: Workplan, quarter: int, user=None, by_name: str = "") -> QuarterFinalisation:
    """Freeze ``workplan``'s table for ``quarter`` (1–4) as it stands now; returns the finalisation.

    ``user`` is the office member who finalised (None from the command line,
    where ``by_name`` says who ran it). The table's lights are computed as of
    the quarter's end, or today if it has not ended, with the plan's current
    thresholds, which are recorded with it. Raises PermissionDenied when
    ``user`` is not the office, ValidationError for a quarter outside 1–4 or one
    already finalised (nothing is written then).
    """
    if user is not None and not can_review(user):
        raise PermissionDenied
    if quarter not in QUARTER_NAMES:
        raise ValidationError(f"季度应为 1–4，而不是 {quarter}。")
    now = timezone.now()
    today = timezone.localdate(now)
    finalisation = QuarterFinalisation(
        workplan=workplan,
        quarter=quarter,
        as_of=quarter_as_of(workplan.year, quarter, today),
        light_tolerance=workplan.light_tolerance,
        due_soon_days=workplan.due_soon_days,
        finalised_by=user,
        finalised_by_name=(user.get_full_name() or user.username) if user else by_name,
        finalised_at=now,
    )
    try:
        with transaction.atomic():
            finalisation.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(f"{workplan} {period_label(workplan.year, quarter)}已定稿。") from None
    rows = quarter_task_rows(
        Task.objects.filter(section__workplan=workplan),
        workplan=workplan,
        quarter=quarter,
        as_of=finalisation.as_of,
        today=today,
    )
    parts = (part for row in rows for part in row.parts)
    while batch := list(itertools.islice(parts, CHUNK)):
        QuarterFinalRow.objects.bulk_create(
            QuarterFinalRow(
                finalisation=finalisation,
                assignment_id=part.assignment_id,
                report_id=part.report_id,
                status=part.status,
                percent=part.percent,
                closed_on=part.closed_on,
                light=part.light,
            )
            for part in batch
        )
    logger.info("quarter.finalised workplan=%s quarter=%s by=%s", workplan.pk, quarter, finalisation.finalised_by_name)
    return finalisation


@transaction.atomic
def quarter_reopen(*, finalisation: QuarterFinalisation, user, reason: str) -> QuarterFinalisation:
    """Reopen a finalised quarter (back to a draft): office only, with a reason, logged on the finalisation.

    Raises PermissionDenied for anyone but the office, ValidationError when the
    reason is empty or the quarter was already reopened.
    """
    if not can_review(user):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError("撤销定稿须写明原因。")
    updated = QuarterFinalisation.objects.filter(pk=finalisation.pk, reopened_at__isnull=True).update(
        reopened_by=user, reopened_at=timezone.now(), reopen_reason=reason
    )
    if not updated:
        raise ValidationError("该季度已撤销定稿。")
    finalisation.refresh_from_db()
    logger.info(
        "quarter.reopened workplan=%s quarter=%s by=%s reason=%r",
        finalisation.workplan_id,
        finalisation.quarter,
        user.username,
        reason,
    )
    return finalisation
