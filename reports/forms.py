"""Which quarterly table to download."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks.models import Workplan


class PeriodForm(forms.Form):
    """A plan and one of its quarters (the 督查通报's period)."""

    workplan = forms.ModelChoiceField(label=_("工作要点"), queryset=None, empty_label=None)
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplan"].queryset = Workplan.objects.all()


class QuarterlyExportForm(PeriodForm):
    """Which quarterly table (or fill-in workbook) to download: plan, quarter, and optionally one department."""

    department = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False, empty_label=_("全部单位"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.active()
