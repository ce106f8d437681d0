"""Which quarterly table to download."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.forms import DepartmentChoiceField
from departments.models import Department
from progress.periods import period_choices
from tasks.models import Workplan


class PeriodForm(forms.Form):
    """A plan and one of its quarters (the 督查通报's period), the quarters named with the plan's year."""

    workplan = forms.ModelChoiceField(label=_("工作要点"), queryset=None, empty_label=None)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplan"].queryset = Workplan.objects.all()
        self.plan = self._chosen_plan()
        if self.plan:  # periods always with their year (DESIGN.md, "Reporting periods")
            self.fields["quarter"].choices = period_choices(self.plan.year)

    def _chosen_plan(self) -> Workplan | None:
        """The plan the form is about: the one submitted, else the initial one, else the latest."""
        chosen = self.data.get(self.add_prefix("workplan")) or self.initial.get("workplan")
        if isinstance(chosen, Workplan):
            return chosen
        # One query for both the choices and the chosen plan (pages stay within their query bound).
        plans = list(self.fields["workplan"].queryset)
        self.fields["workplan"].choices = [(plan.pk, str(plan)) for plan in plans]
        by_pk = {str(plan.pk): plan for plan in plans}
        return by_pk.get(str(chosen)) or max(plans, key=lambda plan: (plan.year, plan.pk), default=None)


class QuarterlyExportForm(PeriodForm):
    """Which quarterly table (or fill-in workbook) to download: plan, quarter, and optionally one department."""

    department = DepartmentChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部单位"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.active()
