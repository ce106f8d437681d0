"""Forms of the office's import flow: upload or paste, then correct the draft item by item."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.models import Department

from .importing import MAX_BYTES


class ImportUploadForm(forms.Form):
    """A file, or text pasted from a web page; title and year only when the document lacks them."""

    file = forms.FileField(
        label=_("文件"),
        required=False,
        help_text=_("Word（.docx）、Excel（.xlsx/.xls）、CSV 或文本文件，不超过 10 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx,.xls,.csv,.txt,.tsv"}),
    )
    text = forms.CharField(label=_("或粘贴文字"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    title = forms.CharField(label=_("标题"), required=False, max_length=200, help_text=_("文件中没有标题时填写。"))
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if not upload and not text and "file" not in self.errors:  # an empty or unreadable file says so itself
            raise forms.ValidationError(_("请选择文件或粘贴文字。"))
        if upload and upload.size > MAX_BYTES:
            self.add_error("file", _("文件超过 %(mb)d MB 上限。") % {"mb": MAX_BYTES // 1024 // 1024})
        return data

    def document(self) -> tuple[bytes, str]:
        """(bytes, file name) of what was sent: the file if any, else the pasted text as UTF-8."""
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read(), upload.name
        return self.cleaned_data["text"].encode("utf-8"), "粘贴的文字.txt"


class DraftHeaderForm(forms.Form):
    """The plan's own facts, as the office confirms them."""

    title = forms.CharField(label=_("标题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    issuer = forms.CharField(label=_("发文单位"), max_length=200, required=False)
    published_on = forms.DateField(
        label=_("发布日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


# Unit names are typed (several separated by 、) with the catalogue offered as suggestions.
_NAMES = forms.TextInput(attrs={"list": "department-names", "autocomplete": "off"})


class DraftItemForm(forms.Form):
    """One item of the draft: its text, deadline and departments (names separated by 、), and what to do with it."""

    title = forms.CharField(label=_("工作任务"), max_length=500)
    body = forms.CharField(label=_("具体内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    lead = forms.CharField(label=_("牵头单位"), required=False, max_length=500, widget=_NAMES)
    responsible = forms.CharField(label=_("责任单位"), required=False, max_length=2000, widget=_NAMES)
    supporting = forms.CharField(label=_("配合单位"), required=False, max_length=2000, widget=_NAMES)
    action = forms.ChoiceField(
        label=_("处理"),
        required=False,
        choices=[
            ("", _("保留")),
            ("drop", _("删除（前言等，不是任务）")),
            ("merge", _("并入上一项")),
            ("split", _("按段拆成多项")),
        ],
    )


class UnitChoiceForm(forms.Form):
    """What a unit the catalogue does not know (``unit_name``, as written) becomes: new, or an existing one."""

    def __init__(self, *args, unit_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_name = unit_name

    department = forms.ModelChoiceField(
        label=_("对应单位"),
        queryset=Department.objects.active(),
        required=False,
        empty_label=_("新建为单位"),
    )
