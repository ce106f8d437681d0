"""Reads of the reminders app that other pages show."""

from django.db.models import QuerySet

from tasks.models import Task

from .models import Chase


def chases_of_task(task: Task) -> QuerySet[Chase]:
    """The task's chases, newest first, with their department, author and each recipient's and robot's delivery log."""
    return (
        Chase.objects.filter(assignment__task=task)
        .select_related("assignment__department", "created_by")
        .prefetch_related("logs__recipient", "channel_messages__channel")
    )
