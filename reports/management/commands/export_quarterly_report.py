from pathlib import Path

from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand
from reports.exports import quarterly_table, write_quarterly_workbook

from ._options import add_plan_arguments, department_of, plan_of_year, write_file


class Command(BaseCommand):
    help = gettext_lazy("导出季度推进情况表（Excel），数据截至该季度末；与网页“报表”下载的文件相同。")

    def add_arguments(self, parser):
        add_plan_arguments(parser)

    def handle(self, *args, year, quarter, department, title, output, **options):
        """Write the quarterly table of the plan of ``year`` to FILE and print its path.

        Exit status 1 with a message when there is no such plan, more than one
        (then --title is needed), or no department with that code.
        """
        table = quarterly_table(
            workplan=plan_of_year(year, title), quarter=quarter, department=department_of(department)
        )
        path = Path(output or table.filename)
        write_file(path, lambda stream: write_quarterly_workbook(table, stream))
        self.stdout.write(str(path))
