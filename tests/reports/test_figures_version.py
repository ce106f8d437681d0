"""The figures' version (reports.versioning) moves with every committed write a figure could read, and only then.

Written by PostgreSQL triggers: these tests commit (transaction=True) and read
the version as a request would, on their own connection.
"""

import threading

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, connections, transaction
from django.utils import timezone

from progress.services import report_review
from reminders.models import Notification
from reports.versioning import figures_version, install_version_triggers, is_quiet
from tasks.models import Task
from tests.reports.test_figures_cache import claim_completion

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the version is kept by PostgreSQL triggers")


def total(version: str | None) -> int:
    return int(version.split(":")[2]) if version else 0


def test_reports_reviews_and_plan_edits_move_it(actors):
    seen = [figures_version()]
    report = claim_completion(actors)
    seen.append(figures_version())
    report_review(report=report, user=actors.office, decision="accepted")
    seen.append(figures_version())
    Task.objects.filter(pk=actors.task.pk).update(deadline=actors.task.deadline.replace(day=1))
    seen.append(figures_version())
    with connection.cursor() as cursor:  # by hand, as a DBA would
        cursor.execute("UPDATE departments_department SET ordering = ordering + 1")
    seen.append(figures_version())

    assert [total(v) for v in seen] == sorted({total(v) for v in seen})  # a new, larger version each time


def test_signing_in_the_bell_and_sessions_leave_it_alone(actors):
    before = figures_version()
    actors.leader.last_login = timezone.now()
    actors.leader.save(update_fields=["last_login"])
    session = SessionStore()
    session["seen"] = 1
    session.create()
    Notification.objects.create(recipient=actors.staff, title="提醒", body="请填报")

    assert figures_version() == before


def test_an_uncommitted_write_is_not_seen_until_it_commits(actors):
    before = figures_version()
    with transaction.atomic():
        Task.objects.filter(pk=actors.task.pk).update(title="改过的标题")
        elsewhere = _read_in_thread(figures_version)
        assert elsewhere == before  # another connection still reads the old rows, and the old version
    assert total(figures_version()) > total(before)


def test_two_writers_do_not_wait_for_each_other(actors):
    """A transaction that wrote and stays open (an import, say) does not hold up a report filed meanwhile."""
    with transaction.atomic():
        Task.objects.filter(pk=actors.task.pk).update(title="导入中")

        def other_writer():
            with connections["default"].cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
            Task.objects.exclude(pk=actors.task.pk).update(title="另一项")
            return figures_version()

        version_after_other = _read_in_thread(other_writer)
    assert version_after_other is not None
    assert total(figures_version()) > total(version_after_other)  # both commits counted


def test_every_table_a_figure_could_read_has_the_trigger():
    covered = set(install_version_triggers())
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'figures_version_bump'")
        triggered = {name.strip('"') for (name,) in cursor.fetchall()}

    assert {"tasks_task", "tasks_assignment", "progress_standinginterval", "reports_progressreport"} <= covered
    assert triggered == covered == {t for t in tables if not is_quiet(t)}
    assert {"django_session", "axes_accesslog", "tasks_historicaltask"}.isdisjoint(covered)


def _read_in_thread(function):
    """``function()`` run on another thread, so on its own database connection (committed rows only)."""
    result = {}

    def run():
        try:
            result["value"] = function()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if "error" in result:
        raise result["error"]
    return result["value"]


def _raw_connection():
    """A second psycopg connection to the test database (autocommit off: it holds its own transaction)."""
    import psycopg

    return psycopg.connect(**connection.get_connection_params())


def test_a_repeatable_read_writer_is_not_refused_for_a_slot_another_wrote(actors):
    other = _raw_connection()
    try:
        other.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        other.execute("SELECT count(*) FROM tasks_task")  # its snapshot is taken here
        Task.objects.filter(pk=actors.task.pk).update(title="先写的")  # commits: writes a slot after that snapshot
        other.execute("UPDATE tasks_task SET number = number WHERE id = %s", [actors.task.pk + 1000])
        other.commit()
    finally:
        other.close()

    assert figures_version() is not None


def test_a_database_restored_from_a_dump_does_not_reuse_the_old_versions(actors):
    """pg_restore creates the sequence afresh from the dump's value: the numbers after it were handed out
    before, by the database the dump came from. The version must still be new."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM figures_version_seq")
        (dumped_sequence,) = cursor.fetchone()
        cursor.execute("SELECT id, version FROM reports_figuresversion")
        dumped_slots = cursor.fetchall()
    Task.objects.filter(pk=actors.task.pk).update(title="转储后改的")
    before_restore = figures_version()

    with connection.cursor() as cursor:  # what pg_restore does to these two objects
        cursor.execute("DROP SEQUENCE figures_version_seq")
        cursor.execute("CREATE SEQUENCE figures_version_seq")
        cursor.execute("SELECT setval('figures_version_seq', %s)", [dumped_sequence])
        cursor.execute("DELETE FROM reports_figuresversion")
        for slot, version in dumped_slots:
            cursor.execute("INSERT INTO reports_figuresversion (id, version) VALUES (%s, %s)", [slot, version])
    Task.objects.filter(pk=actors.task.pk).update(title="恢复后改的")
    after_restore = figures_version()

    assert after_restore.split(":")[1:] == before_restore.split(":")[1:]  # the same slots and sum again
    assert after_restore != before_restore
