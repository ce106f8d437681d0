import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.models import Assignment, Task, Workplan

from .periods import is_late, period_label


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
    def period_label(self) -> str:
        """The report's period with its plan's year, e.g. 2021年第二季度 (reads assignment.task.section.workplan)."""
        return period_label(self.assignment.task.section.workplan.year, self.quarter)

    @property
    def is_late(self) -> bool:
        """补报: filed after its quarter ended (progress.periods.is_late)."""
        return is_late(self.assignment.task.section.workplan.year, self.quarter, self.submitted_at)

    @property
    def content(self) -> tuple:
        """What its author wrote: (quarter, status, percent, 进展情况, 存在问题, 下步计划)."""
        return (
            self.quarter,
            self.status,
            self.percent_complete,
            self.progress_summary,
            self.problems,
            self.next_steps,
        )

    @property
    def is_returned(self) -> bool:
        review = getattr(self, "review", None)
        return review is not None and review.decision == Review.Decision.RETURNED

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

    # How far past its plan's year (or its original deadline's, when later) an extension may reach, in years.
    YEARS_AHEAD = 3

    def latest_allowed(self) -> datetime.date:
        """The last day this request may ask for: 31 December YEARS_AHEAD years after the later of its plan's
        year and its original deadline's (a typo such as 9999-12-31 is refused, a multi-year task still
        fits)."""
        year = max(self.assignment.task.section.workplan.year, self.original_deadline.year)
        return datetime.date(year + self.YEARS_AHEAD, 12, 31)

    def clean(self):
        """Raises ValidationError (on requested_deadline) past latest_allowed()."""
        super().clean()
        if self.requested_deadline and self.original_deadline and self.requested_deadline > self.latest_allowed():
            raise ValidationError(
                {
                    "requested_deadline": _("申请延期至的日期过远，最晚可申请至%(day)s。")
                    % {"day": "{0.year}年{0.month}月{0.day}日".format(self.latest_allowed())}
                }
            )


class QuarterFinalisation(models.Model):
    """定稿: the office froze a plan's table for one quarter (DESIGN.md, "Reporting periods").

    Its rows (QuarterFinalRow, one per assignment) are what every later export of
    that quarter shows. Reopening keeps this record as the log (who, when, why);
    finalising again makes a new one. At most one open (not reopened) per plan and quarter.
    """

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="finalisations", verbose_name=_("工作要点")
    )
    quarter = models.PositiveSmallIntegerField(_("季度"))
    as_of = models.DateField(_("截至日期"), help_text=_("表中状态灯按此日期计算：季度末，季度未结束时为定稿当天。"))
    light_tolerance = models.PositiveSmallIntegerField(_("滞后容差(百分点)"))
    due_soon_days = models.PositiveSmallIntegerField(_("临期天数"))
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("定稿人"),
    )
    finalised_by_name = models.CharField(_("定稿人（显示）"), max_length=150)
    finalised_at = models.DateTimeField(_("定稿时间"), default=timezone.now)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("撤销人"),
    )
    reopened_at = models.DateTimeField(_("撤销定稿时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("季度定稿")
        verbose_name_plural = _("季度定稿")
        ordering = ["workplan", "quarter", "-finalised_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="finalisation_quarter_1_to_4"),
            models.UniqueConstraint(
                fields=["workplan", "quarter"],
                condition=Q(reopened_at__isnull=True),
                name="one_open_finalisation_per_quarter",
                violation_error_message=_("该季度已定稿。"),
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
                name="finalisation_reopen_needs_reason",
                violation_error_message=_("撤销定稿须写明原因。"),
            ),
        ]

    def __str__(self):
        return f"{self.workplan} · {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.workplan.year, self.quarter)


class QuarterFinalRow(models.Model):
    """One assignment's frozen figures in a finalised quarter's table (what the export shows, byte for byte)."""

    finalisation = models.ForeignKey(
        QuarterFinalisation, on_delete=models.CASCADE, related_name="rows", verbose_name=_("季度定稿")
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+", verbose_name=_("责任分解"))
    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("进展报告")
    )
    status = models.CharField(_("状态"), max_length=20)  # a ProgressReport.Status value, or "closed"
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"))
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    light = models.CharField(_("状态灯"), max_length=20)

    class Meta:
        verbose_name = _("定稿行")
        verbose_name_plural = _("定稿行")
        constraints = [
            models.UniqueConstraint(fields=["finalisation", "assignment"], name="one_final_row_per_assignment"),
        ]

    def __str__(self):
        return f"{self.finalisation} · {self.assignment_id} · {self.percent}%"


class Standing(models.Model):
    """Kept-up: where one assignment stands now (progress.standing keeps it in step with every report and review)."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, primary_key=True, related_name="standing", verbose_name=_("责任分解")
    )
    report = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("当前有效报告")
    )
    status = models.CharField(_("状态"), max_length=20, choices=ProgressReport.Status.choices)
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"))
    closed_at = models.DateTimeField(_("办结时间"), null=True)
    last_submitted = models.ForeignKey(
        ProgressReport, on_delete=models.PROTECT, related_name="+", verbose_name=_("最近提交")
    )
    last_submitted_at = models.DateTimeField(_("最近提交时间"))
    last_returned = models.BooleanField(_("最近提交已退回"))
    # What each quarter's draft table shows: the latest standing report for a period up to that quarter.
    q1_report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, null=True, related_name="+")
    q2_report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, null=True, related_name="+")
    q3_report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, null=True, related_name="+")
    q4_report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, null=True, related_name="+")
    # Those reports' percents, kept beside them so the dashboard's quarter line reads no report row.
    q1_percent = models.PositiveSmallIntegerField(null=True)
    q2_percent = models.PositiveSmallIntegerField(null=True)
    q3_percent = models.PositiveSmallIntegerField(null=True)
    q4_percent = models.PositiveSmallIntegerField(null=True)

    class Meta:
        verbose_name = _("当前进展（汇总）")
        verbose_name_plural = _("当前进展（汇总）")

    def __str__(self):
        return f"{self.assignment_id}: {self.percent}%"


class DayInterval(models.Model):
    """A stretch of Asia/Shanghai calendar days from ``valid_from`` up to (not including) ``valid_to``; None:
    still so. "As of D" is valid_from <= D < valid_to (progress.selectors.covering)."""

    valid_from = models.DateField(_("起"))
    valid_to = models.DateField(_("止（不含）"), null=True)

    class Meta:
        abstract = True

    @staticmethod
    def not_empty(name: str) -> models.CheckConstraint:
        """The check every kept interval carries: it ends after it starts, or has not ended."""
        return models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name=name)


class StandingInterval(DayInterval):
    """Kept-up: the report that stood for an assignment from ``valid_from`` up to (not including) ``valid_to``.

    Days are Asia/Shanghai calendar days; valid_to None means still standing.
    "As of D" is valid_from <= D < valid_to; no row covering D means nothing
    stood (not started, 0 %).
    """

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="standing_intervals",
        verbose_name=_("责任分解"),
        db_index=False,  # one_interval_per_start (assignment, valid_from) serves lookups by assignment
    )
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="+", verbose_name=_("进展报告"))
    quarter = models.PositiveSmallIntegerField(_("季度"))  # the standing report's period
    status = models.CharField(_("状态"), max_length=20, choices=ProgressReport.Status.choices)
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"))
    closed = models.BooleanField(_("已办结"))
    closed_on = models.DateField(_("办结日期"), null=True)  # the accepting review's day, when closed

    class Meta:
        verbose_name = _("进展区间（汇总）")
        verbose_name_plural = _("进展区间（汇总）")
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="standing_interval_dates"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "valid_from"], name="one_interval_per_start"),
            DayInterval.not_empty("interval_not_empty"),
        ]

    def __str__(self):
        return f"{self.assignment_id}: {self.valid_from}–{self.valid_to or ''} {self.percent}%"


class TaskInterval(DayInterval):
    """Kept-up: a task's sums over its assignments' StandingIntervals from ``valid_from`` up to (not including)
    ``valid_to``: the same as-of rule, one row per task and stretch of days instead of one per assignment.

    Days are Asia/Shanghai calendar days; valid_to None means still so. No row covering D means no
    assignment of the task had anything standing that counts (every sum 0). progress.standing writes these
    rows with the assignments' own, in the same transaction; the whole-plan readers (progress.aggregates)
    read them so that a figure over 10,000 tasks joins 10,000 rows, not 100,000.
    """

    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        related_name="kept_intervals",
        verbose_name=_("工作任务"),
        db_index=False,  # one_task_interval_per_start (task, valid_from) serves lookups by task
    )
    percent_sum = models.PositiveIntegerField(_("完成进度之和"))  # of the standing percents (0–100 each)
    closed = models.PositiveIntegerField(_("已办结"))  # assignments closed (办结) that day
    claimed = models.PositiveIntegerField(_("已完成或办结"))  # closed, or standing at 已完成
    started = models.PositiveIntegerField(_("已启动"))  # standing at anything but 未启动

    class Meta:
        verbose_name = _("任务进展区间（汇总）")
        verbose_name_plural = _("任务进展区间（汇总）")
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="task_interval_dates")]
        constraints = [
            models.UniqueConstraint(fields=["task", "valid_from"], name="one_task_interval_per_start"),
            DayInterval.not_empty("task_interval_not_empty"),
        ]

    def __str__(self):
        return f"{self.task_id}: {self.valid_from}–{self.valid_to or ''} Σ{self.percent_sum}%"


class TaskDrafts(models.Model):
    """Kept-up: each quarter's draft-table percents summed over a task's assignments (the Standing rows'
    q{Q}_percent, none counting 0); the task's percent in that table is the sum over its number of assignments.
    """

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, primary_key=True, related_name="kept_drafts", verbose_name=_("工作任务")
    )
    q1_percent_sum = models.PositiveIntegerField(default=0)
    q2_percent_sum = models.PositiveIntegerField(default=0)
    q3_percent_sum = models.PositiveIntegerField(default=0)
    q4_percent_sum = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("任务季度草稿（汇总）")
        verbose_name_plural = _("任务季度草稿（汇总）")

    def __str__(self):
        sums = (self.q1_percent_sum, self.q2_percent_sum, self.q3_percent_sum, self.q4_percent_sum)
        return f"{self.task_id}: " + "/".join(map(str, sums))
