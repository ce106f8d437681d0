"""全部任务 and 我的工作 page through every item once, in list order, whatever page is asked for."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from departments.models import Department, User
from tasks.models import Assignment, Section, Task

# Three deadlines and two sections, so that the order needs every key: deadline, section, number.
DEADLINES = [datetime.date(2021, 12, 31), datetime.date(2021, 6, 30), datetime.date(2021, 9, 30)]


@pytest.fixture
def big_plan(plan_2021):
    """The 2021 plan with 110 more tasks in two sections, each led by the office with 鄞州 responsible."""
    office = Department.objects.get(is_municipal_office=True)
    yinzhou = Department.objects.get(code="yinzhou")
    tasks = []
    for ordinal in (9, 8):  # made in the opposite order to their ordinals
        section = Section.objects.create(workplan=plan_2021, ordinal=ordinal, title=f"第{ordinal}部分")
        tasks += Task.objects.bulk_create(
            Task(section=section, number=n, title=f"生成{ordinal}-{n}", deadline=DEADLINES[n % 3])
            for n in range(55, 0, -1)
        )
    Assignment.objects.bulk_create(
        [Assignment(task=t, department=office, role="lead") for t in tasks]
        + [Assignment(task=t, department=yinzhou, role="responsible") for t in tasks]
    )
    call_command("create_demo_users", "--password", "pw-for-tests", stdout=io.StringIO())
    return plan_2021


def listed(client, url) -> tuple[list[int], str]:
    """The task ids a list page shows, in its order, and its 共 … 项 line."""
    html = client.get(url).content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return [int(pk) for pk in re.findall(r'<td class="title"><a href="/tasks/(\d+)/">', body)], re.search(
        r"共 \d+ 项", html
    ).group()


def in_list_order(tasks):
    return sorted(tasks, key=lambda t: (t.deadline, t.section.ordinal, t.number))


@pytest.mark.parametrize(
    ("username", "url", "tasks"),
    [
        ("leader", "/tasks/?workplan={plan}", lambda plan: Task.objects.filter(section__workplan=plan)),
        ("staff-yinzhou", "/my-work/?", lambda plan: Task.objects.filter(assignments__department__code="yinzhou")),
    ],
)
def test_every_item_is_on_exactly_one_page_in_list_order(big_plan, client, username, url, tasks):
    client.force_login(User.objects.get(username=username))
    expected = [t.pk for t in in_list_order(tasks(big_plan).select_related("section"))]
    address = url.format(plan=big_plan.pk)

    pages = [listed(client, f"{address}&page={n}") for n in (1, 2, 3)]

    assert [pk for ids, _ in pages for pk in ids] == expected
    assert [len(ids) for ids, _ in pages] == [50, 50, len(expected) - 100]
    assert {count for _, count in pages} == {f"共 {len(expected)} 项"}
    assert listed(client, f"{address}&page=99") == pages[2]  # past the end: the last page
    assert listed(client, f"{address}&page=二") == pages[0]  # not a number: the first


def test_a_search_pages_through_its_matches_only(big_plan, client):
    client.force_login(User.objects.get(username="leader"))

    ids, count = listed(client, f"/tasks/?workplan={big_plan.pk}&q=生成8-")

    assert count == "共 55 项"
    assert [Task.objects.get(pk=pk).title for pk in ids] == [
        t.title for t in in_list_order(Task.objects.filter(title__startswith="生成8-").select_related("section"))
    ][:50]
