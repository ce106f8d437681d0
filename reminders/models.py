import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.models import Assignment


class Chase(models.Model):
    """催办: the office chases one assignment by hand, with an optional message. Logged, never deleted."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="chases", verbose_name=_("责任分解")
    )
    message = models.TextField(_("催办内容"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("催办人")
    )
    created_at = models.DateTimeField(_("催办时间"), default=timezone.now)
    # The form's one-time token (departments.editing.SubmissionTokenField): a resent form finds this chase.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        db_table = "reports_chase"  # kept from the reports app: see migrations/0001_initial
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.assignment} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class ReminderLog(models.Model):
    """One message to one person: a day's digest or a chase. Decides, records and de-duplicates sending.

    A digest is unique per recipient and day (a database constraint), written in
    the transaction that decides to send it, so a second sweep sends nothing.
    """

    class Kind(models.TextChoices):
        DIGEST = "digest", _("每日提醒")
        CHASE = "chase", _("催办")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        RETRYING = "retrying", _("重试中")
        FAILED = "failed", _("发送失败")
        NO_ADDRESS = "no_address", _("无邮箱，仅站内通知")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    chase = models.ForeignKey(Chase, on_delete=models.PROTECT, null=True, blank=True, related_name="logs")
    email = models.CharField(_("邮箱"), max_length=254, blank=True)
    subject = models.CharField(_("标题"), max_length=200)
    body_text = models.TextField(_("正文"))
    body_html = models.TextField(_("HTML 正文"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        db_table = "reports_reminderlog"  # kept from the reports app: see migrations/0001_initial
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "date"],
                condition=Q(kind="digest"),
                name="one_digest_per_recipient_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} · {self.date}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification (the bell): a short title, one line and a link (reminders.notices), never the e-mail.

    Delivered even when e-mail fails. Rows written before reminders.notices hold
    the e-mail's text body in ``body``; reminders.notices.short_line reads one line of it.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    log = models.OneToOneField(
        ReminderLog, on_delete=models.CASCADE, null=True, blank=True, related_name="notification"
    )  # none for notices that go only in-app (review decisions)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "reports_notification"  # kept from the reports app: see migrations/0001_initial
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.title


class Channel(models.Model):
    """A messenger group robot (钉钉 / 企业微信 / 飞书) that receives digests and chases.

    Either a department's (every digest and chase of that department goes to it,
    once) or one person's own (their digest and chases). The webhook address and
    secret are credentials: masked in the admin, never logged.
    """

    class Kind(models.TextChoices):
        DINGTALK = "dingtalk", _("钉钉群机器人")
        WECOM = "wecom", _("企业微信群机器人")
        FEISHU = "feishu", _("飞书群机器人")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如“办公室工作群”，便于识别"))
    department = models.ForeignKey(
        "departments.Department",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="channels",
        verbose_name=_("单位"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="channels",
        verbose_name=_("个人"),
    )
    webhook = models.CharField(_("Webhook 地址"), max_length=500, help_text=_("从群机器人设置页复制的完整地址"))
    secret = models.CharField(
        _("加签密钥"), max_length=200, blank=True, help_text=_("钉钉“加签”以 SEC 开头的密钥；飞书“签名校验”的密钥")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("消息推送渠道")
        verbose_name_plural = _("消息推送渠道")
        ordering = ["department__code", "user__username", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, user__isnull=True)
                | Q(department__isnull=True, user__isnull=False),
                name="channel_belongs_to_a_department_or_a_person",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"

    def clean(self):
        from .channels import validate_webhook

        validate_webhook(self.kind, self.webhook, self.secret)


class ChannelMessage(models.Model):
    """One message to one channel: a day's digest or a chase. Decides, records and de-duplicates sending.

    One digest per channel per day and one message per channel per chase are
    database constraints, so a department robot hears the day's digest once
    however many of its staff are reminded, and a second sweep sends nothing.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages", verbose_name=_("渠道"))
    kind = models.CharField(_("类型"), max_length=20, choices=ReminderLog.Kind.choices)
    date = models.DateField(_("日期"))
    chase = models.ForeignKey(Chase, on_delete=models.PROTECT, null=True, blank=True, related_name="channel_messages")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文（Markdown）"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ReminderLog.Status.choices, default=ReminderLog.Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("渠道发送记录")
        verbose_name_plural = _("渠道发送记录")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "date"], condition=Q(kind="digest"), name="one_digest_per_channel_per_day"
            ),
            models.UniqueConstraint(
                fields=["channel", "chase"], condition=Q(kind="chase"), name="one_message_per_channel_per_chase"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.channel} · {self.date}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits: the address is the only key


class CalendarToken(models.Model):
    """A person's private calendar-feed address (日历订阅): the token is the only key; replaced or revoked at will."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token", verbose_name=_("用户")
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return str(self.user)
