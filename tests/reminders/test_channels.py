"""Digests and chases reach DingTalk, WeCom and Feishu group robots (a fake server on 127.0.0.1)."""

import datetime
import logging

import pytest
from django.core import mail
from django.urls import reverse

from reminders.models import Channel, ChannelMessage, ReminderLog
from reminders.services import sweep
from tasks.models import Milestone
from tests.factories import TaskFactory, UserFactory

DUE_DAY = datetime.date(2021, 6, 23)  # the milestone below is 7 days ahead


@pytest.fixture
def plan(actors):
    Milestone.objects.create(task=actors.task, description="上半年完成选址 & 报批", due_on=datetime.date(2021, 6, 30))
    return actors


def run(day=DUE_DAY, **kwargs):
    return sweep(day, **kwargs)


def test_the_digest_reaches_every_robot_of_the_department_once(
    plan, department_robots, robots, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = run()

    assert len(mail.outbox) == 1  # e-mail as before
    dingtalk, wecom, feishu = (robots.delivered(kind) for kind in ("dingtalk", "wecom", "feishu"))
    assert len(dingtalk) == len(wecom) == len(feishu) == 1
    assert len(result.robot_messages) == 3
    assert set(ChannelMessage.objects.values_list("status", flat=True)) == {ReminderLog.Status.SENT}

    ding = dingtalk[0].payload
    assert ding["msgtype"] == "markdown"
    assert ding["markdown"]["title"] == "【工作要点提醒】6月23日：1 项事项需要关注"
    assert "上半年完成选址 & 报批 2021-06-30，还有 7 天" in ding["markdown"]["text"]
    assert f"(http://127.0.0.1:8000/tasks/{plan.task.pk}/)" in ding["markdown"]["text"]
    assert dingtalk[0].query["access_token"] == ["dingtalktok9"]

    content = wecom[0].payload["markdown"]["content"]
    assert wecom[0].payload["msgtype"] == "markdown" and "截至 2021年6月23日，甲有以下事项需要关注" in content
    card = feishu[0].payload["card"]
    assert feishu[0].payload["msg_type"] == "interactive"
    assert card["header"]["title"]["content"] == "【工作要点提醒】6月23日：1 项事项需要关注"
    assert card["elements"][0]["text"]["tag"] == "lark_md"
    for received in robots.received:  # plain Chinese as UTF-8 bytes: no \u escapes, no HTML entities
        assert "需要关注".encode() in received.raw
        assert b"\\u" not in received.raw and b"&amp;" not in received.raw and b"&#" not in received.raw


def test_a_department_robot_hears_one_digest_a_day_however_many_staff(
    plan, department_robots, robots, django_capture_on_commit_callbacks
):
    from departments.roles import Role

    UserFactory(username="staff-a2", department=plan.assignment.department, role=Role.STAFF)
    with django_capture_on_commit_callbacks(execute=True):
        first = run()
        again = run()

    assert len(first.recorded) == 2 and len(mail.outbox) == 2
    assert again.robot_messages == [] and again.recorded == []
    assert len(robots.received) == 3
    assert ChannelMessage.objects.count() == 3


def test_nothing_goes_to_robots_when_nothing_is_due(
    plan, department_robots, robots, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run(datetime.date(2021, 6, 26))

    assert robots.received == [] and not ChannelMessage.objects.exists()


@pytest.mark.usefixtures("retries_as_on_a_worker")
def test_a_failing_robot_is_logged_while_the_others_and_email_are_delivered(
    plan, department_robots, robots, django_capture_on_commit_callbacks, caplog
):
    robots.broken.add("wecom")
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        run()

    failed = ChannelMessage.objects.get(channel=department_robots["wecom"])
    assert failed.status == ReminderLog.Status.FAILED
    assert failed.attempts == 4  # the first try and three retries
    assert failed.last_error == "500: 系统繁忙"
    assert len(robots.delivered("dingtalk")) == len(robots.delivered("feishu")) == 1
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.get().status == ReminderLog.Status.SENT
    assert "tok9" not in caplog.text  # credentials never reach the logs, even at DEBUG
    assert "SEC0123456789abcdef" not in caplog.text and "feishusecret42" not in caplog.text


@pytest.mark.usefixtures("retries_as_on_a_worker")
def test_an_unreachable_robot_fails_with_its_token_masked(plan, actors, django_capture_on_commit_callbacks):
    channel = Channel.objects.create(
        kind="dingtalk",
        name="已停用的群",
        department=actors.assignment.department,
        webhook="http://127.0.0.1:9/robot/send?access_token=deadbeef77",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run()

    message = ChannelMessage.objects.get(channel=channel)
    assert message.status == ReminderLog.Status.FAILED
    assert "ConnectionError" in message.last_error and "deadbeef77" not in message.last_error
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("retries_as_on_a_worker")
def test_a_wrong_dingtalk_secret_is_a_failure_not_a_delivery(plan, actors, robots, django_capture_on_commit_callbacks):
    channel = Channel.objects.create(
        kind="dingtalk",
        name="密钥错误",
        department=actors.assignment.department,
        webhook=robots.webhook("dingtalk"),
        secret="SECwrong",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run()

    message = ChannelMessage.objects.get(channel=channel)
    assert message.status == ReminderLog.Status.FAILED and message.last_error == "310000: sign not match"


def test_long_digests_stay_under_each_robots_limit_with_a_link_to_the_rest(
    plan, department_robots, robots, django_capture_on_commit_callbacks
):
    from tasks.models import Assignment

    for n in range(120):
        task = TaskFactory(section=plan.task.section, title=f"第{n}项：" + "推进人防工程建设" * 4, deadline=DUE_DAY)
        Assignment.objects.create(task=task, department=plan.assignment.department, role=Assignment.Role.RESPONSIBLE)
    with django_capture_on_commit_callbacks(execute=True):
        run()

    content = robots.delivered("wecom")[0].payload["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert "项未列出，[查看全部](http://127.0.0.1:8000/" in content
    assert len(robots.delivered("dingtalk")) == len(robots.delivered("feishu")) == 1
    assert len(robots.delivered("dingtalk")[0].payload["markdown"]["text"].encode()) <= 20000


def test_a_chase_goes_to_the_department_robots(
    actors, department_robots, robots, login, django_capture_on_commit_callbacks
):
    office = login(actors.office)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("chase_create", args=[actors.assignment.pk]), {"message": "请本周内报送 <进展>"})

    page = office.get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    assert "已催办甲区，通知 1 人，并推送到 3 个群机器人。" in page
    assert "staff-a 已发送，" in page  # the task page's chase log, robots beside people
    assert all(f"甲区{kind}群 已发送" in page for kind in ("dingtalk", "wecom", "feishu"))
    (ding,) = robots.delivered("dingtalk")
    assert ding.payload["markdown"]["title"] == f"【催办】{actors.task.number}. 推进指挥所建设"
    assert "> 请本周内报送 <进展>" in ding.payload["markdown"]["text"]
    assert len(robots.delivered("wecom")) == len(robots.delivered("feishu")) == 1
    assert len(mail.outbox) == 1


def test_a_person_gets_their_own_digest_on_their_own_robot(plan, robots, login, django_capture_on_commit_callbacks):
    page = login(plan.staff).post(
        reverse("own_channels"), {"kind": "wecom", "name": "我的提醒", "webhook": robots.webhook("wecom", "mine1")}
    )
    assert page.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        run()
        run()

    (received,) = robots.delivered("wecom")
    assert (
        received.query["key"] == ["mine1"] and "staff-a，截至 2021年6月23日" in received.payload["markdown"]["content"]
    )


def test_a_wrong_address_is_refused_in_chinese_and_nothing_is_saved(actors, login):
    response = login(actors.staff).post(
        reverse("own_channels"), {"kind": "dingtalk", "name": "x", "webhook": "https://example.org/hook"}
    )
    assert response.status_code == 200
    assert "钉钉机器人地址应形如" in response.content.decode()
    assert 'value="x"' in response.content.decode()
    assert not Channel.objects.exists()


def test_nobody_deletes_another_persons_robot(actors, robots, login):
    channel = Channel.objects.create(kind="wecom", name="乙", user=actors.outsider, webhook=robots.webhook("wecom"))
    response = login(actors.staff).post(reverse("own_channel_delete", args=[channel.pk]))
    assert response.status_code == 404 and Channel.objects.filter(pk=channel.pk).exists()


def test_the_admin_masks_the_webhook_and_secret(department_robots, client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    channel = department_robots["dingtalk"]
    listing = client.get(reverse("admin:reminders_channel_changelist")).content.decode()
    change = client.get(reverse("admin:reminders_channel_change", args=[channel.pk])).content.decode()
    for page in (listing, change):
        assert "dingtalktok9" not in page and channel.secret not in page
    assert "…tok9" in listing
    # Saving without retyping the credentials keeps them.
    data = {
        "kind": "dingtalk",
        "name": "改名",
        "department": channel.department_id,
        "webhook": "",
        "secret": "",
        "is_active": "on",
    }
    assert client.post(reverse("admin:reminders_channel_change", args=[channel.pk]), data).status_code == 302
    channel.refresh_from_db()
    assert channel.name == "改名" and channel.webhook.endswith("dingtalktok9") and channel.secret.startswith("SEC")


def test_dry_run_lists_the_robots_digest_by_title(plan, department_robots, robots):
    result = run(dry_run=True)
    assert [i.task_title for i in result.planned[str(department_robots["wecom"])]] == ["推进指挥所建设"]
    assert robots.received == [] and not ChannelMessage.objects.exists()


def test_the_office_sends_a_test_message_and_sees_which_robot_failed(
    department_robots, robots, client, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    robots.broken.add("wecom")
    response = client.post(
        reverse("admin:reminders_channel_changelist"),
        {"action": "send_test_message", "_selected_action": [c.pk for c in department_robots.values()]},
        follow=True,
    )

    page = response.content.decode()
    assert "钉钉群机器人 · 甲区dingtalk群：已发送" in page
    assert "企业微信群机器人 · 甲区wecom群：发送失败（500: 系统繁忙）" in page
    assert "测试消息" in robots.delivered("dingtalk")[0].payload["markdown"]["title"]
    assert len(robots.delivered("feishu")) == 1


def test_a_chase_of_a_department_without_staff_still_reaches_its_robot(
    actors, robots, login, django_capture_on_commit_callbacks
):
    Channel.objects.create(
        kind="wecom", name="乙区工作群", department=actors.outsider.department, webhook=robots.webhook("wecom")
    )
    actors.outsider.delete()
    office = login(actors.office)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(reverse("chase_create", args=[actors.other_assignment.pk]), {"message": ""})

    page = office.get(reverse("task_detail", args=[actors.other_task.pk])).content.decode()
    assert "已催办乙区：已推送到 1 个群机器人，但该单位没有填报员账号。" in page
    assert "乙区工作群 已发送" in page and "无人接收" not in page
    assert "请尽快报送进展情况。" in robots.delivered("wecom")[0].payload["markdown"]["content"]
