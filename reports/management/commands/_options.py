"""What the export commands share: finding the plan and department named on the command line, writing a file safely."""

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import CommandError
from departments.models import Department
from tasks.models import Workplan


def add_plan_arguments(parser, *, department_help: str = gettext_lazy("只导出该单位（单位代码，如 yinzhou）")) -> None:
    """--year, --quarter, --department, --title and --output, as every export command takes them."""
    parser.add_argument("--year", type=int, required=True, help=gettext_lazy("工作要点年度，如 2021"))
    parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], help=gettext_lazy("季度 1–4"))
    parser.add_argument("--department", metavar="CODE", help=department_help)
    parser.add_argument("--title", help=gettext_lazy("同一年度有多份工作要点时，指定标题"))
    parser.add_argument("--output", metavar="FILE", help=gettext_lazy("输出文件；默认为中文文件名，写在当前目录"))


def plan_of_year(year: int, title: str | None) -> Workplan:
    """The one plan of ``year`` (with ``title`` when given). CommandError when there is none or more than one."""
    plans = Workplan.objects.filter(year=year)
    if title:
        plans = plans.filter(title=title)
    plans = list(plans[:2])
    if not plans:
        if title:
            raise CommandError(_("没有 %(year)d 年的《%(title)s》") % {"year": year, "title": title})
        raise CommandError(_("没有 %(year)d 年的工作要点") % {"year": year})
    if len(plans) > 1:
        raise CommandError(_("%(year)d 年有多份工作要点，请用 --title 指定") % {"year": year})
    return plans[0]


def department_of(code: str | None) -> Department | None:
    """The department with ``code`` (None for None). CommandError when there is no such department."""
    if not code:
        return None
    unit = Department.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(_("没有代码为 %(code)s 的单位") % {"code": code})
    return unit


def write_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Call ``write(stream)`` on a file beside ``path``, renamed to it at the end: never a half-written file.

    CommandError naming the path when it cannot be written.
    """
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as stream:
            write(stream)
        partial.replace(path)
    except OSError as exc:
        raise CommandError(_("%(path)s：无法写入（%(why)s）") % {"path": path, "why": exc.strerror}) from None
    finally:
        partial.unlink(missing_ok=True)
