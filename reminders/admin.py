from django.contrib import admin

from progress.admin import ReadOnlyAdmin

from .models import Chase, ReminderLog


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
