"""The default cache as a pure speed-up: when the cache server fails, a read is a miss and
a write is skipped, with a warning in the log, so no page fails because Redis is down."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache server that is down, unreachable or timing out raises (redis-py's errors,
# and the socket's own for other backends).
UNAVAILABLE = (RedisError, OSError)


def cache_get(key: str) -> Any:
    """The cached value, or None when there is none, the server fails, or the entry cannot
    be read back (pickled by older code)."""
    try:
        return cache.get(key)
    except UNAVAILABLE as error:
        logger.warning("Cache unavailable, reading %s: %s", key, error)
    except Exception as error:  # an entry pickled by older code: compute it again
        logger.info("Cache entry %s unreadable (%s); computing it again.", key, error)
    return None


def cache_set(key: str, value: Any, timeout: int) -> bool:
    """Store the value; False (and a warning) when the cache server fails."""
    try:
        cache.set(key, value, timeout)
    except UNAVAILABLE as error:
        logger.warning("Cache unavailable, not storing %s: %s", key, error)
        return False
    return True


def cache_delete(key: str) -> None:
    try:
        cache.delete(key)
    except UNAVAILABLE as error:
        logger.warning("Cache unavailable, not deleting %s: %s", key, error)


# A consultancy's benchmarks are cached under a version token, replaced whenever what they
# are computed from changes (an audit closes or reopens, a company's profile changes): the
# old entries are then never read again and expire on their own.
BENCHMARK_VERSION_TIMEOUT = 30 * 86400


def _benchmark_version_key(consultancy_id: int) -> str:
    return f"benchmark-version:{consultancy_id}"


def benchmark_version_bump(*, consultancy_id: int) -> str:
    version = uuid.uuid4().hex
    cache_set(_benchmark_version_key(consultancy_id), version, BENCHMARK_VERSION_TIMEOUT)
    return version


def benchmark_version_get(*, consultancy_id: int) -> str:
    """The current token; a missing one (never set, evicted) is replaced by a new one, so an
    entry cached under an earlier token is never taken for current."""
    version = cache_get(_benchmark_version_key(consultancy_id))
    return (
        version
        if isinstance(version, str)
        else benchmark_version_bump(consultancy_id=consultancy_id)
    )
