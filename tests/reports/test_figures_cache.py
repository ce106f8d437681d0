"""The dashboard's figures come from the shared cache while nothing was written, and never go stale.

Keyed by the figures' version (reports.versioning, moved by database triggers):
these tests commit their writes (transaction=True), as requests do.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from progress.services import report_review, report_submit
from reports import figures_cache
from reports.figures_cache import cached_figures
from reports.jobs import keep_dashboards
from tasks.models import Workplan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def shared_cache(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the figures cache keys on a version PostgreSQL's triggers keep")
    settings.CACHE_URL = "redis://127.0.0.1:6379/15"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"}}
    from django.core.cache import cache

    cache.clear()


def claim_completion(actors):
    """District A's staff report its assignment completed at 100 % (committed); the report."""
    return report_submit(
        assignment=actors.assignment,
        user=actors.staff,
        quarter=2,
        status="completed",
        percent_complete=100,
        progress_summary="已完成",
    ).report


def board(client, **extra):
    """The dashboard as of today (what a report filed now changes), with how many queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"), {"as_of": timezone.localdate().isoformat(), **extra})
    return response.context["board"], len(captured.captured_queries)


def test_a_second_look_reads_the_kept_figures(actors, login):
    client = login(actors.leader)  # signing in writes the session and the user: quiet tables

    first, computed = board(client)
    again, kept = board(client)

    assert kept <= computed - 3  # the figures' own queries are not run again
    assert (again.tasks, again.percent, again.lights) == (first.tasks, first.percent, first.lights)


def test_a_report_and_its_review_show_at_once(actors, login):
    client = login(actors.leader)
    before, _ = board(client)
    board(client)  # kept

    report = claim_completion(actors)
    after_report, _ = board(client)
    report_review(report=report, user=actors.office, decision="accepted")
    after_review, _ = board(client)

    assert after_report.percent > before.percent
    lights = {bar.key: bar.lights for bar in after_review.departments}
    assert lights[actors.assignment.department_id]["done"] == 1  # its assignment is now closed (已办结)
    assert {bar.key: bar.lights for bar in after_report.departments}[actors.assignment.department_id]["done"] == 0


def test_other_filters_and_dates_are_kept_apart(actors, login):
    client = login(actors.leader)
    department = actors.assignment.department

    whole, _ = board(client)
    own, _ = board(client, department=department.pk)
    earlier, _ = board(client, as_of="2021-01-10")

    assert [bar.key for bar in own.departments] == [department.pk]
    assert len(whole.departments) > 1
    assert earlier.as_of.isoformat() == "2021-01-10" and earlier.lights != whole.lights


def test_a_changed_threshold_shows_at_once(actors, login):
    client = login(actors.leader)
    board(client)
    plan = actors.task.section.workplan
    plan.due_soon_days = 366  # every open task is now 临期 unless behind or overdue
    plan.save()

    changed, _ = board(client)

    assert (
        changed.lights.get("due_soon", 0)
        + changed.lights.get("behind", 0)
        + changed.lights.get("overdue", 0)
        + changed.lights.get("done", 0)
        == changed.tasks
    )


def listed(client, **filters):
    """The task ids a filtered 全部任务 shows as of today, with how many queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("task_list"), {"as_of": timezone.localdate().isoformat(), **filters})
    return [row.task.pk for row in response.context["page"].object_list], len(captured.captured_queries)


def test_a_light_filtered_list_keeps_its_matches_while_nothing_is_written(actors, login):
    client = login(actors.leader)

    first, computed = listed(client, light="overdue")
    again, kept = listed(client, light="overdue")

    assert first == again and first
    assert kept < computed


def test_a_status_filtered_list_shows_a_new_report_at_once(actors, login):
    client = login(actors.leader)
    department = actors.assignment.department
    before, _ = listed(client, status="completed", department=department.pk)

    claim_completion(actors)
    after, _ = listed(client, status="completed", department=department.pk)

    assert actors.task.pk not in before
    assert actors.task.pk in after


def test_a_dead_cache_costs_speed_not_the_page(actors, login, settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    client = login(actors.leader)

    response = client.get(reverse("dashboard"))
    again = client.get(reverse("task_list"), {"light": "overdue"})

    assert response.status_code == 200 and again.status_code == 200
    assert response.context["board"].tasks == 2
    assert "figures_cache.unavailable" in caplog.text


def test_the_job_keeps_the_dashboard_leaders_open_first(actors, login):
    """reports.jobs.keep_dashboards (every 30 s) computes after a write, so the next leader's look is kept."""
    client = login(actors.leader)
    _, computed = board(client)
    claim_completion(actors)

    assert keep_dashboards() == 1  # the actors' plan: the latest
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard"))  # what a leader opens: no filters, today

    assert len(captured.captured_queries) <= computed - 3  # kept: the figures' own queries did not run
    assert response.context["board"].percent > 0  # and they include the report filed before the job ran


def test_the_job_does_nothing_where_figures_are_not_kept(actors, settings):
    settings.CACHE_URL = ""
    with CaptureQueriesContext(connection) as captured:
        assert keep_dashboards() == 0
    assert not captured.captured_queries


def test_a_plan_edited_while_the_page_was_starting_is_not_kept_under_the_new_version(actors, login, monkeypatch):
    """The page reads the plan (its filters) before the figures' version: an edit committed in between must
    not be kept with the old plan's title and thresholds."""
    client = login(actors.leader)
    plan = actors.task.section.workplan
    real_version = figures_cache._version
    edits = iter([lambda: Workplan.objects.filter(pk=plan.pk).update(title="改过的工作要点", due_soon_days=366)])

    def version_after_an_edit():
        next(edits, lambda: None)()  # the first reading of the version comes just after the edit commits
        return real_version()

    monkeypatch.setattr(figures_cache, "_version", version_after_an_edit)
    first, _ = board(client)
    again, _ = board(client)

    assert first.workplan.title == again.workplan.title == "改过的工作要点"
    assert first.workplan.due_soon_days == 366


computing = threading.Event()  # set by a test's compute() once the first look is computing


def _two_looks_at_once(compute):
    """cached_figures for one key from two threads (two requests), the second once the first is computing;
    the results by thread."""
    results = {}

    def look(name):
        try:
            results[name] = cached_figures("test", ("the same figures",), compute)
        except RuntimeError as error:
            results[name] = error
        finally:
            connections.close_all()

    first = threading.Thread(target=look, args=("first",))
    first.start()
    assert computing.wait(10)
    second = threading.Thread(target=look, args=("second",))
    second.start()
    first.join(30)
    second.join(30)
    return results


def test_looks_that_miss_at_once_compute_the_figures_once(actors):
    calls = []
    computing.clear()

    def slow():
        calls.append(1)
        computing.set()
        time.sleep(0.5)
        return {"computed": len(calls)}

    results = _two_looks_at_once(slow)

    assert calls == [1]
    assert results == {"first": {"computed": 1}, "second": {"computed": 1}}


def test_a_look_that_waited_computes_itself_when_the_first_fails(actors):
    calls = []
    computing.clear()

    def fails_first():
        calls.append(1)
        computing.set()
        time.sleep(0.3)
        if len(calls) == 1:
            raise RuntimeError("the first look's figures failed")
        return {"computed": len(calls)}

    results = _two_looks_at_once(fails_first)

    assert isinstance(results["first"], RuntimeError)
    assert results["second"] == {"computed": 2}
