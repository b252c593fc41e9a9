"""CSRF: every URL of the URLconf refuses a POST without a token, and the refusal changes
nothing. URLs come from the access matrix, so a new view is covered as soon as it is listed.
"""

import pytest
from django.http import HttpResponseForbidden
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from tests.integration.test_permissions import MATRIX
from tests.security.conftest import changed_tables, login, snapshot, url_for

REFUSED = b"csrf-refused-by-middleware"

# Admin views are not in the access matrix; their state-changing forms are checked here.
ADMIN_URLS = ["admin:login", "admin:logout", "admin:password_change"]


def csrf_refused(request, reason=""):
    """Stands in for Django's failure view so a 403 can be told apart from a role's 403."""
    return HttpResponseForbidden(REFUSED)


@pytest.fixture(autouse=True)
def _failure_view(settings):
    settings.CSRF_FAILURE_VIEW = "tests.security.test_csrf.csrf_refused"


# The REST API authenticates by a bearer token, never by the session cookie a forged form
# would carry along, so django-ninja exempts it from CSRF: a signed-in browser reaches it as
# an anonymous client (401, nothing changed: the API rows of the access matrix).
CSRF_EXEMPT_NAMESPACES = ("api-v1:",)


def _all_urls(world) -> list[str]:
    """Every URL, the logouts last so that a client that gets through stays signed in."""
    names = sorted(
        (name for name in MATRIX if not name.startswith(CSRF_EXEMPT_NAMESPACES)),
        key=lambda name: ("logout" in name, name),
    )
    return [
        *(url_for(name, world) for name in names if "logout" not in name),
        *(reverse(name) for name in ADMIN_URLS if "logout" not in name),
        *(reverse(name) for name in ["accounts:logout", "admin:logout"]),
    ]


@pytest.mark.parametrize("role", ["consultant", "manager", "anonymous"])
def test_every_url_refuses_a_post_without_a_csrf_token(world, actors, role):
    user = actors[role]
    client = login(user, enforce_csrf_checks=True) if user else Client(enforce_csrf_checks=True)
    before = snapshot()
    accepted = []
    for url in _all_urls(world):
        response = client.post(url, {"name": "x", "text": "x", "value": "1"})
        if response.status_code != 403 or response.content != REFUSED:
            accepted.append((url, response.status_code))
    assert not accepted, f"POST without a CSRF token was not refused by CSRF: {accepted}"
    assert changed_tables(before, snapshot()) == []


def test_a_wrong_csrf_token_is_refused_too(world, actors):
    client = login(actors["consultant"], enforce_csrf_checks=True)
    client.cookies["csrftoken"] = _get_new_csrf_string()
    before = snapshot()
    for url in _all_urls(world):
        response = client.post(url, {"csrfmiddlewaretoken": _get_new_csrf_string()})
        assert response.content == REFUSED, url
        response = client.post(url, {}, headers={"X-CSRFToken": _get_new_csrf_string()})
        assert response.content == REFUSED, url
    assert changed_tables(before, snapshot()) == []


def test_a_cross_origin_post_with_a_valid_token_is_refused(world, actors, settings):
    """The Origin check: a token stolen into another site's form does not help over HTTPS."""
    client = login(actors["consultant"], enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    response = client.post(
        reverse("accounts:language-set"),
        {"csrfmiddlewaretoken": token, "language": "en"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.content == REFUSED


def test_the_refusals_come_from_csrf_a_valid_token_passes(world, actors):
    """Control: with a token (form field or htmx header) the same POSTs reach the views."""
    client = login(actors["consultant"], enforce_csrf_checks=True)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    response = client.post(
        reverse("accounts:language-set"), {"csrfmiddlewaretoken": token, "language": "en"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("accounts:language-set"),
        {"language": "ru"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 302


def test_pages_send_the_csrf_token_to_htmx(world, actors):
    """htmx posts carry the token from ``hx-headers`` on <body> (STYLE 18)."""
    client = login(actors["consultant"])
    html = client.get(url_for("assessments:audit-detail", world)).content.decode()
    assert "hx-headers" in html and "X-CSRFToken" in html


def test_every_url_survives_an_empty_post_with_a_token(world, actors):
    """A POST that passes CSRF but carries no fields is answered, never a server error."""
    failures = []
    for role in ("consultant", "manager", "staff"):
        client = login(actors[role])
        for url in _all_urls(world):
            try:
                response = client.post(url, {})
            except Exception as error:  # the test client re-raises view errors
                failures.append((role, url, repr(error)))
                continue
            if response.status_code >= 500:
                failures.append((role, url, response.status_code))
    assert not failures
