from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from progress.admin import ReadOnlyAdmin

from .channels import ChannelError, mask, robot
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
    actions = ["send_test_message"]

    @admin.action(description=_("发送测试消息"))
    def send_test_message(self, request, queryset):
        """Post a short test message to each selected robot now, and say per robot whether it arrived."""
        for channel in queryset:
            try:
                robot(channel.kind, channel.webhook, channel.secret).post_markdown(
                    "工作要点提醒：测试消息", "这是一条测试消息。收到即说明机器人配置正确，每日提醒和催办将推送到本群。"
                )
            except ChannelError as exc:
                self.message_user(request, f"{channel}：发送失败（{exc}）", messages.ERROR)
            else:
                self.message_user(request, f"{channel}：已发送，请到群里查看。", messages.SUCCESS)

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
