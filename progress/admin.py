from django.contrib import admin

from .models import Evidence, ExtensionRequest, ProgressReport, QuarterFinalisation, Review


class ReadOnlyAdmin(admin.ModelAdmin):
    """Reports and reviews are append-only records: the admin shows them and changes nothing."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["original_name", "size"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "quarter", "status", "percent_complete", "submitted_by", "submitted_at"]
    list_filter = ["quarter", "status", "assignment__department", "assignment__task__section__workplan"]
    search_fields = ["progress_summary", "problems", "next_steps", "assignment__task__title"]
    list_select_related = ["assignment__task", "assignment__department", "submitted_by"]
    date_hierarchy = "submitted_at"
    inlines = [EvidenceInline]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["report", "decision", "reason", "reviewed_by", "reviewed_at"]
    list_filter = ["decision"]
    list_select_related = ["report__assignment__task", "report__assignment__department", "reviewed_by"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    """延期申请 are decided on the 延期申请 page (so the notices go out); the admin shows the record."""

    list_display = [
        "assignment",
        "original_deadline",
        "requested_deadline",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "assignment__department", "assignment__task__section__workplan"]
    search_fields = ["reason", "decision_reason", "assignment__task__title"]
    list_select_related = ["assignment__task", "assignment__department", "requested_by", "decided_by"]
    date_hierarchy = "requested_at"


@admin.register(QuarterFinalisation)
class QuarterFinalisationAdmin(ReadOnlyAdmin):
    """定稿 log: who froze each quarter's table and who reopened it, when and why (done from the 报表 page)."""

    list_display = ["workplan", "quarter", "finalised_by_name", "finalised_at", "reopened_by", "reopened_at"]
    list_filter = ["workplan", "quarter"]
    list_select_related = ["workplan", "reopened_by"]
