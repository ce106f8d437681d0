from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .editing import VersionedAdminMixin, VersionedModelForm
from .models import CollectivePhrase, Department, DepartmentAlias, User


class DepartmentAliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1


class VersionedUserChangeForm(VersionedModelForm, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(Department)
class DepartmentAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    inlines = [DepartmentAliasInline]
    list_display = ["name", "short_name", "code", "level", "is_municipal_office", "ordering", "is_active", "email"]
    list_editable = ["ordering", "is_active", "email"]
    list_filter = ["level", "is_active", "is_municipal_office"]
    search_fields = ["name", "short_name", "code", "email", "aliases__name"]


@admin.register(CollectivePhrase)
class CollectivePhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "level"]
    search_fields = ["phrase"]
    filter_horizontal = ["departments"]


@admin.register(User)
class UserAdmin(VersionedAdminMixin, SimpleHistoryAdmin, DjangoUserAdmin):
    form = VersionedUserChangeForm
    list_display = ["username", "first_name", "department", "email", "is_active", "last_login"]
    list_filter = ["groups", "department", "is_active", "is_staff"]
    list_select_related = ["department"]
    autocomplete_fields = ["department"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("单位"), {"fields": ["department", "version"]}),
    ]


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    """访问尝试 (django-axes) with its computed columns and its clean-up message in Chinese."""

    @admin.action(description=_("清理已过期的尝试记录"))
    def cleanup_expired_attempts(self, request, queryset):
        """Delete the attempts older than the cool-off; says how many in Chinese.

        django-axes 8.3 reads ``request.axes_attempt_time``, which only a login
        request carries: without it its own action raised AttributeError (a 500).
        """
        request.axes_attempt_time = getattr(request, "axes_attempt_time", None)  # None: "now"
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, _("已清理 %(n)d 条过期的访问尝试记录。") % {"n": count})

    @admin.display(description=_("到期时间"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("状态"))
    def status(self, obj):
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return _("还可尝试 %(n)d 次") % {"n": remaining} if remaining > 0 else _("已锁定")


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
