from django import forms

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
