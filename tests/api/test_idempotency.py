"""A report POST retried with the same Idempotency-Key (a phone that lost its connection) is filed once."""

from django.core.cache import cache
from django.urls import reverse

from api.services import idempotency_slot
from progress.models import ProgressReport
from tests.factories import ReportFactory, ReviewFactory

REPORT = {"quarter": 1, "status": "in_progress", "percent_complete": 40, "progress_summary": "已开展选址"}


def post(client, assignment, key, body=REPORT):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(reverse("api_report_create", args=[assignment.pk]), body, format="json", **headers)


def test_a_retry_with_the_same_key_returns_the_first_report(actors, api):
    client = api(actors.staff)

    first = post(client, actors.assignment, "3f0c2a1e-retry")
    again = post(client, actors.assignment, "3f0c2a1e-retry")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["report"]["id"] == first.json()["report"]["id"]
    assert ProgressReport.objects.count() == 1


def test_another_key_or_no_key_files_another_report(actors, api):
    client = api(actors.staff)

    post(client, actors.assignment, "one")
    post(client, actors.assignment, "two")
    post(client, actors.assignment, None)
    post(client, actors.assignment, None)

    assert ProgressReport.objects.count() == 4


def test_a_key_is_the_users_own(actors, api):
    from tests.factories import UserFactory

    colleague = UserFactory(username="staff-a-2", department=actors.staff.department, role="staff")

    post(api(actors.staff), actors.assignment, "same")
    answer = post(api(colleague), actors.assignment, "same")

    assert answer.status_code == 201
    assert ProgressReport.objects.count() == 2


def test_a_refused_request_leaves_the_key_free(actors, api):
    client = api(actors.staff)
    completed = ReportFactory(
        assignment=actors.assignment, status="completed", percent_complete=100, submitted_by=actors.staff
    )
    review = ReviewFactory(report=completed, reviewed_by=actors.office)

    assert post(client, actors.assignment, "k").status_code == 400  # closed (办结): refused by the service
    review.delete()
    completed.delete()

    assert post(client, actors.assignment, "k").status_code == 201


def test_a_key_still_in_flight_is_a_409(actors, api):
    cache.set(idempotency_slot(user=actors.staff, assignment=actors.assignment, key="k"), "in-flight")

    answer = post(api(actors.staff), actors.assignment, "k")

    assert answer.status_code == 409
    assert "正在处理" in answer.json()["error"]["message"]
    assert ProgressReport.objects.count() == 0
