"""Notices the reminders app sends when the writing side announces something (progress.signals)."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from progress.signals import report_reviewed

from .models import Notification
from .services import fit


@receiver(report_reviewed, dispatch_uid="reminders.notify_author_of_review")
def notify_author_of_review(sender, review, **kwargs) -> None:
    """Tell a report's author in-app (the bell) that the office accepted or returned it, with the reason."""
    report = review.report
    task = report.assignment.task
    word = review.get_decision_display()
    Notification.objects.create(
        recipient=report.submitted_by,
        title=fit(Notification, "title", f"【{word}】{task.number}. {task.title}"),
        body=(
            f"您于 {timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M} 提交的进展报告已{word}。"
            + (f"\n退回原因：{review.reason}\n请修改后重新填报。" if review.reason else "")
        ),
        url=reverse("task_detail", args=[task.pk]),
    )
