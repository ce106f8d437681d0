"""The office's 催办 form and a person's own robots."""

from django import forms
from django.utils.translation import gettext_lazy as _

from departments.editing import SubmissionTokenField, TextInputsForm

from .models import Channel


class OwnChannelForm(forms.ModelForm):
    """A person adds their own robot (钉钉 / 企业微信 / 飞书): kind, name, webhook, secret; checked as in the admin."""

    class Meta:
        model = Channel
        fields = ["kind", "name", "webhook", "secret"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.user = user


class ChaseForm(TextInputsForm, forms.Form):
    """催办: an optional message (NUL bytes and over-long text refused with a message) and the one-time token."""

    message = forms.CharField(
        label=_("催办说明"),
        required=False,
        max_length=2000,
        error_messages={"max_length": _("催办说明不能超过 %(limit_value)d 字（现有 %(show_value)d 字）。")},
    )
    submission_token = SubmissionTokenField()
