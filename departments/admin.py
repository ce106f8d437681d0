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
