"""The light rule (DESIGN.md, "Status and light"), at its boundaries."""

import datetime

import pytest

from tasks.lights import Light, expected_progress, light_for

START = datetime.date(2021, 1, 1)
DEADLINE = datetime.date(2021, 12, 31)


def light(on, percent=0, closed=False, deadline=DEADLINE, tolerance=10, due_soon_days=7):
    return light_for(
        deadline=deadline,
        percent=percent,
        closed=closed,
        start=START,
        on=on,
        tolerance=tolerance,
        due_soon_days=due_soon_days,
    )


def test_closed_is_done_even_past_the_deadline():
    assert light(datetime.date(2022, 3, 1), closed=True) == Light.DONE


def test_the_deadline_day_itself_is_not_overdue_but_the_next_day_is():
    assert light(DEADLINE, percent=100) == Light.DUE_SOON
    assert light(DEADLINE + datetime.timedelta(days=1), percent=100) == Light.OVERDUE


def test_behind_when_percent_is_more_than_the_tolerance_below_expected_progress():
    on = datetime.date(2021, 7, 2)  # 182 of 364 days: expected progress 50 %
    assert expected_progress(start=START, deadline=DEADLINE, on=on) == 50.0
    assert light(on, percent=40) == Light.ON_TRACK  # exactly 10 points below: still on track
    assert light(on, percent=39) == Light.BEHIND


@pytest.mark.parametrize(("days_left", "expected"), [(8, Light.ON_TRACK), (7, Light.DUE_SOON), (0, Light.DUE_SOON)])
def test_due_soon_within_seven_days(days_left, expected):
    assert light(DEADLINE - datetime.timedelta(days=days_left), percent=100) == expected


def test_behind_wins_over_due_soon():
    assert light(DEADLINE - datetime.timedelta(days=3), percent=50) == Light.BEHIND


def test_tolerance_and_window_are_the_callers(settings):
    on = datetime.date(2021, 7, 2)
    assert light(on, percent=49, tolerance=0) == Light.BEHIND
    assert light(on, percent=49) == Light.ON_TRACK
    assert light(DEADLINE - datetime.timedelta(days=20), percent=100, due_soon_days=30) == Light.DUE_SOON


def test_due_soon_is_blue_and_not_drawn_like_behind():
    assert Light.DUE_SOON.colour == "blue"
    assert Light.DUE_SOON.colour != Light.BEHIND.colour


def test_expected_progress_is_clamped():
    assert expected_progress(start=START, deadline=DEADLINE, on=datetime.date(2020, 6, 1)) == 0
    assert expected_progress(start=START, deadline=DEADLINE, on=datetime.date(2022, 6, 1)) == 100
    assert expected_progress(start=START, deadline=START, on=START) == 100
