"""Counters that live for a time window, in the default cache: the rate limits' store.

On Redis a count is one command, a small Lua script run atomically by the server, on a
connection kept per thread; building redis-py's client and pipeline for every call cost more
than the round trip itself. Other cache backends use ``add`` and ``incr``.
"""

from __future__ import annotations

import logging
import weakref

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from redis import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Starts the key with its expiry, so no key outlives its window even if a client dies.
_INCREMENT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""

# One client per cache backend; Django's backends are per thread, and so are these.
_CLIENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def count(key: str, window: int) -> int:
    """Add one to the counter ``key`` and return it; the counter starts with the first call
    and is gone ``window`` seconds later. Returns 0, and logs, when the store is down: a
    limit is not worth refusing a legitimate request for."""
    backend = caches[DEFAULT_CACHE_ALIAS]  # ``cache`` is a proxy: isinstance needs the backend
    if isinstance(backend, RedisCache):
        try:
            return int(_script(backend)(keys=[backend.make_and_validate_key(key)], args=[window]))
        except RedisError:
            logger.warning("The counter store is unavailable; %s was not counted.", key)
            return 0
    if backend.add(key, 1, timeout=window):
        return 1
    try:
        return backend.incr(key)
    except ValueError:  # expired between add and incr
        backend.add(key, 1, timeout=window)
        return 1


def _script(backend: RedisCache):
    if backend not in _CLIENTS:
        pool = backend._cache._get_connection_pool(0)  # the pool Django writes through
        client = Redis(connection_pool=pool, single_connection_client=True)
        _CLIENTS[backend] = client.register_script(_INCREMENT)
    return _CLIENTS[backend]
