"""The working-day calendar (工作日 / 调休): which days offices work, one rule everything calls.

Rule source: DESIGN.md, "Reminders" (reminder days and N个工作日 deadlines follow
the official calendar: 法定节假日 and 调休 make-up working days). The calendar is
the WorkingDay table; a year missing from it is seeded on first use from the
``holidays`` library (python-holidays, China: statutory holidays and the State
Council's 调休 schedule as published), and the administrator corrects it in the
admin, since the schedule for next year is published late.

Dates are calendar dates in Asia/Shanghai; nothing here deals in times.
"""

import datetime
import logging

import holidays
from django.db import transaction

from .models import WorkingDay

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)


def seed_year(year: int) -> int:
    """Fill in ``year``'s missing days from the holidays library; days already there (edited or not) stay.

    Returns the number of days added. A working weekend is named 调休上班; a
    holiday keeps the library's Chinese name (国庆节, 春节, 休息日（由 … 调休）).
    """
    china = holidays.China(years=year, language="zh_CN")
    existing = set(WorkingDay.objects.filter(date__year=year).values_list("date", flat=True))
    day, rows = datetime.date(year, 1, 1), []
    while day.year == year:
        if day not in existing:
            working = china.is_working_day(day)
            name = china.get(day) or ("调休上班" if working and day.weekday() >= 5 else "")
            rows.append(WorkingDay(date=day, is_working=working, name=name[:100]))
        day += ONE_DAY
    with transaction.atomic():
        WorkingDay.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        logger.info("workdays.seeded year=%s days=%d", year, len(rows))
    return len(rows)


def _day(day: datetime.date) -> WorkingDay:
    row = WorkingDay.objects.filter(date=day).first()
    if row is None:
        seed_year(day.year)
        row = WorkingDay.objects.get(date=day)
    return row


def is_working_day(day: datetime.date) -> bool:
    """True when offices work on ``day`` (a weekday not a holiday, or a 调休 make-up weekend)."""
    return _day(day).is_working


def day_off_name(day: datetime.date) -> str | None:
    """None on a working day; else the holiday's name (国庆节), or 周末 for an ordinary weekend."""
    row = _day(day)
    if row.is_working:
        return None
    return row.name or "周末"


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    """``day`` when it is a working day, else the nearest working day before it (a holiday's eve)."""
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def days_sent_on(today: datetime.date) -> list[datetime.date]:
    """The reminder days whose reminders go out on ``today``: empty on a day off; else today and the days off after it.

    A reminder due on a non-working day is sent on the working day before, so
    the working day before a holiday also carries the holiday's reminders.
    """
    if not is_working_day(today):
        return []
    days, day = [today], today + ONE_DAY
    while not is_working_day(day):
        days.append(day)
        day += ONE_DAY
    return days


def working_days_after(start: datetime.date, count: int) -> datetime.date:
    """The ``count``-th working day after ``start`` (``start`` itself not counted): N个工作日内 from ``start``.

    Raises ValueError for a count below 1.
    """
    if count < 1:
        raise ValueError(f"working day count must be at least 1, got {count}")
    day = start
    while count:
        day += ONE_DAY
        count -= is_working_day(day)
    return day
