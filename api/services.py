"""Writes: creating and revoking personal API tokens; what an Idempotency-Key stands for."""

import logging
import secrets
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

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


# Namespace of the submission tokens made from Idempotency-Key headers (uuid5): fixed, so a retry maps to the same one.
IDEMPOTENCY_NAMESPACE = uuid.UUID("0b6f3f8e-8c1d-4d8e-9a53-6f0e2f1c7a44")


def submission_token_for(*, key: str | None, user, target: str) -> uuid.UUID | None:
    """The one-time submission token (departments.editing) an API client's Idempotency-Key stands for.

    ``target`` names what is written ("assignment:12", "report:7"), so one key
    means one token per user and target; None without a key. The services keep
    the token on the row they write (a unique column), so a retry finds that row
    under the same lock as the form's double click does, and writes nothing.
    """
    if not key:
        return None
    return uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"{user.pk}:{target}:{key}")
