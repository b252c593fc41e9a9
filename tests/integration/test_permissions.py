"""Every named URL × every actor → the expected status code, for GET and for POST.

A URL pattern added to the URLconf without a row here fails
``test_every_url_pattern_is_in_the_matrix``; a URL whose view accepts POST (answers it with
anything but 405) without a row in ``POST`` fails
``test_urls_without_a_post_row_refuse_a_post_with_405``. Outsiders get 404, never 403, so
the existence of another company's objects does not leak.

Each ``access_<app>.py`` module has ``MATRIX`` (url name -> (args from the world, GET status
per actor)) and ``POST`` (url name -> POST status per actor; the arguments come from
``MATRIX``), one line a row, plus an optional ``POST_DATA`` (url name -> body from the
world; empty otherwise). A refused POST (403, 404, 405, a redirect to sign in, or a status
marked ``Refused``) must change no table.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES
from tests.integration.access import Refused, changed_tables, snapshot

ACCESS_MODULES = [
    importlib.import_module(f"tests.integration.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("access_*.py"))
]


def collect_matrix(attribute: str = "MATRIX") -> dict:
    """Merge one table (``MATRIX``, ``POST``, ``POST_DATA``) of every ``access_<app>.py``
    module beside this file."""
    merged: dict = {}
    for module in ACCESS_MODULES:
        table = getattr(module, attribute, {})
        overlap = merged.keys() & table.keys()
        assert not overlap, f"URL names listed twice in {attribute}: {overlap}"
        merged.update(table)
    return merged


MATRIX = collect_matrix()
POST = collect_matrix("POST")
POST_DATA = collect_matrix("POST_DATA")

EXEMPT_NAMESPACES = {"admin"}  # Django admin has its own staff-only checks


def url_patterns(resolver=None, namespace=""):
    """(url name or None, route) of every URL pattern outside the exempt namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, str(pattern.pattern)


def test_every_url_pattern_is_in_the_matrix():
    patterns = list(url_patterns())
    unnamed = [route for name, route in patterns if name is None]
    assert not unnamed, f"URL patterns without a name, so without a row in MATRIX: {unnamed}"
    names = [name for name, _route in patterns]
    shared = sorted({name for name in names if names.count(name) > 1})
    assert not shared, f"URL names of several patterns, one row for all of them: {shared}"
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"URLs without an access rule in MATRIX: {missing}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"MATRIX rows for URLs the URLconf no longer has: {stale}"


def test_post_rows_are_for_urls_of_the_matrix():
    assert not set(POST) - set(MATRIX), "POST rows need a MATRIX row for their arguments"
    assert not set(POST_DATA) - set(POST), "POST_DATA for a URL without a POST row"


@pytest.fixture
def world(actors, company, other_company):
    """The objects URLs point at; each access module adds its own with ``build_world``."""
    world = {"actors": actors, "company": company, "other_company": other_company}
    for module in ACCESS_MODULES:
        if hasattr(module, "build_world"):
            world.update(module.build_world(world))
    return world


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(client_for, world, url_name, role):
    build_args, expected = MATRIX[url_name]
    response = client_for(role).get(reverse(url_name, args=build_args(world)))
    assert response.status_code == expected[role], (url_name, role)


POST_CASES = [(name, role) for name in POST for role in ROLES]


def _refused(response, expected) -> bool:
    if isinstance(expected, Refused) or response.status_code in (403, 404, 405):
        return True
    login = reverse("accounts:login")
    return response.status_code == 302 and response["Location"].startswith(login)


@pytest.mark.parametrize(("url_name", "role"), POST_CASES)
def test_post_access(client_for, world, url_name, role):
    build_args, _get_expected = MATRIX[url_name]
    expected = POST[url_name][role]
    data = POST_DATA[url_name](world) if url_name in POST_DATA else {}
    client, url = client_for(role), reverse(url_name, args=build_args(world))
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code == expected, (url_name, role)
    if _refused(response, expected):
        assert changed_tables(before, snapshot()) == [], (url_name, role)


def test_urls_without_a_post_row_refuse_a_post_with_405(client_for, world):
    """Which methods a URL accepts is found by sending them: every view declares its methods
    (``require_safe``, ``require_POST``, a class-based view's handlers), so a POST to a URL
    without a row in ``POST`` must get 405 for every role (anonymous visitors of a signed-in
    page: the redirect to sign in) and change nothing. A view that starts accepting POST
    fails here until its POST row says who may."""
    clients = {role: client_for(role) for role in ROLES}
    login = reverse("accounts:login")
    before = snapshot()
    accepting = []
    for url_name in sorted(set(MATRIX) - set(POST)):
        build_args, _expected = MATRIX[url_name]
        url = reverse(url_name, args=build_args(world))
        for role, client in clients.items():
            response = client.post(url, {"name": "x", "value": "1"})
            signing_in = role == "anonymous" and response.status_code == 302
            if response.status_code == 405 or (
                signing_in and response["Location"].startswith(login)
            ):
                continue
            accepting.append((url_name, role, response.status_code))
    assert not accepting, f"URLs accepting POST without a row in POST: {accepting}"
    assert changed_tables(before, snapshot()) == []
