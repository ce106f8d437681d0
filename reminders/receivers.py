"""Notices the reminders app sends when the writing side announces something (progress.signals)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from departments.roles import Role
from progress.signals import extension_decided, extension_requested, report_reviewed

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


@receiver(extension_requested, dispatch_uid="reminders.notify_office_of_extension_request")
def notify_office_of_extension_request(sender, extension, **kwargs) -> None:
    """Tell every office user in-app that a department applied to extend a deadline."""
    assignment = extension.assignment
    task = assignment.task
    office = get_user_model().objects.filter(is_active=True, groups__name=str(Role.OFFICE.label))
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            title=f"【延期申请】{task.number}. {task.title}",
            body=(
                f"{assignment.department.display_name}申请将完成时限由 {extension.original_deadline:%Y-%m-%d} "
                f"延期至 {extension.requested_deadline:%Y-%m-%d}。\n理由：{extension.reason}"
            ),
            url=reverse("extension_queue"),
        )
        for user in office
    )


@receiver(extension_decided, dispatch_uid="reminders.notify_department_of_extension_decision")
def notify_department_of_extension_decision(sender, extension, **kwargs) -> None:
    """Tell the applicant and the department's other staff in-app that the office approved or refused."""
    assignment = extension.assignment
    task = assignment.task
    word = extension.get_status_display()
    staff = (
        get_user_model()
        .objects.filter(
            Q(pk=extension.requested_by_id)
            | Q(department_id=assignment.department_id, is_active=True, groups__name=str(Role.STAFF.label))
        )
        .distinct()
    )
    dates = f"{extension.original_deadline:%Y-%m-%d} 延期至 {extension.requested_deadline:%Y-%m-%d}"
    body = f"申请将完成时限由 {dates}：{word}。"
    if extension.decision_reason:
        body += f"\n审批意见：{extension.decision_reason}"
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            title=f"【延期申请{word}】{task.number}. {task.title}",
            body=body,
            url=reverse("task_detail", args=[task.pk]),
        )
        for user in staff
    )
