from django.contrib import admin

from .models import Department


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "code", "level", "is_municipal_office", "ordering", "is_active", "email"]
    list_editable = ["ordering", "is_active", "email"]
    list_filter = ["level", "is_active", "is_municipal_office"]
    search_fields = ["name", "short_name", "code", "email"]
