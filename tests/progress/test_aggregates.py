"""Figures summed in SQL (progress.aggregates) equal the same rules applied assignment by assignment.

The dashboard and the light-filtered lists read progress.aggregates; the task
page, the bulletin's overdue units and the API's rows read
progress.selectors.task_figures. On generated data, with extensions approved
and at several dates, both must say the same of every task and department.
"""

import datetime
import io
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from departments.roles import Role
from progress.aggregates import department_figures, progress_by_task, task_standings
from progress.models import ExtensionRequest
from progress.selectors import OnTime, task_figures
from tasks.lights import Light
from tasks.models import Assignment, Task, Workplan, list_ordering
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAYS = [datetime.date(2021, m, d) for m, d in [(1, 1), (3, 31), (6, 28), (7, 2), (9, 30), (12, 31)]]


@pytest.fixture
def plan(departments):
    call_command("generate_demo_data", "--tasks", "40", "--departments", "4", "--year", "2021", stdout=io.StringIO())
    plan = Workplan.objects.get(source="generate_demo_data")
    office = UserFactory(role=Role.OFFICE)
    # Extensions approved on different days: some assignments' deadlines move, some tasks' too.
    for n, assignment in enumerate(Assignment.objects.filter(task__section__workplan=plan).order_by("pk")[:60:3]):
        ExtensionRequest.objects.create(
            assignment=assignment,
            original_deadline=assignment.task.deadline,
            requested_deadline=assignment.task.deadline + datetime.timedelta(days=20 + n),
            reason="测试",
            requested_by=office,
            decided_by=office,
            status=ExtensionRequest.Status.APPROVED,
            decided_at=datetime.datetime(2021, 2 + n % 9, 10, 9, tzinfo=SHANGHAI),
        )
    return plan


def _tasks(plan):
    return Task.objects.filter(section__workplan=plan).order_by("section__ordinal", "number")


@pytest.mark.parametrize("day", DAYS)
def test_each_tasks_sums_equal_its_assignments_rolled_up(plan, day):
    departments = [None, *Assignment.objects.values_list("department_id", flat=True).distinct()[:2]]
    for department in departments:
        tasks = _tasks(plan)
        if department:
            tasks = tasks.filter(assignments__department_id=department)
        expected = task_figures(tasks, as_of=day, department=department)
        summed = task_standings(tasks, as_of=day, department=department)
        lit = progress_by_task(tasks, as_of=day, department=department)  # what the light-filtered lists read
        assert list(summed) == list(expected) == list(lit)  # the list's order
        for pk, figures in expected.items():
            want = figures.progress
            for got in (summed[pk].progress, lit[pk]):
                assert (got.percent, got.status, got.light, got.deadline) == (
                    pytest.approx(want.percent),
                    want.status,
                    want.light,
                    want.deadline,
                ), (day, department, pk)
    lights = Counter(s.progress.light for s in task_standings(_tasks(plan), as_of=day).values())
    assert len(lights) >= 1


@pytest.mark.parametrize("ordering", [list_ordering(), ["-deadline", "pk"], ["title", "-number"]])
def test_a_light_filtered_list_keeps_the_lists_order(plan, ordering):
    """Only the matching tasks are sorted, in Python where the ordering is dates and numbers: the order is the
    database's, ties (many tasks share a deadline) included; a text ordering is left to the database."""
    day = datetime.date(2021, 9, 30)
    department = Assignment.objects.values_list("department_id", flat=True).first()
    for of_department in (None, department):
        tasks = Task.objects.filter(section__workplan=plan).order_by(*ordering)
        if of_department:
            tasks = tasks.filter(assignments__department_id=of_department)
        expected = task_figures(tasks, as_of=day, department=of_department)  # every task, sorted by the database
        seen = set()
        for light in Light:
            got = progress_by_task(tasks, as_of=day, department=of_department, light=light)
            assert list(got) == [pk for pk, row in expected.items() if row.progress.light == light], (light, ordering)
            seen |= set(got)
        assert seen == set(expected)


@pytest.mark.parametrize("day", DAYS)
def test_each_departments_counts_equal_its_assignments_one_by_one(plan, day):
    figures = task_figures(_tasks(plan), as_of=day)
    expected: dict[int, tuple] = {}
    for row in figures.values():
        for part in row.parts:
            count, percent, lights, on_time, reported = expected.get(
                part.department_id, (0, 0, Counter(), OnTime(day), False)
            )
            on_time.add(part.progress.deadline, part.progress.closed_on)
            lights[part.progress.light] += 1
            expected[part.department_id] = (
                count + 1,
                percent + part.progress.percent,
                lights,
                on_time,
                reported or part.period >= 3,
            )
    units = department_figures(_tasks(plan), workplan=plan, as_of=day, reporting_quarter=3)
    assert [unit.department_id for unit in units] == sorted(
        expected, key=lambda d: next(u.ordering for u in units if u.department_id == d)
    )
    for unit in units:
        count, percent, lights, on_time, reported = expected[unit.department_id]
        assert (unit.count, unit.percent_sum, unit.lights, unit.on_time.due, unit.on_time.on_time, unit.reported) == (
            count,
            percent,
            lights,
            on_time.due,
            on_time.on_time,
            reported,
        ), (day, unit.label)
