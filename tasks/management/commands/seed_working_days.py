import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from tasks.workdays import seed_year


class Command(BaseCommand):
    help = gettext_lazy("从 holidays 库载入中国法定节假日和调休上班日到工作日历（已有的日期不改动）。")

    def add_arguments(self, parser):
        parser.add_argument(
            "years", nargs="*", help=gettext_lazy("年份，如 2026 2027；默认今年和明年（Asia/Shanghai）")
        )

    def handle(self, *args, years, **options):
        """Seed each given year (default this year and next) and print how many days were added per year.

        Days already in the calendar, including the administrator's corrections,
        are left as they are. Exit status 1 for a year that is not a number from 2000 to 2100.
        """
        this_year = timezone.localdate().year
        for text in years or [this_year, this_year + 1]:
            try:
                year = int(text)
                datetime.date(year, 1, 1)
            except ValueError:
                raise CommandError(_("年份 %(year)r 无效，应为 2000 到 2100 之间的数字") % {"year": text}) from None
            if not 2000 <= year <= 2100:
                raise CommandError(_("年份 %(year)r 无效，应为 2000 到 2100 之间的数字") % {"year": text})
            self.stdout.write(_("%(year)d年：新增 %(n)d 天") % {"year": year, "n": seed_year(year)})
