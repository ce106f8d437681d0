"""WSGI entry point: `gunicorn workplan.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplan.settings")

application = get_wsgi_application()

from workplan.startup import settle  # noqa: E402 (needs Django set up)

settle()
