"""The daily sweep: who gets what, once; delivery failures stay contained."""

import datetime
import io
import smtplib
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reminders.delivery import deliver
from reminders.models import Notification, ReminderLog
from reminders.services import sweep
from tasks.models import Milestone
from tests.factories import AssignmentFactory, ReportFactory, ReviewFactory, TaskFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def plan(actors):
    """actors.task (deadline 2021-12-31) with a milestone on 2021-06-30; staff of A has an e-mail."""
    Milestone.objects.create(
        task=actors.task, description="上半年完成选址", due_on=datetime.date(2021, 6, 30), phrase="上半年"
    )
    return actors


def run(day, **kwargs):
    return sweep(datetime.date.fromisoformat(day), **kwargs)


def test_a_digest_goes_to_the_assigned_departments_staff(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = run("2021-06-23")

    assert str(result).startswith("2021-06-23 每日提醒：记录 1 份，发送成功 0，发送失败 0，已排队 1，")
    (message,) = mail.outbox
    assert message.to == ["staff-a@example.org"]
    assert message.subject == "【工作要点提醒】6月23日：1 项事项需要关注"
    assert "上半年完成选址 2021-06-30，还有 7 天" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "还有 7 天" in html and "/tasks/" in html
    assert Notification.objects.get(recipient=plan.staff).title == message.subject
    assert ReminderLog.objects.get().status == ReminderLog.Status.SENT


def test_nothing_is_sent_when_nothing_is_due(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = run("2021-06-26")

    assert result.recorded == [] and mail.outbox == [] and not Notification.objects.exists()


def test_a_second_sweep_the_same_day_sends_nothing(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run("2021-06-23")
        again = run("2021-06-23")

    assert str(again).endswith(
        "记录 0 份，发送成功 0，发送失败 0，已排队 0，待重新排队 0，仅站内通知 0；已发过跳过 1 人"
    )  # noqa: E501
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_closed_assignments_get_no_reminders(plan, django_capture_on_commit_callbacks):
    claim = ReportFactory(
        assignment=plan.assignment,
        status="completed",
        percent_complete=100,
        submitted_at=datetime.datetime(2021, 6, 1, tzinfo=SHANGHAI),
    )
    ReviewFactory(report=claim, reviewed_at=datetime.datetime(2021, 6, 2, tzinfo=SHANGHAI))

    with django_capture_on_commit_callbacks(execute=True):
        assert run("2021-06-23").recorded == []


def test_overdue_is_reminded_daily_with_the_days(plan, django_capture_on_commit_callbacks):
    late = AssignmentFactory(
        task=TaskFactory(section=plan.task.section, title="迟了的事", deadline=datetime.date(2021, 5, 31)),
        department=plan.assignment.department,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("2021-06-02")
        run("2021-06-03")

    assert [m.subject for m in mail.outbox] == [
        "【工作要点提醒】6月2日：1 项事项需要关注",
        "【工作要点提醒】6月3日：1 项事项需要关注",
    ]
    assert "迟了的事：完成时限 2021-05-31，已逾期 3 天" in mail.outbox[1].body
    assert late.pk


def test_report_due_skips_departments_that_reported_for_the_quarter(plan, django_capture_on_commit_callbacks):
    ReportFactory(assignment=plan.lead, quarter=1, submitted_at=datetime.datetime(2021, 3, 10, tzinfo=SHANGHAI))
    office_staff = UserFactory(username="staff-office", department=plan.lead.department, role="staff")

    with django_capture_on_commit_callbacks(execute=True):
        run("2021-03-19")  # Friday: 5 days before the cut-off is a Saturday

    (message,) = [m for m in mail.outbox if m.to == ["staff-a@example.org"]]
    assert "2021年第一季度进展报告，3月25日截止，还有 6 天" in message.body
    assert not ReminderLog.objects.filter(recipient=office_staff).exists()


def test_a_failed_send_is_retried_then_marked_failed_and_others_still_get_theirs(
    plan, django_capture_on_commit_callbacks
):
    UserFactory(username="staff-a-2", department=plan.assignment.department, role="staff")
    real_send = mail.EmailMessage.send

    def flaky(message, *args, **kwargs):
        if message.to == ["staff-a@example.org"]:
            raise smtplib.SMTPServerDisconnected("connection refused")
        return real_send(message, *args, **kwargs)

    from workplan.celery import app

    app.conf.task_eager_propagates = False  # as on a worker: a retry is rescheduled, not raised to the caller
    with mock.patch.object(mail.EmailMessage, "send", flaky), django_capture_on_commit_callbacks(execute=True):
        run("2021-06-23")

    failed = ReminderLog.objects.get(recipient=plan.staff)
    assert failed.status == ReminderLog.Status.FAILED
    assert failed.attempts == 4  # the first try and three retries
    assert "SMTPServerDisconnected" in failed.last_error
    assert [m.to for m in mail.outbox] == [["staff-a-2@example.org"]]
    assert Notification.objects.filter(recipient=plan.staff).exists()  # in-app still delivered


def test_a_job_retried_after_a_crash_does_not_resend(plan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run("2021-06-23")
    log = ReminderLog.objects.get()

    assert deliver(log.pk, final=False) is False  # the redelivered job finds it sent
    assert len(mail.outbox) == 1


def test_no_address_means_in_app_only(plan, django_capture_on_commit_callbacks):
    plan.staff.email = "not-an-address"
    plan.staff.save()

    with django_capture_on_commit_callbacks(execute=True):
        run("2021-06-23")

    log = ReminderLog.objects.get()
    assert log.status == ReminderLog.Status.NO_ADDRESS
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=plan.staff).count() == 1


def test_the_department_address_stands_in_for_a_person_without_one(plan, django_capture_on_commit_callbacks):
    plan.staff.email = ""
    plan.staff.save()
    plan.assignment.department.email = "jiaqu@example.org"
    plan.assignment.department.save()

    with django_capture_on_commit_callbacks(execute=True):
        run("2021-06-23")

    assert mail.outbox[0].to == ["jiaqu@example.org"]


def test_dry_run_writes_nothing(plan):
    out = io.StringIO()
    call_command("send_reminders", "--date", "2021-06-23", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        "staff-a：1 项",
        f"  【临近时限】{plan.task.number}. 推进指挥所建设 · 时间节点：上半年完成选址 2021-06-30（还有 7 天）",
        "试运行：2021-06-23 将发送 1 份每日提醒（未发送、未记录）",
    ]
    assert not ReminderLog.objects.exists() and mail.outbox == []


def test_send_reminders_on_the_2021_plan(plan_2021, django_capture_on_commit_callbacks):
    """make run's data: 23 June 2021 reminds 江北 of item 6's first-half drill; a second run sends nothing."""
    call_command("create_demo_users", "--password", "pw-for-tests", stdout=io.StringIO())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2021-06-23", stdout=out)

    jiangbei = [m for m in mail.outbox if m.to == ["staff-jiangbei@example.org"]]
    assert len(jiangbei) == 1
    assert "6. 深入开展常态化训练演练：时间节点：按照实案化实战化要求,上半年组织" in jiangbei[0].body
    assert out.getvalue().startswith("2021-06-23 每日提醒：记录 ")

    again = io.StringIO()
    call_command("send_reminders", "--date", "2021-06-23", stdout=again)
    assert again.getvalue().startswith("2021-06-23 每日提醒：记录 0 份，发送成功 0")
    assert len([m for m in mail.outbox if m.to == ["staff-jiangbei@example.org"]]) == 1


def test_a_bad_date_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="不是 YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2021-13-01")


@pytest.mark.django_db(transaction=True)  # each digest is sent as its own transaction commits, as in production
def test_send_reminders_counts_failures_and_exits_non_zero_when_all_fail(plan, settings):
    """The mail server refuses (here: nothing listens on its port): not "sent", and the exit status says so."""
    UserFactory(username="staff-a2", department=plan.assignment.department, role="staff")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 份提醒邮件全部发送失败"):
        call_command("send_reminders", "--date", "2021-06-23", stdout=out)

    assert "记录 2 份，发送成功 0，发送失败 2，" in out.getvalue()
    assert set(ReminderLog.objects.values_list("status", flat=True)) == {ReminderLog.Status.FAILED}


@pytest.mark.django_db(transaction=True)
def test_send_reminders_counts_sent_failed_and_skipped_apart(plan, settings):
    UserFactory(username="staff-a2", department=plan.assignment.department, role="staff", email="")
    out = io.StringIO()

    call_command("send_reminders", "--date", "2021-06-23", stdout=out)
    call_command("send_reminders", "--date", "2021-06-23", stdout=out)

    first, second = out.getvalue().splitlines()
    assert first == (
        "2021-06-23 每日提醒：记录 2 份，发送成功 1，发送失败 0，已排队 0，待重新排队 0，仅站内通知 1；已发过跳过 0 人"
    )
    assert second.endswith("记录 0 份，发送成功 0，发送失败 0，已排队 0，待重新排队 0，仅站内通知 0；已发过跳过 2 人")
