"""Shared fixtures: the actors of the role matrix and the service checks of each tier.

Actors, modelled on healthchecks' alice/bob/charlie: a consultant of the consultancy that
owns ``company``, a consultant of another consultancy, the company's manager and staff, staff
of another company, and an anonymous visitor.
"""

import os
import shutil
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
ROLES = ("consultant", "other_consultant", "manager", "staff", "other_staff", "anonymous")


def pytest_configure(config):
    if IN_CI and not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        raise pytest.UsageError(
            "CI=true needs DATABASE_URL (PostgreSQL) and REDIS_URL (Redis): "
            "the service tier must run in CI, not skip."
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for servers the tests start)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def only_on(vendor: str) -> None:
    """Skip a test of one database's code path elsewhere. CI runs the integration tests on
    both: PostgreSQL, then the embedded SQLite tier (``make test``)."""
    from django.db import connection

    if connection.vendor != vendor:
        pytest.skip(f"a {vendor} code path; this run is on {connection.vendor}")


def require(condition: bool, what: str) -> None:
    """Skip outside CI when a tier's service or browser is missing; fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI.")
    pytest.skip(f"{what} is not available here.")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database gets the built-in library as a fresh install does: ``migrate``,
    then ``load_instruments``."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_instruments", verbosity=0)


@pytest.fixture(autouse=True)
def _library_after_flush(request):
    """A transactional test (live server, Celery worker) runs on a database the one before
    it emptied: it loads the library again. pytest-django runs these tests after all others,
    so no other test meets an emptied database."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if transactional:
        from django.core.management import call_command

        request.getfixturevalue("transactional_db")
        call_command("load_instruments", verbosity=0)


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    """Django-side test defaults; unit tests (pure modules) run without Django at all."""
    if request.node.path.parent.name == "unit":
        yield
        return
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    from cxaudit.celery import app

    settings = request.getfixturevalue("settings")
    if isinstance(caches["default"], LocMemCache):
        # On SQLite rolled-back ids come back, so a rate counter of "wave 1 from 127.0.0.1"
        # would carry over into the next test. (Redis is shared with the worker: not flushed;
        # PostgreSQL never reuses an id.)
        caches["default"].clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "reports")},
        },
    }
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "http://testserver"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def consultancy(db):
    from tests.factories import ConsultancyFactory

    return ConsultancyFactory(name="Сервис-Консалтинг")


@pytest.fixture
def company(consultancy):
    from tests.factories import CompanyFactory

    return CompanyFactory(name="Кофейня «Зерно»", parent=consultancy)


@pytest.fixture
def other_company(db):
    from tests.factories import CompanyFactory

    return CompanyFactory(name="Other Ltd")


@pytest.fixture
def actors(consultancy, company, other_company):
    from tests.factories import MembershipFactory, UserFactory

    consultant = UserFactory(email="consultant@example.com", full_name="Anna Consultant")
    MembershipFactory(user=consultant, organisation=consultancy, role="consultant")
    other_consultant = UserFactory(email="rival@example.com")
    MembershipFactory(user=other_consultant, organisation=other_company.parent, role="consultant")
    manager = UserFactory(email="manager@example.com", full_name="Boris Manager")
    MembershipFactory(user=manager, organisation=company, role="manager")
    staff = UserFactory(email="staff@example.com", full_name="Vera Staff")
    MembershipFactory(user=staff, organisation=company, role="staff")
    other_staff = UserFactory(email="stranger@example.com")
    MembershipFactory(user=other_staff, organisation=other_company, role="staff")
    return {
        "consultant": consultant,
        "other_consultant": other_consultant,
        "manager": manager,
        "staff": staff,
        "other_staff": other_staff,
        "anonymous": None,
    }


@pytest.fixture
def client_for(actors, client):
    from django.test import Client

    def make(role: str) -> Client:
        user = actors[role]
        new_client = Client()
        if user is not None:
            new_client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return new_client

    return make


@pytest.fixture
def en(client_for):
    """A client for a role, with the interface in English."""
    from django.conf import settings

    def make(role):
        client = client_for(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path is not None, "Debian's chromium package (apt-get install chromium)")
    return path


def services_available() -> bool:
    url = os.environ.get("DATABASE_URL", "")
    return url.startswith(("postgres://", "postgresql://")) and bool(os.environ.get("REDIS_URL"))


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery worker`` process on the test database and the Redis broker.

    Yields a small handle with the worker's e-mail outbox folder; tests using it must be
    ``django_db(transaction=True)`` so the worker sees committed rows.
    """
    import subprocess
    import sys
    import time
    from dataclasses import dataclass
    from pathlib import Path

    from django.db import connection

    require(services_available(), "PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    outbox = tmp_path_factory.mktemp("worker-outbox")
    var_dir = tmp_path_factory.mktemp("worker-var")
    with django_db_blocker.unblock():
        test_db = connection.settings_dict["NAME"]
    base_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": f"{base_url}/{test_db}",
        "EMAIL_URL": f"filemail:///{outbox}",
        "CXAUDIT_VAR_DIR": str(var_dir),
        "SECRET_KEY": "tests-only-not-secret",
        "DEBUG": "false",
        "CXAUDIT_ENV_FILE": "/nonexistent",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # Webhook tests post to a local test receiver on 127.0.0.1 over plain HTTP.
        "WEBHOOK_ALLOW_PRIVATE": "true",
        "WEBHOOK_ALLOW_HTTP": "true",
    }
    log = open(var_dir / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cxaudit.celery",
            "worker",
            "--loglevel=info",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "tests@%h",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    @dataclass
    class Worker:
        outbox: Path
        log_path: Path
        process: subprocess.Popen

        def wait_for(self, condition, timeout=30.0):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if condition():
                    return True
                if self.process.poll() is not None:
                    raise AssertionError("worker died:\n" + self.log_path.read_text())
                time.sleep(0.1)
            raise AssertionError("timed out; worker log:\n" + self.log_path.read_text())

    worker = Worker(outbox=outbox, log_path=var_dir / "worker.log", process=process)
    worker.wait_for(lambda: "ready" in worker.log_path.read_text(), timeout=60)
    yield worker
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def real_broker(settings):
    """Send tasks to the broker instead of running them in the test process."""
    from cxaudit.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True
