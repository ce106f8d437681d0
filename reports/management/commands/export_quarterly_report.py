from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from departments.models import Department
from reports.exports import quarterly_table, write_quarterly_workbook
from tasks.models import Workplan


class Command(BaseCommand):
    help = "导出季度推进情况表（Excel），数据截至该季度末；与网页“报表”下载的文件相同。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="工作要点年度，如 2021")
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], help="季度 1–4")
        parser.add_argument("--department", metavar="CODE", help="只导出该单位（单位代码，如 yinzhou）")
        parser.add_argument("--title", help="同一年度有多份工作要点时，指定标题")
        parser.add_argument("--output", metavar="FILE", help="输出文件；默认为中文文件名，写在当前目录")

    def handle(self, *args, year, quarter, department, title, output, **options):
        """Write the quarterly table of the plan of ``year`` to FILE and print its path.

        Exit status 1 with a message when there is no such plan, more than one
        (then --title is needed), or no department with that code.
        """
        plans = Workplan.objects.filter(year=year)
        if title:
            plans = plans.filter(title=title)
        plans = list(plans[:2])
        if not plans:
            raise CommandError(f"没有 {year} 年{'《' + title + '》' if title else '的工作要点'}")
        if len(plans) > 1:
            raise CommandError(f"{year} 年有多份工作要点，请用 --title 指定")
        unit = None
        if department:
            unit = Department.objects.filter(code=department).first()
            if unit is None:
                raise CommandError(f"没有代码为 {department} 的单位")
        table = quarterly_table(workplan=plans[0], quarter=quarter, department=unit)
        path = Path(output or table.filename)
        # Written beside the target and renamed at the end: never a half-written file under the real name.
        partial = path.with_name(f".{path.name}.partial")
        try:
            with partial.open("wb") as stream:
                write_quarterly_workbook(table, stream)
            partial.replace(path)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{path}: 无法写入（{exc.strerror}）") from None
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(str(path))
