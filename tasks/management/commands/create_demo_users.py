import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from departments.models import Department
from departments.roles import Role, ensure_role_groups


class Command(BaseCommand):
    help = gettext_lazy(
        "创建演示账号：office（督查办）、leader（领导），以及每个有分工单位的 staff-<单位代码>（填报员），"
        "邮箱为 <账号>@example.org。已有账号保持不变（不重置密码；没有角色的只补上角色）。"
        "密码保存在 --password-file 指定的文件（仅本人可读），每次运行都打印账号表和密码。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help=gettext_lazy("指定演示密码：写入密码文件，并设为所有演示账号（含已有账号）的密码")
        )
        parser.add_argument(
            "--password-file",
            type=Path,
            help=gettext_lazy("保存演示密码的文件；已有则沿用其中的密码，没有则随机生成后写入（权限 600）"),
        )

    @transaction.atomic
    def handle(self, *args, password, password_file, **options):
        """Create the missing demo logins; prints a table of login, role, department and the password.

        Staff users exist for every department that has at least one assignment.
        Users that already exist are left as they are (password, name, department),
        unless ``--password`` is given, which sets that password on every demo user;
        one without any role (the report authors generate_demo_data makes) gets its
        demo role, and its department if it has none, so it can sign in and work.
        The password comes from ``--password``, else ``--password-file`` when it
        exists, else is random; with ``--password-file`` it is kept there (mode 600)
        so the next run prints the same one. Raises CommandError if the file cannot
        be read or written.
        """
        reset = password is not None
        password = password or _read_password(password_file) or secrets.token_urlsafe(9)
        if password_file is not None:
            _write_password(password_file, password)
        ensure_role_groups()
        logins = [("office", Role.OFFICE, None), ("leader", Role.LEADER, None)]
        logins += [
            (f"staff-{department.code}", Role.STAFF, department)
            for department in Department.objects.filter(assignments__isnull=False).distinct()
        ]
        User = get_user_model()
        created = given_role = 0
        for username, role, department in logins:
            user, is_new = User.objects.get_or_create(username=username)
            if is_new:
                user.email = f"{username}@example.org"
                user.department = department
                user.first_name = f"{department.display_name}填报员" if department else str(role.label)
                user.is_staff = role == Role.OFFICE  # the office corrects the plan in the admin
                user.groups.set([Group.objects.get(name=str(role.label))])
                created += 1
            elif not user.groups.exists():  # a report author generate_demo_data made: it could open nothing
                user.groups.set([Group.objects.get(name=str(role.label))])
                user.department = user.department or department
                user.is_staff = user.is_staff or role == Role.OFFICE
                user.save()
                given_role += 1
            if is_new or reset:
                user.set_password(password)
                user.save()

        self.stdout.write(f"{_('账号'):<22}{_('角色'):<8}{_('单位')}")
        for username, role, department in logins:
            self.stdout.write(f"{username:<24}{role.label:<8}{department.name if department else '—'}")
        kept = _("已有 %(old)d 个（已有账号未作改动）") % {"old": len(logins) - created}
        if given_role:
            kept = _("已有 %(old)d 个（其中 %(given)d 个原无角色，已补上角色；其余未作改动）") % {
                "old": len(logins) - created,
                "given": given_role,
            }
        self.stdout.write(_("新建 %(new)d 个，%(kept)s。") % {"new": created, "kept": kept})
        shown = _("以上 %(n)d 个演示账号的密码：%(password)s") % {"n": len(logins), "password": password}
        self.stdout.write(self.style.SUCCESS(shown))


def _read_password(path: Path | None) -> str:
    if path is None or not path.exists():
        return ""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise CommandError(_("读不了演示密码文件 %(path)s：%(why)s") % {"path": path, "why": exc.strerror}) from None


def _write_password(path: Path, password: str) -> None:
    """Write the password readable by the owner only (0600), also when the file already existed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(password + "\n")
        path.chmod(0o600)
    except OSError as exc:
        raise CommandError(_("写不了演示密码文件 %(path)s：%(why)s") % {"path": path, "why": exc.strerror}) from None
