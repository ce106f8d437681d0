"""The task page as each role reads it."""

import re

from django.urls import reverse

from tests.factories import ReportFactory


def unit_rows(html: str) -> list[str]:
    """The 责任分解 table's unit cells, in page order, as text."""
    table = html.split("<h2>责任分解</h2>", 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r'<td class="title unit">(.*?)</td>', table)]


def test_staff_find_their_own_unit_first_and_marked(actors, login):
    page = login(actors.staff).get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    assert unit_rows(page) == ["甲区 本单位", "市办"]  # the lead (市办) comes first for everyone else


def test_the_office_reads_the_units_in_their_order_with_none_marked(actors, login):
    page = login(actors.office).get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    assert unit_rows(page) == ["市办", "甲区"]


def test_a_late_report_is_marked_补报_once_in_the_report_history(actors, login):
    ReportFactory(assignment=actors.assignment, quarter=1, submitted_by=actors.staff)  # filed years after 2021 Q1
    page = login(actors.office).get(reverse("task_detail", args=[actors.task.pk])).content.decode()
    entry = page.split('<ol class="timeline">', 1)[1].split("</li>", 1)[0]
    assert re.sub(r"<[^>]+>", "", entry).count("补报") == 1
