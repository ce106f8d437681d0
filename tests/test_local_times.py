"""Rows named with a time (admin messages, lists, logs) name it in Asia/Shanghai, never in UTC."""

import datetime

from reminders.models import Chase
from tasks.models import ImportDraft
from tests.factories import ReportFactory

LATE_EVENING_UTC = datetime.datetime(2021, 3, 16, 17, 30, tzinfo=datetime.UTC)  # 01:30 next day in Ningbo


def test_rows_named_with_a_time_show_it_in_shanghai(actors):
    report = ReportFactory(assignment=actors.assignment, submitted_at=LATE_EVENING_UTC)
    chase = Chase.objects.create(assignment=actors.assignment, created_by=actors.office, created_at=LATE_EVENING_UTC)
    draft = ImportDraft.objects.create(created_by=actors.office, filename="要点.docx", content={})
    ImportDraft.objects.filter(pk=draft.pk).update(created_at=LATE_EVENING_UTC)  # auto_now_add ignores a given value
    draft.refresh_from_db()

    for row in (report, chase, draft):
        assert "2021-03-17 01:30" in str(row), str(row)
