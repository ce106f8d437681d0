"""The Celery app. Configured from Django settings (CELERY_* names); task modules are listed in
CELERY_IMPORTS (reminders.jobs), named so that nobody confuses them with the ``tasks`` app."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplan.settings")

app = Celery("workplan")
app.config_from_object("django.conf:settings", namespace="CELERY")


@worker_process_init.connect
def _settle(**kwargs):
    """Each worker process, once started, as each web worker (workplan.startup.settle)."""
    import django
    from django.apps import apps

    if not apps.ready:  # a child started afresh (spawn) may get here before Celery's own Django set-up
        django.setup()
    from workplan.startup import settle

    settle()
