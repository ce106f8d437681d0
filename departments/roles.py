"""The three roles as Django groups, and which permissions each holds.

Rule source: DESIGN.md, "Who uses it". The groups are (re)created after every
``migrate`` so a fresh database has them. What a user may see and do is decided
in one place, tasks.access, from the role (one cached query per request); the
permissions below are what the Django admin checks.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("填报员")
    LEADER = "leader", _("领导")
    OFFICE = "office", _("督查办")


# Role → the permissions ("app_label.codename", or "app_label.*" for all of an app's) its members hold.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.STAFF: [
        "progress.add_progressreport",
        "progress.view_progressreport",
        "progress.add_extensionrequest",
    ],
    Role.LEADER: [
        "tasks.view_all_tasks",
        "progress.view_progressreport",
    ],
    Role.OFFICE: [
        "tasks.*",  # loads and corrects the plan in the admin
        "departments.view_department",
        "departments.add_department",
        "departments.change_department",
        # The names and collective phrases documents use (departments.models), kept by the office.
        *[
            f"departments.{action}_{model}"
            for model in ("departmentalias", "collectivephrase")
            for action in ("view", "add", "change", "delete")
        ],
        "progress.view_progressreport",
        "progress.add_progressreport",  # files an uploaded fill-in workbook on a department's behalf
        "progress.review_progressreport",
        "progress.view_extensionrequest",
        "progress.decide_extensionrequest",
        "progress.view_review",
        "progress.view_quarterfinalisation",  # the 定稿 log
        "reminders.view_reminderlog",
        "reminders.view_chase",
        "axes.view_accessattempt",  # failed logins and locks, cleared by deleting the attempt
        "axes.delete_accessattempt",
    ],
}


def role_of(user) -> Role | None:
    """The role a signed-in user acts in: office (or a superuser), leader, staff; None for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.OFFICE
    if not hasattr(user, "_role_cache"):  # workplan.auth reads it with the user; otherwise one query here
        names = set(user.groups.values_list("name", flat=True))
        user._role_cache = role_from_groups({r for r in Role if str(r.label) in names})
    return user._role_cache


def role_from_groups(roles: set[Role]) -> Role | None:
    """The role of a member of the groups ``roles``: office before leader before staff; None for none."""
    return next((r for r in (Role.OFFICE, Role.LEADER, Role.STAFF) if r in roles), None)


def role_annotations(user_field: str = "pk") -> dict[str, models.Exists]:
    """Annotations reading, with a query for users (or for rows pointing at one), which role groups the user is in.

    ``user_field`` names the user's id on the annotated rows ("pk" for users,
    "user_id" for rows with a ``user`` foreign key). Hand the annotated row to
    ``remember_role`` so role_of() asks no query of its own.
    """
    from django.contrib.auth import get_user_model

    member = get_user_model().groups.through.objects.filter(user_id=models.OuterRef(user_field))
    return {f"_in_{role.value}": models.Exists(member.filter(group__name=str(role.label))) for role in Role}


def remember_role(user, annotated) -> None:
    """Keep on ``user`` the role read by ``role_annotations`` on ``annotated`` (the user or a row naming them)."""
    user._role_cache = role_from_groups({role for role in Role if getattr(annotated, f"_in_{role.value}")})


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups (named by their Chinese labels) with their permissions; safe to run again.

    Connected to post_migrate. Permissions that do not exist yet (an app not
    migrated) are skipped and picked up on the next run.
    """
    from django.contrib.auth.models import Group, Permission

    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=str(Role(role).label))
        wanted = [code.split(".") for code in codes]
        permissions = Permission.objects.filter(
            models.Q(
                *[
                    models.Q(content_type__app_label=app)
                    if name == "*"
                    else models.Q(content_type__app_label=app, codename=name)
                    for app, name in wanted
                ],
                _connector=models.Q.OR,
            )
        )
        group.permissions.set(permissions)  # a permission dropped from ROLE_PERMISSIONS is taken away too
