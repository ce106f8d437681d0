"""Notices the reminders app sends when the writing side announces something (progress.signals)."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.dispatch import receiver

from departments.roles import Role
from progress.signals import extension_decided, extension_requested, report_reviewed

from .notices import extension_decision_notice, extension_request_notice, notify, review_notice


@receiver(report_reviewed, dispatch_uid="reminders.notify_author_of_review")
def notify_author_of_review(sender, review, **kwargs) -> None:
    """Tell a report's author in-app (the bell) that the office accepted or returned it, with the reason."""
    notify([review.report.submitted_by], review_notice(review))


@receiver(extension_requested, dispatch_uid="reminders.notify_office_of_extension_request")
def notify_office_of_extension_request(sender, extension, **kwargs) -> None:
    """Tell every office user in-app that a department applied to extend a deadline."""
    office = get_user_model().objects.filter(is_active=True, groups__name=str(Role.OFFICE.label))
    notify(office, extension_request_notice(extension))


@receiver(extension_decided, dispatch_uid="reminders.notify_department_of_extension_decision")
def notify_department_of_extension_decision(sender, extension, **kwargs) -> None:
    """Tell the applicant and the department's other staff in-app that the office approved or refused."""
    assignment = extension.assignment
    staff = (
        get_user_model()
        .objects.filter(
            Q(pk=extension.requested_by_id)
            | Q(department_id=assignment.department_id, is_active=True, groups__name=str(Role.STAFF.label))
        )
        .distinct()
    )
    notify(staff, extension_decision_notice(extension))
