"""The window counters behind the rate limits (``cxaudit.counters``), on Redis and in memory."""

import os
import secrets
from unittest import mock

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis import Redis

from cxaudit import counters
from tests.conftest import free_port, require


@pytest.fixture
def redis_cache():
    require(bool(os.environ.get("REDIS_URL")), "Redis (REDIS_URL)")
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    return backend


def test_redis_counter_counts_in_one_key_that_expires_with_the_window(redis_cache):
    key = f"test:count:{secrets.token_hex(8)}"
    with mock.patch.object(redis_cache, "add", side_effect=AssertionError("not on Redis")):
        assert [counters.count(key, 60) for _n in range(3)] == [1, 2, 3]
    full_key = redis_cache.make_and_validate_key(key)
    client = redis_cache._cache.get_client(full_key)
    assert 0 < client.ttl(full_key) <= 60
    assert int(client.get(full_key)) == 3
    client.delete(full_key)


def test_redis_counter_survives_a_script_flush(redis_cache):
    """After a Redis restart the server has forgotten the script; it is loaded again."""
    key = f"test:count:{secrets.token_hex(8)}"
    assert counters.count(key, 60) == 1
    client = redis_cache._cache.get_client(redis_cache.make_and_validate_key(key))
    client.script_flush()
    assert counters.count(key, 60) == 2
    client.delete(redis_cache.make_and_validate_key(key))


def test_counters_are_separate_per_key(redis_cache):
    first, second = (f"test:count:{secrets.token_hex(8)}" for _n in range(2))
    assert counters.count(first, 60) == 1
    assert counters.count(first, 60) == 2
    assert counters.count(second, 60) == 1
    for key in (first, second):
        redis_cache.delete(key)


def test_counter_store_down_counts_nothing_and_refuses_nothing(redis_cache, caplog):
    unreachable = Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=0.5)
    script = unreachable.register_script(counters._INCREMENT)
    with mock.patch.object(counters, "_script", return_value=script):
        assert counters.count("test:count:down", 60) == 0
    assert "unavailable" in caplog.text


def test_memory_counter_counts_and_restarts_after_expiry(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    key = f"test:count:{secrets.token_hex(8)}"
    assert [counters.count(key, 60) for _n in range(3)] == [1, 2, 3]
    caches["default"].delete(key)  # what expiry does
    assert counters.count(key, 60) == 1
