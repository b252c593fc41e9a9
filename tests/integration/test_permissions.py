"""Every named URL × every actor → the expected status code.

A URL added to the URLconf without a row here fails ``test_every_url_is_in_the_matrix``.
Outsiders get 404, never 403, so the existence of another company's objects does not leak.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES

ACCESS_MODULES = [
    importlib.import_module(f"tests.integration.{path.stem}")
    for path in sorted(Path(__file__).parent.glob("access_*.py"))
]


def collect_matrix() -> dict:
    """Merge the ``MATRIX`` of every ``access_<app>.py`` module beside this file."""
    merged: dict = {}
    for module in ACCESS_MODULES:
        overlap = merged.keys() & module.MATRIX.keys()
        assert not overlap, f"URL names listed twice: {overlap}"
        merged.update(module.MATRIX)
    return merged


MATRIX = collect_matrix()

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


def test_every_url_is_in_the_matrix():
    missing = sorted(set(named_urls()) - set(MATRIX))
    assert not missing, f"URLs without an access rule in MATRIX: {missing}"


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
