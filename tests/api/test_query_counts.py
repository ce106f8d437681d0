"""/api/tasks/ runs at most 8 queries, for 21 tasks and for 1,021 (the issue's bound; time is in make bench)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from departments.models import Department, User
from tasks.models import Workplan
from tests.reports.test_query_counts import add_generated_tasks

# Token with its user and role, its last use recorded (a token's first call in five minutes,
# api.authentication.LAST_USED_GRANULARITY), the ?workplan= and ?department= choices, then the count and
# the page of tasks, or with ?light= every task's figures (two queries) and the page's tasks, and the
# page's assignments with their standing: at most 8 for any number of tasks, the first call included.
MAX_QUERIES = 8


@pytest.fixture(params=[0, 1000], ids=["21 tasks", "1021 tasks"])
def users(request, plan_2021):
    if request.param:
        add_generated_tasks(plan_2021, request.param)
    call_command("create_demo_users", "--password", "pw-for-tests", stdout=io.StringIO())
    return {u.username: u for u in User.objects.filter(username__in=["leader", "staff-yinzhou"])}


@pytest.mark.parametrize(
    ("username", "params"),
    [
        ("leader", {}),
        ("leader", {"page_size": 200, "as_of": "2021-09-30"}),
        ("leader", {"light": "overdue", "as_of": "2021-12-31"}),
        ("leader", {"department": "yinzhou", "q": "任务"}),
        ("leader", {"workplan": "2021", "department": "yinzhou", "light": "behind", "as_of": "2021-08-01"}),
        ("leader", {"workplan": "2021", "department": "yinzhou", "status": "not_started"}),
        ("staff-yinzhou", {}),
        ("staff-yinzhou", {"status": "not_started"}),
    ],
)
def test_the_task_list_runs_a_bounded_number_of_queries(users, api, username, params, django_assert_max_num_queries):
    if params.get("department"):
        params = params | {"department": Department.objects.get(code=params["department"]).pk}
    if params.get("workplan"):
        params = params | {"workplan": Workplan.objects.get(year=params["workplan"]).pk}
    client = api(users[username])
    with django_assert_max_num_queries(MAX_QUERIES):  # the first call also records the token's use
        first = client.get(reverse("api_tasks"), params)
    assert first.status_code == 200

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("api_tasks"), params)

    assert response.status_code == 200
    assert response.json()["count"] > 0
