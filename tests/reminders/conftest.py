import pytest

from reminders.models import Channel

from . import fake_robots


@pytest.fixture
def robots():
    """A fake DingTalk / WeCom / Feishu server on 127.0.0.1 (tests/reminders/fake_robots.py)."""
    fake = fake_robots.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture
def department_robots(actors, robots):
    """District A's three group robots (signed DingTalk, WeCom, signed Feishu) on the fake server."""
    department = actors.assignment.department
    return {
        kind: Channel.objects.create(
            kind=kind,
            name=f"甲区{kind}群",
            department=department,
            webhook=robots.webhook(kind, token=f"{kind}tok9"),
            secret=fake_robots.SECRETS.get(kind, ""),
        )
        for kind in ("dingtalk", "wecom", "feishu")
    }


@pytest.fixture
def retries_as_on_a_worker():
    """A failed send's retry is rescheduled (run at once in eager mode), not raised to the caller."""
    from workplan.celery import app

    app.conf.task_eager_propagates = False
