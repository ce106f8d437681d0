"""Writes: creating and revoking personal API tokens; filing a report once per Idempotency-Key."""

import hashlib
import logging
import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from progress.models import ProgressReport
from progress.services import Submission, report_submit

from .models import SHOWN_CHARACTERS, TOKEN_PREFIX, ApiToken, hash_key

logger = logging.getLogger(__name__)


@transaction.atomic
def token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``: the saved row and the key, which is shown once and never stored.

    The key is ``wpt_`` and 43 URL-safe characters (32 random bytes); only its
    SHA-256 and its first 12 characters are kept. Raises ValidationError for a
    blank or over-long name.
    """
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), prefix=key[:SHOWN_CHARACTERS], key_hash=hash_key(key))
    token.full_clean()
    token.save()
    logger.info("api_token.created token=%s user=%s", token.pk, user.username)
    return token, key


def token_revoke(*, token: ApiToken, by) -> bool:
    """Revoke ``token`` from now on; True if this call revoked it (False: it already was).

    ``by`` is the token's own user or a superuser (the admin); anyone else gets
    PermissionDenied. The row is kept (who had which token, when) with ``revoked_at`` set.
    """
    if by.pk != token.user_id and not by.is_superuser:
        raise PermissionDenied
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        logger.info("api_token.revoked token=%s user=%s by=%s", token.pk, token.user_id, by.username)
    return bool(revoked)


# A retried POST (a phone losing its connection after sending) must not file the report twice.
IDEMPOTENCY_SECONDS = 24 * 3600
_IN_FLIGHT = "in-flight"


class RequestInFlight(Exception):
    """The same Idempotency-Key is being processed right now."""


def idempotency_slot(*, user, assignment, key: str) -> str:
    """The cache key remembering ``key``: one user's, on one assignment."""
    return f"api-idempotency:{user.pk}:{assignment.pk}:{hashlib.sha256(key.encode()).hexdigest()}"


def report_submit_once(*, key: str | None, assignment, user, **fields) -> tuple[Submission, bool]:
    """progress.services.report_submit, at most once per ``key`` (the client's Idempotency-Key header).

    Returns (submission, replayed): with a key already used by this user on this
    assignment in the last 24 hours, the report filed then, replayed=True, and
    nothing written. Without a key, every call files a report. The keys live in
    the cache (Redis with CACHE_URL). Raises RequestInFlight while the first
    request with the key is still running, and whatever report_submit raises
    (the key is then free to retry).
    """
    if not key:
        return report_submit(assignment=assignment, user=user, **fields), False
    slot = idempotency_slot(user=user, assignment=assignment, key=key)
    if not cache.add(slot, _IN_FLIGHT, timeout=IDEMPOTENCY_SECONDS):
        done = cache.get(slot)
        if done == _IN_FLIGHT:
            raise RequestInFlight
        report = ProgressReport.objects.filter(pk=done, assignment=assignment).first()
        if report is not None:
            return Submission(report=report, conflict=None), True
    try:
        submission = report_submit(assignment=assignment, user=user, **fields)
    except BaseException:
        cache.delete(slot)
        raise
    cache.set(slot, submission.report.pk, timeout=IDEMPOTENCY_SECONDS)
    return submission, False
