import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from departments.models import Department
from departments.roles import Role, ensure_role_groups


class Command(BaseCommand):
    help = (
        "创建演示账号：office（督查办）、leader（领导），以及每个有分工单位的 staff-<单位代码>（填报员），"
        "邮箱为 <账号>@example.org；已有的账号重置为同一密码。打印账号表。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="所有演示账号的密码；不给则随机生成并打印")

    @transaction.atomic
    def handle(self, *args, password, **options):
        """Create or reset the demo logins; prints a table of login, role, department and the password.

        Staff users exist for every department that has at least one assignment.
        Safe to run again: existing users are updated, never duplicated.
        """
        ensure_role_groups()
        password = password or secrets.token_urlsafe(9)
        logins = [("office", Role.OFFICE, None), ("leader", Role.LEADER, None)]
        logins += [
            (f"staff-{department.code}", Role.STAFF, department)
            for department in Department.objects.filter(assignments__isnull=False).distinct()
        ]
        User = get_user_model()
        for username, role, department in logins:
            user, _ = User.objects.get_or_create(username=username)
            user.email = f"{username}@example.org"
            user.department = department
            user.first_name = f"{department.display_name}填报员" if department else str(role.label)
            user.is_staff = role == Role.OFFICE  # the office corrects the plan in the admin
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=str(role.label))])
            user.user_permissions.clear()

        self.stdout.write(f"{'账号':<22}{'角色':<8}单位")
        for username, role, department in logins:
            self.stdout.write(f"{username:<24}{role.label:<8}{department.name if department else '—'}")
        self.stdout.write(self.style.SUCCESS(f"以上 {len(logins)} 个演示账号的密码：{password}"))
