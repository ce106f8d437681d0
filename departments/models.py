from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(models.Model):
    """A municipal department, a district or a functional zone that can be assigned tasks."""

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("市本级")
        DISTRICT = "district", _("区县(市)")
        ZONE = "zone", _("功能区")

    code = models.SlugField(_("代码"), max_length=40, unique=True, allow_unicode=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(
        _("简称"),
        max_length=30,
        blank=True,
        help_text=_("导入工作要点时按简称识别文中点名的单位，如“鄞州”。"),
    )
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    is_municipal_office = models.BooleanField(
        _("市办"),
        default=False,
        help_text=_("负责工作要点的市级办公室；未另行指定时为每项任务的牵头单位。"),
    )
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    email = models.EmailField(_("联系邮箱"), blank=True)

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["ordering", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_municipal_office"],
                condition=Q(is_municipal_office=True),
                name="one_municipal_office",
                violation_error_message=_("只能有一个市办。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        """The short name where there is one (tables), else the full name."""
        return self.short_name or self.name


class User(AbstractUser):
    """A person who signs in. Department staff (填报员) belong to a department; leaders and the office need not."""

    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属单位"),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
