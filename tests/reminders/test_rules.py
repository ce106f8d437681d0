"""The reminder rules under a frozen clock, at their boundaries."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from reminders.rules import days_until_due, report_due_quarter
from tasks.lights import days_overdue

pytestmark = pytest.mark.django_db  # reminder days follow the working-day calendar (tasks.workdays)

DEADLINE = datetime.date(2021, 6, 30)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2021-06-22", None),
        ("2021-06-23", 7),
        ("2021-06-24", None),
        ("2021-06-25", 5),  # Friday: carries Sunday 27th's 3-days-ahead reminder
        ("2021-06-27", None),  # Sunday: no sweep
        ("2021-06-29", 1),
        ("2021-06-30", 0),
        ("2021-07-01", None),
    ],
)
def test_due_soon_on_7_3_1_days_ahead_and_on_the_day_or_the_working_day_before(today, expected):
    with time_machine.travel(datetime.datetime.fromisoformat(today + "T09:00+08:00"), tick=False):
        assert days_until_due(DEADLINE, timezone.localdate()) == expected


@pytest.mark.parametrize(("today", "expected"), [("2021-06-30", None), ("2021-07-01", 1), ("2021-07-31", 31)])
def test_overdue_from_the_day_after_the_deadline(today, expected):
    with time_machine.travel(datetime.datetime.fromisoformat(today + "T09:00+08:00"), tick=False):
        assert days_overdue(DEADLINE, timezone.localdate()) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2021-03-18", None),
        ("2021-03-19", (1, 6)),  # Friday: carries Saturday 20th's 5-days-before reminder
        ("2021-03-20", None),
        ("2021-03-24", (1, 1)),
        ("2021-03-25", None),
        ("2021-12-20", (4, 5)),
    ],
)
def test_report_due_5_and_1_days_before_the_25th_or_the_working_day_before(today, expected):
    with time_machine.travel(datetime.datetime.fromisoformat(today + "T09:00+08:00"), tick=False):
        assert report_due_quarter(2021, timezone.localdate()) == expected


def test_report_due_only_in_the_plan_year():
    assert report_due_quarter(2020, datetime.date(2021, 3, 20)) is None


def test_the_cut_off_day_is_a_setting(settings):
    settings.WORKPLAN_REPORT_CUTOFF_DAY = 20
    assert report_due_quarter(2021, datetime.date(2021, 3, 15)) == (1, 5)
    assert report_due_quarter(2021, datetime.date(2021, 3, 20)) is None


def test_the_shanghai_date_decides_not_utc():
    # 23:30 UTC on 22 June is 07:30 on 23 June in Shanghai: seven days before 30 June.
    with time_machine.travel(datetime.datetime(2021, 6, 22, 23, 30, tzinfo=datetime.UTC), tick=False):
        assert days_until_due(DEADLINE, timezone.localdate()) == 7
