"""What a digest e-mail lists, and how: sections, order, links and titles as typed (reminders.digests)."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from reminders.models import ReminderLog
from reminders.services import sweep
from tests.factories import AssignmentFactory, TaskFactory, UserFactory

JUNE_23 = datetime.date(2021, 6, 23)  # seven days before 30 June: its due-soon reminder day


def url(task) -> str:
    return settings.SITE_URL + reverse("task_detail", args=[task.pk])


@pytest.fixture
def due(actors):
    """District A has, besides actors.task (due at year end: nothing on 23 June), three tasks due or overdue.

    Item 9 is created before item 8 with the same deadline, so the order the
    rows were written in is not the plan's order.
    """

    def task(number, title, deadline):
        made = TaskFactory(section=actors.task.section, number=number, title=title, deadline=deadline)
        AssignmentFactory(task=made, department=actors.assignment.department)
        return made

    return {
        9: task(9, "九号事项", datetime.date(2021, 6, 30)),
        8: task(8, '防空<警报>&"演练"', datetime.date(2021, 6, 30)),
        20: task(20, "迟了的事", datetime.date(2021, 5, 31)),
    }


def test_items_come_overdue_first_then_by_date_then_in_the_plans_order_each_with_its_link(actors, due):
    sweep(JUNE_23)

    body = ReminderLog.objects.get(recipient=actors.staff).body_text
    assert body == (
        "staff-a，您好：\n\n"
        "截至 2021年6月23日，甲区有以下事项需要关注。\n\n"
        "【逾期】\n"
        f"- 20. 迟了的事：完成时限 2021-05-31，已逾期 23 天\n  {url(due[20])}\n\n"
        "【临近时限】\n"
        f'- 8. 防空<警报>&"演练"：完成时限 2021-06-30，还有 7 天\n  {url(due[8])}\n'
        f"- 9. 九号事项：完成时限 2021-06-30，还有 7 天\n  {url(due[9])}\n\n"
        f"请登录 {settings.SITE_URL} 填报进展。\n\n"
        "工作要点推进管理（自动发送，请勿回复）\n\n"
    )


def test_the_html_e_mail_links_each_title_escaped_once(actors, due):
    sweep(JUNE_23)

    html = ReminderLog.objects.get(recipient=actors.staff).body_html
    assert (
        f'<li><a href="{url(due[8])}">8. 防空&lt;警报&gt;&amp;&quot;演练&quot;</a>：完成时限 2021-06-30，还有 7 天</li>'
        f'<li><a href="{url(due[9])}">9. 九号事项</a>：完成时限 2021-06-30，还有 7 天</li>'
    ) in html
    assert '<h3 style="color:#d93025">逾期</h3><ul>\n<li>' in html and "已逾期 23 天</li>\n</ul>" in html
    assert "&amp;lt;" not in html and "<警报>" not in html
    assert "季度进展报告未填报" not in html  # no section heading without items


def test_each_of_a_departments_staff_gets_the_same_items_under_their_own_greeting(actors, due):
    UserFactory(username="staff-a-2", first_name="小王", department=actors.assignment.department, role="staff")

    sweep(JUNE_23)

    first, second = ReminderLog.objects.filter(recipient__department=actors.assignment.department).order_by(
        "recipient__username"
    )
    assert first.body_text.startswith("staff-a，您好：") and second.body_text.startswith("小王，您好：")
    assert "<p>小王，您好：</p>" in second.body_html
    items = lambda body: body[body.index("【逾期】") :]  # noqa: E731
    assert items(first.body_text) == items(second.body_text)
    assert first.subject == second.subject == "【工作要点提醒】6月23日：3 项事项需要关注"


def test_a_digest_recorded_by_a_sweep_running_at_the_same_moment_is_not_sent_twice(
    actors, due, django_capture_on_commit_callbacks
):
    """The other sweep records staff-a's digest after this one checked who had theirs: the batch is refused,
    staff-a is skipped, the colleague still gets theirs, once."""
    from django.core import mail

    from reminders import services

    colleague = UserFactory(username="staff-a-2", department=actors.assignment.department, role="staff")
    with django_capture_on_commit_callbacks(execute=True):
        sweep(JUNE_23)
    ReminderLog.objects.filter(recipient=colleague).delete()  # only staff-a's stays: the other sweep's
    mail.outbox.clear()

    with (
        mock.patch.object(services, "_served", return_value=set()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = sweep(JUNE_23)

    assert [log.recipient for log in result.recorded] == [colleague] and result.skipped == 1
    assert ReminderLog.objects.filter(recipient=actors.staff).count() == 1
    assert [m.to for m in mail.outbox] == [["staff-a-2@example.org"]]
    assert colleague.notifications.count() == 1


def test_the_dry_run_lists_people_department_by_department_in_the_catalogue_order(actors):
    a, b = actors.assignment.department, actors.other_assignment.department
    a.ordering, b.ordering = 2, 1
    a.save()
    b.save()
    shared = TaskFactory(section=actors.task.section, number=1, deadline=datetime.date(2021, 6, 30))
    for department in (a, b):  # 甲区's assignment first: the order rows were written in is not the catalogue's
        AssignmentFactory(task=shared, department=department)

    assert list(sweep(JUNE_23, dry_run=True).planned) == ["staff-b", "staff-a"]
