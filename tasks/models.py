import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from departments.editing import Versioned
from departments.models import Department

from .lights import default_due_soon_days, default_tolerance
from .numerals import int_to_chinese


class Workplan(Versioned):
    """One year's published work key points (工作要点)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=200)
    source = models.CharField(_("来源"), max_length=300, blank=True, help_text=_("导入时的文件名或网址。"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # The light's thresholds (DESIGN.md, "Status and light"): offices differ, so each plan has its own.
    light_tolerance = models.PositiveSmallIntegerField(
        _("滞后容差(百分点)"),
        default=default_tolerance,
        validators=[MaxValueValidator(100)],
        help_text=_("完成进度低于序时进度超过此值即为滞后。"),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("临期天数"),
        default=default_due_soon_days,
        validators=[MaxValueValidator(366)],
        help_text=_("距完成时限不超过此天数即为临期。"),
    )

    class Meta:
        verbose_name = _("工作要点")
        verbose_name_plural = _("工作要点")
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["title", "year"], name="unique_workplan_title_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="workplan_year_range"),
            models.CheckConstraint(condition=Q(light_tolerance__lte=100), name="workplan_tolerance_at_most_100"),
        ]

    def __str__(self):
        return self.title

    @property
    def start_date(self) -> datetime.date:
        """The date from which expected progress (序时进度) is counted: 1 January of the plan year."""
        return self.start_of(self.year)

    @staticmethod
    def start_of(year: int) -> datetime.date:
        """start_date for a plan of ``year``, for readers that have the year but no Workplan instance."""
        return datetime.date(year, 1, 1)


class Section(Versioned):
    """A numbered part of a workplan (一、二、…)."""

    workplan = models.ForeignKey(
        Workplan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("工作要点")
    )
    ordinal = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("标题"), max_length=300)

    class Meta:
        verbose_name = _("部分")
        verbose_name_plural = _("部分")
        ordering = ["workplan", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["workplan", "ordinal"], name="unique_section_ordinal"),
            models.CheckConstraint(condition=Q(ordinal__gte=1), name="section_ordinal_positive"),
        ]

    def __str__(self):
        return self.label(self.ordinal, self.title)

    @property
    def numeral(self) -> str:
        """The section's number as printed: 一, 二, … (Arabic digits beyond 九十九)."""
        return self.numeral_of(self.ordinal)

    @staticmethod
    def numeral_of(ordinal: int) -> str:
        return int_to_chinese(ordinal) if ordinal < 100 else str(ordinal)

    @classmethod
    def label(cls, ordinal: int, title: str) -> str:
        """How a section is named everywhere (一、坚持…), from plain values."""
        return f"{cls.numeral_of(ordinal)}、{title}"


def list_ordering(path: str = "") -> list[str]:
    """How the task lists (全部任务, 我的工作, /api/tasks/) order tasks, as order_by() field names from the model at
    ``path`` (``""`` for Task, ``"task"`` for Assignment): deadline, then the plan (latest year first; plans of
    one year in the order they were loaded), section and number.

    The plan is ordered by its id, not by Workplan's own ordering (year, title): with dates and numbers alone
    a filtered list can sort its matches in Python exactly as the database would
    (progress.aggregates.progress_by_task), where a title would sort by the database's collation.
    """
    prefix = f"{path}__" if path else ""
    names = ("deadline", "-section__workplan__year", "section__workplan_id", "section__ordinal", "number")
    return [f"-{prefix}{name[1:]}" if name.startswith("-") else prefix + name for name in names]


class Task(Versioned):
    """A numbered work item (工作任务). Its lead department is its assignment with the lead role."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("部分"))
    number = models.PositiveSmallIntegerField(
        _("序号"), help_text=_("导入时在整份工作要点中不重复；原文编号见“原文编号”。")
    )
    label = models.CharField(_("原文编号"), max_length=20, blank=True, help_text=_("原文印的编号，如“3”“（二）”“①”。"))
    subsection = models.CharField(_("小节"), max_length=300, blank=True, help_text=_("三级编号时事项上一级的标题。"))
    title = models.CharField(_("工作任务"), max_length=500, help_text=_("原文第一句。"))
    body = models.TextField(_("具体内容"), blank=True)
    deadline = models.DateField(_("完成时限"))
    deadline_phrase = models.CharField(
        _("时限原文"),
        max_length=50,
        blank=True,
        help_text=_("原文中的时间表述，如“10月底前”；空表示原文未写，默认年底。"),
    )
    cadence = models.CharField(
        _("频次"), max_length=20, blank=True, help_text=_("原文中的周期表述，如“每季度”“常态化”。")
    )
    departments = models.ManyToManyField(Department, through="Assignment", related_name="tasks", verbose_name=_("单位"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作任务")
        verbose_name_plural = _("工作任务")
        ordering = ["section__workplan", "section__ordinal", "number"]
        permissions = [("view_all_tasks", _("可查看全部单位的任务"))]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="unique_task_number_in_section"),
            models.CheckConstraint(condition=Q(number__gte=1), name="task_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def lead_department(self) -> Department | None:
        """The department of the lead assignment (uses prefetched assignments when present)."""
        for assignment in self.assignments.all():
            if assignment.role == Assignment.Role.LEAD:
                return assignment.department
        return None


class Assignment(Versioned):
    """One task × one department (责任分解), with the department's role on it."""

    class Role(models.TextChoices):
        LEAD = "lead", _("牵头单位")
        RESPONSIBLE = "responsible", _("责任单位")
        SUPPORTING = "supporting", _("配合单位")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("工作任务"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("单位")
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.RESPONSIBLE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("责任分解")
        verbose_name_plural = _("责任分解")
        ordering = ["task", "department__ordering", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="unique_assignment_per_department"),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(role="lead"),
                name="one_lead_per_task",
                violation_error_message=_("每项任务只能有一个牵头单位。"),
            ),
        ]

    def __str__(self):
        return f"{self.task.number}. {self.department} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        self.check_still_where_reported()

    def save(self, *args, **kwargs):
        self.check_still_where_reported()
        super().save(*args, **kwargs)

    def check_still_where_reported(self) -> None:
        """Refuse moving an assignment that has reports to another task or department (ValidationError).

        Its reports, evidence and reviews belong to the department that filed
        them: moved, they would show as another department's, and the filing
        department's staff would lose them. A transfer is a new assignment
        beside this one, which keeps what was reported. (The reports are
        ``self.reports``, the progress app's related name: read, not imported,
        so that the plan does not depend on the writing side.)
        """
        if self.pk is None:
            return
        before = Assignment.objects.filter(pk=self.pk).values_list("task_id", "department_id").first()
        if before in (None, (self.task_id, self.department_id)) or not self.reports.exists():
            return
        raise ValidationError(
            {
                "department" if before[1] != self.department_id else "task": _(
                    "这条责任分解已有进展报告，不能改到其他单位或任务：报告和佐证材料属于填报的单位。"
                    "如需移交，请新增一条责任分解，原分解保留其报告。"
                )
            }
        )


class Milestone(Versioned):
    """A dated step inside a task (时间节点), read from a time phrase such as 上半年."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("工作任务"))
    description = models.CharField(_("内容"), max_length=500)
    due_on = models.DateField(_("时间节点"))
    phrase = models.CharField(_("时间原文"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["task", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "description"], name="unique_milestone_description"),
        ]

    def __str__(self):
        return f"{self.due_on:%Y-%m-%d} {self.description}"


class WorkingDay(models.Model):
    """One calendar day and whether offices work on it (工作日 / 调休): the official working-day calendar.

    Seeded a year at a time from the ``holidays`` library (tasks.workdays.seed_year),
    corrected by the administrator when the State Council publishes a schedule the
    library does not know yet. Read through tasks.workdays only.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("工作日"))
    name = models.CharField(
        _("说明"), max_length=100, blank=True, help_text=_("节假日或调休名称，如“国庆节”“春节调休上班”")
    )

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self):
        return (
            f"{self.date:%Y-%m-%d} {'工作日' if self.is_working else '休息日'}{f' · {self.name}' if self.name else ''}"
        )


class ImportDraft(models.Model):
    """A plan read from an upload or pasted text, kept server-side until the office confirms or discards it.

    ``content`` is ``tasks.importing.draft.Draft.as_json()`` as corrected so far;
    ``mapping`` maps a unit name the catalogue did not know to the id of the
    department the office chose for it (absent: create a new department).
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("导入人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    filename = models.CharField(_("文件名"), max_length=255)
    content = models.JSONField(_("解析结果"))
    mapping = models.JSONField(_("新单位对应"), default=dict, blank=True)

    class Meta:
        verbose_name = _("导入草稿")
        verbose_name_plural = _("导入草稿")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename}（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"
