"""Every named URL × every actor → the expected status code, for GET and for POST.

A URL added to the URLconf without a row here fails ``test_every_url_is_in_the_matrix``;
a URL whose view accepts POST without a row in ``POST`` fails
``test_every_url_accepting_post_is_in_the_post_matrix``. Outsiders get 404, never 403, so
the existence of another company's objects does not leak.

Each ``access_<app>.py`` module has ``MATRIX`` (url name -> (args from the world, GET status
per actor)) and ``POST`` (url name -> POST status per actor; the arguments come from
``MATRIX``), one line a row, plus an optional ``POST_DATA`` (url name -> body from the
world; empty otherwise). A refused POST (403, 404, 405, a redirect to sign in, or a status
marked ``Refused``) must change no table.
"""

import importlib
import inspect
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


def named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            yield from named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def named_views(resolver=None, namespace=""):
    """(url name, view callable) of every named URL outside the exempt namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_views(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def accepts_post(view, depth: int = 2) -> bool:
    """Whether a view handles POST, read from its code: a class-based view with ``post``;
    a function view (and the functions of its module it calls, two levels deep) that
    mentions POST (``request.POST``, ``request.method == "POST"``, ``require_POST``)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    function = inspect.unwrap(view)
    if "POST" in inspect.getsource(function):
        return True
    if depth == 0:
        return False
    called = inspect.getclosurevars(function).globals.values()
    return any(
        inspect.isfunction(helper)
        and helper.__module__ == function.__module__
        and accepts_post(helper, depth - 1)
        for helper in called
    )


def test_every_url_is_in_the_matrix():
    missing = sorted(set(named_urls()) - set(MATRIX))
    assert not missing, f"URLs without an access rule in MATRIX: {missing}"


def test_every_url_accepting_post_is_in_the_post_matrix():
    accepting = {name for name, view in named_views() if accepts_post(view)}
    missing = sorted(accepting - set(POST))
    assert not missing, f"URLs accepting POST without a row in POST: {missing}"
    assert not set(POST) - set(MATRIX), "POST rows need a MATRIX row for their arguments"
    assert not set(POST_DATA) - set(POST), "POST_DATA for a URL without a POST row"


def test_the_post_detection_sees_through_decorators_and_helpers():
    views = dict(named_views())
    assert accepts_post(views["surveys:wave-close"])  # @login_required @require_POST
    assert accepts_post(views["metrics:period-create"])  # the form lives in a helper
    assert accepts_post(views["accounts:login"])  # a class-based view
    assert not accepts_post(views["surveys:survey-results"])


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


def test_urls_without_a_post_row_treat_a_post_as_a_get(client_for, world):
    """The net under the code reading above: a POST to any other URL, by every role, gets
    what a GET gets (or 405) and changes nothing."""
    clients = {role: client_for(role) for role in ROLES}
    before = snapshot()
    handled = []
    for url_name in sorted(set(MATRIX) - set(POST)):
        build_args, expected = MATRIX[url_name]
        url = reverse(url_name, args=build_args(world))
        for role, client in clients.items():
            status = client.post(url, {"name": "x", "value": "1"}).status_code
            if status not in (expected[role], 405):
                handled.append((url_name, role, status))
    assert not handled, f"URLs handling POST without a row in POST: {handled}"
    assert changed_tables(before, snapshot()) == []
