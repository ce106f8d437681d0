from django.core.management.base import BaseCommand

from progress.standing import standing_rebuild


class Command(BaseCommand):
    help = "从全部进展报告与审核重新计算汇总数据（当前进展、进展区间）；导入数据或修复后运行，可重复运行。"

    def handle(self, *args, **options):
        """Recompute every kept-up row (progress.standing.standing_rebuild) in one transaction and print the counts."""
        standings, intervals = standing_rebuild()
        self.stdout.write(f"已重算：{standings} 条当前进展，{intervals} 条进展区间")
