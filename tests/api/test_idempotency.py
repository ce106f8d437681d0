"""A POST retried with the same Idempotency-Key (a phone that lost its connection) is written once.

The key becomes the one-time submission token the pages' forms use (departments.editing), kept on the row.
"""

from django.urls import reverse

from progress.models import ProgressReport, Standing, StandingInterval
from reminders.models import Notification
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

    for n, key in enumerate(["one", "two", None, None]):
        assert post(client, actors.assignment, key, REPORT | {"percent_complete": 40 + n}).status_code == 201

    assert ProgressReport.objects.count() == 4


def test_the_same_words_again_under_another_key_are_refused_as_already_filed(actors, api):
    """A client that lost its key (or a page sent again after the back button) repeats the latest report."""
    client = api(actors.staff)
    post(client, actors.assignment, "one")

    again = post(client, actors.assignment, "two")

    assert again.status_code == 400
    assert "内容完全相同，已提交过" in again.json()["error"]["message"]
    assert ProgressReport.objects.count() == 1


def test_a_key_is_the_users_own(actors, api):
    from tests.factories import UserFactory

    colleague = UserFactory(username="staff-a-2", department=actors.staff.department, role="staff")

    post(api(actors.staff), actors.assignment, "same")
    answer = post(api(colleague), actors.assignment, "same", REPORT | {"progress_summary": "已完成选址"})

    assert answer.status_code == 201
    assert ProgressReport.objects.count() == 2


def test_a_refused_request_leaves_the_key_free(actors, api):
    client = api(actors.staff)
    completed = ReportFactory(
        assignment=actors.assignment, status="completed", percent_complete=100, submitted_by=actors.staff
    )
    review = ReviewFactory(report=completed, reviewed_by=actors.office)

    assert post(client, actors.assignment, "k").status_code == 400  # closed (办结): refused by the service
    # Reopen the item by removing the closing report; the kept-up figures protect reports (the product never
    # deletes one), so they go first and the next report rewrites them.
    review.delete()
    Standing.objects.filter(assignment=actors.assignment).delete()
    StandingInterval.objects.filter(assignment=actors.assignment).delete()
    completed.delete()

    assert post(client, actors.assignment, "k").status_code == 201


def test_a_token_sent_in_the_body_is_not_taken(actors, api):
    """The form's hidden one-time token is the pages' own: through the API only the header counts."""
    client = api(actors.staff)
    body = REPORT | {"submission_token": "6d1f3a0e-7b2c-4c8e-9f10-2a3b4c5d6e7f"}

    post(client, actors.assignment, None, body)
    post(client, actors.assignment, None, body | {"percent_complete": 45})

    assert ProgressReport.objects.count() == 2
    assert not ProgressReport.objects.filter(submission_token__isnull=False).exists()


def test_a_review_retried_with_the_same_key_is_decided_once(actors, api):
    report = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    client = api(actors.office)
    address = reverse("api_review_create", args=[report.pk])
    decision = {"decision": "returned", "reason": "请补充照片"}

    first = client.post(address, decision, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    again = client.post(address, decision, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    other = client.post(address, {"decision": "accepted"}, format="json", HTTP_IDEMPOTENCY_KEY="r-2")

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json() == first.json()
    assert Notification.objects.filter(recipient=actors.staff).count() == 1  # the author hears it once
