import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.models import Assignment

from .periods import quarter_end


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in Asia/Shanghai (aware): "on or before ``day``" means before this."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min), timezone.get_default_timezone()
    )


class ProgressReportQuerySet(models.QuerySet):
    def standing_as_of(self, day: datetime.date):
        """The as-of rule (DESIGN.md, "Reporting periods"): reports that stood on ``day``.

        A report stands if it was submitted on or before ``day`` (Asia/Shanghai)
        and had not been returned (退回) by then. The latest standing report of
        an assignment is its state on that day; every view, export and reminder
        that asks "as of" goes through here.
        """
        cutoff = end_of_day(day)
        return self.filter(submitted_at__lt=cutoff).exclude(
            review__decision=Review.Decision.RETURNED, review__reviewed_at__lt=cutoff
        )

    def newest_first(self):
        return self.order_by("-submitted_at", "-pk")

    def closes(self, assignment, day: datetime.date) -> bool:
        """Whether ``assignment`` is closed (办结) on ``day``: its latest standing report is an accepted 已完成."""
        standing = (
            self.filter(assignment=assignment).standing_as_of(day).select_related("review").newest_first().first()
        )
        return standing is not None and standing.closes_assignment_as_of(day)

    def latest_per_assignment(self, assignments, *, as_of: datetime.date | None):
        """The newest report per assignment among those standing on ``as_of`` (all reports when None).

        ``assignments`` is a queryset (used as a subquery, for any number) or a
        short list of ids. PostgreSQL picks the rows with DISTINCT ON, which walks
        the (assignment, -submitted_at) index; other databases with a ROW_NUMBER()
        window. Same rows either way.
        """
        reports = self if as_of is None else self.standing_as_of(as_of)
        ids = assignments.values("pk") if isinstance(assignments, models.QuerySet) else list(assignments)
        reports = reports.filter(assignment__in=ids)
        if connection.vendor == "postgresql":
            return reports.order_by("assignment_id", "-submitted_at", "-pk").distinct("assignment_id")
        newest_first = [F("submitted_at").desc(), F("pk").desc()]
        return reports.annotate(
            rank=Window(RowNumber(), partition_by=F("assignment_id"), order_by=newest_first)
        ).filter(rank=1)

    def awaiting_review(self):
        return self.filter(review__isnull=True)


class ProgressReport(models.Model):
    """One submission of progress on an assignment (进展填报). Never edited or deleted: a correction is a new report."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        IN_PROGRESS = "in_progress", _("推进中")
        COMPLETED = "completed", _("已完成")

    class Source(models.TextChoices):
        FORM = "form", _("网页填报")
        WORKBOOK = "workbook", _("填报表导入")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="reports", verbose_name=_("责任分解")
    )
    quarter = models.PositiveSmallIntegerField(
        _("季度"), choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    percent_complete = models.PositiveSmallIntegerField(_("完成进度(%)"))
    progress_summary = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_steps = models.TextField(_("下步计划"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("填报人")
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("填报时所见的上一份报告"),
    )
    # The form's one-time token (departments.editing.SubmissionTokenField): a resent form finds this report.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    source = models.CharField(_("填报方式"), max_length=20, choices=Source.choices, default=Source.FORM)
    # The office filed it for the department (an uploaded fill-in workbook): submitted_by is the office user.
    on_behalf = models.BooleanField(_("督查办代填"), default=False)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        db_table = "reports_progressreport"  # kept from the reports app: see migrations/0001_initial
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["assignment", "-submitted_at"], name="report_latest_per_assignment")]
        permissions = [("review_progressreport", _("可审核进展报告"))]
        constraints = [
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="report_percent_at_most_100"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="report_quarter_1_to_4"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(percent_complete=100),
                name="report_completed_means_100",
                violation_error_message=_("已完成的事项完成进度应为100%。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="not_started") | Q(percent_complete=0),
                name="report_not_started_means_0",
                violation_error_message=_("未启动的事项完成进度应为0%。"),
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {timezone.localtime(self.submitted_at):%Y-%m-%d %H:%M}"

    @property
    def is_returned(self) -> bool:
        review = getattr(self, "review", None)
        return review is not None and review.decision == Review.Decision.RETURNED

    @property
    def is_late(self) -> bool:
        """补报: filed (Asia/Shanghai) after its quarter of the plan year ended (DESIGN.md, "Reporting periods")."""
        year = self.assignment.task.section.workplan.year
        return timezone.localtime(self.submitted_at).date() > quarter_end(year, self.quarter)

    def closes_assignment_as_of(self, day: datetime.date) -> bool:
        """An accepted 已完成 claim closes (办结) its assignment from the review's day on (see closes_as_of)."""
        review = getattr(self, "review", None)
        return closes_as_of(
            self.status, review.decision if review else None, review.reviewed_at if review else None, day
        )


def closes_as_of(status: str, decision: str | None, reviewed_at: datetime.datetime | None, day: datetime.date) -> bool:
    """The closing rule: a 已完成 report whose review accepted it before the end of ``day`` (Asia/Shanghai)."""
    return (
        status == ProgressReport.Status.COMPLETED
        and decision == Review.Decision.ACCEPTED
        and reviewed_at is not None
        and reviewed_at < end_of_day(day)
    )


class Review(models.Model):
    """The office's decision on one report: accepted, or returned with a reason. Made once."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("通过")
        RETURNED = "returned", _("退回")

    report = models.OneToOneField(
        ProgressReport, on_delete=models.PROTECT, primary_key=True, related_name="review", verbose_name=_("进展报告")
    )
    decision = models.CharField(_("审核结果"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("退回原因"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核人")
    )
    reviewed_at = models.DateTimeField(_("审核时间"), default=timezone.now)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        db_table = "reports_review"  # kept from the reports app: see migrations/0001_initial
        verbose_name = _("审核")
        verbose_name_plural = _("审核")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(reason=""),
                name="review_return_needs_reason",
                violation_error_message=_("退回时须写明原因。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()} · {self.report}"


def _evidence_path(instance: "Evidence", filename: str) -> str:
    # A random name on disk: the original name is kept in the row, never trusted as a path.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file attached to a report (佐证材料); served only through the permission-checked download view."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("进展报告")
    )
    file = models.FileField(_("文件"), upload_to=_evidence_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小(字节)"))

    class Meta:
        db_table = "reports_evidence"  # kept from the reports app: see migrations/0001_initial
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class ExtensionRequest(models.Model):
    """延期申请: a department asks for a later deadline on its assignment; the office approves or refuses it.

    The record is the history: who applied when and why, who decided when and why.
    An approved deadline counts from the decision's day on (progress.extensions);
    the task's own deadline stays as published.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("未批准")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="extension_requests", verbose_name=_("责任分解")
    )
    original_deadline = models.DateField(_("原定完成时限"), help_text=_("申请时有效的完成时限。"))
    requested_deadline = models.DateField(_("申请延期至"))
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)
    # The form's one-time token (departments.editing.SubmissionTokenField): a resent form finds this request.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-pk"]
        permissions = [("decide_extensionrequest", _("可审批延期申请"))]
        indexes = [models.Index(fields=["assignment", "status", "decided_at"], name="extension_by_assignment")]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_deadline__gt=F("original_deadline")),
                name="extension_later_than_original",
                violation_error_message=_("申请的完成时限应晚于原定完成时限。"),
            ),
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="one_pending_extension_per_assignment",
                violation_error_message=_("该事项已有一份待审批的延期申请。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_reason=""),
                name="extension_refusal_needs_reason",
                violation_error_message=_("不批准时须写明理由。"),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(~Q(status="pending"), decided_at__isnull=False),
                name="extension_decided_at_iff_decided",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} → {self.requested_deadline:%Y-%m-%d}（{self.get_status_display()}）"
