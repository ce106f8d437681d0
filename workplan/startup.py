"""What a long-running process (a gunicorn worker, a Celery worker) does once it has started."""

import gc

from django.urls import get_resolver


def settle() -> None:
    """Import every view, then move every object the process holds so far out of the garbage collector's way.

    Call it once, after Django is set up and before the first request or job. ``gc.freeze`` puts what is tracked
    now (Django's and the apps' modules, classes, templates loaded, settings) in a permanent generation that
    collections skip. Without it, a page that holds tens of thousands of rows until it answers (the dashboard
    and the light-filtered lists at 10,000 tasks, the quarterly table) triggers full collections that walk all
    of those objects again and again: a third of the dashboard's time in docs/performance.md. Objects made
    later are collected as before; nothing frozen is ever freed (start-up objects live as long as the process).
    The URLconf is read first so that the views and what they import are loaded, and frozen, now rather than
    by the first request. Python's documentation describes gc.freeze for this use (the "gc" module).
    """
    get_resolver().url_patterns  # noqa: B018 (reading it imports every view module)
    gc.collect()  # what is already garbage is freed, not frozen for good
    gc.freeze()
