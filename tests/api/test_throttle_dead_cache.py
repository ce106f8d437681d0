"""A cache that does not answer leaves the API working, uncounted: never a 500."""

from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from api.throttling import PerTokenThrottle


def test_with_redis_down_the_api_answers_and_logs_it(actors, api, monkeypatch, caplog):
    monkeypatch.setattr(PerTokenThrottle, "cache", RedisCache("redis://127.0.0.1:1/0", {}))  # nothing listens there
    client = api(actors.staff)

    answers = [client.get(reverse("api_tasks")).status_code for _ in range(2)]

    assert answers == [200, 200]
    assert "api.throttle.cache_unavailable" in caplog.text
