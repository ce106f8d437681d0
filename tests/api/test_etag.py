"""Reads carry an ETag; asking again with If-None-Match gets 304 until something changes."""

import pytest
from django.urls import reverse

from tests.factories import ReportFactory


@pytest.mark.parametrize("name", ["api_tasks", "api_task", "api_workplans", "api_departments"])
def test_an_unchanged_read_is_a_304(actors, api, name):
    client = api(actors.leader)
    address = reverse(name, args=[actors.task.pk]) if name == "api_task" else reverse(name)

    first = client.get(address)
    again = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304
    assert again.content == b""
    assert "Authorization" in first["Vary"]


def test_a_new_report_changes_the_etag(actors, api):
    client = api(actors.leader)
    address = reverse("api_task", args=[actors.task.pk])
    before = client.get(address)["ETag"]

    ReportFactory(assignment=actors.assignment, submitted_by=actors.staff, progress_summary="新进展")

    after = client.get(address, HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before
    assert "新进展" in after.content.decode()
