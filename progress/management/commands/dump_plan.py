import sys

from django.core import serializers
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from departments.models import Department, User
from progress.models import Evidence, ExtensionRequest, ProgressReport, Review
from tasks.models import Assignment, Milestone, Section, Task, Workplan

# Users by name, never by id: ids differ between databases, and a user row with an id would
# overwrite whoever has that id there (restore_plan matches by name and changes nobody).
# Everything else by id; restore_plan gives the plan's rows new ids.
NATURAL = {"use_natural_foreign_keys": True, "use_natural_primary_keys": True}


class Command(BaseCommand):
    help = gettext_lazy(
        "把一份工作要点连同其部分、任务、分工、时间节点、填报、审核与佐证材料记录导出为 JSON"
        "（可用 loaddata 载入），作为可移植备份。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=gettext_lazy("工作要点年度"))
        parser.add_argument("--title", help=gettext_lazy("同一年度有多份时，指定标题"))
        parser.add_argument("--output", metavar="FILE", help=gettext_lazy("输出文件；默认标准输出"))

    def handle(self, *args, year, title, output, **options):
        """Write one plan and everything that hangs off it as Django fixture JSON.

        Includes the departments and users the plan's rows refer to (users by
        username, without passwords). `restore_plan FILE` restores it into any
        database, changing no existing department or user; `loaddata FILE` only
        into a freshly migrated, empty one. Left out: chases, reminder logs,
        notifications, robot messages and the admin's change history. Evidence
        files themselves live in MEDIA_ROOT and are copied separately
        (docs/deploy.md). Exit status 1 when no plan or several match.
        """
        plans = Workplan.objects.filter(year=year, **({"title": title} if title else {}))
        if plans.count() != 1:
            raise CommandError(
                _("%(year)d 年匹配到 %(n)d 份工作要点；请用 --title 指定一份") % {"year": year, "n": plans.count()}
            )
        plan = plans.get()
        reports = ProgressReport.objects.filter(assignment__task__section__workplan=plan).order_by("pk")
        extensions = ExtensionRequest.objects.filter(assignment__task__section__workplan=plan).order_by("pk")
        user_ids = (
            set(reports.values_list("submitted_by", flat=True))
            | set(Review.objects.filter(report__in=reports).values_list("reviewed_by", flat=True))
            | set(extensions.values_list("requested_by", flat=True))
            | set(extensions.exclude(decided_by=None).values_list("decided_by", flat=True))
        )
        users = User.objects.filter(pk__in=user_ids).order_by("pk")
        departments = (
            Department.objects.filter(Q(assignments__task__section__workplan=plan) | Q(users__in=users))
            .distinct()
            .order_by("pk")
        )
        groups = [
            departments,
            users,
            [plan],
            Section.objects.filter(workplan=plan).order_by("pk"),
            Task.objects.filter(section__workplan=plan).order_by("pk"),
            Assignment.objects.filter(task__section__workplan=plan).order_by("pk"),
            Milestone.objects.filter(task__section__workplan=plan).order_by("pk"),
            reports.order_by("submitted_at", "pk"),  # a report's based_on is always older
            Review.objects.filter(report__in=reports).order_by("pk"),
            Evidence.objects.filter(report__in=reports).order_by("pk"),
            extensions,
        ]
        objects = [obj for group in groups for obj in group]
        for obj in objects:
            if isinstance(obj, User):
                obj.password = "!"  # unusable: a backup carries no credentials
            if hasattr(obj, "changed_by_id"):
                obj.changed_by_id = None  # who last edited it here, possibly somebody the file does not hold
        if not output:
            serializers.serialize("json", objects, stream=sys.stdout, indent=1, ensure_ascii=False, **NATURAL)
            return
        with open(output, "w", encoding="utf-8") as stream:
            serializers.serialize("json", objects, stream=stream, indent=1, ensure_ascii=False, **NATURAL)
        self.stderr.write(_("%(path)s：%(n)d 条记录") % {"path": output, "n": len(objects)})
