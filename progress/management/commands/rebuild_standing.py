from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand
from progress.standing import standing_rebuild


class Command(BaseCommand):
    help = gettext_lazy(
        "从全部进展报告与审核重新计算汇总数据（当前进展、进展区间）；导入数据或修复后运行，可重复运行。"
    )

    def handle(self, *args, **options):
        """Recompute every kept-up row (progress.standing.standing_rebuild) in one transaction and print the counts."""
        standings, intervals = standing_rebuild()
        self.stdout.write(
            _("已重算：%(standings)d 条当前进展，%(intervals)d 条进展区间")
            % {"standings": standings, "intervals": intervals}
        )
