from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from progress.admin import ReadOnlyAdmin

from .channels import mask
from .models import Channel, ChannelMessage, Chase, ReminderLog


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    """Every reminder and chase sent, with its delivery status: the office sees failures here."""

    list_display = ["date", "kind", "recipient", "email", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "kind", "date"]
    search_fields = ["recipient__username", "email", "subject"]
    list_select_related = ["recipient"]
    date_hierarchy = "date"


@admin.register(Chase)
class ChaseAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "created_by", "created_at", "message"]
    list_select_related = ["assignment__task", "assignment__department", "created_by"]


class ChannelForm(forms.ModelForm):
    """The webhook and secret are write-only: never shown back; left empty on change, they stay as they were."""

    class Meta:
        model = Channel
        fields = ["kind", "name", "department", "user", "webhook", "secret", "is_active"]
        widgets = {"webhook": forms.PasswordInput(), "secret": forms.PasswordInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("webhook", "secret"):
                self.fields[name].required = False
                self.fields[name].help_text = _("已保存（不显示）；留空则不修改。")

    def _keep(self, name):
        value = self.cleaned_data.get(name, "")
        return value or (getattr(self.instance, name) if self.instance.pk else value)

    def clean_webhook(self):
        return self._keep("webhook")

    def clean_secret(self):
        return self._keep("secret")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    """Group robots per department (or person); the address is shown masked, failures in 渠道发送记录."""

    form = ChannelForm
    list_display = ["name", "kind", "department", "user", "masked_webhook", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "department__name", "user__username"]
    list_select_related = ["department", "user"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("Webhook 地址"))
    def masked_webhook(self, channel):
        return mask(channel.webhook)


@admin.register(ChannelMessage)
class ChannelMessageAdmin(ReadOnlyAdmin):
    """Every digest and chase sent to a robot, with the robot's answer when it failed."""

    list_display = ["date", "kind", "channel", "status", "attempts", "last_error", "sent_at"]
    list_filter = ["status", "kind", "channel__kind", "date"]
    search_fields = ["channel__name", "title"]
    list_select_related = ["channel"]
    date_hierarchy = "date"
