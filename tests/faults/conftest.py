"""The fault suite's server: gunicorn with production settings on the pytest-django test
database (PostgreSQL), started once per session on a free 127.0.0.1 port.

Tests using it must be ``django_db(transaction=True)`` so the server sees committed rows.
Load goes to 127.0.0.1 only, through ``bench.load`` (bounded in count and time).
"""

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import pytest

from bench import load
from tests.conftest import free_port, require, services_available

ROOT = Path(__file__).resolve().parent.parent.parent
WORKERS, THREADS = 2, 4

COLLECTSTATIC = """
import django
from django.conf import settings
django.setup()
# The hashed names and manifest of production, without whitenoise's 20 s of pre-compression:
# the production storage reads the same manifest.
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
from django.core.management import call_command
call_command("collectstatic", interactive=False, verbosity=0)
"""


@dataclass
class Server:
    port: int
    database_url: str
    var_dir: Path
    log_path: Path
    process: subprocess.Popen
    address_prefix: str

    def client(self, address: str = "127.0.0.1", **headers: str) -> load.Client:
        """A client that the server sees as ``address`` (it trusts X-Forwarded-For, as behind
        the production proxy), so each simulated respondent has its own rate limit."""
        return load.Client(self.port, headers={"X-Forwarded-For": address, **headers})

    def address(self, n: int) -> str:
        """The n-th simulated client address (loopback range, only ever a header value)."""
        return f"{self.address_prefix}.{n // 250 % 250}.{1 + n % 250}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def alive(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError("gunicorn exited:\n" + self.log())


@pytest.fixture(scope="session")
def gunicorn_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """gunicorn (2 gthread workers × 4 threads, DEBUG off) on the test database and Redis."""
    from django.db import connection

    require(services_available(), "PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    var_dir = tmp_path_factory.mktemp("gunicorn-var")
    with django_db_blocker.unblock():
        test_db = connection.settings_dict["NAME"]
    database_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + test_db
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cxaudit.settings",
        "DATABASE_URL": database_url,
        "CXAUDIT_VAR_DIR": str(var_dir),
        "CXAUDIT_ENV_FILE": "/nonexistent",
        "SECRET_KEY": "tests-only-not-secret",  # the test process's, so its sessions are valid
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "true",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "consolemail://",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-c", COLLECTSTATIC], env=env, cwd=ROOT, check=True, timeout=120
    )
    port = free_port()
    log_path = var_dir / "gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cxaudit.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Rate-limit counters live in Redis for ten minutes: a fresh address range per session.
    prefix = f"127.{secrets.randbelow(250) + 2}"
    server = Server(port, database_url, var_dir, log_path, process, prefix)
    deadline = time.monotonic() + 60
    while True:
        server.alive()
        try:
            client = server.client()
            if client.request("GET", "/healthz").status == 200:
                client.close()
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("gunicorn did not answer /healthz:\n" + server.log())
        time.sleep(0.2)
    yield server
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    log.close()


@pytest.fixture
def logged_in(gunicorn_server):
    """A client of the server logged in as ``user``: a session made as
    ``django.contrib.auth.login`` makes it, and a CSRF cookie with its header."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    def make(user) -> load.Client:
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        csrf = secrets.token_hex(16)  # an unmasked 32-character CSRF secret
        client = gunicorn_server.client(**{"X-CSRFToken": csrf})
        client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
        client.cookies[settings.CSRF_COOKIE_NAME] = csrf
        return client

    return make
