import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from departments.editing import sentences
from progress.restore import plan_restore


class Command(BaseCommand):
    help = gettext_lazy(
        "把 dump_plan 导出的一份工作要点恢复到当前数据库：已有的单位和用户原样保留、绝不覆盖，"
        "缺少的用户新建（无密码，须由管理员设置）；工作要点及其任务、填报、审核、佐证材料记录全部新建。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("dump_plan 导出的 JSON 文件"))

    def handle(self, *args, path, **options):
        """Restore PATH in one transaction (progress.restore.plan_restore) and print one summary line.

        Exit status 1, naming the file, when it cannot be read, is not a
        dump_plan file, or holds a plan the database has already; nothing is
        written then.
        """
        try:
            rows = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(_("%(path)s：文件不存在") % {"path": path}) from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(_("%(path)s：不是可读的 JSON 文件（%(why)s）") % {"path": path, "why": exc}) from None
        if not isinstance(rows, list):
            raise CommandError(_("%(path)s：不是 dump_plan 导出的文件") % {"path": path})
        try:
            summary = plan_restore(rows=rows)
        except ValidationError as exc:
            raise CommandError(
                _("%(path)s：未恢复：%(why)s") % {"path": path, "why": sentences(exc.messages)}
            ) from None
        self.stdout.write(str(summary))
