import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from departments.selectors import department_catalogue
from tasks.models import Assignment, Workplan
from tasks.parsing import WorkplanParseError, decode_document, parse_workplan
from tasks.services import workplan_import


class Command(BaseCommand):
    help = (
        "导入一份工作要点文本（UTF-8 或 GBK/GB18030）：部分、编号事项、时间节点和责任单位。"
        "--dry-run 只显示解析结果，不写数据库；--json 以 JSON 输出解析结果。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="工作要点文本文件的路径")
        parser.add_argument("--year", type=int, help="年度；默认取标题中的年份（如“2021年…”）")
        parser.add_argument("--dry-run", action="store_true", help="只解析并显示，不写入")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出解析结果")
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="库中已有同标题同年度的工作要点时不做任何改动（make run 用它，免得重启覆盖督查办在后台的修改）",
        )

    def handle(self, *args, path, year, dry_run, as_json, keep_existing, **options):
        """Parse PATH and, unless --dry-run, write it in one transaction.

        Exit status 1 with ``PATH:LINE: message`` on standard error for a missing
        or unreadable file, an unknown encoding, no items, repeated numbers or an
        impossible date; nothing is written then.
        """
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(f"--year {year}：年度应在 2000 到 2100 之间")
        file = Path(path)
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{path}: 文件不存在") from None
        except OSError as exc:
            raise CommandError(f"{path}: 无法读取（{exc.strerror}）") from None
        catalogue = department_catalogue()
        try:
            parsed = parse_workplan(decode_document(data), departments=catalogue, year=year)
        except WorkplanParseError as exc:
            location = f"{path}:{exc.line}" if exc.line else path
            raise CommandError(f"{location}: {exc.message}") from None

        if keep_existing and not dry_run and Workplan.objects.filter(title=parsed.title, year=parsed.year).exists():
            self.stdout.write(f"《{parsed.title}》（{parsed.year}年）已在库中，按 --keep-existing 未做改动")
            return
        for warning in parsed.warnings():
            self.stderr.write(f"{path}: 注意：{warning}")
        if as_json:
            self.stdout.write(_dumps(parsed.as_json()))
        elif dry_run:
            self._preview(parsed)
        if dry_run:
            return
        try:
            summary = workplan_import(parsed=parsed, catalogue=catalogue, source=file.name)
        except ValidationError as exc:
            raise CommandError(f"{path}: 未导入，数据不符合规则：{'；'.join(exc.messages)}") from None
        # With --json, standard output carries only the JSON; the summary goes to stderr.
        (self.stderr if as_json else self.stdout).write(str(summary))

    def _preview(self, parsed):
        self.stdout.write(f"{parsed.title}（{parsed.year}年，发布日期 {parsed.published_on or '未知'}）")
        for section in parsed.sections:
            self.stdout.write(f"\n[{section.ordinal}] {section.title}")
            for task in section.tasks:
                departments = "、".join(f"{d.name}（{Assignment.Role(d.role).label}）" for d in task.departments)
                self.stdout.write(f"  {task.number}. {task.title}")
                self.stdout.write(
                    f"     完成时限 {task.deadline}（{task.deadline_phrase or '默认年底'}）；单位：{departments}"
                )
                for milestone in task.milestones:
                    self.stdout.write(f"     节点 {milestone.due} {milestone.phrase}：{milestone.description}")
        self.stdout.write(f"\n共 {len(parsed.sections)} 个部分，{len(parsed.tasks)} 项任务（试运行，未写入）")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
