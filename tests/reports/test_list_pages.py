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
    # Found by trying: a page before the start was taken as the last.
    assert listed(client, f"{address}&page=0") == listed(client, f"{address}&page=-1") == pages[0]


def test_a_search_pages_through_its_matches_only(big_plan, client):
    client.force_login(User.objects.get(username="leader"))

    ids, count = listed(client, f"/tasks/?workplan={big_plan.pk}&q=生成8-")

    assert count == "共 55 项"
    assert [Task.objects.get(pk=pk).title for pk in ids] == [
        t.title for t in in_list_order(Task.objects.filter(title__startswith="生成8-").select_related("section"))
    ][:50]


@pytest.fixture
def two_plans(plan_2021):
    """The 2021 plan and a 2022 one whose first item has the same number and title, 鄞州 responsible for both."""
    from tasks.models import Workplan

    later = Workplan.objects.create(year=2022, title="2022年宁波市人防工作要点")
    section = Section.objects.create(workplan=later, ordinal=1, title="坚持和加强党的全面领导")
    first = Task.objects.get(section__workplan=plan_2021, section__ordinal=1, number=1)
    task = Task.objects.create(section=section, number=1, title=first.title, deadline=datetime.date(2022, 12, 31))
    Assignment.objects.create(task=task, department=Department.objects.get(code="yinzhou"), role="responsible")
    Assignment.objects.get_or_create(
        task=first, department=Department.objects.get(code="yinzhou"), defaults={"role": "responsible"}
    )
    call_command("create_demo_users", "--password", "pw-for-tests", stdout=io.StringIO())
    return plan_2021, later


def test_my_work_names_each_rows_plan_and_can_be_narrowed_to_one(two_plans, client):
    """Found by trying: 我的工作 mixed the 2021 and 2022 plans with nothing to tell two 1. items apart."""
    earlier, later = two_plans
    client.force_login(User.objects.get(username="staff-yinzhou"))

    every = client.get("/my-work/").content.decode()
    only_later = client.get(f"/my-work/?workplan={later.pk}").content.decode()

    assert f"{earlier.title} · " in every and f"{later.title} · " in every
    assert f"{later.title} · " in only_later and f"{earlier.title} · " not in only_later


def test_a_section_of_another_plan_is_a_filter_error_not_an_empty_list(two_plans, client):
    """Found by trying: 部分 offered every plan's sections; one of another plan gave 任务总数 0 and no word why."""
    earlier, later = two_plans
    client.force_login(User.objects.get(username="leader"))
    other = later.sections.get()

    for page in ("tasks", "dashboard"):
        url = f"/{page}/?workplan={earlier.pk}&section={other.pk}"
        assert "所选部分不属于所选的工作要点" in client.get(url).content.decode(), url
