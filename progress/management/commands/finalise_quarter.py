import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from progress.periods import period_label
from progress.quarters import quarter_finalise
from tasks.models import Workplan


class Command(BaseCommand):
    help = "季度推进情况表定稿：冻结该季度各单位的数据，之后再导出该季度数字不变；与“报表”页的“定稿”按钮相同。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="工作要点年度，如 2021")
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], help="季度 1–4")
        parser.add_argument("--workplan", type=int, metavar="ID", help="只定稿这一份工作要点（编号）；默认该年度全部")

    def handle(self, *args, year, quarter, workplan, **options):
        """Finalise (定稿) ``quarter`` of every plan of ``year`` (or of plan ``--workplan``), all or none.

        Recorded as finalised by the operating-system user running the command.
        Exit status 1 with a message naming the plan when there is no such plan,
        it belongs to another year, or its quarter is already finalised.
        """
        plans = Workplan.objects.filter(year=year).order_by("pk")
        if workplan is not None:
            plans = plans.filter(pk=workplan)
        plans = list(plans)
        if not plans:
            which = f"编号为 {workplan} 的" if workplan is not None else ""
            raise CommandError(f"没有 {year} 年{which}工作要点")
        by_name = f"命令行（{getpass.getuser()}）"
        try:
            with transaction.atomic():
                done = [quarter_finalise(workplan=plan, quarter=quarter, by_name=by_name) for plan in plans]
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        for finalisation in done:
            rows = finalisation.rows.count()
            self.stdout.write(f"已定稿：{finalisation.workplan} {period_label(year, quarter)}（{rows} 条责任分解）")
