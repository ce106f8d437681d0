import io

import pytest
from django.core.management import CommandError, call_command

from progress.models import ProgressReport
from tasks.models import Assignment, Task, Workplan


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_demo_data", *args, stdout=out)
    return out.getvalue()


def test_it_builds_a_plan_with_reports_over_the_quarters(db):
    output = generate("--tasks", "30", "--departments", "4", "--seed", "7", "--year", "2024")

    plan = Workplan.objects.get()
    assert plan.title == "2024年演示工作要点（30项）"
    assert Task.objects.count() == 30
    assert Assignment.objects.count() == 120
    assert Assignment.objects.filter(role="lead").count() == 30
    quarters = set(ProgressReport.objects.values_list("quarter", flat=True))
    assert quarters == {1, 2, 3, 4}
    assert all(r.submitted_at.year == 2024 for r in ProgressReport.objects.all())
    assert "30 项任务，120 条责任分解" in output


def test_the_same_seed_gives_the_same_data(db):
    def snapshot():
        return list(
            ProgressReport.objects.order_by(
                "assignment__task__number", "assignment__department__code", "quarter"
            ).values_list("assignment__task__number", "quarter", "percent_complete", "submitted_at")
        )

    generate("--tasks", "20", "--departments", "3", "--seed", "5", "--year", "2024")
    first = snapshot()
    generate("--tasks", "20", "--departments", "3", "--seed", "5", "--year", "2024")

    assert snapshot() == first
    assert Workplan.objects.count() == 1


def test_it_refuses_a_database_with_a_real_plan_unless_forced(plan_2021):
    with pytest.raises(CommandError, match="已有真实的工作要点"):
        generate("--tasks", "5")
    assert Workplan.objects.count() == 1

    generate("--tasks", "5", "--force")
    assert Workplan.objects.count() == 2
