"""延期申请: staff apply, the office decides; an approved deadline counts from the approval on, everywhere."""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from progress.models import ExtensionRequest
from progress.selectors import OnTime, assignment_figures, assignment_progress
from progress.services import extension_decide, extension_request
from reminders.models import Notification
from reminders.rules import DUE_SOON, OVERDUE, reminder_items
from reports.exports import quarterly_table, write_quarterly_workbook
from tasks.lights import Light
from tasks.models import Assignment, Task
from tests.factories import ReportFactory, ReviewFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARCH_31 = datetime.date(2021, 3, 31)
JUNE_30 = datetime.date(2021, 6, 30)


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def due_in_march(actors):
    """甲区's assignment is due 2021-03-31 and 30 % done."""
    Task.objects.filter(pk=actors.task.pk).update(deadline=MARCH_31)
    actors.assignment.refresh_from_db()
    ReportFactory(assignment=actors.assignment, percent_complete=30, submitted_at=at(2021, 3, 1, 9))
    return actors


APPLIED = at(2021, 4, 6, 9)
APPROVED = at(2021, 4, 12, 15)


def apply(actors, day=APPLIED, deadline=JUNE_30, reason="施工单位更换，需顺延"):
    with time_machine.travel(day, tick=False):
        return extension_request(
            assignment=actors.assignment, user=actors.staff, requested_deadline=deadline, reason=reason
        )


def decide(actors, extension, approve=True, day=APPROVED, reason=""):
    with time_machine.travel(day, tick=False):
        return extension_decide(extension=extension, user=actors.office, approve=approve, reason=reason)


def light_on(actors, day):
    assignment = Assignment.objects.select_related("task__section__workplan").get(pk=actors.assignment.pk)
    return assignment_progress([assignment], as_of=day)[assignment.pk]


def test_an_approved_deadline_drives_the_light_from_the_approval_on(due_in_march):
    actors = due_in_march
    extension = apply(actors)
    assert light_on(actors, datetime.date(2021, 4, 10)).light == Light.OVERDUE  # pending changes nothing

    decide(actors, extension)

    before, after = light_on(actors, datetime.date(2021, 4, 11)), light_on(actors, datetime.date(2021, 4, 12))
    assert before.light == Light.OVERDUE  # the dashboard of a day before the approval does not change
    assert after.light != Light.OVERDUE and after.deadline == JUNE_30 and after.original_deadline == MARCH_31
    assert after.deadline_label == "原定2021年3月31日，已延期至2021年6月30日"


def test_a_refusal_needs_a_reason_and_leaves_the_deadline(due_in_march):
    actors = due_in_march
    extension = apply(actors)
    with pytest.raises(ValidationError, match="不批准时须写明理由"):
        decide(actors, extension, approve=False)
    decide(actors, extension, approve=False, reason="理由不充分")
    assert light_on(actors, datetime.date(2021, 4, 20)).light == Light.OVERDUE
    with pytest.raises(ValidationError, match=r"该申请已审批（未批准）"):
        decide(actors, extension)


def test_every_step_is_notified(due_in_march):
    actors = due_in_march
    extension = apply(actors)
    to_office = Notification.objects.get(recipient=actors.office)
    assert "延期申请" in to_office.title and "施工单位更换" in to_office.body
    decide(actors, extension, approve=False, reason="请先报送整改计划")
    to_staff = Notification.objects.get(recipient=actors.staff)
    assert "未批准" in to_staff.title and "请先报送整改计划" in to_staff.body


def test_who_may_apply_and_decide(due_in_march):
    actors = due_in_march
    for user in (actors.outsider, actors.office, actors.leader):
        with pytest.raises(PermissionDenied):
            extension_request(assignment=actors.assignment, user=user, requested_deadline=JUNE_30, reason="x")
    extension = apply(actors)
    for user in (actors.staff, actors.leader):
        with pytest.raises(PermissionDenied):
            extension_decide(extension=extension, user=user, approve=True)


def test_one_pending_request_at_a_time_a_later_date_and_not_on_a_closed_item(due_in_march):
    actors = due_in_march
    with pytest.raises(ValidationError, match="应晚于原定完成时限"):
        apply(actors, deadline=MARCH_31)
    apply(actors)
    with pytest.raises(ValidationError, match="已有一份待审批"):
        apply(actors, deadline=datetime.date(2021, 9, 30))
    ExtensionRequest.objects.update(status="refused", decided_at=at(2021, 4, 7, 9), decision_reason="否")
    claim = ReportFactory(
        assignment=actors.assignment, status="completed", percent_complete=100, submitted_at=at(2021, 4, 7, 9)
    )
    ReviewFactory(report=claim, reviewed_at=at(2021, 4, 7, 10))
    with pytest.raises(ValidationError, match="已办结"):
        apply(actors, day=at(2021, 4, 8, 9))
    assert ExtensionRequest.objects.count() == 1


def test_a_date_years_away_is_refused_on_the_page_with_the_last_day_allowed(due_in_march, login):
    """Found by trying: 9999-12-31 was accepted, approved and shown as 已延期至9999年12月31日."""
    actors = due_in_march
    url = reverse("extension_create", args=[actors.assignment.pk])
    with time_machine.travel(APPLIED, tick=False):
        response = login(actors.staff).post(url, {"requested_deadline": "9999-12-31", "reason": "笔误"})

    assert response.status_code == 400
    assert "申请延期至的日期过远，最晚可申请至2024年12月31日。" in response.content.decode()
    assert response.context["form"]["reason"].value() == "笔误"
    assert not ExtensionRequest.objects.exists()
    assert apply(actors, deadline=datetime.date(2024, 12, 31)).requested_deadline == datetime.date(2024, 12, 31)


def test_reminders_chase_the_approved_deadline(due_in_march):
    actors = due_in_march
    decide(actors, apply(actors))
    department = actors.assignment.department_id
    kinds = {item.kind for item in reminder_items(datetime.date(2021, 4, 20)).get(department, [])}
    assert OVERDUE not in kinds
    near = [i for i in reminder_items(datetime.date(2021, 6, 29)).get(department, []) if i.kind == DUE_SOON]
    assert [item.due for item in near] == [JUNE_30]


def test_on_time_completion_counts_the_approved_deadline(due_in_march):
    actors = due_in_march
    decide(actors, apply(actors))
    claim = ReportFactory(
        assignment=actors.assignment, status="completed", percent_complete=100, submitted_at=at(2021, 6, 19, 9)
    )
    ReviewFactory(report=claim, reviewed_at=at(2021, 6, 20, 10))
    as_of = datetime.date(2021, 7, 5)
    (progress,) = assignment_figures(Assignment.objects.filter(pk=actors.assignment.pk), as_of=as_of).values()
    rate = OnTime(as_of)
    rate.add(progress.deadline, progress.closed_on)
    assert (progress.deadline, rate.due, rate.rate) == (JUNE_30, 1, 1.0)  # closed 6-20: late against 3-31


def test_the_quarterly_tables_deadline_says_original_and_extended(due_in_march):
    actors = due_in_march
    decide(actors, apply(actors))
    stream = io.BytesIO()
    plan = actors.task.section.workplan
    write_quarterly_workbook(
        quarterly_table(workplan=plan, quarter=2, department=actors.assignment.department, now=at(2021, 7, 2, 9)),
        stream,
    )
    sheet = openpyxl.load_workbook(stream).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "原定2021年3月31日，已延期至2021年6月30日" in values


@pytest.mark.parametrize(
    ("actor", "status"), [(None, 302), ("outsider", 404), ("leader", 403), ("office", 403), ("staff", 200)]
)
def test_the_application_page_permissions(actors, login, actor, status):
    response = login(getattr(actors, actor) if actor else None).get(
        reverse("extension_create", args=[actors.assignment.pk])
    )
    assert response.status_code == status


@pytest.mark.parametrize(("actor", "status"), [(None, 302), ("staff", 403), ("leader", 403), ("office", 200)])
def test_the_queue_permissions(actors, login, actor, status):
    assert login(getattr(actors, actor) if actor else None).get(reverse("extension_queue")).status_code == status


def test_the_pages_from_application_to_decision(due_in_march, login):
    actors = due_in_march
    staff = login(actors.staff)
    url = reverse("extension_create", args=[actors.assignment.pk])
    bad = staff.post(url, {"requested_deadline": "2021-06-30", "reason": "  "})
    assert bad.status_code == 400 and "请写明申请理由" in bad.content.decode()
    assert 'value="2021-06-30"' in bad.content.decode()  # what was typed is kept
    staff.post(url, {"requested_deadline": "2021-06-30", "reason": "资金未到位"})
    extension = ExtensionRequest.objects.get()
    office = login(actors.office)
    assert "资金未到位" in office.get(reverse("extension_queue")).content.decode()
    office.post(reverse("extension_decision", args=[extension.pk]), {"approve": "0", "reason": ""})
    assert ExtensionRequest.objects.get().status == "pending"  # a refusal without a reason is refused
    office.post(reverse("extension_decision", args=[extension.pk]), {"approve": "1", "reason": ""})
    assert ExtensionRequest.objects.get().status == "approved"
    page = office.get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    assert "申请延期至 2021-06-30" in page and "资金未到位" in page


def test_the_report_form_gives_the_approved_deadline_beside_its_light(due_in_march, login):
    actors = due_in_march
    decide(actors, apply(actors))
    with time_machine.travel(at(2021, 4, 20, 9), tick=False):
        page = login(actors.staff).get(reverse("report_create", args=[actors.assignment.pk])).content.decode()
    # not 完成时限 2021-03-31 beside a light that is not 逾期
    assert "原定2021年3月31日，已延期至2021年6月30日" in page


def test_the_same_application_form_sent_twice_files_one_request(due_in_march, login):
    actors = due_in_march
    staff = login(actors.staff)
    url = reverse("extension_create", args=[actors.assignment.pk])
    token = staff.get(url).context["form"]["submission_token"].initial
    data = {"requested_deadline": "2021-06-30", "reason": "双击", "submission_token": token}
    first, second = staff.post(url, data), staff.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert ExtensionRequest.objects.count() == 1


def test_approve_clicked_twice_approves_once_and_says_so_once(due_in_march, login):
    actors = due_in_march
    extension = apply(actors)
    office = login(actors.office)
    url = reverse("extension_decision", args=[extension.pk])
    first = office.post(url, {"approve": "1", "reason": ""}, follow=True)
    second = office.post(url, {"approve": "1", "reason": ""}, follow=True)
    assert ExtensionRequest.objects.get().status == "approved"
    assert Notification.objects.filter(recipient=actors.staff).count() == 1
    for response in (first, second):
        shown = [str(m) for m in response.context["messages"]]
        assert shown and all(m.startswith("已批准") for m in shown), shown
    with pytest.raises(ValidationError, match=r"该申请已审批（已批准）"):
        decide(actors, extension, approve=False, reason="改主意了")


def test_the_task_header_keeps_the_documents_phrase_apart_from_the_extended_date(due_in_march, login):
    actors = due_in_march
    Task.objects.filter(pk=actors.task.pk).update(deadline_phrase="一季度")
    decide(actors, apply(actors))
    with time_machine.travel(at(2021, 4, 20, 9), tick=False):
        page = login(actors.office).get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    header = page.split("<dt>完成时限</dt>", 1)[1].split("</dd>", 1)[0]
    # not 已延期至…（一季度）, as if the new date were the phrase's
    assert "已延期至2021年6月30日（原文：一季度）" in header


def test_a_nul_character_in_the_reason_is_a_readable_error(due_in_march, login):
    actors = due_in_march
    url = reverse("extension_create", args=[actors.assignment.pk])
    response = login(actors.staff).post(url, {"requested_deadline": "2021-06-30", "reason": "a\x00b"})
    assert response.status_code == 400 and "不能包含空字符" in response.content.decode()


def test_the_dashboard_and_light_filters_read_the_approved_deadline(due_in_march):
    """The kept-up figures' readers (task_figures: dashboard, bulletin, light-filtered lists) agree with the
    task page: from the approval's day on the task is not overdue and its deadline in force is the new one."""
    from progress.selectors import task_figures
    from reports.dashboard import dashboard

    actors = due_in_march
    decide(actors, apply(actors))
    plan = actors.task.section.workplan
    tasks = Task.objects.filter(pk=actors.task.pk)
    before = dashboard(workplan=plan, tasks=tasks, as_of=datetime.date(2021, 4, 11))
    after = dashboard(workplan=plan, tasks=tasks, as_of=datetime.date(2021, 4, 12))
    assert [row.pk for row in before.overdue] == [actors.task.pk]
    assert after.overdue == [] and after.lights[Light.OVERDUE] == 0
    (figures,) = task_figures(tasks, as_of=datetime.date(2021, 4, 12), department=actors.assignment.department).values()
    assert (figures.progress.deadline, figures.progress.original_deadline) == (JUNE_30, MARCH_31)
    assert figures.progress.light == light_on(actors, datetime.date(2021, 4, 12)).light
