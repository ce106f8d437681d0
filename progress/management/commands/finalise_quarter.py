import getpass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from departments.editing import sentences
from progress.periods import period_label
from progress.quarters import quarter_finalise
from tasks.models import Workplan


class Command(BaseCommand):
    help = gettext_lazy(
        "季度推进情况表定稿：冻结该季度各单位的数据，之后再导出该季度数字不变；与“报表”页的“定稿”按钮相同。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=gettext_lazy("工作要点年度，如 2021"))
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4], help=gettext_lazy("季度 1–4"))
        parser.add_argument(
            "--workplan", type=int, metavar="ID", help=gettext_lazy("只定稿这一份工作要点（编号）；默认该年度全部")
        )

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
            if workplan is not None:
                raise CommandError(_("没有 %(year)d 年编号为 %(id)d 的工作要点") % {"year": year, "id": workplan})
            raise CommandError(_("没有 %(year)d 年的工作要点") % {"year": year})
        by_name = _("命令行（%(user)s）") % {"user": getpass.getuser()}
        try:
            with transaction.atomic():
                done = [quarter_finalise(workplan=plan, quarter=quarter, by_name=by_name) for plan in plans]
        except ValidationError as exc:
            raise CommandError(sentences(exc.messages)) from None
        for finalisation in done:
            rows = finalisation.rows.count()
            self.stdout.write(
                _("已定稿：%(plan)s %(period)s（%(rows)d 条责任分解）")
                % {"plan": finalisation.workplan, "period": period_label(year, quarter), "rows": rows}
            )
