"""The bench's processes: its own database and variables, gunicorn and a Celery worker."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import load
from bench.common import (
    GUNICORN_THREADS,
    GUNICORN_WORKERS,
)

ROOT = Path(__file__).resolve().parent.parent

PYTHON = sys.executable


def say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----------------------------------------------------------------------------- environment


class Environment:
    """The bench's own database, variables and processes; everything is undone on exit."""

    def __init__(self, stack: ExitStack) -> None:
        self.stack = stack
        self.var_dir = Path(tempfile.mkdtemp(prefix="cxaudit-bench-"))
        stack.callback(shutil.rmtree, self.var_dir, ignore_errors=True)
        database_url = os.environ.get("DATABASE_URL", "")
        self.postgres = database_url.startswith(("postgres://", "postgresql://"))
        self.redis = bool(os.environ.get("REDIS_URL"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "CXAUDIT_ENV_FILE": "/nonexistent",
            "CXAUDIT_VAR_DIR": str(self.var_dir),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        if self.postgres:
            self.env["DATABASE_URL"] = self._create_database(database_url)
        else:
            self.env.pop("DATABASE_URL", None)
        os.environ.clear()
        os.environ.update(self.env)

    @property
    def database(self) -> str:
        return "PostgreSQL" if self.postgres else "SQLite"

    @property
    def broker(self) -> str:
        return "Redis" if self.redis else "filesystem"

    def _create_database(self, url: str) -> str:
        import psycopg

        parts = urlsplit(url)
        name = (parts.path.lstrip("/") or "cxaudit") + "_bench"
        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.stack.callback(drop)
        return urlunsplit(parts._replace(path="/" + name))

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.var_dir / f"{name}.log", "w")  # noqa: SIM115 - closed on exit
        process = subprocess.Popen(
            args,
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def stop() -> None:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
            log.close()

        self.stack.callback(stop)
        return process

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.var_dir / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def wait_until(condition, timeout: float, what: str, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise RuntimeError(f"timed out waiting for {what}")


def start_gunicorn(environment: Environment) -> int:
    port = free_port()
    process = environment.start(
        "gunicorn",
        [
            PYTHON,
            "-m",
            "gunicorn",
            "cxaudit.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(GUNICORN_THREADS),
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
    )

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + environment.log_tail("gunicorn"))
        try:
            client = load.Client(port)
            try:
                return client.request("GET", "/healthz").status == 200
            finally:
                client.close()
        except OSError:
            return False

    wait_until(healthy, 60, "gunicorn to answer /healthz", step=0.2)
    return port


def start_worker(environment: Environment) -> subprocess.Popen:
    process = environment.start(
        "worker",
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "cxaudit.celery",
            "worker",
            "--loglevel=info",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench-{os.getpid()}@%h",
        ],
    )

    def ready() -> bool:
        if process.poll() is not None:
            raise RuntimeError("celery worker exited:\n" + environment.log_tail("worker"))
        return "ready" in environment.log_tail("worker", 100_000)

    wait_until(ready, 90, "the celery worker to be ready", step=0.2)
    return process


# ----------------------------------------------------------------------------- helpers
