"""/api/tasks/ filtered by light, status and department answers as 全部任务 does: a department's standing per row."""

import datetime
import io
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from departments.models import Department, User
from progress.models import ProgressReport
from tasks.models import Assignment

AS_OF = "2021-09-30"


@pytest.fixture
def leader(plan_2021):
    """The 2021 plan with 鄞州 and the office having reported at several figures through the year."""
    call_command("create_demo_users", "--password", "pw-for-tests", stdout=io.StringIO())
    rng = random.Random(3)
    author = User.objects.get(username="staff-yinzhou")
    reports = []
    for assignment in Assignment.objects.filter(department__code__in=["yinzhou", "nbrf"]):
        if rng.random() < 0.8:
            day = datetime.datetime(
                2021, rng.randrange(1, 10), rng.randrange(1, 28), 10, tzinfo=ZoneInfo("Asia/Shanghai")
            )
            status = rng.choice(["in_progress", "in_progress", "completed", "not_started"])
            reports.append(
                ProgressReport(
                    assignment=assignment,
                    quarter=(day.month - 1) // 3 + 1,
                    status=status,
                    percent_complete={"completed": 100, "not_started": 0}.get(status, rng.randrange(5, 100, 5)),
                    progress_summary="推进中",
                    submitted_by=author,
                    submitted_at=day,
                )
            )
    ProgressReport.objects.bulk_create(reports)
    call_command("rebuild_standing", stdout=io.StringIO())
    return User.objects.get(username="leader")


def rows(client, **params):
    answer = client.get(reverse("api_tasks"), {"as_of": AS_OF, "page_size": 200, **params})
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def test_a_list_filtered_to_a_department_shows_its_standing_and_filters_by_it(leader, api):
    client = api(leader)
    yinzhou = Department.objects.get(code="yinzhou").pk

    listed = rows(client, department=yinzhou)

    assert listed
    for row in listed:
        (own,) = [a for a in row["assignments"] if a["department"]["id"] == yinzhou]
        assert row["progress"] == own["progress"]
    lights = {row["progress"]["light"] for row in listed}
    assert len(lights) > 1  # the data tells the filters apart
    for light in lights:
        expected = [row["id"] for row in listed if row["progress"]["light"] == light]
        assert [row["id"] for row in rows(client, department=yinzhou, light=light)] == expected
    for status in {row["progress"]["status"] for row in listed}:
        expected = [row["id"] for row in listed if row["progress"]["status"] == status]
        assert [row["id"] for row in rows(client, department=yinzhou, status=status)] == expected


def test_a_light_filter_keeps_the_lists_order_and_pages(leader, api):
    client = api(leader)
    listed = rows(client)
    light = max(
        {r["progress"]["light"] for r in listed}, key=lambda v: sum(r["progress"]["light"] == v for r in listed)
    )
    expected = [row["id"] for row in listed if row["progress"]["light"] == light]

    first = client.get(reverse("api_tasks"), {"as_of": AS_OF, "light": light, "page_size": 2}).json()
    second = client.get(reverse("api_tasks"), {"as_of": AS_OF, "light": light, "page_size": 2, "page": 2}).json()

    assert first["count"] == len(expected)
    assert [r["id"] for r in first["results"] + second["results"]] == expected[:4]
