from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from departments.editing import sentences
from progress.fill_in import fill_in_apply, fill_in_read
from progress.models import ProgressReport


class Command(BaseCommand):
    help = gettext_lazy(
        "导入填好的进展填报表（.xlsx）：先逐行检查，有任何问题则列出并不写入；"
        "无问题时每个有变化的行生成一份进展报告（与网页填报相同的规则）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help=gettext_lazy("填报表 .xlsx 文件"))
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help=gettext_lazy("以谁的名义填报：该单位的填报员，或督查办人员（记为督查办代填）"),
        )
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("只检查并列出将生成的报告，不写入"))

    def handle(self, *args, file, user, dry_run, **options):
        """Check FILE and, unless --dry-run, file its changed rows as reports by USERNAME.

        Prints one line per problem (第 N 行“列”：…) and exits 1 when there is
        any; then nothing is written. Otherwise prints what was (or would be) filed.
        """
        author = get_user_model().objects.filter(username=user, is_active=True).first()
        if author is None:
            raise CommandError(_("没有用户 %(user)s") % {"user": user})
        try:
            with open(file, "rb") as stream:
                upload = fill_in_read(stream, user=author)
        except OSError as exc:
            raise CommandError(_("%(path)s：无法读取（%(why)s）") % {"path": file, "why": exc.strerror}) from None
        except PermissionDenied:
            raise CommandError(_("%(user)s 不能上传填报表（须为该单位填报员或督查办人员）") % {"user": user}) from None
        if not upload.ok:
            for problem in upload.problems:
                self.stderr.write(f"{file}：{problem}")
            raise CommandError(_("发现 %(n)d 处问题，未写入任何内容") % {"n": len(upload.problems)})
        for row in upload.changed:
            self.stdout.write(
                _("第 %(row)d 行  %(number)s. %(title)s  %(status)s  %(percent)d%%")
                % {
                    "row": row.row,
                    "number": row.assignment.task.number,
                    "title": row.assignment.task.title[:30],
                    "status": ProgressReport.Status(row.status).label,
                    "percent": row.percent_complete,
                }
            )
        if dry_run:
            self.stdout.write(
                _("试运行：将生成 %(n)d 份报告，%(same)d 行无变化；未写入。")
                % {"n": len(upload.changed), "same": upload.unchanged}
            )
            return
        try:
            submissions = fill_in_apply(upload, user=author)
        except ValidationError as exc:
            raise CommandError(sentences([*exc.messages, _("未写入任何内容")])) from None
        self.stdout.write(
            _("已生成 %(n)d 份报告，%(same)d 行无变化。") % {"n": len(submissions), "same": upload.unchanged}
        )
