"""The API's JSON shapes. Read shapes wrap what the selectors return; write shapes document the forms' fields.

The shapes a task list repeats per row (section, department, progress,
assignment, task row) write their dict directly in ``to_representation``: DRF's
field-by-field walk cost most of /api/tasks/'s time (make bench). Their declared
fields stay the documented contract, and tests/api/test_serializers.py checks
that each direct dict equals what DRF's generic walk gives.

The write shapes (ReportRequest, ReviewRequest) only describe the request for
the schema: requests are validated by the pages' own forms (progress.forms), so
a rule and its message are the same on both.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from rest_framework import serializers

from departments.models import Department
from progress.models import Evidence, ProgressReport, Review
from progress.periods import QUARTER_NAMES, period_label
from progress.selectors import STATUS_CHOICES
from tasks.lights import Light
from tasks.models import Assignment, Milestone, Section, Workplan


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name", "level"]


_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def _labels(kind: str, choices) -> dict[str, str]:
    """Choice value → its label in the active language, read once per kind and language (gettext per row is costly)."""
    key = (kind, get_language())
    if key not in _LABELS:
        _LABELS[key] = {str(value): str(label) for value, label in choices}
    return _LABELS[key]


class DepartmentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "short_name"]

    def to_representation(self, department):
        return department_brief(department)


def department_brief(department: Department) -> dict:
    return {"id": department.pk, "name": department.name, "short_name": department.short_name}


class SectionSerializer(serializers.ModelSerializer):
    numeral = serializers.CharField(read_only=True, help_text="一、二、……")

    class Meta:
        model = Section
        fields = ["id", "ordinal", "numeral", "title"]

    def to_representation(self, section):
        return section_brief(section)


def section_brief(section: Section) -> dict:
    return {"id": section.pk, "ordinal": section.ordinal, "numeral": section.numeral, "title": section.title}


class WorkplanSerializer(serializers.ModelSerializer):
    start_date = serializers.DateField(read_only=True, help_text="序时进度的起算日：计划年度的 1 月 1 日。")
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Workplan
        fields = ["id", "year", "title", "published_on", "start_date", "sections"]


class ProgressSerializer(serializers.Serializer):
    """Where a task or assignment stands on the as-of date (progress.selectors.Progress)."""

    percent = serializers.FloatField(help_text="完成进度，0–100。")
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    status_label = serializers.CharField()
    light = serializers.ChoiceField(choices=Light.choices)
    light_label = serializers.SerializerMethodField()

    def get_light_label(self, progress) -> str:
        return str(progress.light.label)

    def to_representation(self, progress):
        return progress_figures(progress)


def progress_labels() -> tuple[dict[str, str], dict[str, str]]:
    """(status → label, light → label) in the active language; a list reads them once, not per row."""
    return _labels("status", STATUS_CHOICES), _labels("light", Light.choices)


def progress_figures(progress, labels: tuple[dict[str, str], dict[str, str]] | None = None) -> dict:
    status_labels, light_labels = labels or progress_labels()
    return {
        "percent": float(progress.percent),
        "status": progress.status,
        "status_label": status_labels[progress.status],
        "light": str(progress.light),
        "light_label": light_labels[progress.light],
    }


class EvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField(help_text="下载地址（与页面相同的权限检查）。")

    class Meta:
        model = Evidence
        fields = ["id", "name", "size", "url"]

    def get_url(self, evidence) -> str:
        return reverse("api_evidence", args=[evidence.pk])


class ReviewSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["decision", "reason", "reviewed_by", "reviewed_at"]

    def get_reviewed_by(self, review) -> str:
        return review.reviewed_by.get_full_name() or review.reviewed_by.username


class ReportSerializer(serializers.ModelSerializer):
    """One progress report (never edited: a correction is a new report)."""

    assignment = serializers.IntegerField(source="assignment_id")
    department = DepartmentBriefSerializer(source="assignment.department")
    quarter_label = serializers.SerializerMethodField(help_text="如“2021年第二季度”。")
    submitted_by = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "assignment",
            "department",
            "quarter",
            "quarter_label",
            "status",
            "percent_complete",
            "progress_summary",
            "problems",
            "next_steps",
            "submitted_by",
            "submitted_at",
            "review",
            "evidence",
        ]

    def get_quarter_label(self, report) -> str:
        year = self.context.get("year") or report.assignment.task.section.workplan.year
        return period_label(year, report.quarter)

    def get_submitted_by(self, report) -> str:
        return report.submitted_by.get_full_name() or report.submitted_by.username

    def get_review(self, report) -> ReviewSerializer(allow_null=True):
        review = getattr(report, "review", None)
        return ReviewSerializer(review).data if review else None


class AssignmentSerializer(serializers.Serializer):
    """An assignment on a task list row: department, role and where it stands."""

    id = serializers.IntegerField(source="assignment.pk")
    department = DepartmentBriefSerializer(source="assignment.department")
    role = serializers.ChoiceField(source="assignment.role", choices=Assignment.Role.choices)
    progress = ProgressSerializer()

    def to_representation(self, part, labels=None):
        # A list row holds (assignment, progress) pairs (progress.selectors.TaskRow); the task page AssignmentParts.
        assignment, progress = part if isinstance(part, tuple) else (part.assignment, part.progress)
        return {
            "id": assignment.pk,
            "department": department_brief(assignment.department),
            "role": assignment.role,
            "progress": progress_figures(progress, labels),
        }


class AssignmentStandingSerializer(AssignmentSerializer):
    """An assignment on the task page: also its standing report, whether it was returned, whether you may report."""

    standing_report = ReportSerializer(
        source="progress.report", allow_null=True, help_text="截至日期当天有效的最新报告。"
    )
    returned = serializers.SerializerMethodField(help_text="最近一次提交被退回，需重新填报（指现在，与 as_of 无关）。")
    can_report = serializers.BooleanField(help_text="当前用户能否填报。")

    def get_returned(self, part) -> bool:
        return part.progress.returned is not None

    def to_representation(self, part):
        report = part.progress.report
        return super().to_representation(part) | {
            "standing_report": ReportSerializer(report, context=self.context).data if report else None,
            "returned": self.get_returned(part),
            "can_report": part.can_report,
        }


class TaskRowSerializer(serializers.Serializer):
    """One task on the list: its figures on the as-of date and its assignments'."""

    id = serializers.IntegerField(source="task.pk")
    workplan = serializers.IntegerField(source="task.section.workplan_id")
    section = SectionSerializer(source="task.section")
    number = serializers.IntegerField(source="task.number")
    title = serializers.CharField(source="task.title")
    deadline = serializers.DateField(source="task.deadline", help_text="原定完成时限（发布时）。")
    deadline_in_force = serializers.DateField(
        source="progress.deadline", help_text="当日有效的完成时限：延期申请批准后为延期后的日期。"
    )
    deadline_phrase = serializers.CharField(source="task.deadline_phrase")
    progress = ProgressSerializer()
    assignments = AssignmentSerializer(many=True)

    def to_representation(self, row):
        task = row.task
        if not hasattr(self, "_progress_labels"):  # one serializer per request: the labels are read once per list
            self._progress_labels = progress_labels()
            self._assignment = self.fields["assignments"].child
        labels = self._progress_labels
        return {
            "id": task.pk,
            "workplan": task.section.workplan_id,
            "section": section_brief(task.section),
            "number": task.number,
            "title": task.title,
            "deadline": task.deadline.isoformat(),
            "deadline_in_force": row.progress.deadline.isoformat(),
            "deadline_phrase": task.deadline_phrase,
            "progress": progress_figures(row.progress, labels),
            "assignments": [self._assignment.to_representation(part, labels) for part in row.assignments],
        }


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "description", "due_on", "phrase"]


class TaskDetailSerializer(TaskRowSerializer):
    body = serializers.CharField(source="task.body")
    as_of = serializers.DateField()
    assignments = AssignmentStandingSerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    reports = ReportSerializer(many=True, help_text="截至日期当天及以前提交的全部报告，最新在前（含已退回的）。")

    to_representation = serializers.Serializer.to_representation  # one page: DRF's walk over the fields above


class ReportRequestSerializer(serializers.Serializer):
    """A progress report, as the report form takes it; JSON, or multipart/form-data with evidence files."""

    quarter = serializers.ChoiceField(choices=[(q, f"第{n}季度") for q, n in QUARTER_NAMES.items()])
    status = serializers.ChoiceField(choices=ProgressReport.Status.choices)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    progress_summary = serializers.CharField()
    problems = serializers.CharField(required=False, allow_blank=True)
    next_steps = serializers.CharField(required=False, allow_blank=True)
    based_on = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="填报时看到的该分解最新报告的 id；之后若有人另行提交，两份都保存并在 conflict 中返回。",
    )
    evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=f"佐证材料，可多个（multipart/form-data）；{'、'.join(settings.EVIDENCE_EXTENSIONS)}，"
        f"每个不超过 {settings.EVIDENCE_MAX_BYTES // 1024 // 1024} MB。",
    )


class ReportCreatedSerializer(serializers.Serializer):
    report = ReportSerializer()
    conflict = ReportSerializer(allow_null=True, help_text="填写期间他人提交的另一份报告（两份都已保存）。")


class ReviewRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Review.Decision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, help_text="退回时必填。")


class TableLineSerializer(serializers.Serializer):
    """One task's row of the quarterly table (reports.exports.TaskLine)."""

    number = serializers.IntegerField()
    title = serializers.CharField()
    lead = serializers.CharField(help_text="牵头单位")
    departments = serializers.CharField(help_text="责任单位（配合单位注明“配合”）")
    deadline = serializers.DateField(help_text="原定完成时限（发布时）。")
    deadline_label = serializers.CharField(help_text="完成时限，如表中所示；延期后为“原定…，已延期至…”。")
    progress = serializers.CharField(help_text="进展情况")
    percent = serializers.SerializerMethodField(help_text="完成进度，0–100。")
    light = serializers.ChoiceField(choices=Light.choices)
    light_label = serializers.SerializerMethodField(help_text="状态")
    problems = serializers.CharField()
    next_steps = serializers.CharField()

    def get_percent(self, line) -> float:
        return round(line.percent * 100, 1)

    def get_light_label(self, line) -> str:
        return str(line.light.label)


class TableSectionSerializer(serializers.Serializer):
    numeral = serializers.CharField()
    title = serializers.CharField()
    rows = TableLineSerializer(many=True)


class QuarterlyTableSerializer(serializers.Serializer):
    title = serializers.CharField(source="table.title")
    workplan = serializers.IntegerField(source="table.workplan.pk")
    year = serializers.IntegerField(source="table.workplan.year")
    quarter = serializers.IntegerField(source="table.quarter")
    department = DepartmentBriefSerializer(source="table.department", allow_null=True)
    as_of = serializers.DateField(source="table.as_of", help_text="数字截至的日期：季度末，季度未结束时为今天。")
    exported_at = serializers.DateTimeField(source="table.exported_at")
    sections = TableSectionSerializer(many=True)
