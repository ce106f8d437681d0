"""The status light (红黄绿灯): one rule, used by every screen, export and reminder.

Rule source: DESIGN.md, "Status and light". Nothing else in the code decides a
light; callers gather the facts (deadline, percent, closed) and call
:func:`light_for`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Light(models.TextChoices):
    """A task's or assignment's light; the label is the word shown beside the colour."""

    DONE = "done", _("已办结")
    OVERDUE = "overdue", _("逾期")
    BEHIND = "behind", _("滞后")
    DUE_SOON = "due_soon", _("临期")
    ON_TRACK = "on_track", _("序时推进")

    @property
    def colour(self) -> str:
        """grey, red, yellow, blue or green: the fill in lists and exports (临期 blue, never like 滞后)."""
        return _COLOURS[self]


# The order lights are listed in tables and charts: done first, overdue last.
LIGHTS_IN_ORDER = [Light.DONE, Light.ON_TRACK, Light.DUE_SOON, Light.BEHIND, Light.OVERDUE]

_COLOURS = {
    Light.DONE: "grey",
    Light.OVERDUE: "red",
    Light.BEHIND: "yellow",
    Light.DUE_SOON: "blue",
    Light.ON_TRACK: "green",
}


def expected_progress(*, start: datetime.date, deadline: datetime.date, on: datetime.date) -> float:
    """序时进度: the share of the time from ``start`` to ``deadline`` that has passed on ``on``, in percent 0–100.

    Dates are calendar dates in Asia/Shanghai. A deadline on or before the start
    counts as all time passed once ``on`` reaches it.
    """
    total = (deadline - start).days
    if total <= 0:
        return 100.0 if on >= deadline else 0.0
    return min(max((on - start).days / total, 0.0), 1.0) * 100


def days_overdue(deadline: datetime.date, on: datetime.date) -> int | None:
    """Days past ``deadline`` on ``on`` (1 on the day after), or None when not past it."""
    days = (on - deadline).days
    return days if days > 0 else None


def default_tolerance() -> int:
    """A new plan's tolerance in percentage points: settings.WORKPLAN_LIGHT_TOLERANCE (default 10)."""
    return settings.WORKPLAN_LIGHT_TOLERANCE


def default_due_soon_days() -> int:
    """A new plan's due-soon window in days: settings.WORKPLAN_DUE_SOON_DAYS (default 7)."""
    return settings.WORKPLAN_DUE_SOON_DAYS


def light_for(
    *,
    deadline: datetime.date,
    percent: float,
    closed: bool,
    start: datetime.date,
    on: datetime.date,
    tolerance: int,
    due_soon_days: int,
) -> Light:
    """The light of a task or assignment on the calendar date ``on`` (Asia/Shanghai).

    closed → done; past ``deadline`` and not closed → overdue; ``percent`` (0–100)
    below expected progress minus ``tolerance`` (percentage points) → behind;
    deadline within ``due_soon_days`` days → due soon; otherwise on track.
    ``start``, ``tolerance`` and ``due_soon_days`` are the plan's
    (Workplan.start_date, .light_tolerance, .due_soon_days: the office sets them
    per plan). Screens that light many rows call this on plain tuples
    (progress.selectors), so the rule has no second copy in SQL.
    """
    if closed:
        return Light.DONE
    if days_overdue(deadline, on):
        return Light.OVERDUE
    if percent < expected_progress(start=start, deadline=deadline, on=on) - tolerance:
        return Light.BEHIND
    if (deadline - on).days <= due_soon_days:
        return Light.DUE_SOON
    return Light.ON_TRACK
