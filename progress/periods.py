"""Reporting periods (DESIGN.md, "Reporting periods"): quarters, their labels, ends and cut-offs."""

import calendar
import datetime

from django.conf import settings
from django.utils import timezone

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


def period_label(year: int, quarter: int) -> str:
    """A period as users read it, always with its year: ``2021年第二季度`` (never a bare 第二季度)."""
    return f"{year}年第{QUARTER_NAMES[quarter]}季度"


def period_choices(year: int) -> list[tuple[int, str]]:
    """The four quarters of a plan of ``year`` as form choices: (1, "2021年第一季度"), …"""
    return [(quarter, period_label(year, quarter)) for quarter in QUARTER_NAMES]


def is_late(year: int, quarter: int, submitted_at: datetime.datetime) -> bool:
    """补报: whether a report for ``quarter`` of ``year``, submitted at the aware ``submitted_at``, came after the
    quarter ended (its last day in Asia/Shanghai). A report filed early or on time is not late."""
    return submitted_at >= late_from(year, quarter)


def late_from(year: int, quarter: int) -> datetime.datetime:
    """The first instant (aware) at which a report for ``quarter`` of ``year`` is late (补报, is_late): the start of
    the day after the quarter's last day in the current time zone (Asia/Shanghai). Readers that check many
    reports of one plan compare with it instead of converting each submission time to a local date."""
    day_after = quarter_end(year, quarter) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min), timezone.get_current_timezone())


def quarter_of(day: datetime.date) -> int:
    """The quarter (1–4) a calendar date falls in."""
    return (day.month - 1) // 3 + 1


def reporting_quarter(year: int, day: datetime.date) -> int | None:
    """The quarter of a plan of ``year`` that reports are collected for on ``day``: None before the year, 4 after."""
    if day.year < year:
        return None
    return quarter_of(day) if day.year == year else 4


def quarter_end(year: int, quarter: int) -> datetime.date:
    """The last day of a quarter. Raises ValueError for a quarter outside 1–4."""
    if quarter not in QUARTER_NAMES:
        raise ValueError(f"quarter must be 1–4, not {quarter!r}")
    month = quarter * 3
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def quarter_cutoff(year: int, quarter: int) -> datetime.date:
    """The day a quarter's reports are due: settings.WORKPLAN_REPORT_CUTOFF_DAY (default 25) of its last month."""
    end = quarter_end(year, quarter)
    return end.replace(day=min(settings.WORKPLAN_REPORT_CUTOFF_DAY, end.day))


def quarter_as_of(year: int, quarter: int, today: datetime.date) -> datetime.date:
    """The date a quarter's figures are read as of: its last day, or today while it is still running."""
    return min(quarter_end(year, quarter), today)
