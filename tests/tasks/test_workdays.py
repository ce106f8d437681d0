"""The working-day calendar around 2026's Spring Festival and National Day, and the administrator's corrections."""

import datetime

import pytest

from tasks.models import WorkingDay
from tasks.timephrases import find_time_phrases
from tasks.workdays import day_off_name, days_sent_on, is_working_day, working_day_on_or_before, working_days_after

pytestmark = pytest.mark.django_db

D = datetime.date


def test_2026_spring_festival_is_off_and_its_make_up_saturdays_are_working_days():
    assert is_working_day(D(2026, 2, 13))  # Friday
    assert is_working_day(D(2026, 2, 14))  # Saturday, 调休上班
    assert [is_working_day(D(2026, 2, d)) for d in range(15, 24)] == [False] * 9  # 15–23 February
    assert is_working_day(D(2026, 2, 24))
    assert is_working_day(D(2026, 2, 28))  # Saturday, 调休上班
    assert WorkingDay.objects.get(date=D(2026, 2, 14)).name == "调休上班"
    assert day_off_name(D(2026, 2, 17)) == "春节"


def test_2026_national_day_is_off_with_its_make_up_sunday_and_saturday():
    assert is_working_day(D(2026, 9, 20))  # Sunday, 调休上班
    assert not any(is_working_day(D(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert not is_working_day(D(2026, 10, 11))  # an ordinary Sunday
    assert day_off_name(D(2026, 10, 1)) == "国庆节" and day_off_name(D(2026, 10, 11)) == "周末"


def test_a_year_is_seeded_once_and_corrections_stand():
    assert is_working_day(D(2026, 10, 9))
    WorkingDay.objects.filter(date=D(2026, 10, 9)).update(is_working=False, name="市政府通知放假")
    assert not is_working_day(D(2026, 10, 9))
    assert WorkingDay.objects.filter(date__year=2026).count() == 365


def test_the_day_before_a_holiday_carries_the_holidays_reminders():
    assert days_sent_on(D(2026, 9, 30)) == [D(2026, 9, 30)] + [D(2026, 10, d) for d in range(1, 8)]
    assert days_sent_on(D(2026, 10, 3)) == []
    assert working_day_on_or_before(D(2026, 10, 5)) == D(2026, 9, 30)
    assert working_day_on_or_before(D(2026, 2, 22)) == D(2026, 2, 14)


def test_n_working_days_skip_holidays_and_count_make_up_days():
    assert working_days_after(D(2026, 9, 28), 3) == D(2026, 10, 8)  # 29, 30, then 8 October
    assert working_days_after(D(2026, 2, 12), 2) == D(2026, 2, 14)  # Friday 13, make-up Saturday 14
    with pytest.raises(ValueError):
        working_days_after(D(2026, 2, 12), 0)


def test_a_working_days_phrase_resolves_through_the_calendar():
    (phrase,) = find_time_phrases("9月28日起三个工作日内完成整改", 2026)
    assert phrase.due == D(2026, 10, 8) and phrase.phrase == "9月28日起三个工作日内"
    (published,) = find_time_phrases("收到通知后10个工作日内报送", 2026, written=D(2026, 2, 10))
    assert published.due == D(2026, 3, 2)  # 11, 12, 13, 14 (Sat), 24, 25, 26, 27, 28 (Sat), 2 March
    assert find_time_phrases("10个工作日内报送", 2026) == []  # counted from nothing: no date
