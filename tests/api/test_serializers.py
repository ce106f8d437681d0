"""The list shapes write their dicts directly for speed; each must equal DRF's generic walk over its declared fields,
so the schema (built from the declared fields) describes exactly what is sent."""

import pytest
from django.utils import timezone
from rest_framework import serializers

from api import serializers as s
from api.selectors import AssignmentPart
from progress.selectors import task_rows
from tests.factories import ReportFactory


def generic(serializer_class, instance):
    return serializers.Serializer.to_representation(serializer_class(), instance)


@pytest.fixture
def row(actors):
    ReportFactory(assignment=actors.assignment, percent_complete=45, submitted_by=actors.staff)
    (row,) = task_rows([actors.task], as_of=timezone.localdate())
    return row


def _staffs(row, actors):
    return next(part for part in row.assignments if part[0] == actors.assignment)


def test_the_direct_dicts_equal_drfs_walk(row, actors):
    assignment, progress = _staffs(row, actors)

    assert s.DepartmentBriefSerializer().to_representation(assignment.department) == generic(
        s.DepartmentBriefSerializer, assignment.department
    )
    assert s.SectionSerializer().to_representation(row.task.section) == generic(s.SectionSerializer, row.task.section)
    assert s.ProgressSerializer().to_representation(progress) == generic(s.ProgressSerializer, progress)
    assert s.AssignmentSerializer().to_representation((assignment, progress)) == generic(
        s.AssignmentSerializer, AssignmentPart(assignment, progress)
    )
    assert s.TaskRowSerializer().to_representation(row) == generic(s.TaskRowSerializer, row)


def test_the_figures_are_the_selectors(row, actors):
    data = s.TaskRowSerializer().to_representation(row)

    (staffs,) = [a for a in data["assignments"] if a["id"] == actors.assignment.pk]
    assert staffs["progress"] == {
        "percent": 45.0,
        "status": "in_progress",
        "status_label": "推进中",
        "light": "overdue",  # a 2021 deadline, read today
        "light_label": "逾期",
    }
    assert data["progress"]["percent"] == 22.5  # the mean of 45 and the lead's 0
