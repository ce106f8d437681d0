from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from progress.fill_in import fill_in_apply, fill_in_read


class Command(BaseCommand):
    help = (
        "导入填好的进展填报表（.xlsx）：先逐行检查，有任何问题则列出并不写入；"
        "无问题时每个有变化的行生成一份进展报告（与网页填报相同的规则）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="填报表 .xlsx 文件")
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="以谁的名义填报：该单位的填报员，或督查办人员（记为督查办代填）",
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出将生成的报告，不写入")

    def handle(self, *args, file, user, dry_run, **options):
        """Check FILE and, unless --dry-run, file its changed rows as reports by USERNAME.

        Prints one line per problem (第 N 行“列”：…) and exits 1 when there is
        any; then nothing is written. Otherwise prints what was (or would be) filed.
        """
        author = get_user_model().objects.filter(username=user, is_active=True).first()
        if author is None:
            raise CommandError(f"没有用户 {user}")
        try:
            with open(file, "rb") as stream:
                upload = fill_in_read(stream, user=author)
        except OSError as exc:
            raise CommandError(f"{file}: 无法读取（{exc.strerror}）") from None
        except PermissionDenied:
            raise CommandError(f"{user} 不能上传填报表（须为该单位填报员或督查办人员）") from None
        if not upload.ok:
            for problem in upload.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"发现 {len(upload.problems)} 处问题，未写入任何内容")
        for row in upload.changed:
            self.stdout.write(
                f"第 {row.row} 行  {row.assignment.task.number}. {row.assignment.task.title[:30]}  "
                f"{row.status}  {row.percent_complete}%"
            )
        if dry_run:
            self.stdout.write(f"试运行：将生成 {len(upload.changed)} 份报告，{upload.unchanged} 行无变化；未写入。")
            return
        try:
            submissions = fill_in_apply(upload, user=author)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages) + "；未写入任何内容") from None
        self.stdout.write(f"已生成 {len(submissions)} 份报告，{upload.unchanged} 行无变化。")
