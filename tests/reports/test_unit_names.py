"""One form of each unit's name per page: full names on the task page, short names in tables, charts and filters."""

import datetime
import re

from django.urls import reverse

from progress.services import extension_request
from tasks.models import Task
from tests.factories import ReportFactory


def main(html: str) -> str:
    return html[html.index("<main>") : html.index("</main>")]


def test_the_task_page_names_every_unit_in_full(actors, login):
    """It used to say 甲区 in the 责任分解 table but 甲 in its reports, extension requests and chases."""
    Task.objects.filter(pk=actors.task.pk).update(deadline=datetime.date(2026, 3, 31))
    actors.assignment.task.refresh_from_db()  # the extension starts from the deadline in force
    ReportFactory(assignment=actors.assignment, submitted_by=actors.staff, progress_summary="选址完成")
    extension_request(
        assignment=actors.assignment, user=actors.staff, requested_deadline=datetime.date(2026, 6, 30), reason="顺延"
    )
    office = login(actors.office)
    office.post(reverse("chase_create", args=[actors.assignment.pk]), {"message": "请加快"})

    page = main(office.get(reverse("task_detail", args=[actors.task.pk]), follow=True).content.decode())

    assert page.count("甲区") >= 5  # table, report, extension, chase log, the chase's message
    assert re.findall(r"甲(?!区)", page) == []
    assert "已催办甲区" in page


def test_the_lists_and_their_filters_name_units_short(actors, login):
    office = login(actors.office)

    for url in (reverse("task_list"), reverse("dashboard"), reverse("report_export")):
        page = main(office.get(url).content.decode())
        options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page)
        assert "甲" in options and "乙" in options, url
        assert "甲区" not in options and "乙区" not in options, url
