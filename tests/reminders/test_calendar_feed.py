"""日历订阅: each person's private iCalendar address with the deadlines and milestones they may see."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from reminders.models import CalendarToken
from tasks.models import Milestone


@pytest.fixture
def plan(actors):
    """The 2021 plan, read in 2021 (the feed lists last year's plans and later)."""
    Milestone.objects.create(task=actors.task, description="上半年完成选址", due_on=datetime.date(2021, 6, 30))
    with time_machine.travel(datetime.datetime(2021, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        yield actors


def feed(client, user):
    token = CalendarToken.objects.create(user=user).token
    return client.get(reverse("calendar_feed", args=[token]))


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_staff_see_their_departments_deadlines_and_milestones_linking_to_the_item(plan, client):
    response = feed(client, plan.staff)

    assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-timezone"]) == "Asia/Shanghai"
    found = events(response)
    number = plan.task.number
    assert set(found) == {f"【完成时限】{number}. 推进指挥所建设", f"【时间节点】{number}. 上半年完成选址"}
    milestone = found[f"【时间节点】{number}. 上半年完成选址"]
    assert milestone.decoded("dtstart") == datetime.date(2021, 6, 30)
    assert milestone.decoded("dtend") == datetime.date(2021, 7, 1)
    assert str(milestone["url"]) == f"http://127.0.0.1:8000/tasks/{plan.task.pk}/"
    assert "乙区的事" not in response.content.decode()  # another department's task


@pytest.mark.parametrize("role", ["leader", "office"])
def test_leaders_and_the_office_see_the_whole_plan(plan, client, role):
    found = events(feed(client, getattr(plan, role)))
    assert f"【完成时限】{plan.other_task.number}. 乙区的事" in found and len(found) == 3


def test_a_wrong_or_revoked_address_is_not_found(plan, client, login):
    assert client.get(reverse("calendar_feed", args=["not-a-token"])).status_code == 404
    page = login(plan.staff)
    page.post(reverse("calendar_token_change"))
    first = CalendarToken.objects.get(user=plan.staff).token
    assert client.get(reverse("calendar_feed", args=[first])).status_code == 200

    page.post(reverse("calendar_token_change"))  # a new address: the old one stops working
    second = CalendarToken.objects.get(user=plan.staff).token
    assert client.get(reverse("calendar_feed", args=[first])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[second])).status_code == 200
    assert second in page.get(reverse("own_channels")).content.decode()

    page.post(reverse("calendar_token_change"), {"revoke": "1"})
    assert client.get(reverse("calendar_feed", args=[second])).status_code == 404


def test_a_deactivated_users_address_is_not_found(plan, client):
    token = CalendarToken.objects.create(user=plan.staff).token
    plan.staff.is_active = False
    plan.staff.save()
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 404


def test_plans_two_years_gone_are_left_out(actors, client):
    with time_machine.travel(datetime.datetime(2023, 1, 2, 9, tzinfo=datetime.UTC), tick=False):
        assert events(feed(client, actors.leader)) == {}


def test_an_approved_extension_moves_the_deadline_event(plan, client):
    from progress.services import extension_decide, extension_request

    extension = extension_request(
        assignment=plan.assignment, user=plan.staff, requested_deadline=datetime.date(2022, 3, 31), reason="顺延"
    )
    token = CalendarToken.objects.create(user=plan.staff).token

    def staff_feed():
        return events(client.get(reverse("calendar_feed", args=[token])))

    summary = f"【完成时限】{plan.task.number}. 推进指挥所建设"
    assert staff_feed()[summary].decoded("dtstart") == datetime.date(2021, 12, 31)
    extension_decide(extension=extension, user=plan.office, approve=True)

    moved = staff_feed()[summary]
    assert moved.decoded("dtstart") == datetime.date(2022, 3, 31)
    assert "原定2021年12月31日，已延期至2022年3月31日" in str(moved["description"])
    outsider = events(feed(client, plan.outsider))
    assert summary not in outsider  # 乙区 does not see the item at all
