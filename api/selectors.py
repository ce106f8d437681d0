"""Reads the API needs on top of the reading side's: a task page's content, the quarterly table's rows.

Figures come from progress.selectors (the as-of rule, the light rule) and
reports.exports (the quarterly table), so the API shows what the pages show.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from progress.models import ProgressReport, end_of_day
from progress.selectors import Progress, reports_of_task, task_rows
from reports.exports import QuarterlyTable, TaskLine
from tasks.access import can_report_on
from tasks.models import Assignment, Milestone, Section, Task


@dataclass
class AssignmentPart:
    assignment: Assignment
    progress: Progress
    can_report: bool = False


@dataclass
class TaskPage:
    """What the task page shows, as of ``as_of`` (a date in Asia/Shanghai)."""

    task: Task
    as_of: datetime.date
    progress: Progress
    assignments: list[AssignmentPart]
    milestones: Sequence[Milestone]
    reports: QuerySet[ProgressReport]


def task_page(*, task: Task, user, as_of: datetime.date) -> TaskPage:
    """The task (``section__workplan`` selected) with its standing, assignments, milestones and reports.

    Standing and reports are as of ``as_of``: the reports submitted by the end of
    that day (Asia/Shanghai), returned ones included, newest first. ``returned``
    and ``can_report`` on an assignment say what holds now. A handful of queries
    whatever the number of reports.
    """
    (row,) = task_rows([task], as_of=as_of, with_last_submitted=True)
    return TaskPage(
        task=task,
        as_of=as_of,
        progress=row.progress,
        assignments=[AssignmentPart(a, p, can_report_on(user, a)) for a, p in row.assignments],
        milestones=list(task.milestones.all()),
        reports=reports_of_task(task).filter(submitted_at__lt=end_of_day(as_of)),
    )


@dataclass
class TableSection:
    numeral: str
    title: str
    rows: list[TaskLine]


@dataclass
class TableDocument:
    table: QuarterlyTable
    sections: list[TableSection]


def table_document(table: QuarterlyTable) -> TableDocument:
    """The table with its rows read, by section in document order; a section without rows is left out (as in Excel)."""
    sections = []
    section: Section
    for section, lines in table.sections():
        rows = list(lines)
        if rows:
            sections.append(TableSection(section.numeral, section.title, rows))
    return TableDocument(table, sections)
