from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from departments.editing import VersionedAdminMixin, VersionedModelForm

from .models import Assignment, Milestone, Section, Task, WorkingDay, Workplan


class SectionInline(admin.TabularInline):
    form = VersionedModelForm
    model = Section
    extra = 0


@admin.register(Workplan)
class WorkplanAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "year", "published_on", "light_tolerance", "due_soon_days", "source", "created_at"]
    list_filter = ["year"]
    search_fields = ["title", "source"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "workplan", "ordinal"]
    list_filter = ["workplan"]
    search_fields = ["title"]


class AssignmentInline(admin.TabularInline):
    form = VersionedModelForm
    model = Assignment
    extra = 0
    autocomplete_fields = ["department"]


class MilestoneInline(admin.TabularInline):
    form = VersionedModelForm
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "label", "title", "section", "deadline", "deadline_phrase", "cadence"]
    list_display_links = ["number", "title"]
    list_filter = ["section__workplan", "section", "deadline", "assignments__department"]
    search_fields = ["title", "body", "deadline_phrase"]
    list_select_related = ["section"]
    inlines = [AssignmentInline, MilestoneInline]


@admin.register(Assignment)
class AssignmentAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["task", "department", "role"]
    list_filter = ["role", "department", "task__section__workplan"]
    search_fields = ["task__title", "department__name", "department__short_name"]
    list_select_related = ["task", "department"]
    autocomplete_fields = ["task", "department"]

    def get_readonly_fields(self, request, obj=None):
        """Once reported on, an assignment keeps its task and department (see check_still_where_reported)."""
        fixed = obj is not None and obj.reports.exists()
        return [*super().get_readonly_fields(request, obj), *(["task", "department"] if fixed else [])]


@admin.register(Milestone)
class MilestoneAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["task", "due_on", "phrase", "description"]
    list_filter = ["due_on", "task__section__workplan"]
    search_fields = ["description", "phrase", "task__title"]
    list_select_related = ["task"]
    autocomplete_fields = ["task"]


@admin.register(WorkingDay)
class WorkingDayAdmin(admin.ModelAdmin):
    """The working-day calendar: the administrator corrects a day (调休) when the official schedule is published."""

    list_display = ["date", "weekday", "is_working", "name"]
    list_editable = ["is_working", "name"]
    list_filter = ["is_working"]
    date_hierarchy = "date"
    search_fields = ["name"]
    list_per_page = 62

    @admin.display(description="星期")
    def weekday(self, day):
        return "一二三四五六日"[day.date.weekday()]
