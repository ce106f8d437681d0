from pathlib import Path

from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand
from reports.fill_in import fill_in_filename, fill_in_zip_filename, write_fill_in_workbook, write_fill_in_zip

from ._options import add_plan_arguments, department_of, plan_of_year, write_file


class Command(BaseCommand):
    help = gettext_lazy(
        "导出进展填报表（Excel）：指定单位时为该单位的 .xlsx，否则为全部单位的 .zip；与网页下载的文件相同。"
    )

    def add_arguments(self, parser):
        add_plan_arguments(
            parser, department_help=gettext_lazy("只导出该单位（单位代码）；不指定则导出全部单位的压缩包")
        )

    def handle(self, *args, year, quarter, department, title, output, **options):
        """Write the fill-in workbook(s) for ``quarter`` of the plan of ``year`` to FILE and print its path.

        With --department one .xlsx; without, a .zip with one .xlsx per department
        that has assignments in the plan. Standing as of today (Asia/Shanghai).
        Exit status 1 with a message for an unknown plan or department.
        """
        plan = plan_of_year(year, title)
        unit = department_of(department)
        if unit is None:
            path = Path(output or fill_in_zip_filename(plan, quarter))
            write_file(path, lambda stream: write_fill_in_zip(workplan=plan, quarter=quarter, stream=stream))
        else:
            path = Path(output or fill_in_filename(plan, quarter, unit))
            write_file(
                path,
                lambda stream: write_fill_in_workbook(workplan=plan, quarter=quarter, department=unit, stream=stream),
            )
        self.stdout.write(str(path))
