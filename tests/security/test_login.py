"""Sign-in: django-axes locks an account out after repeated failures (the right password
does not help while locked), and the login and password-reset pages answer an unknown
e-mail exactly as they answer a wrong password, so accounts cannot be enumerated."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = "accounts:login"


def _attempt(client, email, password, url=None):
    return client.post(url or reverse(LOGIN), {"username": email, "password": password})


def _signed_in(client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


def _normalise(html: str) -> str:
    """Drop what differs between any two renderings: CSRF tokens and the typed e-mail."""
    html = re.sub(r"\b[A-Za-z0-9]{64}\b", "", html)  # masked CSRF tokens (form, hx-headers)
    return re.sub(r'value="[^"]*@example\.com"', "", html)


@pytest.fixture
def limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_right_password_signs_in(actors):
    client = Client()
    response = _attempt(client, actors["consultant"].email, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_account_is_locked_after_repeated_failures(actors, limit):
    client = Client()
    email = actors["consultant"].email
    for _attempt_number in range(limit - 1):
        assert _attempt(client, email, "wrong-password").status_code == 200
    assert _attempt(client, email, "wrong-password").status_code == 429  # the limit-th failure
    locked = _attempt(client, email, PASSWORD)
    assert locked.status_code == 429
    assert not _signed_in(client)
    # A fresh browser from the same address is locked out too.
    other = Client()
    assert _attempt(other, email, PASSWORD).status_code == 429
    assert not _signed_in(other)


def test_failures_below_the_limit_do_not_lock(actors, limit):
    client = Client()
    email = actors["consultant"].email
    for _attempt_number in range(limit - 1):
        _attempt(client, email, "wrong-password")
    assert _attempt(client, email, PASSWORD).status_code == 302


def test_lockout_covers_the_admin_login(actors, limit):
    client = Client()
    email = actors["consultant"].email
    for _attempt_number in range(limit):
        _attempt(client, email, "wrong-password", url="/admin/login/")
    assert _attempt(client, email, PASSWORD).status_code == 429


def test_unknown_and_known_emails_lock_out_alike(actors, limit):
    """The lockout itself does not reveal which addresses have accounts."""
    statuses = {}
    for email in (actors["consultant"].email, "nobody@example.com"):
        client = Client()
        statuses[email] = [_attempt(client, email, "wrong").status_code for _ in range(limit + 1)]
    assert len(set(map(tuple, statuses.values()))) == 1


def test_login_answers_unknown_email_like_wrong_password(actors):
    known = _attempt(Client(), actors["consultant"].email, "wrong-password")
    unknown = _attempt(Client(), "nobody@example.com", "wrong-password")
    assert known.status_code == unknown.status_code == 200
    assert _normalise(known.content.decode()) == _normalise(unknown.content.decode())


def test_login_answers_inactive_account_like_wrong_password(actors):
    user = actors["staff"]
    user.is_active = False
    user.save()
    inactive = _attempt(Client(), user.email, PASSWORD)
    unknown = _attempt(Client(), "nobody@example.com", PASSWORD)
    assert inactive.status_code == unknown.status_code == 200
    assert _normalise(inactive.content.decode()) == _normalise(unknown.content.decode())


def test_password_reset_answers_unknown_email_like_a_known_one(actors):
    known = Client().post(reverse("accounts:password-reset"), {"email": actors["staff"].email})
    unknown = Client().post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [actors["staff"].email]


def test_password_reset_link_cannot_be_forged(actors):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(actors["consultant"].pk))
    url = reverse("accounts:password-reset-confirm", args=[uid, "set-password"])
    response = Client().get(url)
    assert response.status_code == 200
    assert 'name="new_password1"' not in response.content.decode()


def test_session_cookie_is_http_only(actors):
    client = Client()
    _attempt(client, actors["consultant"].email, PASSWORD)
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["sessionid"]["samesite"] == "Lax"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "https:evil.example"],
)
def test_login_and_language_switch_do_not_redirect_off_site(actors, target):
    client = Client()
    response = client.post(
        reverse(LOGIN) + f"?next={target}",
        {"username": actors["consultant"].email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    response = client.post(reverse("accounts:language-set"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_signing_in_rotates_the_session_key(actors):
    """A session id planted before sign-in (session fixation) is not the signed-in one."""
    client = Client()
    client.get(reverse(LOGIN))
    client.session.save()
    planted = client.session.session_key
    _attempt(client, actors["consultant"].email, PASSWORD)
    assert _signed_in(client)
    assert client.session.session_key != planted
