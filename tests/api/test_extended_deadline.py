"""An approved 延期申请 shows in the API as the page shows it: the deadline in force, the original kept."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from progress.services import extension_decide, extension_request
from tasks.models import Task

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_task_list_and_the_table_give_the_extended_deadline(actors, api):
    Task.objects.filter(pk=actors.task.pk).update(deadline=datetime.date(2021, 3, 31))
    actors.assignment.refresh_from_db()
    with time_machine.travel(datetime.datetime(2021, 4, 6, 9, tzinfo=SHANGHAI), tick=False):
        extension = extension_request(
            assignment=actors.assignment,
            user=actors.staff,
            requested_deadline=datetime.date(2021, 6, 30),
            reason="资金未到位",
        )
        extension_decide(extension=extension, user=actors.office, approve=True)
    client = api(actors.office)

    rows = client.get(reverse("api_tasks"), {"as_of": "2021-04-10"}).json()["results"]
    row = next(r for r in rows if r["id"] == actors.task.pk)
    assert (row["deadline"], row["deadline_in_force"]) == ("2021-03-31", "2021-06-30")

    url = reverse("api_quarterly_table", args=[2021, 2])
    query = {"workplan": actors.task.section.workplan_id, "department": actors.assignment.department_id}
    table = client.get(url, query).json()
    (line,) = [line for section in table["sections"] for line in section["rows"]]
    assert line["deadline_label"] == "原定2021年3月31日，已延期至2021年6月30日"
