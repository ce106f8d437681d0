from django.core.management.base import BaseCommand

from departments.services import reference_catalogue_add_missing


class Command(BaseCommand):
    help = (
        "添加参考单位名录（fixtures/departments.json）中数据库尚缺的单位、别名和统称；"
        "已有的（含办公室在后台改过的）保持不变。"
    )

    def handle(self, *args, **options):
        """Add what the reference catalogue has and the database lacks; prints what was added, in Chinese."""
        added = reference_catalogue_add_missing()
        if added.departments:
            names = "、".join(department.name for department in added.departments)
            self.stdout.write(self.style.SUCCESS(f"新增单位 {len(added.departments)} 个：{names}"))
        if added.aliases or added.phrases:
            self.stdout.write(f"新增别名 {len(added.aliases)} 个，统称 {len(added.phrases)} 个")
        if not (added.departments or added.aliases or added.phrases):
            self.stdout.write("单位名录已齐全，未作改动。")
