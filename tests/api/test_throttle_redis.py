"""With CACHE_URL on Redis, the per-token count is shared: another process sees the same budget."""

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from api.models import ApiToken
from api.throttling import PerTokenThrottle

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis"),
        reason="no Redis configured: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0 to run (CI does)",
    ),
]


def redis_cache():
    return RedisCache(settings.CELERY_BROKER_URL, {"KEY_PREFIX": "api-throttle-test"})


def test_two_processes_share_one_tokens_budget(actors, api, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"api": "2/minute"})
    first_worker = redis_cache()
    monkeypatch.setattr(PerTokenThrottle, "cache", first_worker)
    client = api(actors.staff)
    key = PerTokenThrottle.cache_format % {"scope": "api", "ident": f"token-{ApiToken.objects.get().pk}"}
    first_worker.delete(key)  # only this key: the database may be the broker's

    assert [client.get(reverse("api_departments")).status_code for _ in range(2)] == [200, 200]

    monkeypatch.setattr(PerTokenThrottle, "cache", redis_cache())  # a second gunicorn worker, its own connection
    assert client.get(reverse("api_departments")).status_code == 429
    first_worker.delete(key)
