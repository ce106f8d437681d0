"""Dashboards kept in the shared cache for as long as the database would answer the same.

The key is the figures' version (reports.versioning: database triggers move it
at every commit that wrote a table the figures read). Figures computed between
two equal readings of it are exact for any later request that reads that
version again. Nothing has to remember to invalidate: a report, a review, an
extension, an import, an admin edit or a hand-written UPDATE each move it on
commit; a session renewed, a sign-in or a notification read do not, so users
looking around do not throw away each other's kept figures.

Used only with PostgreSQL and a shared cache (CACHE_URL: every worker sees
what another stored); otherwise each request computes its own figures.
DASHBOARD_CACHE_SECONDS (default 600; 0 turns it off) bounds how long an entry
is kept.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .versioning import figures_version

T = TypeVar("T")
logger = logging.getLogger(__name__)


def enabled() -> bool:
    """Whether figures are cached: PostgreSQL, a shared cache and DASHBOARD_CACHE_SECONDS above 0."""
    return connection.vendor == "postgresql" and bool(settings.CACHE_URL) and settings.DASHBOARD_CACHE_SECONDS > 0


def _version() -> str | None:
    return figures_version(connection.alias)


def filters_key(cleaned_data: dict) -> tuple:
    """A form's cleaned filters as plain values for a cache key: (name, value) pairs in name order, model
    instances by primary key."""
    return tuple(sorted((name, getattr(value, "pk", value)) for name, value in cleaned_data.items()))


def cached_figures(name: str, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s result for ``key`` (plain values: ids, dates, strings) as the database stands now.

    One query (the version) when the figures are cached; otherwise ``compute()``
    and one more reading of the version, and the result is kept only if no
    write became visible meanwhile. Requests that miss the same figures at the
    same moment compute them once: the others wait for that result (polling the
    cache, at most WAIT_SECONDS) rather than each computing it. The result must
    pickle. A cache that does not answer (Redis down) is logged and the figures
    computed.
    """
    if not enabled():
        return compute()
    # The database's address too: two installations may share one Redis database number.
    where = tuple(connection.settings_dict.get(part) for part in ("HOST", "PORT", "NAME"))
    digest = hashlib.sha256(repr((where, key)).encode()).hexdigest()[:32]
    before = _version()
    if before is None:  # nothing written yet since the tables were created or emptied
        return compute()
    entry = f"figures:{name}:{before}:{digest}"
    computing = f"{entry}:computing"  # set while one request computes these figures
    try:
        found = cache.get(entry)
        marked = found is None and cache.add(computing, 1, WAIT_SECONDS * 2)
        if found is None and not marked:
            found = _computed_elsewhere(entry, computing)
    except Exception:  # noqa: BLE001 - a cache that does not answer costs speed, never the page
        logger.warning("figures_cache.unavailable name=%s", name, exc_info=True)
        return compute()
    if found is not None:
        return found
    try:
        result = compute()
        if _version() == before:  # nothing committed meanwhile: exact for this version
            _cache_call(name, cache.set, entry, result, settings.DASHBOARD_CACHE_SECONDS)
    finally:
        if marked:  # after the figures are kept: a request waiting for them finds them, not a gap
            _cache_call(name, cache.delete, computing)
    return result


def _cache_call(name: str, method, *args) -> None:
    try:
        method(*args)
    except Exception:  # noqa: BLE001 - as in cached_figures
        logger.warning("figures_cache.unavailable name=%s", name, exc_info=True)


# How long a request waits for figures another request is computing (seconds); the marker lasts twice that.
WAIT_SECONDS = 20  # under gunicorn's 30 s worker timeout
POLL_SECONDS = 0.05


def _computed_elsewhere(entry: str, computing: str):
    """The figures another request is computing, once it has kept them; None if it stopped without keeping
    them (a write meanwhile, an error) or took longer than WAIT_SECONDS: then this request computes."""
    waited = 0.0
    while waited < WAIT_SECONDS:
        time.sleep(POLL_SECONDS)
        waited += POLL_SECONDS
        seen = cache.get_many([entry, computing])
        if entry in seen:
            return seen[entry]
        if computing not in seen:
            return None
    return None
