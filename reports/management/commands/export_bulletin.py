from pathlib import Path

from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand
from reports.bulletin import bulletin, write_bulletin

from ._options import plan_of_year, write_file


class Command(BaseCommand):
    help = gettext_lazy("导出季度督查通报（Word .docx），数据截至该季度末；与网页“报表”下载的文件相同。")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=gettext_lazy("工作要点年度，如 2021"))
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], help=gettext_lazy("季度 1–4"))
        parser.add_argument("--title", help=gettext_lazy("同一年度有多份工作要点时，指定标题"))
        parser.add_argument(
            "--output", metavar="FILE", help=gettext_lazy("输出文件（.docx）；默认为中文文件名，写在当前目录")
        )

    def handle(self, *args, year, quarter, title, output, **options):
        """Write the bulletin of ``quarter`` of the plan of ``year`` to FILE and print its path.

        Figures as of the quarter's last day (today while it runs), Asia/Shanghai.
        Exit status 1 with a message for an unknown plan or an unwritable FILE.
        """
        item = bulletin(workplan=plan_of_year(year, title), quarter=quarter)
        path = Path(output or item.filename)
        write_file(path, lambda stream: write_bulletin(item, stream))
        self.stdout.write(str(path))
