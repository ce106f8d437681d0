import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from departments.commands import BaseCommand, CommandError
from tasks.importing import MAX_BYTES, Catalogue, DocumentError, read_document
from tasks.importing.writer import CHANGED, REMOVED, RENUMBERED, workplan_compare, workplan_import
from tasks.models import Assignment, Section, Workplan


class Command(BaseCommand):
    help = _(
        "导入一份工作要点：文本（UTF-8/GBK/Big5/UTF-16）、Word（.docx）、Excel（.xlsx/.xls）或 CSV。"
        "--dry-run 只显示解析结果，不写数据库；--json 以 JSON 输出解析结果。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("文件路径"))
        parser.add_argument("--year", type=int, help=_("年度；默认取标题中的年份（如“2021年…”）"))
        parser.add_argument("--title", help=_("标题；文件中找不到标题时必须指定"))
        parser.add_argument("--dry-run", action="store_true", help=_("只解析并显示，不写入"))
        parser.add_argument("--json", action="store_true", dest="as_json", help=_("以 JSON 输出解析结果"))
        parser.add_argument(
            "--accept-changes",
            action="store_true",
            help=_("已有填报的任务内容有变化时，确认仍是同一事项并更新（否则拒绝导入）"),
        )
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help=_("库中已有同标题同年度的工作要点时不做任何改动（make run 用它，免得重启覆盖督查办在后台的修改）"),
        )

    def handle(self, *args, path, year, title, dry_run, as_json, accept_changes, keep_existing, **options):
        """Read PATH and, unless --dry-run, write it in one transaction.

        Exit status 1 with ``PATH:LINE: message`` (or ``PATH: message``) on
        standard error for a missing or unreadable file, a refused format, an
        unknown encoding, no items, repeated numbers, an impossible date, no
        title or year, or changed items with reports (without --accept-changes);
        nothing is written then.
        """
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError(_("--year %(year)s：年度应在 2000 到 2100 之间") % {"year": year})
        try:
            data = _read(path)
            catalogue = Catalogue.load()
            draft = read_document(data, filename=path, catalogue=catalogue, year=year, title=title)
            if not draft.title:
                raise DocumentError(_("找不到文件标题（如“2021年……工作要点”），请用 --title 指定"), 1)
            if draft.year is None:
                raise DocumentError(_("标题中没有年度，请用 --year 指定"), 1)
        except DocumentError as exc:
            raise CommandError(f"{path}:{exc.line}: {exc.message}" if exc.line else f"{path}: {exc.message}") from None

        if keep_existing and not dry_run and Workplan.objects.filter(title=draft.title, year=draft.year).exists():
            self.stdout.write(_("《%(title)s》（%(year)s年）已在库中，按 --keep-existing 未做改动") % vars(draft))
            return
        for note in draft.uncertain():
            self.stderr.write(f"{path}: {_('注意')}：{note}")
        comparison = workplan_compare(draft=draft)
        if as_json:
            data = draft.as_json()
            data["changes"] = [m.describe() for m in comparison.of_kind(CHANGED, RENUMBERED, REMOVED)]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif dry_run:
            self._preview(draft, comparison)
        if dry_run:
            return
        try:
            summary = workplan_import(
                draft=draft, catalogue=catalogue, source=Path(path).name, accept_changes=accept_changes
            )
        except DocumentError as exc:
            raise CommandError(f"{path}: {exc.message}") from None
        except ValidationError as exc:
            raise CommandError(f"{path}: {_('未导入，数据不符合规则')}：{'；'.join(exc.messages)}") from None
        # With --json, standard output carries only the JSON; the summary goes to stderr.
        (self.stderr if as_json else self.stdout).write(str(summary))

    def _preview(self, draft, comparison):
        self.stdout.write(
            f"{draft.title}（{draft.year}年，{_('发布日期')} {draft.published_on or _('未知')}，"
            f"{_('发文单位')} {draft.issuer or _('未知')}）"
        )
        for section in draft.sections:
            self.stdout.write(f"\n{Section.label(section.ordinal, section.title)}")
            for item in section.items:
                departments = "、".join(f"{d.name}（{Assignment.Role(d.role).label}）" for d in item.departments)
                self.stdout.write(f"  {item.number}. {item.title}")
                self.stdout.write(
                    f"     {_('完成时限')} {item.deadline}（{item.deadline_phrase or _('默认年底')}）"
                    f"{'；' + _('频次') + ' ' + item.cadence if item.cadence else ''}；{_('单位')}：{departments}"
                )
                for milestone in item.milestones:
                    self.stdout.write(f"     {_('节点')} {milestone.due} {milestone.phrase}：{milestone.description}")
        for match in comparison.of_kind(CHANGED, RENUMBERED, REMOVED):
            self.stdout.write(match.describe())
        self.stdout.write(
            "\n"
            + _("共 %(sections)d 个部分，%(items)d 项任务（试运行，未写入）")
            % {"sections": len(draft.sections), "items": len(draft.items)}
        )


def _read(path: str) -> bytes:
    file = Path(path)
    try:
        if file.stat().st_size > MAX_BYTES:
            raise DocumentError(_("文件超过 %(mb)d MB 上限") % {"mb": MAX_BYTES // 1024 // 1024})
        return file.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: {_('文件不存在')}") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: {_('这是一个目录，不是文件')}") from None
    except OSError as exc:
        raise CommandError(f"{path}: {_('无法读取')}（{exc.strerror}）") from None
