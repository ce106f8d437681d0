import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from reminders.services import sweep


class Command(BaseCommand):
    help = gettext_lazy("立即运行一次每日提醒（与 09:00 定时任务相同的规则），同步发送；--dry-run 只显示将发送的内容。")

    def add_arguments(self, parser):
        parser.add_argument("--date", help=gettext_lazy("按哪一天计算（YYYY-MM-DD），默认今天（Asia/Shanghai）"))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("只显示，不发送、不记录"))

    def handle(self, *args, date, dry_run, **options):
        """Run the sweep for ``--date`` in this process and print one summary line, in Chinese.

        Sending happens here, not through the broker. On a day off (holiday or
        weekend, tasks.workdays) it says so and sends nothing. The line counts
        sent, refused and skipped digests separately. ``--dry-run`` lists each
        person's items (【逾期】 3. 标题 · 完成时限 2021-06-30（已逾期 3 天）).
        Exit status 1 for a date that is not YYYY-MM-DD, and when every message
        it tried to send was refused (the mail server is down or refuses us:
        whoever runs this must know).
        """
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(_("--date %(date)r 不是 YYYY-MM-DD 格式的日期") % {"date": date}) from None
        result = sweep(day, dry_run=dry_run, deliver_now=True)
        if result.day_off:
            self.stdout.write(str(result))
            return
        if dry_run:
            for username, items in result.planned.items():
                self.stdout.write(_("%(who)s：%(n)d 项") % {"who": username, "n": len(items)})
                for item in items:
                    self.stdout.write(
                        f"  【{item.kind_label}】{item.task_number}. {item.task_title} · "
                        f"{item.what} {item.due:%Y-%m-%d}（{item.days_label}）"
                    )
            self.stdout.write(
                _("试运行：%(day)s 将发送 %(n)d 份每日提醒（未发送、未记录）")
                % {"day": f"{day:%Y-%m-%d}", "n": len(result.planned)}
            )
            return
        self.stdout.write(str(result))
        if result.all_failed:
            raise CommandError(
                _(
                    "%(n)d 份提醒邮件全部发送失败，请检查邮件服务器设置（EMAIL_*）；"
                    "失败原因见管理后台的提醒记录。站内通知已送达。"
                )
                % {"n": result.delivery.failed}
            )
