from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assignment, Milestone, Section, Task, WorkingDay, Workplan


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


@admin.register(Workplan)
class WorkplanAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "published_on", "source", "created_at"]
    list_filter = ["year"]
    search_fields = ["title", "source"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workplan", "ordinal"]
    list_filter = ["workplan"]
    search_fields = ["title"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["department"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ["number", "label", "title", "section", "deadline", "deadline_phrase", "cadence"]
    list_display_links = ["number", "title"]
    list_filter = ["section__workplan", "section", "deadline", "assignments__department"]
    search_fields = ["title", "body", "deadline_phrase"]
    list_select_related = ["section"]
    inlines = [AssignmentInline, MilestoneInline]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["task", "department", "role"]
    list_filter = ["role", "department", "task__section__workplan"]
    search_fields = ["task__title", "department__name", "department__short_name"]
    list_select_related = ["task", "department"]
    autocomplete_fields = ["task", "department"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
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
