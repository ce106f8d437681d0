import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reminders.services import sweep


class Command(BaseCommand):
    help = "立即运行一次每日提醒（与 09:00 定时任务相同的规则），同步发送；--dry-run 只显示将发送的内容。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算（YYYY-MM-DD），默认今天（Asia/Shanghai）")
        parser.add_argument("--dry-run", action="store_true", help="只显示，不发送、不记录")

    def handle(self, *args, date, dry_run, **options):
        """Run the sweep for ``--date`` in this process and print one summary line.

        Sending happens here, not through the broker. On a day off (holiday or
        weekend, tasks.workdays) it says so and sends nothing. The line counts
        sent, refused and skipped digests separately. Exit status 1 for a date
        that is not YYYY-MM-DD, and when every message it tried to send was
        refused (the mail server is down or refuses us: whoever runs this must know).
        """
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date {date!r} 不是 YYYY-MM-DD 格式的日期") from None
        result = sweep(day, dry_run=dry_run, deliver_now=True)
        if result.day_off:
            self.stdout.write(str(result))
            return
        if dry_run:
            for username, items in result.planned.items():
                self.stdout.write(f"{username}: {len(items)} 项")
                for item in items:
                    self.stdout.write(
                        f"  [{item.kind}] {item.task_number}. {item.task_title} · {item.what} {item.due} ({item.days})"
                    )
            self.stdout.write(f"试运行：{day:%Y-%m-%d} 将发送 {len(result.planned)} 份每日提醒（未发送、未记录）")
            return
        self.stdout.write(str(result))
        if result.all_failed:
            raise CommandError(
                f"{result.delivery.failed} 份提醒邮件全部发送失败，请检查邮件服务器设置（EMAIL_*）；"
                "失败原因见管理后台的提醒记录。站内通知已送达。"
            )
