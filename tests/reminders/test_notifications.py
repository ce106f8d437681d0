"""The bell's page (站内通知): each kind is a short title, one line and a link, never the e-mail's text."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from progress.services import extension_decide, extension_request
from reminders.models import Notification, ReminderLog
from reminders.services import sweep
from tasks.models import Milestone, Task
from tests.factories import ReportFactory

EMAIL_ONLY = ["您好", "自动发送，请勿回复", "http://", "https://", "请登录"]


def notifications_page(client) -> str:
    return client.get(reverse("notifications")).content.decode()


def entries(page: str) -> list[str]:
    """Each notification's <li> on the page, as HTML."""
    return re.findall(r'<li class="report[^"]*">(.*?)</li>', page, flags=re.S)


def assert_short(entry: str, *, title: str, line: str, url: str) -> None:
    assert f'<a href="{url}">{title}</a>' in entry
    assert line in entry
    for text in EMAIL_ONLY:
        assert text not in entry, text


def test_a_digest_is_counts_in_one_line_linking_to_my_work(actors, login, django_capture_on_commit_callbacks):
    Milestone.objects.create(task=actors.task, description="完成选址", due_on=datetime.date(2021, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        sweep(datetime.date(2021, 6, 23))
    assert "您好" in mail.outbox[0].body  # the e-mail keeps its greeting; the bell does not

    (entry,) = entries(notifications_page(login(actors.staff)))

    assert_short(
        entry, title="【工作要点提醒】6月23日：1 项事项需要关注", line="临近时限 1 项。", url=reverse("my_work")
    )
    assert "完成选址" not in entry  # the list of items is the e-mail's and 我的工作's, not the bell's


def test_a_chase_is_the_offices_message_linking_to_the_task(actors, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(actors.office).post(
            reverse("chase_create", args=[actors.assignment.pk]), {"message": "请本周内\n报送进展"}
        )

    (entry,) = entries(notifications_page(login(actors.staff)))

    assert_short(
        entry,
        title=f"【催办】{actors.task.number}. 推进指挥所建设",
        line="督查办催办：请本周内 报送进展",
        url=reverse("task_detail", args=[actors.task.pk]),
    )


def test_a_return_is_its_reason_and_an_acceptance_one_sentence(actors, login):
    office = login(actors.office)
    returned = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    office.post(reverse("review_create", args=[returned.pk]), {"decision": "returned", "reason": "数据有误"})
    accepted = ReportFactory(assignment=actors.assignment, submitted_by=actors.staff)
    office.post(reverse("review_create", args=[accepted.pk]), {"decision": "accepted"})

    newest, oldest = entries(notifications_page(login(actors.staff)))

    task_url = reverse("task_detail", args=[actors.task.pk])
    title = f"{actors.task.number}. 推进指挥所建设"
    assert_short(oldest, title=f"【退回】{title}", line="退回原因：数据有误。请修改后重新填报。", url=task_url)
    assert_short(newest, title=f"【通过】{title}", line="提交的进展报告已通过。", url=task_url)


def test_extension_requests_and_decisions_are_one_line_each(actors, login):
    Task.objects.filter(pk=actors.task.pk).update(deadline=datetime.date(2026, 3, 31))
    actors.assignment.refresh_from_db()
    extension = extension_request(
        assignment=actors.assignment,
        user=actors.staff,
        requested_deadline=datetime.date(2026, 6, 30),
        reason="施工单位更换，需顺延",
    )
    (to_office,) = entries(notifications_page(login(actors.office)))
    extension_decide(extension=extension, user=actors.office, approve=False, reason="请先报送整改计划")
    (to_staff,) = entries(notifications_page(login(actors.staff)))

    title = f"{actors.task.number}. 推进指挥所建设"
    assert_short(
        to_office,
        title=f"【延期申请】{title}",
        line="甲申请延期至 2026-06-30（原定 2026-03-31）：施工单位更换，需顺延",
        url=reverse("extension_queue"),
    )
    assert_short(
        to_staff,
        title=f"【延期申请未批准】{title}",
        line="延期至 2026-06-30 的申请未批准。审批意见：请先报送整改计划",
        url=reverse("task_detail", args=[actors.task.pk]),
    )


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (
            "张三，您好：\n\n督查办对“3. 推进指挥所建设”（完成时限 2021-12-31）进行催办，请尽快推进并填报进展。\n\n"
            "催办说明：请本周内报送进展\n\nhttp://127.0.0.1:8000/tasks/3/\n\n工作要点推进管理（自动发送，请勿回复）\n",
            "督查办对“3. 推进指挥所建设”（完成时限 2021-12-31）进行催办，请尽快推进并填报进展。",
        ),
        (
            "张三，您好：\n\n截至 2021年6月23日，甲区有以下事项需要关注。\n\n"
            "【临近时限】\n- 3. 推进：完成时限 2021-06-30\n"
            "  http://127.0.0.1:8000/tasks/3/\n\n请登录 http://127.0.0.1:8000 填报进展。\n\n"
            "工作要点推进管理（自动发送，请勿回复）\n",
            "截至 2021年6月23日，甲区有以下事项需要关注。",
        ),
    ],
)
def test_an_older_notification_holding_the_email_shows_one_line_of_it(actors, login, body, line):
    log = ReminderLog.objects.create(
        recipient=actors.staff, kind="chase", date=datetime.date(2021, 6, 23), subject="s", body_text=body, body_html=""
    )
    title = "【催办】3. 推进指挥所建设"
    Notification.objects.create(recipient=actors.staff, log=log, title=title, body=body, url="/x/")

    (entry,) = entries(notifications_page(login(actors.staff)))

    assert_short(entry, title=title, line=line, url="/x/")
