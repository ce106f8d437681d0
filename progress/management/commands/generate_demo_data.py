import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.commands import BaseCommand, CommandError
from departments.models import Department
from progress.models import ProgressReport, QuarterFinalisation, Review, Standing, StandingInterval
from progress.periods import quarter_cutoff, quarter_end
from progress.standing import standing_rebuild
from tasks.models import Assignment, Milestone, Section, Task, Workplan

GENERATED = "generate_demo_data"
BATCH = 5000
VERBS = ["推进", "完善", "深化", "落实", "加强", "健全", "开展", "优化"]
OBJECTS = [
    "指挥体系建设",
    "疏散基地建设",
    "工程质量监管",
    "宣传教育",
    "数字化平台",
    "专业队伍训练",
    "防护方案编修",
    "资产管理",
]


class Command(BaseCommand):
    help = gettext_lazy(
        "生成一份可复现的演示工作要点（任务、责任分解、四个季度的填报与审核），用于观察驾驶舱和测量性能。"
        "数据库中已有真实工作要点时拒绝运行，除非加 --force。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=200, help=gettext_lazy("任务数（默认 200）"))
        parser.add_argument(
            "--departments", type=int, default=10, help=gettext_lazy("每项任务的分工单位数，含牵头的市办（默认 10）")
        )
        parser.add_argument("--seed", type=int, default=1, help=gettext_lazy("随机种子；相同参数生成相同数据"))
        parser.add_argument("--year", type=int, help=gettext_lazy("年度；默认去年，四个季度都已结束"))
        parser.add_argument("--force", action="store_true", help=gettext_lazy("库中已有真实工作要点时也运行"))

    def handle(self, *args, tasks, departments, seed, year, force, **options):
        """Create (or re-create) the generated plan ``{year}年演示工作要点（N项）``; prints one summary line.

        Every task is assigned to the municipal office (lead) and departments-1
        others; each assignment gets up to one report a quarter, submitted
        before that quarter's cut-off (Asia/Shanghai), most reviewed. Raises
        CommandError when a real plan is present without --force, or for counts below 1.
        """
        if tasks < 1 or departments < 1:
            raise CommandError(_("--tasks 和 --departments 至少为 1"))
        if not force and Workplan.objects.exclude(source=GENERATED).exists():
            raise CommandError(_("数据库中已有真实的工作要点；生成的演示数据会混入其中。确需如此，请加 --force。"))
        year = year or timezone.localdate().year - 1
        rng = random.Random(seed)
        with transaction.atomic():
            plan, counts = _generate(rng, year=year, task_count=tasks, department_count=departments)
        self.stdout.write(
            _(
                "已生成《%(title)s》：%(tasks)d 项任务，%(assignments)d 条责任分解，"
                "%(reports)d 份填报，%(reviews)d 条审核"
            )
            % {"title": plan.title, **counts}
        )


def _departments(count: int) -> list[Department]:
    office = Department.objects.filter(is_municipal_office=True).first() or Department.objects.create(
        code="nbrf", name="宁波市人民防空办公室", short_name="市人防办", level="municipal", is_municipal_office=True
    )
    others = list(Department.objects.active().exclude(pk=office.pk).order_by("ordering", "name")[: count - 1])
    for n in range(len(others) + 1, count):
        department, _ = Department.objects.get_or_create(
            code=f"demo{n}",
            defaults={"name": f"演示单位{n}", "short_name": f"演示{n}", "level": "district", "ordering": 500 + n},
        )
        others.append(department)
    return [office, *others]


def _authors(departments: list[Department]) -> dict[int, object]:
    User = get_user_model()
    authors = {}
    for department in departments:
        user, created = User.objects.get_or_create(
            username=f"staff-{department.code}", defaults={"department": department}
        )
        if created:
            user.set_unusable_password()
            user.save()
        authors[department.pk] = user
    reviewer, _ = User.objects.get_or_create(username="office")
    authors["office"] = reviewer
    return authors


def _moment(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.datetime:
    day = start + datetime.timedelta(days=rng.randrange(max((end - start).days, 1)))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randrange(8, 18), rng.randrange(60))))


def _generate(rng: random.Random, *, year: int, task_count: int, department_count: int):
    title = f"{year}年演示工作要点（{task_count}项）"
    old = Workplan.objects.filter(title=title, year=year, source=GENERATED)
    # The kept-up figures and finalised rows point at the reports (PROTECT): they go first.
    StandingInterval.objects.filter(assignment__task__section__workplan__in=old).delete()
    Standing.objects.filter(assignment__task__section__workplan__in=old).delete()
    QuarterFinalisation.objects.filter(workplan__in=old).delete()
    Review.objects.filter(report__assignment__task__section__workplan__in=old).delete()
    ProgressReport.objects.filter(assignment__task__section__workplan__in=old).delete()
    old.delete()

    plan = Workplan.objects.create(title=title, year=year, source=GENERATED, published_on=datetime.date(year, 3, 1))
    sections = Section.objects.bulk_create(
        Section(workplan=plan, ordinal=n, title=f"第{n}部分（演示）") for n in range(1, 6)
    )
    deadlines = [quarter_end(year, q) for q in (2, 3, 4, 4, 4)]
    tasks = Task.objects.bulk_create(
        (
            Task(
                section=sections[i * len(sections) // task_count],
                number=i + 1,
                title=f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}（演示{i + 1}）",
                body="演示数据。",
                deadline=rng.choice(deadlines),
            )
            for i in range(task_count)
        ),
        batch_size=BATCH,
    )
    Milestone.objects.bulk_create(
        (
            Milestone(task=task, description=f"演示节点{task.number}", due_on=quarter_end(year, 2), phrase="上半年")
            for task in tasks
            if task.number % 4 == 0
        ),
        batch_size=BATCH,
    )
    departments = _departments(department_count)
    authors = _authors(departments)
    assignments = Assignment.objects.bulk_create(
        (
            Assignment(task=task, department=department, role="lead" if n == 0 else "responsible")
            for task in tasks
            for n, department in enumerate(departments)
        ),
        batch_size=BATCH,
    )
    reports, outcomes = [], []
    for assignment in assignments:
        percent = 0
        for quarter in range(1, 5):
            if rng.random() < 0.15:
                continue  # this department skipped the quarter
            percent = min(100, percent + rng.randrange(10, 40))
            status = "completed" if percent == 100 else "in_progress"
            start = datetime.date(year, quarter * 3 - 2, 1)
            reports.append(
                ProgressReport(
                    assignment=assignment,
                    quarter=quarter,
                    status=status,
                    percent_complete=percent,
                    progress_summary=f"第{quarter}季度进展（演示）",
                    submitted_by=authors[assignment.department_id],
                    submitted_at=_moment(rng, start, quarter_cutoff(year, quarter)),
                )
            )
            outcomes.append(rng.random())
            if status == "completed":
                break
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    reviews = [
        Review(
            report=report,
            decision="returned" if outcome < 0.05 else "accepted",
            reason="请补充佐证材料（演示）" if outcome < 0.05 else "",
            reviewed_by=authors["office"],
            reviewed_at=report.submitted_at + datetime.timedelta(days=2),
        )
        for report, outcome in zip(reports, outcomes, strict=True)
        if outcome < 0.8
    ]
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    standing_rebuild(workplan=plan)  # bulk_create sends no signals: compute the kept-up figures once
    counts = {"tasks": len(tasks), "assignments": len(assignments), "reports": len(reports), "reviews": len(reviews)}
    return plan, counts
