"""The layout move (progress/ and reminders/ out of reports/) keeps every table and row.

A database is put back on the old layout (reports 0003: reports, reviews, evidence,
chases, reminder logs and notifications all in the reports app), filled there by
generate_demo_data and a chase, then migrated forward: the same rows, the same
quarterly table, and the role groups' permissions still attached.
"""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from departments.roles import Role
from reports.exports import quarterly_table
from reports.versioning import install_version_triggers
from tasks.models import Workplan
from tests.factories import UserFactory

OLD_LAYOUT = [("reports", "0003_notification_without_log")]
TABLES = [
    "reports_progressreport",
    "reports_review",
    "reports_evidence",
    "reports_chase",
    "reports_reminderlog",
    "reports_notification",
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _table_cells(plan: Workplan) -> list[tuple]:
    table = quarterly_table(workplan=plan, quarter=2, department=None)
    return [
        (line.number, line.title, line.percent, line.light, line.progress)
        for _, lines in table.sections()
        for line in lines
    ]


@pytest.mark.django_db(transaction=True)
def test_rows_and_the_quarterly_table_survive_the_move():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(OLD_LAYOUT)
    old_apps = old.loader.project_state(OLD_LAYOUT).apps

    call_command("generate_demo_data", "--tasks", "12", "--departments", "3", "--year", "2024", stdout=io.StringIO())
    plan = Workplan.objects.get()
    assignment = plan.sections.first().tasks.first().assignments.first()
    author = old_apps.get_model("departments", "User").objects.first()
    OldChase = old_apps.get_model("reports", "Chase")
    OldChase.objects.create(assignment_id=assignment.pk, message="请加快进度", created_by_id=author.pk)
    before = _row_counts()
    assert before["reports_progressreport"] == old_apps.get_model("reports", "ProgressReport").objects.count() > 0
    assert before["reports_chase"] == 1
    cells_before = _table_cells(plan)
    assert any(percent > 0 for _, _, percent, _, _ in cells_before)

    _migrate(latest)
    install_version_triggers()  # as manage.py migrate does after migrating (post_migrate), for the tests after this

    assert _row_counts() == before
    assert _table_cells(plan) == cells_before
    staff = UserFactory(department=assignment.department, role=Role.STAFF)
    assert staff.has_perm("progress.add_progressreport")
    assert (
        Group.objects.get(name=str(Role.OFFICE.label))
        .permissions.filter(content_type__app_label="reminders", codename="view_chase")
        .exists()
    )
