"""The signed-in user's permissions: the same answer as Django's ModelBackend, read in one query."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from departments.roles import Role
from tests.factories import UserFactory
from workplan.auth import UserWithRoleBackend


def fresh(user):
    """The user read again, with no permission cache."""
    return type(user).objects.get(pk=user.pk)


def test_a_users_own_and_group_permissions_are_read_in_one_query(db, django_assert_num_queries):
    staff = UserFactory(username="staff-perm", role=Role.STAFF)
    staff.user_permissions.add(Permission.objects.get(codename="decide_extensionrequest"))
    extra = Group.objects.create(name="额外")
    extra.permissions.add(Permission.objects.get(codename="review_progressreport"))
    staff.groups.add(extra)

    user = fresh(staff)
    with django_assert_num_queries(1):
        permissions = UserWithRoleBackend().get_all_permissions(user)
        assert user.has_perm("progress.add_progressreport")  # from the staff role's group
        assert user.has_perm("progress.decide_extensionrequest")  # given to the user
        assert user.has_perm("progress.review_progressreport")  # from another group
        assert not user.has_perm("tasks.delete_task")

    assert permissions == ModelBackend().get_all_permissions(fresh(staff))


def test_a_permission_taken_from_the_role_group_is_refused(db):
    staff = UserFactory(username="staff-no-report", role=Role.STAFF)
    assert fresh(staff).has_perm("progress.add_progressreport")
    Group.objects.get(name=str(Role.STAFF.label)).permissions.remove(
        Permission.objects.get(codename="add_progressreport")
    )
    assert not fresh(staff).has_perm("progress.add_progressreport")


def test_superusers_hold_every_permission_and_inactive_users_none(db):
    admin = UserFactory(username="root-perm", is_superuser=True)
    inactive = UserFactory(username="gone", role=Role.OFFICE, is_active=False)

    assert UserWithRoleBackend().get_all_permissions(fresh(admin)) == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
    assert UserWithRoleBackend().get_all_permissions(fresh(inactive)) == set()
