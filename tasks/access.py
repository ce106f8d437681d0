"""Who may see and change what: the one place every view asks.

Rule source: DESIGN.md, "Who uses it": staff see the tasks their department is
assigned (and, on those tasks, every department's reports); leaders and the
office see everything; only a department's own staff report on its assignment;
only the office reviews and chases.
"""

from django.db.models import Exists, OuterRef, QuerySet

from departments.roles import Role, role_of

from .models import Assignment, Task


def sees_everything(user) -> bool:
    """Leaders and the office read every plan, task and report."""
    return role_of(user) in (Role.LEADER, Role.OFFICE)


def is_office(user) -> bool:
    return role_of(user) == Role.OFFICE


def visible_tasks(user) -> QuerySet[Task]:
    """Tasks the user may open: all for leaders and the office, their department's for staff, none otherwise."""
    if sees_everything(user):
        return Task.objects.all()
    if role_of(user) == Role.STAFF and user.department_id:
        # EXISTS, not a join and DISTINCT: a page of a staff list then sorts only its rows, not every task's.
        mine = Assignment.objects.filter(task=OuterRef("pk"), department_id=user.department_id)
        return Task.objects.filter(Exists(mine))
    return Task.objects.none()


def visible_assignments(user) -> QuerySet[Assignment]:
    """Assignments on the tasks the user may open (staff see the other departments sharing their tasks)."""
    if sees_everything(user):
        return Assignment.objects.all()
    if role_of(user) == Role.STAFF and user.department_id:
        return Assignment.objects.filter(task__assignments__department_id=user.department_id)
    return Assignment.objects.none()


def can_report_on(user, assignment: Assignment) -> bool:
    """Only staff of the assigned department report progress on an assignment."""
    return (
        role_of(user) == Role.STAFF
        and user.department_id is not None
        and assignment.department_id == user.department_id
        and user.has_perm("progress.add_progressreport")
    )


def can_report_on_behalf(user) -> bool:
    """The office files reports for a department (an uploaded fill-in workbook); each is marked 督查办代填."""
    return is_office(user) and user.has_perm("progress.add_progressreport")


def can_request_extension(user, assignment: Assignment) -> bool:
    """Staff of the assigned department apply to extend its deadline (延期申请)."""
    return (
        role_of(user) == Role.STAFF
        and user.department_id is not None
        and assignment.department_id == user.department_id
        and user.has_perm("progress.add_extensionrequest")
    )


def can_decide_extension(user) -> bool:
    """The office approves or refuses extension requests."""
    return is_office(user) and user.has_perm("progress.decide_extensionrequest")


def can_chase(user) -> bool:
    """The office chases (催办) assignments."""
    return is_office(user)


def can_review(user) -> bool:
    """The office accepts or returns reports."""
    return is_office(user) and user.has_perm("progress.review_progressreport")


def can_import(user) -> bool:
    """Only the office loads plans (upload, preview, confirm)."""
    return is_office(user)
