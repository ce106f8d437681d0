import pytest
from rest_framework.test import APIClient

from api.services import token_create


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Throttle counts live in the cache; each test starts with a full budget."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api():
    """An API client signed in with a fresh personal token of ``user`` (None: no credentials)."""

    def api(user):
        client = APIClient()
        if user is not None:
            _token, key = token_create(user=user, name="测试")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return api
