"""The report form (with evidence uploads) and the review form."""

from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from departments.editing import SubmissionTokenField, TextInputsForm
from tasks.models import Workplan

from .models import ExtensionRequest, ProgressReport, Review
from .periods import period_choices

# The first bytes each allowed type starts with: a renamed .exe is not a PDF.
_SIGNATURES = {
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "doc": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    "xls": [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
}


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.2f} MB"


_TOTAL_TOO_LARGE = _(
    "所选佐证材料共 %(size)s，超过一次提交的上限 %(limit)s；请分几次提交或压缩后再传。已填写的内容仍在。"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files at once (Django's documented multiple-upload pattern), each checked."""

    default_validators = [FileExtensionValidator(settings.EVIDENCE_EXTENSIONS)]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": ",".join(f".{e}" for e in settings.EVIDENCE_EXTENSIONS),
                    # static/js/forms.js checks the total before sending (the proxy refuses more)
                    "data-max-total-bytes": settings.EVIDENCE_MAX_TOTAL_BYTES,
                    "data-too-large-message": _TOTAL_TOO_LARGE,
                },
            ),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(EvidenceField, self).clean(item, initial) for item in files]
        total = sum(upload.size for upload in cleaned)
        if total > settings.EVIDENCE_MAX_TOTAL_BYTES:
            raise forms.ValidationError(
                _TOTAL_TOO_LARGE,
                params={"size": _megabytes(total), "limit": _megabytes(settings.EVIDENCE_MAX_TOTAL_BYTES)},
            )
        for upload in cleaned:
            if upload.size > settings.EVIDENCE_MAX_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s”有 %(size)s，超过上限 %(limit)s。"),
                    params={
                        "name": upload.name,
                        "size": _megabytes(upload.size),
                        "limit": _megabytes(settings.EVIDENCE_MAX_BYTES),
                    },
                )
            extension = PurePosixPath(upload.name).suffix.lower().lstrip(".")
            head = upload.read(8)
            upload.seek(0)
            if not any(head.startswith(signature) for signature in _SIGNATURES[extension]):
                raise forms.ValidationError(
                    _("“%(name)s”的内容不是 %(ext)s 文件。"), params={"name": upload.name, "ext": extension}
                )
        return cleaned


class ReportForm(TextInputsForm, forms.ModelForm):
    evidence = EvidenceField(
        label=_("佐证材料"),
        required=False,
        help_text=_("可多选；pdf、doc(x)、xls(x)、jpg、png，每个不超过 20 MB，一次合计不超过 24 MB。"),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_token = SubmissionTokenField()
    percent_complete = forms.IntegerField(
        label=_("完成进度(%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": 1}),
        error_messages={"min_value": _("完成进度应在 0 到 100 之间。"), "max_value": _("完成进度应在 0 到 100 之间。")},
    )

    class Meta:
        model = ProgressReport
        fields = ["quarter", "status", "percent_complete", "progress_summary", "problems", "next_steps"]
        error_messages = {"progress_summary": {"required": _("请填写进展情况。")}}
        widgets = {
            "progress_summary": forms.Textarea(attrs={"rows": 5}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, year: int, **kwargs):
        """``year`` is the plan's: the period choices read 2021年第一季度 … (DESIGN.md, "Reporting periods")."""
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = period_choices(year)
        self.fields["quarter"].label = _("报告期")
        self.fields["status"].choices = [("", _("请选择状态")), *ProgressReport.Status.choices]

    def clean(self):
        cleaned = super().clean()
        status, percent = cleaned.get("status"), cleaned.get("percent_complete")
        if status == ProgressReport.Status.COMPLETED and percent is not None and percent != 100:
            self.add_error("percent_complete", _("已完成的事项完成进度应为100%。"))
        if status == ProgressReport.Status.NOT_STARTED and percent:
            self.add_error("percent_complete", _("未启动的事项完成进度应为0%。"))
        return cleaned

    def clean_progress_summary(self):
        summary = self.cleaned_data["progress_summary"].strip()
        if not summary:
            raise forms.ValidationError(_("请填写进展情况。"))
        return summary


class ReviewForm(TextInputsForm, forms.ModelForm):
    submission_token = SubmissionTokenField()

    class Meta:
        model = Review
        fields = ["decision", "reason"]
        widgets = {"decision": forms.HiddenInput, "reason": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Review.Decision.RETURNED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("退回时须写明原因。"))
        return cleaned


class FillInUploadForm(forms.Form):
    """The filled-in workbook; its content is checked by progress.fill_in, not here."""

    file = forms.FileField(
        label=_("填报表"),
        validators=[FileExtensionValidator(["xlsx"], message=_("请上传 .xlsx 文件（从本系统下载的填报表）。"))],
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        help_text=_("从“我的工作”或“报表”下载的填报表，填好后保存为 .xlsx。"),
    )


class ExtensionRequestForm(TextInputsForm, forms.ModelForm):
    submission_token = SubmissionTokenField()

    class Meta:
        model = ExtensionRequest
        fields = ["requested_deadline", "reason"]
        widgets = {
            "requested_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "reason": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "requested_deadline": {"required": _("请填写申请延期至的日期。"), "invalid": _("请填写有效日期。")},
            "reason": {"required": _("请写明申请理由。")},
        }

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请写明申请理由。"))
        return reason


class ExtensionDecisionForm(TextInputsForm, forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("批准")), ("0", _("不批准"))], coerce=lambda value: value == "1", widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approve") is False and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("不批准时须写明理由。"))
        return cleaned


class QuarterFinaliseForm(forms.Form):
    """Which plan's quarter to finalise (定稿)."""

    workplan = forms.ModelChoiceField(
        label=_("工作要点"), queryset=Workplan.objects.all(), error_messages={"invalid_choice": _("没有这份工作要点。")}
    )
    quarter = forms.TypedChoiceField(
        label=_("季度"),
        coerce=int,
        choices=[(q, q) for q in range(1, 5)],
        error_messages={"invalid_choice": _("季度应为 1–4。")},
    )
