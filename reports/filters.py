"""List filters (django-filter). Values live in the URL, so a filtered list can be bookmarked.

Light and status are derived as of a date (tasks.lights, progress.selectors), not
stored: their filters only validate the choice here, and the view keeps the
rows whose computed light or status matches (``matching_ids``; see
reports.lists.list_page and the API's task list).
"""

import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from departments.forms import DepartmentChoiceField, ReadOnceModelChoiceField
from departments.models import Department
from progress.selectors import STATUS_CHOICES
from tasks.lights import Light
from tasks.models import Assignment, Section, Task, Workplan


def matching_ids(figures: dict, *, light: str = "", status: str = "") -> list:
    """The keys of ``figures`` (id → progress.selectors.Progress, in list order) whose light and status are those asked.

    "" asks for any. The order of ``figures`` is kept, so a page of the result
    is a page of the list.
    """
    return [pk for pk, progress in figures.items() if progress.matches(light=light, status=status)]


def in_given_order(queryset, ids: list) -> list:
    """The objects of ``queryset`` with the primary keys ``ids`` (a page of matching_ids), in that order; one query."""
    by_id = queryset.in_bulk(ids)
    return [by_id[pk] for pk in ids]


class SectionChoiceField(ReadOnceModelChoiceField):
    """Sections labelled with their plan's year, so two plans' 一、… can be told apart."""

    def label_from_instance(self, section):
        return f"{section.workplan.year} · {section}"


class SectionFilter(django_filters.ModelChoiceFilter):
    field_class = SectionChoiceField


class DepartmentFilter(django_filters.ModelChoiceFilter):
    field_class = DepartmentChoiceField


class WorkplanFilter(django_filters.ModelChoiceFilter):
    field_class = ReadOnceModelChoiceField


class _PlanAndSectionForm(forms.Form):
    """A filter form whose 部分 must belong to its 工作要点 when both are picked (the list would be empty)."""

    def clean(self):
        cleaned = super().clean()
        plan, section = cleaned.get("workplan"), cleaned.get("section")
        if plan and section and section.workplan_id != plan.pk:
            self.add_error("section", _("所选部分不属于所选的工作要点，请重新选择。"))
        return cleaned


def _keep(queryset, name, value):
    return queryset  # applied to computed progress by the view


class _ProgressFilters(django_filters.FilterSet):
    light = django_filters.ChoiceFilter(label=_("状态灯"), choices=Light.choices, method=_keep, empty_label=_("全部"))
    status = django_filters.ChoiceFilter(
        label=_("填报状态"), choices=STATUS_CHOICES, method=_keep, empty_label=_("全部")
    )


class AssignmentFilter(_ProgressFilters):
    workplan = WorkplanFilter(
        label=_("工作要点"),
        field_name="task__section__workplan",
        queryset=Workplan.objects.all(),
        empty_label=_("全部"),
    )
    section = SectionFilter(
        label=_("部分"),
        field_name="task__section",
        queryset=Section.objects.select_related("workplan"),
        empty_label=_("全部"),
    )
    deadline = django_filters.DateFromToRangeFilter(
        label=_("完成时限"),
        field_name="task__deadline",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    q = django_filters.CharFilter(label=_("关键词"), method="search")

    class Meta:
        model = Assignment
        form = _PlanAndSectionForm
        fields = ["workplan", "section", "light", "status", "deadline", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(task__title__icontains=value) | Q(task__body__icontains=value))


class TaskFilter(_ProgressFilters):
    workplan = WorkplanFilter(
        label=_("工作要点"), field_name="section__workplan", queryset=Workplan.objects.all(), empty_label=_("全部")
    )
    as_of = django_filters.DateFilter(
        label=_("截至日期"),
        method=_keep,
        widget=forms.DateInput(attrs={"type": "date", "min": "2000-01-01", "max": "2100-12-31"}),
        validators=[
            MinValueValidator(datetime.date(2000, 1, 1), message=_("截至日期应在 2000 年到 2100 年之间。")),
            MaxValueValidator(datetime.date(2100, 12, 31), message=_("截至日期应在 2000 年到 2100 年之间。")),
        ],
    )
    section = SectionFilter(label=_("部分"), queryset=Section.objects.select_related("workplan"), empty_label=_("全部"))
    department = DepartmentFilter(
        label=_("单位"),
        field_name="assignments__department",
        queryset=Department.objects.active(),
        distinct=False,  # one assignment per task and department (unique): the join cannot repeat a task
        empty_label=_("全部"),
    )
    deadline = django_filters.DateFromToRangeFilter(
        label=_("完成时限"), widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    )
    q = django_filters.CharFilter(label=_("关键词"), method="search")

    class Meta:
        model = Task
        form = _PlanAndSectionForm
        fields = ["workplan", "as_of", "section", "department", "light", "status", "deadline", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))
