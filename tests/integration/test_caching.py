"""cxaudit.caching and the ``quiet_cache`` tag: a failing cache server is a cache miss
with a log line, never an error; a working one caches as Django's ``{% cache %}`` does."""

import logging

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.utils import make_template_fragment_key
from django.template import Context, Template

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


def render(text: str, **context) -> str:
    return Template("{% load cx %}" + text).render(Context(context))


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


def test_quiet_cache_renders_the_body_when_the_cache_is_down(cache_down):
    text = '{% quiet_cache 60 "part" key %}body {{ key }}{% endquiet_cache %}'
    assert render(text, key="a") == "body a"


def test_quiet_cache_serves_the_stored_fragment_under_django_s_key(db):
    text = '{% quiet_cache 60 "part" key %}body {{ value }}{% endquiet_cache %}'
    assert render(text, key="a", value=1) == "body 1"
    assert render(text, key="a", value=2) == "body 1"  # served from the cache
    assert render(text, key="b", value=2) == "body 2"
    assert cache.get(make_template_fragment_key('"part"', ["a"])) == "body 1"
