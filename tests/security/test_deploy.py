"""Production settings: Django's deployment checks pass, secrets are required, cookies and
transport are locked to HTTPS, and the admin is for staff only.

Settings are read in fresh processes, because the test process runs with test defaults
(``TESTING`` turns secure cookies and the HTTPS redirect off).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.security.conftest import login

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "x7!k2pQ9zR4vW8yB3nM6cF1hJ5tL0sD-aE_gU+iO*pY#wX@qZ&r5"


def _env(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECRET_KEY", "DEBUG", "SECURE_", "DJANGO_ALLOW_ASYNC"))
        and key not in {"BEHIND_PROXY", "ALLOWED_HOSTS"}
    }
    env.update(
        {
            "CXAUDIT_ENV_FILE": "/nonexistent",
            "CXAUDIT_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "cxaudit.settings",
        }
    )
    env.update(overrides)
    return env


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "audit.example.com",
    "SITE_URL": "https://audit.example.com",
}


def _run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _settings(env) -> dict:
    names = [
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "LANGUAGE_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
        "ALLOWED_HOSTS",
        "SECRET_KEY",
    ]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _env(tmp_path, **PRODUCTION)
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_catches_a_weak_secret_key(tmp_path):
    """The check above is a real gate: a weak key makes it fail."""
    env = _env(tmp_path, **{**PRODUCTION, "SECRET_KEY": "short"})
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize(("debug", "secret"), [(None, None), ("false", "")])
def test_debug_off_without_secret_key_refuses_to_start(tmp_path, debug, secret):
    """DEBUG is off unless set (the first case sets nothing), and then a key is required."""
    env = _env(tmp_path)
    if debug is not None:
        env["DEBUG"] = debug
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_locks_cookies_and_transport_to_https(tmp_path):
    values = _settings(_env(tmp_path, **PRODUCTION))
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == STRONG_KEY
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["ALLOWED_HOSTS"] == ["audit.example.com"]


def test_production_headers_on_a_response(db, settings):
    """With the production switches on, a plain HTTP request is redirected and HTTPS
    responses carry HSTS (what SecurityMiddleware does with these settings)."""
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    response = client.get(reverse("accounts:login"), secure=True)
    assert response.status_code == 200
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    # The health check stays reachable over plain HTTP for load balancers.
    assert client.get(reverse("healthz")).status_code in (200, 503)


def test_unknown_host_is_refused(db):
    from django.test import Client

    response = Client(headers={"host": "evil.example"}).get(reverse("accounts:login"))
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["consultant", "manager", "staff"])
def test_admin_requires_staff(world, actors, role):
    client = login(actors[role])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    response = client.get("/admin/accounts/organisation/")
    assert response.status_code == 302


def test_admin_login_refuses_a_non_staff_user_with_the_right_password(world, actors):
    from django.test import Client

    from tests.factories import PASSWORD

    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": actors["consultant"].email, "password": PASSWORD},
    )
    assert response.status_code == 200  # the form again, not a redirect into the admin
    assert client.get("/admin/").status_code == 302


def test_admin_opens_for_a_superuser(db):
    from cxaudit.accounts.models import User

    admin = User.objects.create_superuser(email="root@example.com", password="x-Long-pass-1")
    assert login(admin).get("/admin/").status_code == 200
