"""A double click, or the browser sending a form again, files once; the second answer is the first result."""

import threading
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from progress.models import Evidence, ProgressReport, Review
from reminders.models import Chase, ReminderLog
from tests.factories import ReportFactory

PDF = b"%PDF-1.4\n%test\n"


def report_form(token, **fields):
    return {
        "quarter": 1,
        "status": "in_progress",
        "percent_complete": 40,
        "progress_summary": "已开展选址",
        "submission_token": str(token),
    } | fields


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_report_form_carries_a_new_token_each_time(actors, login):
    client = login(actors.staff)
    url = reverse("report_create", args=[actors.assignment.pk])

    first, second = (client.get(url).context["form"]["submission_token"].value() for _ in range(2))

    assert first and second and first != second


def test_the_same_report_form_sent_twice_files_one_report_with_its_evidence_once(actors, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(actors.staff)
    url = reverse("report_create", args=[actors.assignment.pk])
    token = uuid.uuid4()

    first = client.post(url, report_form(token, evidence=[SimpleUploadedFile("方案.pdf", PDF)]))
    again = client.post(url, report_form(token, evidence=[SimpleUploadedFile("方案.pdf", PDF)]))

    assert first.status_code == again.status_code == 302
    assert ProgressReport.objects.count() == 1 and Evidence.objects.count() == 1
    assert messages_of(again)[-1] == "这份报告已经提交过，未重复保存。"


def test_one_s_own_earlier_report_is_not_called_somebody_else_s(actors, login):
    """Two tabs, or a form opened before one's own last submission: no warning about "another" report."""
    ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)

    response = login(actors.staff).post(
        reverse("report_create", args=[actors.assignment.pk]), report_form(uuid.uuid4())
    )

    assert messages_of(response) == ["已提交，等待督查办审核。"]
    assert ProgressReport.objects.count() == 2


def test_back_then_submit_again_is_told_it_was_filed_and_files_nothing(actors, login):
    """Found by trying: the back button reloads the form with a new token, filled in with the report just
    sent; pressing 提交 again filed a second, identical report."""
    client = login(actors.staff)
    url = reverse("report_create", args=[actors.assignment.pk])
    quarter = client.get(url).context["form"]["quarter"].value()  # the period the form offers
    client.post(url, report_form(uuid.uuid4(), quarter=quarter))
    reloaded = client.get(url).context["form"]
    again = {name: reloaded[name].value() for name in ["quarter", "status", "percent_complete", "progress_summary"]}
    again |= {"submission_token": reloaded["submission_token"].value(), "based_on": reloaded["based_on"].value()}

    response = client.post(url, again)

    assert response.status_code == 200
    assert "内容完全相同，已提交过" in response.content.decode()
    assert ProgressReport.objects.count() == 1


def test_a_returned_report_may_be_sent_again_as_it_was(actors, login):
    returned = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff, progress_summary="已开展选址")
    Review.objects.create(report=returned, decision="returned", reason="请补充", reviewed_by=actors.office)

    response = login(actors.staff).post(
        reverse("report_create", args=[actors.assignment.pk]),
        report_form(
            uuid.uuid4(),
            quarter=returned.quarter,
            status=returned.status,
            percent_complete=returned.percent_complete,
            problems=returned.problems,
            next_steps=returned.next_steps,
        ),
    )

    assert response.status_code == 302
    assert ProgressReport.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_identical_report_posts_at_once_file_one_report(actors):
    """Concurrently, as a double click sends them; on PostgreSQL the second waits for the first's row lock."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the race needs PostgreSQL (CI)")
    token = uuid.uuid4()
    url = reverse("report_create", args=[actors.assignment.pk])
    codes = []

    def submit():
        client = Client()
        client.force_login(actors.staff)
        codes.append(client.post(url, report_form(token)).status_code)
        connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes == [302, 302]
    assert ProgressReport.objects.count() == 1


def test_the_same_review_sent_twice_answers_with_the_first_decision(actors, login):
    report = ReportFactory(assignment=actors.assignment)
    office = login(actors.office)
    data = {"decision": "accepted", "submission_token": str(uuid.uuid4())}

    office.post(reverse("review_create", args=[report.pk]), data)
    again = office.post(reverse("review_create", args=[report.pk]), data)

    assert messages_of(again)[-1].startswith("已通过")
    assert Review.objects.count() == 1


def test_the_same_chase_sent_twice_notifies_once(actors, login, django_capture_on_commit_callbacks):
    office = login(actors.office)
    data = {"message": "请本周内报送", "submission_token": str(uuid.uuid4())}

    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("chase_create", args=[actors.assignment.pk]), data)
        again = office.post(reverse("chase_create", args=[actors.assignment.pk]), data)

    assert Chase.objects.count() == 1 and ReminderLog.objects.count() == 1
    assert messages_of(again)[-1] == "这次催办已记录过，未重复发送。"


def test_the_task_page_s_chase_form_carries_a_token(actors, login):
    page = login(actors.office).get(reverse("task_detail", args=[actors.task.pk])).content.decode()

    assert page.count('name="submission_token"') == page.count("/chase/") == 2  # one per open assignment
