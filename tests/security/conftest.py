"""Fixtures of the security suite: the access matrix's world, a second tenant's world, and
a snapshot of every table to prove that a refused request changed nothing.

The worlds come from the ``build_world`` functions of ``tests/integration/access_*.py``, so
every URL an app adds to the access matrix is attacked here without further work.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.integration.access import changed_tables, snapshot
from tests.integration.test_permissions import ACCESS_MODULES, MATRIX

__all__ = ["changed_tables", "snapshot"]  # the table snapshot lives with the access matrix


def build_world(*, actors, company, other_company) -> dict:
    world = {"actors": actors, "company": company, "other_company": other_company}
    for module in ACCESS_MODULES:
        if hasattr(module, "build_world"):
            world.update(module.build_world(world))
    return world


@pytest.fixture
def world(actors, company, other_company):
    """The objects of the consultant's tenant that the access matrix's URLs point at."""
    return build_world(actors=actors, company=company, other_company=other_company)


@pytest.fixture
def other_world(world, actors, company, other_company):
    """The same kinds of objects, owned by the other consultancy's client company."""
    from tests.factories import MembershipFactory, UserFactory

    other_manager = UserFactory(email="other-manager@example.com")
    MembershipFactory(user=other_manager, organisation=other_company, role="manager")
    swapped = {
        "consultant": actors["other_consultant"],
        "other_consultant": actors["consultant"],
        "manager": other_manager,
        "staff": actors["other_staff"],
        "other_staff": actors["staff"],
        "anonymous": None,
    }
    return build_world(actors=swapped, company=other_company, other_company=company)


def url_for(name: str, world: dict) -> str:
    build_args, _expected = MATRIX[name]
    return reverse(name, args=build_args(world))


def login(user, **client_kwargs) -> Client:
    client = Client(**client_kwargs)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
