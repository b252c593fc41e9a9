"""Every named URL × every actor → the expected status code.

A URL added to the URLconf without a row here fails ``test_every_url_is_in_the_matrix``.
Outsiders get 404, never 403, so the existence of another company's objects does not leak.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES
from tests.factories import InvitationFactory

SIGNED_IN = {"consultant", "other_consultant", "manager", "staff", "other_staff"}


def everyone(status):
    return dict.fromkeys(ROLES, status)


def signed_in(status, anonymous=302):
    return {**dict.fromkeys(SIGNED_IN, status), "anonymous": anonymous}


def company_page(consultant=200, manager=200, staff=200):
    return {
        "consultant": consultant,
        "other_consultant": 404,
        "manager": manager,
        "staff": staff,
        "other_staff": 404,
        "anonymous": 302,
    }


# url name -> (function building reverse() args from the world, expected status per actor)
MATRIX = {
    "healthz": (lambda w: [], everyone(200)),
    "accounts:dashboard": (lambda w: [], signed_in(200)),
    "accounts:login": (lambda w: [], {**dict.fromkeys(SIGNED_IN, 302), "anonymous": 200}),
    "accounts:logout": (lambda w: [], everyone(405)),
    "accounts:password-reset": (lambda w: [], everyone(200)),
    "accounts:password-reset-done": (lambda w: [], everyone(200)),
    "accounts:password-reset-confirm": (lambda w: ["MQ", "bad-token"], everyone(200)),
    "accounts:password-reset-complete": (lambda w: [], everyone(200)),
    "accounts:profile": (lambda w: [], signed_in(200)),
    "accounts:language-set": (lambda w: [], everyone(405)),
    "accounts:company-create": (
        lambda w: [],
        {
            "consultant": 200,
            "other_consultant": 200,
            "manager": 404,
            "staff": 404,
            "other_staff": 404,
            "anonymous": 302,
        },
    ),
    "accounts:company-detail": (lambda w: [w["company"].pk], company_page()),
    "accounts:invitation-create": (lambda w: [w["company"].pk], company_page(staff=302)),
    "accounts:invitation-revoke": (lambda w: [w["invitation"].pk], signed_in(405)),
    "accounts:invitation-accept": (lambda w: [w["token"]], everyone(200)),
}

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
def world(actors, company):
    from cxaudit.accounts.services import invitation_token

    invitation = InvitationFactory(organisation=company, email="newcomer@example.com")
    return {"company": company, "invitation": invitation, "token": invitation_token(invitation)}


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.parametrize(("url_name", "role"), CASES)
def test_access(client_for, world, url_name, role):
    build_args, expected = MATRIX[url_name]
    response = client_for(role).get(reverse(url_name, args=build_args(world)))
    assert response.status_code == expected[role], (url_name, role)
