from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand
from departments.services import reference_catalogue_add_missing


class Command(BaseCommand):
    help = gettext_lazy(
        "添加参考单位名录（fixtures/departments.json）中数据库尚缺的单位、别名和统称；"
        "已有的（含办公室在后台改过的）保持不变。"
    )

    def handle(self, *args, **options):
        """Add what the reference catalogue has and the database lacks; prints what was added, in Chinese."""
        added = reference_catalogue_add_missing()
        if added.departments:
            names = "、".join(department.name for department in added.departments)
            self.stdout.write(
                self.style.SUCCESS(_("新增单位 %(n)d 个：%(names)s") % {"n": len(added.departments), "names": names})
            )
        if added.aliases or added.phrases:
            self.stdout.write(
                _("新增别名 %(aliases)d 个，统称 %(phrases)d 个")
                % {"aliases": len(added.aliases), "phrases": len(added.phrases)}
            )
        if not (added.departments or added.aliases or added.phrases):
            self.stdout.write(_("单位名录已齐全，未作改动。"))
