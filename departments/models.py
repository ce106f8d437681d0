from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .editing import Versioned


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(Versioned):
    """A municipal department, a district or a functional zone that can be assigned tasks.

    Which of its names a page shows is chosen once, here: ``display_name`` (the
    short name, 鄞州) wherever units sit side by side: tables, cards, charts,
    queues, filters, exports, messages about a list; ``name`` (the full name,
    鄞州区) on the task page, which is about one task and its units, and in the
    heading of a page about one unit (我的工作, the report form). Each page uses
    one of them throughout.
    """

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
        """The short name where there is one (tables, cards, charts, filters), else the full name."""
        return self.short_name or self.name


class DepartmentAlias(models.Model):
    """Another name a document uses for a department (市人防办 → 宁波市人民防空办公室), kept by the office."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("单位"))
    name = models.CharField(_("别名"), max_length=100, unique=True, help_text=_("文件中出现的其他写法，如“市人防办”。"))

    class Meta:
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")
        ordering = ["department__ordering", "name"]

    def __str__(self):
        return f"{self.name} → {self.department}"


class CollectivePhrase(models.Model):
    """A phrase that names several units at once (各区县(市), 市县两级, 各街道) and which units it means.

    It stands for every active department of ``level`` (when set) plus the
    departments listed; the office edits both in the admin.
    """

    phrase = models.CharField(_("统称"), max_length=50, unique=True, help_text=_("如“各区县(市)”“各街道”。"))
    level = models.CharField(
        _("层级"), max_length=20, choices=Department.Level.choices, blank=True, help_text=_("指该层级的全部单位。")
    )
    departments = models.ManyToManyField(Department, blank=True, related_name="+", verbose_name=_("另含单位"))

    class Meta:
        verbose_name = _("单位统称")
        verbose_name_plural = _("单位统称")
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase


class User(Versioned, AbstractUser):
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
