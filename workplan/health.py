"""GET /healthz: whether this web process reaches the database and the Celery broker, for a load balancer."""

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app

logger = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _broker() -> str:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


@never_cache
def healthz(request):
    """200 {"database": "ok", "broker": "ok"} when both answer; 503 naming what failed otherwise. No login."""
    status, body = 200, {}
    for name, check in (("database", _database), ("broker", _broker)):
        try:
            body[name] = check()
        except Exception as exc:  # noqa: BLE001 - any failure to answer is "down"
            logger.warning("healthz.down part=%s error=%s", name, exc)
            body[name] = f"down: {type(exc).__name__}"
            status = 503
    return JsonResponse(body, status=status)
