"""The calendar feed (日历订阅, iCalendar / RFC 5545): a person's deadlines and milestones for their calendar app.

Built with the icalendar library. Each task's deadline (完成时限) and each
milestone (时间节点) is an all-day event on its date in Asia/Shanghai, linking to
the task page. Who sees which tasks is tasks.access.visible_tasks: staff their
department's, leaders and the office the whole plan.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from departments.roles import Role, role_of
from progress.extensions import deadline_label, extended_task_deadlines
from tasks.access import visible_tasks
from tasks.models import Milestone

from .models import CalendarToken

ONE_DAY = datetime.timedelta(days=1)


def calendar_token_reset(*, user) -> CalendarToken:
    """Give ``user`` a new feed address; the old one (if any) stops working at once."""
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user)


def calendar_token_revoke(*, user) -> None:
    """Stop ``user``'s feed address; feeds then answer 404 until a new address is made."""
    CalendarToken.objects.filter(user=user).delete()


def _event(uid: str, day: datetime.date, summary: str, description: str, url: str, stamp) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{settings.SITE_URL.split('://')[-1]}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date: an all-day event, whatever the reader's zone
    event.add("dtend", day + ONE_DAY)
    event.add("summary", summary)
    event.add("description", f"{description}\n{url}")
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def feed_for(user, *, since_year: int | None = None) -> bytes:
    """The iCalendar text (UTF-8 bytes) of the deadlines and milestones ``user`` may see.

    Plans from ``since_year`` (default last year, Asia/Shanghai) on; a deadline
    moved by an approved extension is on its new date. Three queries whatever
    the number of tasks.
    """
    since_year = since_year or timezone.localdate().year - 1
    calendar = Calendar()
    calendar.add("prodid", "-//workplan tracker//工作要点推进管理//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "工作要点：时限与节点")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now()
    tasks = visible_tasks(user).filter(section__workplan__year__gte=since_year)
    # An approved 延期申请 moves the event (staff: their own department's extension).
    department_id = user.department_id if role_of(user) == Role.STAFF else None
    extended = extended_task_deadlines(tasks, as_of=timezone.localdate(), department_id=department_id)
    link = {}
    for task in tasks.order_by("deadline", "number").only("pk", "number", "title", "deadline"):
        link[task.pk] = settings.SITE_URL + reverse("task_detail", args=[task.pk])
        summary = f"【完成时限】{task.number}. {task.title}"
        deadline = extended.get(task.pk, task.deadline)
        description = task.title + (f"\n{deadline_label(task.deadline, deadline)}" if deadline != task.deadline else "")
        calendar.add_component(_event(f"deadline-{task.pk}", deadline, summary, description, link[task.pk], stamp))
    for milestone in Milestone.objects.filter(task__in=tasks).select_related("task").order_by("due_on", "pk"):
        task = milestone.task
        summary = f"【时间节点】{task.number}. {milestone.description}"
        calendar.add_component(
            _event(f"milestone-{milestone.pk}", milestone.due_on, summary, task.title, link[task.pk], stamp)
        )
    return calendar.to_ical()
