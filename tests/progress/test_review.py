"""The office reviews: accept closes a completion claim, return sends it back with a reason."""

import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from progress.models import ProgressReport, Review
from progress.selectors import task_rows
from tasks.lights import Light
from tests.factories import ReportFactory, ReviewFactory


def review(client, report, decision, reason=""):
    return client.post(reverse("review_create", args=[report.pk]), {"decision": decision, "reason": reason})


def test_accepting_a_completion_closes_the_assignment_and_then_the_task(actors, login):
    office = login(actors.office)
    claim = ReportFactory(assignment=actors.assignment, status="completed", percent_complete=100)

    review(office, claim, "accepted")

    (row,) = task_rows([actors.task], as_of=timezone.localdate())
    by_department = {a.department.code: p for a, p in row.assignments}
    assert by_department["a"].closed and by_department["a"].light == Light.DONE
    assert not row.progress.closed  # the lead has not closed yet
    lead_claim = ReportFactory(assignment=actors.lead, status="completed", percent_complete=100)
    review(office, lead_claim, "accepted")
    (row,) = task_rows([actors.task], as_of=timezone.localdate())
    assert row.progress.closed and row.progress.light == Light.DONE
    assert "已办结" in office.get(reverse("task_list")).content.decode()


def test_a_returned_report_shows_its_reason_to_the_department_and_stops_counting(actors, login):
    ReportFactory(assignment=actors.assignment, percent_complete=20, progress_summary="第一次")
    second = ReportFactory(assignment=actors.assignment, percent_complete=80, progress_summary="第二次")

    response = review(login(actors.office), second, "returned", "进度与实际不符，请核实")

    assert response.status_code == 302
    staff = login(actors.staff)
    my_work = staff.get(reverse("my_work")).content.decode()
    assert "已退回" in my_work and "20%" in my_work
    form_page = staff.get(reverse("report_create", args=[actors.assignment.pk])).content.decode()
    assert "上次填报已被退回：进度与实际不符，请核实" in form_page
    assert (
        "退回原因：进度与实际不符，请核实" in staff.get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    )


def test_returning_without_a_reason_is_refused(actors, login):
    report = ReportFactory(assignment=actors.assignment)
    office = login(actors.office)

    response = office.post(
        reverse("review_create", args=[report.pk]), {"decision": "returned", "reason": " "}, HTTP_HX_REQUEST="true"
    )

    assert "退回时须写明原因。" in response.content.decode()
    assert not Review.objects.exists()


def test_a_report_is_decided_once(actors, login):
    report = ReportFactory(assignment=actors.assignment)
    ReviewFactory(report=report, decision="accepted")

    response = login(actors.office).post(
        reverse("review_create", args=[report.pk]), {"decision": "returned", "reason": "x"}, HTTP_HX_REQUEST="true"
    )

    assert "该报告已由" in response.content.decode()
    assert Review.objects.get().decision == "accepted"


def test_the_queue_holds_each_assignments_newest_undecided_report(actors, login):
    ReportFactory(assignment=actors.assignment, progress_summary="旧的")
    ReportFactory(assignment=actors.assignment, progress_summary="新的")
    decided = ReportFactory(assignment=actors.lead, progress_summary="已审")
    ReviewFactory(report=decided)

    page = login(actors.office).get(reverse("review_queue"))

    assert [r.progress_summary for r in page.context["page"]] == ["新的"]
    assert "另有 1 份较早的报告未审核，已被此报告取代" in page.content.decode()


def test_a_report_for_an_earlier_quarter_stays_in_the_queue_beside_a_newer_quarters(actors, login):
    """Found by trying: a 第一季度 report filed before a 第二季度 one stayed 待审核 for ever, out of the queue,
    while the first quarter's table read it."""
    ReportFactory(assignment=actors.assignment, quarter=1, progress_summary="一季度")
    ReportFactory(assignment=actors.assignment, quarter=2, progress_summary="二季度")

    page = login(actors.office).get(reverse("review_queue"))

    assert [r.progress_summary for r in page.context["page"]] == ["一季度", "二季度"]
    assert "较早的报告未审核" not in page.content.decode()


def test_as_of_a_date_a_later_return_does_not_rewrite_history(actors):
    """A report that stood on 31 March still counts as of that day, though it was returned in April."""
    submitted = datetime.datetime(2021, 3, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    report = ReportFactory(assignment=actors.assignment, percent_complete=40, submitted_at=submitted)
    ReviewFactory(
        report=report, decision="returned", reason="请补充", reviewed_at=submitted + datetime.timedelta(days=20)
    )
    ReportFactory(
        assignment=actors.assignment, percent_complete=90, submitted_at=submitted + datetime.timedelta(days=30)
    )

    standing = ProgressReport.objects.filter(assignment=actors.assignment)
    assert standing.standing_as_of(datetime.date(2021, 3, 19)).count() == 0
    assert [r.percent_complete for r in standing.standing_as_of(datetime.date(2021, 3, 31))] == [40]
    assert [r.percent_complete for r in standing.standing_as_of(datetime.date(2021, 4, 30))] == [90]
    (row,) = task_rows([actors.task], as_of=datetime.date(2021, 3, 31))
    assert {a.department.code: p.percent for a, p in row.assignments} == {"office": 0, "a": 40}


def test_a_review_sent_after_the_session_ended_goes_through_login_back_to_the_queue(actors, client):
    report = ReportFactory(assignment=actors.assignment)
    queue = reverse("review_queue") + "?page=2"

    response = client.post(
        reverse("review_create", args=[report.pk]),
        {"decision": "accepted"},
        HTTP_HX_REQUEST="true",
        HTTP_REFERER=f"http://testserver{queue}",
    )

    # the browser loads the login page (not swapped into the row), then the queue, not a bare 405 page
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next={quote(queue)}"
    assert not Review.objects.exists()
