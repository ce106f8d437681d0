"""Periods always read with their year (DESIGN.md, "Reporting periods"): forms, task page, review queue, defaults."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from progress.periods import is_late, period_label
from tests.factories import ReportFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_a_period_label_carries_its_year():
    assert period_label(2021, 2) == "2021年第二季度"


def test_late_means_filed_after_the_quarters_last_day_in_shanghai():
    assert not is_late(2021, 2, at(2021, 6, 30, 23, 59))
    assert is_late(2021, 2, at(2021, 7, 1, 0, 0))


def test_the_report_form_offers_periods_with_the_year(actors, login):
    with time_machine.travel(at(2021, 5, 10, 9), tick=False):
        form = login(actors.staff).get(reverse("report_create", args=[actors.assignment.pk])).context["form"]

    assert [label for _, label in form.fields["quarter"].choices][-4:] == [
        "2021年第一季度",
        "2021年第二季度",
        "2021年第三季度",
        "2021年第四季度",
    ]
    assert form.initial["quarter"] == 2


def test_after_the_plans_year_the_form_starts_on_its_last_quarter(actors, login):
    with time_machine.travel(at(2022, 2, 10, 9), tick=False):
        form = login(actors.staff).get(reverse("report_create", args=[actors.assignment.pk])).context["form"]

    assert form.initial["quarter"] == 4


def test_the_task_page_and_review_queue_show_the_year_and_mark_late_reports(actors, login):
    ReportFactory(assignment=actors.assignment, quarter=1, submitted_at=at(2021, 4, 3), progress_summary="一季度补报")

    page = login(actors.leader).get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    queue = login(actors.office).get(reverse("review_queue")).content.decode()

    for html in (page, queue):
        assert "2021年第一季度" in html
        assert "补报" in html
    assert "· 第一季度" not in page


def test_the_export_form_labels_quarters_with_the_plans_year(actors, login):
    form = login(actors.leader).get(reverse("report_export")).context["form"]

    assert [label for _, label in form.fields["quarter"].choices] == [
        "2021年第一季度",
        "2021年第二季度",
        "2021年第三季度",
        "2021年第四季度",
    ]
