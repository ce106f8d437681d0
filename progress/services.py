"""Writes: submitting progress reports and reviewing them."""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.access import (
    can_decide_extension,
    can_report_on,
    can_report_on_behalf,
    can_request_extension,
    can_review,
)
from tasks.models import Assignment

from .extensions import extended_deadlines
from .models import Evidence, ExtensionRequest, ProgressReport, Review
from .signals import extension_decided, extension_requested, report_reviewed

logger = logging.getLogger(__name__)


@dataclass
class Submission:
    report: ProgressReport
    # A report filed by somebody else after the one this author saw when opening
    # the form: both are kept, and the author is shown the other one.
    conflict: ProgressReport | None
    replayed: bool = False  # the same form came again (double click, resend): the first report, nothing new


@transaction.atomic
def report_submit(
    *,
    assignment: Assignment,
    user,
    quarter: int,
    status: str,
    percent_complete: int,
    progress_summary: str,
    problems: str = "",
    next_steps: str = "",
    evidence: list[UploadedFile] = (),
    based_on: ProgressReport | None = None,
    submission_token=None,
    source: str = ProgressReport.Source.FORM,
    on_behalf: bool = False,
) -> Submission:
    """File a new progress report on ``assignment``; nothing is edited or overwritten.

    ``based_on`` is the latest report the author saw when the form was opened.
    Concurrent submissions on one assignment are serialised by a row lock; when
    another report was filed in between, both are kept and it is returned as
    ``conflict`` (never the author's own: that is not somebody else's
    news). ``submission_token`` is the form's one-time token: the same form
    sent again returns the report it filed first, ``replayed`` set, and writes
    nothing (no second report, no second copy of the evidence). With
    ``on_behalf`` the office files it for the department (an uploaded fill-in
    workbook) and the report says so. Raises
    PermissionDenied when ``user`` may not report on the assignment,
    ValidationError when it is already closed (办结), when it repeats the
    latest report word for word with no evidence (the form sent again after
    the back button: a new token, the same text; a returned report may be
    sent again as it was), or a value breaks a rule (percent outside 0–100,
    已完成 below 100 %).
    """
    allowed = can_report_on_behalf(user) if on_behalf else can_report_on(user, assignment)
    if not allowed:
        raise PermissionDenied
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    first = ProgressReport.objects.filter(submission_token=submission_token).first() if submission_token else None
    if first is not None:
        return Submission(report=first, conflict=None, replayed=True)
    latest = assignment.reports.select_related("review").newest_first().first()
    if ProgressReport.objects.closes(assignment, timezone.localdate()):
        raise ValidationError("该事项已办结，无需再填报。")
    report = ProgressReport(
        assignment=assignment,
        quarter=quarter,
        status=status,
        percent_complete=percent_complete,
        progress_summary=progress_summary,
        problems=problems,
        next_steps=next_steps,
        submitted_by=user,
        based_on=based_on,
        submission_token=submission_token,
        source=source,
        on_behalf=on_behalf,
    )
    if latest is not None and not latest.is_returned and not evidence and latest.content == report.content:
        raise ValidationError(
            _("与%(when)s提交的上一份报告内容完全相同，已提交过；如有新进展，请修改后再提交。")
            % {"when": timezone.localtime(latest.submitted_at).strftime("%Y-%m-%d %H:%M")}
        )
    report.full_clean()
    report.save()
    for upload in evidence:
        Evidence.objects.create(report=report, file=upload, original_name=upload.name[:255], size=upload.size)
    conflict = latest if latest is not None and latest != based_on and latest.submitted_by_id != user.pk else None
    logger.info(
        "report.submitted report=%s assignment=%s by=%s on_behalf=%s source=%s percent=%d conflict=%s",
        report.pk,
        assignment.pk,
        user.username,
        on_behalf,
        source,
        percent_complete,
        conflict.pk if conflict else None,
    )
    return Submission(report=report, conflict=conflict)


class AlreadyReviewed(Exception):
    """Another reviewer decided on this report first."""

    def __init__(self, review: Review):
        super().__init__(f"already {review.decision}")
        self.review = review


@transaction.atomic
def report_review(*, report: ProgressReport, user, decision: str, reason: str = "", submission_token=None) -> Review:
    """Accept a report, or return it with a reason the department sees. Decided once.

    Accepting a 已完成 claim closes (办结) the assignment; a task is closed when
    all its assignments are. Sends ``report_reviewed`` (the reminders app tells the
    author in-app).
    Raises PermissionDenied for anyone but the office,
    ValidationError when a return has no reason, AlreadyReviewed when another
    reviewer got there first (or the same reviewer with another form). The
    same form sent again (``submission_token`` already used) returns the first
    decision without raising.
    """
    if not can_review(user):
        raise PermissionDenied
    locked = ProgressReport.objects.select_for_update(of=("self",)).select_related("assignment__task").get(pk=report.pk)
    existing = Review.objects.filter(report=locked).first()
    if existing is not None and submission_token and existing.submission_token == submission_token:
        return existing
    if existing is not None:
        raise AlreadyReviewed(existing)
    review = Review(
        report=locked, decision=decision, reason=reason.strip(), reviewed_by=user, submission_token=submission_token
    )
    review.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            review.save(force_insert=True)
    except IntegrityError:  # SQLite takes no row lock: the other reviewer's row won the primary key
        raise AlreadyReviewed(Review.objects.get(report=locked)) from None
    report_reviewed.send(sender=Review, review=review)
    logger.info("review.decided report=%s decision=%s by=%s", locked.pk, decision, user.username)
    return review


@transaction.atomic
def extension_request(
    *, assignment: Assignment, user, requested_deadline: datetime.date, reason: str, submission_token=None
) -> ExtensionRequest:
    """Apply (延期申请) for a later deadline on ``assignment``, with a reason; the office decides.

    The original deadline recorded is the one in force today (an earlier
    extension counts). Sends ``extension_requested``. Raises PermissionDenied
    unless ``user`` is staff of the assigned department, ValidationError when
    the date is not later than the deadline in force, the reason is empty, the
    assignment is closed (办结), or a request is already pending. The same form
    sent again (``submission_token`` already used) returns the first request.
    """
    if not can_request_extension(user, assignment):
        raise PermissionDenied
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    first = ExtensionRequest.objects.filter(submission_token=submission_token).first() if submission_token else None
    if first is not None:
        return first
    today = timezone.localdate()
    if ProgressReport.objects.closes(assignment, today):
        raise ValidationError("该事项已办结，无需延期。")
    if ExtensionRequest.objects.filter(assignment=assignment, status=ExtensionRequest.Status.PENDING).exists():
        raise ValidationError("该事项已有一份待审批的延期申请。")
    in_force = extended_deadlines([assignment.pk], as_of=today).get(assignment.pk, assignment.task.deadline)
    extension = ExtensionRequest(
        assignment=assignment,
        original_deadline=in_force,
        requested_deadline=requested_deadline,
        reason=reason.strip(),
        requested_by=user,
        submission_token=submission_token,
    )
    extension.full_clean()
    extension.save()
    extension_requested.send(sender=ExtensionRequest, extension=extension)
    logger.info(
        "extension.requested extension=%s assignment=%s by=%s from=%s to=%s",
        extension.pk,
        assignment.pk,
        user.username,
        in_force,
        requested_deadline,
    )
    return extension


@transaction.atomic
def extension_decide(*, extension: ExtensionRequest, user, approve: bool, reason: str = "") -> ExtensionRequest:
    """Approve or refuse a pending extension request; refusing needs a reason. Decided once.

    An approval counts from today (Asia/Shanghai) on: progress.extensions.
    Sends ``extension_decided``. Raises PermissionDenied for anyone but the
    office, ValidationError when a refusal has no reason or the request was
    already decided otherwise (by another reviewer first, or the other way).
    The same decision sent again by the same person (a double click, a resent
    form) returns the request as decided, without a second notification.
    """
    if not can_decide_extension(user):
        raise PermissionDenied
    locked = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__task", "assignment__department", "requested_by")
        .get(pk=extension.pk)
    )
    status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REFUSED
    if locked.status == status and locked.decided_by_id == user.pk:
        return locked
    if locked.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(f"该申请已审批（{locked.get_status_display()}）。")
    # A conditional update, so that on SQLite (no row lock) the second decision changes nothing.
    locked.status, locked.decided_by, locked.decided_at = status, user, timezone.now()
    locked.decision_reason = reason.strip()
    locked.full_clean()
    updated = ExtensionRequest.objects.filter(pk=locked.pk, status=ExtensionRequest.Status.PENDING).update(
        status=locked.status,
        decided_by=user,
        decided_at=locked.decided_at,
        decision_reason=locked.decision_reason,
    )
    if not updated:
        raise ValidationError("该申请已由他人审批。")
    extension_decided.send(sender=ExtensionRequest, extension=locked)
    logger.info("extension.decided extension=%s status=%s by=%s", locked.pk, locked.status, user.username)
    return locked
