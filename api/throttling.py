"""Throttling per token: each token has its own budget (settings API_THROTTLE_RATE, default 600/hour)."""

import logging

from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

logger = logging.getLogger(__name__)


class PerTokenThrottle(SimpleRateThrottle):
    """Counts requests per token; a signed-in session counts as its user, anything else by address.

    Counts live in the default cache (Redis when CACHE_URL is set, so gunicorn's
    workers share them). Over the rate, DRF answers 429 with Retry-After. A
    cache that does not answer (Redis down) lets the request through, logged:
    the API keeps working uncounted rather than answering 500.
    """

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - the counts are lost, the request is not
            logger.warning("api.throttle.cache_unavailable", exc_info=True)
            return True
