"""The daily sweep follows the 2026 working-day calendar: make-up days send, holidays send nothing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from reminders.models import ReminderLog
from reminders.services import sweep
from tests.factories import AssignmentFactory, SectionFactory, TaskFactory, WorkplanFactory

D = datetime.date


@pytest.fixture
def plan_2026(actors):
    """A 2026 task for district A (staff-a has an e-mail) with the deadline given to each test."""
    section = SectionFactory(workplan=WorkplanFactory(year=2026, title="2026年测试工作要点"))

    def task(deadline, title="完成人防宣传月活动"):
        item = TaskFactory(section=section, title=title, deadline=deadline)
        AssignmentFactory(task=item, department=actors.assignment.department)
        return item

    return task


def days_with_a_digest(start, end, django_capture_on_commit_callbacks):
    days, day = [], start
    while day <= end:
        with django_capture_on_commit_callbacks(execute=True):
            if sweep(day).recorded:
                days.append(day)
        day += datetime.timedelta(days=1)
    return days


def test_a_deadline_in_the_spring_festival_is_reminded_on_the_make_up_saturday_before(
    plan_2026, django_capture_on_commit_callbacks
):
    plan_2026(D(2026, 2, 17))  # 正月初一

    sent = days_with_a_digest(D(2026, 2, 9), D(2026, 2, 23), django_capture_on_commit_callbacks)

    # 7 days ahead is Tuesday 10th; 3, 1 and 0 days ahead fall on the make-up Saturday or in the holiday.
    assert sent == [D(2026, 2, 10), D(2026, 2, 14)]
    digest = ReminderLog.objects.get(date=D(2026, 2, 14))
    assert "完成人防宣传月活动：完成时限 2026-02-17，还有 3 天" in digest.body_text
    assert len(mail.outbox) == 2


def test_a_deadline_in_the_national_day_holiday_is_reminded_on_the_working_day_before(
    plan_2026, django_capture_on_commit_callbacks
):
    plan_2026(D(2026, 10, 5))

    sent = days_with_a_digest(D(2026, 9, 26), D(2026, 10, 7), django_capture_on_commit_callbacks)

    assert sent == [D(2026, 9, 28), D(2026, 9, 30)]
    assert "还有 5 天" in ReminderLog.objects.get(date=D(2026, 9, 30)).body_text


def test_overdue_items_are_reminded_on_the_make_up_sunday_not_on_the_saturday_before(
    plan_2026, django_capture_on_commit_callbacks
):
    plan_2026(D(2026, 9, 10))

    sent = days_with_a_digest(D(2026, 9, 19), D(2026, 9, 20), django_capture_on_commit_callbacks)

    assert sent == [D(2026, 9, 20)]


def test_send_reminders_on_a_holiday_says_so_and_sends_nothing(plan_2026, django_capture_on_commit_callbacks):
    plan_2026(D(2026, 9, 10))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-10-01", stdout=out)

    assert out.getvalue().strip() == "2026-10-01 是休息日（国庆节），不发送提醒；到期的提醒已在此前的工作日发送。"
    assert not ReminderLog.objects.exists() and mail.outbox == []


def test_dry_run_on_a_working_day_lists_each_digests_items_by_title(plan_2026):
    plan_2026(D(2026, 10, 5), title="完成人防工程专项检查")
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-09-30", "--dry-run", stdout=out)

    assert "staff-a：1 项" in out.getvalue()
    assert "【临近时限】" in out.getvalue() and "[due_soon]" not in out.getvalue()
    assert "完成人防工程专项检查 · 完成时限 2026-10-05（还有 5 天）" in out.getvalue()
    assert not ReminderLog.objects.exists()
