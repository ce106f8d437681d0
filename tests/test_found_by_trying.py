"""Bugs a first user tripped on; each input is kept here so it stays fixed."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reminders.models import Chase, Notification
from tasks.models import Task
from tests.factories import ReportFactory, ReviewFactory, UserFactory
from tests.reports.test_export_quarterly import workbook_for

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("page", ["dashboard", "task_list"])
def test_a_date_at_the_end_of_time_is_a_filter_error_not_a_500(actors, login, page):
    response = login(actors.leader).get(reverse(page), {"as_of": "9999-12-31"})

    assert response.status_code == 200
    assert "截至日期应在 2000 年到 2100 年之间。" in response.content.decode()


def test_make_runs_import_keeps_the_offices_corrections(plan_2021):
    item18 = Task.objects.get(number=18)
    item18.deadline = datetime.date(2021, 9, 30)
    item18.save()
    item18.assignments.filter(department__code="gaoxin").delete()
    out = io.StringIO()

    call_command("import_workplan", "fixtures/2021-ningbo-civil-air-defence.txt", "--keep-existing", stdout=out)

    item18.refresh_from_db()
    assert item18.deadline == datetime.date(2021, 9, 30)
    assert not item18.assignments.filter(department__code="gaoxin").exists()
    assert "已在库中" in out.getvalue()


def test_filing_again_after_a_return_keeps_the_quarter(actors, login):
    report = ReportFactory(assignment=actors.assignment, quarter=2, submitted_by=actors.staff)
    ReviewFactory(report=report, decision="returned", reason="请补充")

    form = login(actors.staff).get(reverse("report_create", args=[actors.assignment.pk])).context["form"]

    assert form.initial["quarter"] == 2


def test_the_author_hears_of_a_return_and_of_an_acceptance(actors, login):
    first = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    office = login(actors.office)
    office.post(reverse("review_create", args=[first.pk]), {"decision": "returned", "reason": "数据有误"})
    second = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    office.post(reverse("review_create", args=[second.pk]), {"decision": "accepted"})

    titles = list(Notification.objects.filter(recipient=actors.staff).values_list("title", "body"))
    assert titles[1][0] == f"【退回】{actors.task.number}. 推进指挥所建设"
    assert "退回原因：数据有误" in titles[1][1]
    assert titles[0][0] == f"【通过】{actors.task.number}. 推进指挥所建设"


def test_a_closed_assignment_cannot_be_chased(actors, login):
    claim = ReportFactory(assignment=actors.assignment, status="completed", percent_complete=100)
    ReviewFactory(report=claim)

    response = login(actors.office).post(reverse("chase_create", args=[actors.assignment.pk]), {"message": "x"})

    assert not Chase.objects.exists()
    assert "该事项已办结，无需催办。" in login(actors.office).get(response.url).content.decode()


def test_an_already_reviewed_report_shows_its_decision_not_the_buttons(actors, login):
    report = ReportFactory(assignment=actors.assignment)
    ReviewFactory(report=report, decision="accepted")

    html = (
        login(actors.office)
        .post(
            reverse("review_create", args=[report.pk]), {"decision": "returned", "reason": "x"}, HTTP_HX_REQUEST="true"
        )
        .content.decode()
    )

    assert "已通过" in html and 'value="returned"' not in html


def test_one_departments_table_leaves_out_sections_it_has_nothing_in(plan_2021):
    from departments.models import Department

    book = workbook_for(
        plan_2021,
        2,
        department=Department.objects.get(code="yinzhou"),
        now=datetime.datetime(2021, 7, 1, tzinfo=SHANGHAI),
    )
    sections = [r[0] for r in book.worksheets[0].values if isinstance(r[0], str) and r[0][1:2] == "、"]

    assert sections == ["二、坚持战斗力标准,深化军事斗争人防准备"]


def test_an_impossible_year_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="年度应在 2000 到 2100 之间"):
        call_command("import_workplan", "fixtures/2021-ningbo-civil-air-defence.txt", "--year", "99")


def test_a_gap_in_the_numbering_is_pointed_out(tmp_path, departments):
    path = tmp_path / "gap.txt"
    path.write_text("2021年工作要点\n一、甲\n1.第一件。\n3.第三件。\n", encoding="utf-8")
    err = io.StringIO()

    call_command("import_workplan", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)

    assert "注意：“甲”中缺少事项 2" in err.getvalue()


def test_dry_run_shows_roles_in_chinese(departments):
    out = io.StringIO()
    call_command("import_workplan", "fixtures/2021-ningbo-civil-air-defence.txt", "--dry-run", stdout=out)

    assert "宁波市人民防空办公室（牵头单位）" in out.getvalue()
    assert "(lead)" not in out.getvalue() and "（lead）" not in out.getvalue()


def test_sections_of_two_plans_are_told_apart_in_the_filter(plan_2021, login):
    call_command("generate_demo_data", "--tasks", "3", "--year", "2022", "--force", stdout=io.StringIO())
    leader = UserFactory(role="leader")

    html = login(leader).get(reverse("task_list")).content.decode()

    assert "2021 · 一、坚持和加强党的全面领导" in html and "2022 · 一、第1部分（演示）" in html


# Found in code review.


def test_a_plan_two_years_gone_is_not_chased_every_day(db):
    from reminders.rules import reminder_items
    from tests.factories import AssignmentFactory, SectionFactory, TaskFactory, WorkplanFactory

    old = SectionFactory(workplan=WorkplanFactory(year=2015, title="2015年工作要点"))
    AssignmentFactory(task=TaskFactory(section=old, deadline=datetime.date(2015, 12, 31)))

    assert reminder_items(datetime.date(2024, 5, 6)) == {}


def test_a_new_report_after_an_accepted_one_is_for_the_current_quarter(actors, login):
    import time_machine

    accepted = ReportFactory(assignment=actors.assignment, quarter=1, submitted_by=actors.staff)
    ReviewFactory(report=accepted)
    with time_machine.travel(datetime.datetime(2021, 8, 2, 10, tzinfo=SHANGHAI)):
        form = login(actors.staff).get(reverse("report_create", args=[actors.assignment.pk])).context["form"]

    assert form.initial["quarter"] == 3


def test_a_web_address_inside_an_item_does_not_end_the_document(tmp_path, departments):
    from tasks.importing import Catalogue, read_document

    text = "2021年工作要点\n一、甲\n1.建设平台。\n详见 https://example.gov.cn/a 的方案。\n2.第二件。\n3.第三件。\n"
    plan = read_document(text.encode(), filename="plan.txt", catalogue=Catalogue.load())

    assert [t.number for t in plan.items] == [1, 2, 3]
    assert "https://example.gov.cn/a" in plan.items[0].body


def test_two_dates_in_one_clause_are_two_milestones(tmp_path, departments):
    from tasks.models import Milestone

    path = tmp_path / "plan.txt"
    path.write_text("2021年工作要点\n一、甲\n1.组织演练。一季度和三季度各开展一次演练。\n", encoding="utf-8")
    call_command("import_workplan", str(path), stdout=io.StringIO())

    assert sorted(Milestone.objects.values_list("due_on", "phrase")) == [
        (datetime.date(2021, 3, 31), "一季度"),
        (datetime.date(2021, 9, 30), "三季度"),
    ]


def test_full_width_quarter_digits():
    from tasks.timephrases import find_time_phrases

    assert find_time_phrases("第２季度完成", 2021)[0].due == datetime.date(2021, 6, 30)


def test_a_message_left_sending_by_a_dead_worker_is_sent_by_the_next_sweep(actors, django_capture_on_commit_callbacks):
    from django.core import mail

    from reminders.models import ReminderLog
    from reminders.services import sweep

    stuck = ReminderLog.objects.create(
        recipient=actors.staff,
        kind="chase",
        date=datetime.date(2021, 6, 1),
        email="staff-a@example.org",
        subject="卡住的催办",
        body_text="x",
        body_html="x",
        status="sending",
        created_at=datetime.datetime(2021, 6, 1, 9, tzinfo=SHANGHAI),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sweep(datetime.date(2021, 6, 2))

    stuck.refresh_from_db()
    assert stuck.status == "sent"
    assert [m.subject for m in mail.outbox] == ["卡住的催办"]


def test_two_reviewers_at_once_without_row_locks_get_a_clear_answer(actors):
    from unittest import mock

    from progress.models import Review
    from progress.services import AlreadyReviewed, report_review

    report = ReportFactory(assignment=actors.assignment)
    ReviewFactory(report=report, decision="accepted", reviewed_by=actors.office)
    first_look = mock.patch.object(Review.objects, "filter", return_value=Review.objects.none())

    with first_look, pytest.raises(AlreadyReviewed):
        report_review(report=report, user=actors.office, decision="returned", reason="晚了一步")
    assert Review.objects.get(report=report).decision == "accepted"


def test_the_admin_index_reads_out_no_english_headings(db, login):
    """Found by trying: the admin index's hidden table headings (read by screen readers) were English."""
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    body = login(admin).get(reverse("admin:index")).content.decode()

    assert "数据类型" in body
    for english in ("Model name", "Add link", "Change or view list link"):
        assert english not in body
