"""Restoring a dump_plan backup into a database that may already hold people and plans, overwriting nothing."""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from departments.models import Department, User
from tasks.models import Assignment, Milestone, Section, Task, Workplan

from .models import Evidence, ExtensionRequest, ProgressReport, Review

logger = logging.getLogger(__name__)

# In the order rows may refer to each other (a report's based_on is always an older report).
PLAN_MODELS = [Workplan, Section, Task, Assignment, Milestone, ProgressReport, Review, Evidence, ExtensionRequest]
# Who last edited a row in the other database means nothing here.
NOT_RESTORED = {"version", "changed_at", "changed_by"}


@dataclass
class RestoreSummary:
    workplan: Workplan
    rows: int = 0
    departments_created: int = 0
    users_created: int = 0
    users_kept: int = 0

    def __str__(self):
        return _(
            "已恢复《%(title)s》（%(year)s年）：%(rows)d 条记录；新建单位 %(departments)d 个，"
            "新建用户 %(users)d 个（无密码，须由管理员设置），已有用户 %(kept)d 个保持不变"
        ) % {
            "title": self.workplan.title,
            "year": self.workplan.year,
            "rows": self.rows,
            "departments": self.departments_created,
            "users": self.users_created,
            "kept": self.users_kept,
        }


@transaction.atomic
def plan_restore(*, rows: list[dict]) -> RestoreSummary:
    """Write one plan from a dump_plan file's rows (Django's JSON serialisation), all or nothing.

    Departments are matched by code and users by username: existing ones are
    used as they are, never changed (a backup must not reset anybody's password
    or department); missing ones are created, users without a usable password.
    The plan and everything under it get new ids, so nothing already in the
    database is overwritten, whatever ids it uses. Raises ValidationError when
    the file holds no plan or several, when a plan of that title and year
    exists already, or when a row refers to something the file lacks.
    """
    by_model = defaultdict(list)
    for row in rows:
        by_model[row.get("model", "")].append(row)
    plans = by_model[Workplan._meta.label_lower]
    if len(plans) != 1:
        raise ValidationError(f"文件中应有一份工作要点，实有 {len(plans)} 份；请使用 dump_plan 导出的文件。")
    title, year = plans[0]["fields"]["title"], plans[0]["fields"]["year"]
    if Workplan.objects.filter(title=title, year=year).exists():
        raise ValidationError(
            f"库中已有《{title}》（{year}年）；恢复不会覆盖已有的工作要点。如需替换，请先在管理后台删除它。"
        )
    maps: dict = {Department: {}, User: {}}
    summary = RestoreSummary(workplan=Workplan(title=title, year=year))
    for row in by_model[Department._meta.label_lower]:
        maps[Department][row["pk"]], created = _department(row["fields"])
        summary.departments_created += created
    for row in by_model[User._meta.label_lower]:
        user, created = _user(row["fields"], maps[Department])
        maps[User][(user.username,)] = user
        summary.users_created += created
        summary.users_kept += not created
    for model in PLAN_MODELS:
        maps[model] = {}
        for row in by_model[model._meta.label_lower]:
            maps[model][row["pk"]] = _copy(model, row, maps)
            summary.rows += 1
    summary.workplan = next(iter(maps[Workplan].values()))
    logger.info(
        "restore.done workplan=%s rows=%d users_created=%d", summary.workplan.pk, summary.rows, summary.users_created
    )
    return summary


def _department(fields: dict) -> tuple[Department, bool]:
    existing = Department.objects.filter(code=fields["code"]).first()
    if existing is not None:
        return existing, False
    department = Department(**{k: v for k, v in fields.items() if k not in NOT_RESTORED})
    department.full_clean()
    department.save()
    return department, True


def _user(fields: dict, departments: dict) -> tuple[User, bool]:
    existing = User.objects.filter(username=fields["username"]).first()
    if existing is not None:
        return existing, False
    user = User(
        username=fields["username"],
        first_name=fields.get("first_name", ""),
        last_name=fields.get("last_name", ""),
        email=fields.get("email", ""),
        is_active=fields.get("is_active", True),
        department=departments.get(fields.get("department")),
    )
    user.set_unusable_password()
    user.save()
    return user, True


def _copy(model, row: dict, maps: dict):
    values = {}
    for field in model._meta.concrete_fields:
        if (field.primary_key and not field.is_relation) or field.name in NOT_RESTORED:
            continue
        if field.name not in row["fields"] and not field.primary_key:
            continue
        raw = row["pk"] if field.primary_key else row["fields"][field.name]
        if not field.is_relation:
            values[field.attname] = field.to_python(raw)
        elif raw is not None:
            key = tuple(raw) if isinstance(raw, list) else raw
            target = maps.get(field.related_model, {}).get(key)
            if target is None:
                raise ValidationError(
                    f"{model._meta.verbose_name} {row.get('pk')} 引用的 {field.verbose_name} 不在文件中。"
                )
            values[field.attname] = target.pk
    obj = model(**values)
    obj.save(force_insert=True)
    return obj
