"""cxaudit.caching: a failing cache server is a cache miss with a log line, never an error."""

import logging

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache

from cxaudit.caching import cache_get, cache_set


class DownCache(BaseCache):
    """A cache whose server refuses every connection."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        raise ConnectionRefusedError("cache down")

    def set(self, key, value, timeout=None, version=None):
        raise ConnectionRefusedError("cache down")


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.DownCache"}}


def test_a_failing_cache_reads_as_a_miss_and_skips_writes_with_a_log_line(cache_down, caplog):
    with caplog.at_level(logging.WARNING, logger="cxaudit.caching"):
        assert cache_get("k") is None
        cache_set("k", "v", 60)
    assert caplog.text.count("Cache unavailable") == 2


def test_an_unreadable_entry_is_a_miss(monkeypatch):
    def unpickle_fails(key, default=None):
        raise AttributeError("Can't get attribute 'OldResults'")

    monkeypatch.setattr(cache, "get", unpickle_fails)
    assert cache_get("k") is None
