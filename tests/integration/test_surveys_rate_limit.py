"""The public submit's rate limit: a counter per client and wave in the default cache
(``cache.add`` + ``cache.incr``), on Redis and in memory, that never refuses an answer
because the cache server is down."""

import logging
import os
import secrets
from unittest import mock

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis import Redis

from surveys import services
from surveys.models import Response
from surveys.services import answers
from tests.conftest import free_port, require
from tests.survey_factories import WaveFactory, form_token, respond_url

pytestmark = pytest.mark.django_db

REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }
}


@pytest.fixture
def redis_cache():
    require(bool(os.environ.get("REDIS_URL")), "Redis (REDIS_URL)")
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    return backend


@pytest.fixture
def wave(company):
    return WaveFactory(survey__company=company, survey__blocks=["nps"])


def test_redis_counter_counts_in_one_key_that_expires_with_the_window(redis_cache):
    key = f"test:count:{secrets.token_hex(8)}"
    assert [answers._count(key, 60) for _n in range(3)] == [1, 2, 3]
    full_key = redis_cache.make_and_validate_key(key)
    client = Redis.from_url(os.environ["REDIS_URL"])
    assert 0 < client.ttl(full_key) <= 60  # incr keeps the expiry the first add set
    assert int(client.get(full_key)) == 3
    client.delete(full_key)


def test_counters_are_separate_per_key(redis_cache):
    first, second = (f"test:count:{secrets.token_hex(8)}" for _n in range(2))
    assert answers._count(first, 60) == 1
    assert answers._count(first, 60) == 2
    assert answers._count(second, 60) == 1
    for key in (first, second):
        redis_cache.delete(key)


def test_memory_counter_counts_and_restarts_after_expiry(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    key = f"test:count:{secrets.token_hex(8)}"
    assert [answers._count(key, 60) for _n in range(3)] == [1, 2, 3]
    cache.delete(key)  # what expiry does
    assert answers._count(key, 60) == 1


def test_a_window_another_request_starts_between_incr_and_add_counts_both(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    key = f"test:count:{secrets.token_hex(8)}"
    backend = caches["default"]
    real_add = backend.add

    def add_after_another_request(*args, **kwargs):
        assert real_add(*args, **kwargs)  # the other request's add, just before ours
        return real_add(*args, **kwargs)

    with mock.patch.object(backend, "add", add_after_another_request):
        assert answers._count(key, 60) == 2
    assert cache.get(key) == 2


def test_a_counter_recreated_by_incr_gets_its_expiry(redis_cache):
    """Django's incr checks that the key exists, then increments: a key that expires in
    between comes back as 1 with no expiry, and is given the window."""
    key = f"test:count:{secrets.token_hex(8)}"
    full_key = redis_cache.make_and_validate_key(key)
    client = Redis.from_url(os.environ["REDIS_URL"])
    with mock.patch.object(redis_cache, "incr", lambda *args, **kwargs: client.incr(full_key)):
        assert answers._count(key, 60) == 1
    assert 0 < client.ttl(full_key) <= 60
    client.delete(full_key)


def test_the_limit_counts_per_client_and_wave_under_a_key_without_the_address(
    settings, wave, company
):
    settings.SURVEY_RATE_LIMIT = 2
    keys = []
    backend = caches["default"]
    real_add = backend.add

    def add(key, *args, **kwargs):
        keys.append(key)
        return real_add(key, *args, **kwargs)

    other = WaveFactory(survey__company=company, survey__blocks=["nps"])
    address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.7"
    with mock.patch.object(backend, "add", add):
        limited = [services.rate_limited(client_address=address, wave=wave) for _n in range(3)]
        assert limited == [False, False, True]
        assert not services.rate_limited(client_address=address, wave=other)
        assert not services.rate_limited(client_address=address + "1", wave=wave)
    assert len(set(keys)) == 3
    assert not [key for key in keys if address in key]


def test_cache_down_counts_nothing_and_refuses_nothing(settings, wave, caplog):
    settings.SURVEY_RATE_LIMIT = 1
    settings.CACHES = REDIS_DOWN
    with caplog.at_level(logging.WARNING, logger="surveys.services.answers"):
        limited = [services.rate_limited(client_address="10.0.0.1", wave=wave) for _n in range(3)]
    assert limited == [False, False, False]
    assert "unavailable" in caplog.text


def test_public_page_takes_answers_while_redis_is_down(client, settings, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    settings.CACHES = REDIS_DOWN
    response = client.post(url, {"submission_token": token, "nps": 9})
    assert response.status_code == 302
    assert Response.objects.filter(wave=wave).count() == 1
