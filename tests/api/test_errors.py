"""Bad input answers 4xx in one JSON shape with a Chinese message, and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from progress.models import Evidence, ProgressReport, Review
from tests.factories import ReportFactory, ReviewFactory

GOOD = {"quarter": 1, "status": "in_progress", "percent_complete": 40, "progress_summary": "已开展选址"}


def error(response):
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"percent_complete": 150}, "percent_complete", "完成进度应在 0 到 100 之间。"),
        ({"progress_summary": "   "}, "progress_summary", "请填写进展情况。"),
        ({"status": "completed", "percent_complete": 80}, "percent_complete", "已完成的事项完成进度应为100%。"),
        ({"quarter": 7}, "quarter", "7"),
        ({"status": "finished"}, "status", "finished"),
    ],
)
def test_a_report_that_breaks_a_rule_is_refused_with_the_forms_message(actors, api, change, field, message):
    response = api(actors.staff).post(
        reverse("api_report_create", args=[actors.assignment.pk]), GOOD | change, format="json"
    )

    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "invalid"
    assert any(message in m for m in body["fields"][field])
    assert message in body["message"]
    assert ProgressReport.objects.count() == 0


def test_two_broken_rules_read_as_two_sentences_in_the_message(actors, api):
    change = {"percent_complete": 150, "progress_summary": ""}
    response = api(actors.staff).post(
        reverse("api_report_create", args=[actors.assignment.pk]), GOOD | change, format="json"
    )

    assert error(response)["message"] == "完成进度应在 0 到 100 之间。请填写进展情况。"  # not 之间。；请填写


def test_evidence_whose_content_is_not_its_type_is_refused_and_nothing_is_saved(actors, api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00 not a pdf")

    response = api(actors.staff).post(
        reverse("api_report_create", args=[actors.assignment.pk]), GOOD | {"evidence": [fake]}, format="multipart"
    )

    assert response.status_code == 400
    assert "“纪要.pdf”的内容不是 pdf 文件。" in error(response)["fields"]["evidence"]
    assert ProgressReport.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_a_closed_assignment_takes_no_more_reports(actors, api):
    completed = ReportFactory(
        assignment=actors.assignment, status="completed", percent_complete=100, submitted_by=actors.staff
    )
    ReviewFactory(report=completed, reviewed_by=actors.office)

    response = api(actors.staff).post(reverse("api_report_create", args=[actors.assignment.pk]), GOOD, format="json")

    assert response.status_code == 400
    assert error(response)["message"] == "该事项已办结，无需再填报。"
    assert ProgressReport.objects.count() == 1


def test_a_return_without_a_reason_is_refused(actors, api):
    report = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)

    response = api(actors.office).post(
        reverse("api_review_create", args=[report.pk]), {"decision": "returned", "reason": " "}, format="json"
    )

    assert response.status_code == 400
    assert error(response)["fields"]["reason"] == ["退回时须写明原因。"]
    assert Review.objects.count() == 0


def test_a_report_is_decided_once_the_second_reviewer_hears_who_decided(actors, api):
    report = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    ReviewFactory(report=report, reviewed_by=actors.office, decision="accepted")

    response = api(actors.office).post(
        reverse("api_review_create", args=[report.pk]), {"decision": "returned", "reason": "再补充"}, format="json"
    )

    assert response.status_code == 409
    assert error(response)["message"] == "该报告已由 office 审核（通过）。"
    assert Review.objects.get().decision == "accepted"


@pytest.mark.parametrize(
    ("params", "field"),
    [({"as_of": "2021-13-40"}, "as_of"), ({"as_of": "1999-12-31"}, "as_of"), ({"workplan": "x"}, "workplan")],
)
def test_a_bad_filter_is_a_400_naming_it(actors, api, params, field):
    response = api(actors.leader).get(reverse("api_tasks"), params)

    assert response.status_code == 400
    assert field in error(response)["fields"]


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/api/nothing-here/", 404),
        ("/api/tasks/?page=999", 404),
        ("/api/quarters/2021/5/table/", 400),
        ("/api/quarters/1990/1/table/", 404),
        ("/api/tasks/999999/", 404),
    ],
)
def test_wrong_addresses_answer_in_the_same_shape(actors, api, address, status):
    response = api(actors.office).get(address)

    assert response.status_code == status
    assert error(response)["message"]
    assert not any("a" <= ch <= "z" for ch in error(response)["message"])  # Chinese, not Django's English


def test_a_body_that_is_not_json_is_a_400(actors, api):
    response = api(actors.staff).post(
        reverse("api_report_create", args=[actors.assignment.pk]), "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert error(response)["code"] == "parse_error"
    assert error(response)["message"].startswith("请求体无法解析")


@pytest.mark.parametrize("body", ["[1]", '"abc"', "123", "null"])
def test_json_that_is_not_an_object_is_a_400_on_either_write(actors, api, body):
    """Found by trying: a JSON array or number posted as a report or a review was a 500 page in HTML."""
    report = ReportFactory(assignment=actors.assignment)
    for client, address in [
        (api(actors.staff), reverse("api_report_create", args=[actors.assignment.pk])),
        (api(actors.office), reverse("api_review_create", args=[report.pk])),
    ]:
        response = client.post(address, body, content_type="application/json")

        assert response.status_code == 400
        assert error(response)["code"] == "invalid"
        assert error(response)["message"] == "请求体应为 JSON 对象（字段名: 值），或表单。"
    assert ProgressReport.objects.count() == 1
    assert Review.objects.count() == 0


def test_a_get_on_a_write_endpoint_is_a_405(actors, api):
    response = api(actors.staff).get(reverse("api_report_create", args=[actors.assignment.pk]))

    assert response.status_code == 405
    assert "GET" in error(response)["message"]


def test_two_plans_in_one_year_need_the_plan_named(actors, api):
    from tests.factories import WorkplanFactory

    WorkplanFactory(year=actors.task.section.workplan.year)
    address = reverse("api_quarterly_table", args=[actors.task.section.workplan.year, 1])

    response = api(actors.office).get(address)

    assert response.status_code == 400
    assert error(response)["fields"]["workplan"] == ["该年度有多个工作要点，请用 ?workplan= 指定。"]
    assert api(actors.office).get(address, {"workplan": actors.task.section.workplan_id}).status_code == 200
