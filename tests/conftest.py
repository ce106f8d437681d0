import io
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
SEED_2021 = ROOT / "fixtures" / "2021-ningbo-civil-air-defence.txt"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def departments(db):
    """The reference departments: the municipal office, ten districts, three zones."""
    call_command("loaddata", "departments", verbosity=0)


@pytest.fixture
def plan_2021(departments):
    """The 2021 Ningbo plan, imported from the project's copy of the published text."""
    call_command("import_workplan", str(SEED_2021), stdout=io.StringIO())
    from tasks.models import Workplan

    return Workplan.objects.get(year=2021)


@pytest.fixture
def actors(db):
    """A small plan and the people around it.

    ``task`` has two assignments: the office leads, district A is responsible.
    ``staff`` reports for A; ``outsider`` is staff of district B, which has
    nothing on ``task``; ``leader`` and ``office`` see everything.
    """
    from types import SimpleNamespace

    from departments.roles import Role
    from tasks.models import Assignment
    from tests.factories import AssignmentFactory, DepartmentFactory, TaskFactory, UserFactory

    office_department = DepartmentFactory(code="office", name="市办", level="municipal", is_municipal_office=True)
    a = DepartmentFactory(code="a", name="甲区")
    b = DepartmentFactory(code="b", name="乙区")
    task = TaskFactory(title="推进指挥所建设", body="年内完成。")
    lead = AssignmentFactory(task=task, department=office_department, role=Assignment.Role.LEAD)
    assignment = AssignmentFactory(task=task, department=a)
    other_task = TaskFactory(section=task.section, title="乙区的事")
    other_assignment = AssignmentFactory(task=other_task, department=b)
    return SimpleNamespace(
        task=task,
        lead=lead,
        assignment=assignment,
        other_task=other_task,
        other_assignment=other_assignment,
        staff=UserFactory(username="staff-a", department=a, role=Role.STAFF),
        outsider=UserFactory(username="staff-b", department=b, role=Role.STAFF),
        leader=UserFactory(username="leader", role=Role.LEADER),
        office=UserFactory(username="office", role=Role.OFFICE),
    )


@pytest.fixture
def login(client):
    """Sign ``client`` in as an actor (None stays anonymous) and return it."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Unit tests run Celery jobs in-process; tests marked ``integration`` use a real worker instead."""
    from workplan.celery import app

    eager = "integration" not in request.keywords
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = eager
    yield
    app.conf.task_always_eager = False


def _chromium_missing() -> bool:
    from .browser.conftest import CHROMIUM

    return not Path(CHROMIUM).exists()


def pytest_collection_modifyitems(config, items):
    """Without Chromium (and outside CI) the browser tests are left out, said once at the end of the run."""
    import os

    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items and _chromium_missing() and os.environ.get("CI") != "true":
        items[:] = [item for item in items if not item.get_closest_marker("browser")]
        config.hook.pytest_deselected(items=browser_items)
        config._browser_tests_left_out = len(browser_items)


def pytest_terminal_summary(terminalreporter, config):
    left_out = getattr(config, "_browser_tests_left_out", 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} browser tests not run: apt-get install chromium fonts-noto-cjk "
            "(or set CHROMIUM=/path) to run them",
            yellow=True,
        )
