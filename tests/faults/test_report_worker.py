"""Report jobs when things break: a worker killed mid-render, the broker down at click time.

Service tier (PostgreSQL + Redis + real worker processes); skipped without them outside CI.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from cxaudit.reports import services
from cxaudit.reports.models import ReportJob, ReportStatus
from tests.conftest import free_port, require, services_available
from tests.report_factories import demo_audit

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ALL_CHECKLISTS = (
    "golding-cx-framework",
    "cx-understanding",
    "metric-practice",
    "service-elements",
    "service-sales-level",
    "ten-ways",
)
LONG_COMMENT = "Observed at the front desk and in the call recordings; " * 8


def big_audit(company, owner):
    """Enough pages that rendering takes a few seconds: time to kill the worker."""
    return demo_audit(
        company=company, owner=owner, comment=LONG_COMMENT, instrument_keys=ALL_CHECKLISTS
    )


def wait_until(condition, timeout, what, log: Path | None = None, step=0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    detail = "\n" + log.read_text()[-5000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}{detail}")


def test_a_worker_killed_mid_render_completes_on_redelivery(
    celery_worker_process, real_broker, actors, company
):
    audit = big_audit(company, actors["consultant"])
    for language in ("en", "ru", "en"):
        job, _created = services.audit_report_request(audit=audit, language=language, by=None)

        def claimed(job_id=job.pk):
            row = ReportJob.objects.filter(pk=job_id).values("status", "claimed_by").get()
            return row if row["status"] != ReportStatus.QUEUED else None

        row = wait_until(claimed, 60, "the claim", celery_worker_process.log_path, step=0.005)
        if row["status"] != ReportStatus.RUNNING:
            continue  # rendered before we could kill it: try again with a fresh job
        host, _sep, pid = row["claimed_by"].rpartition(":")
        assert host == socket.gethostname()
        os.kill(int(pid), signal.SIGKILL)
        wait_until(
            lambda job_id=job.pk: (
                ReportJob.objects.get(pk=job_id).status in (ReportStatus.DONE, ReportStatus.FAILED)
            ),
            90,
            "the redelivered render",
            celery_worker_process.log_path,
            step=0.1,
        )
        job.refresh_from_db()
        assert job.status == ReportStatus.DONE, job.error_detail
        assert job.attempts == 2
        assert job.claimed_by != row["claimed_by"]
        return
    pytest.fail("every render finished before the worker could be killed")


def start_redis(port: int, folder: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def up():
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait_until(up, 10, "redis-server", step=0.05)
    return process


def start_worker(broker_url: str, var_dir: Path) -> tuple[subprocess.Popen, Path]:
    from django.db import connection

    base_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env = {
        **os.environ,
        "DATABASE_URL": f"{base_url}/{connection.settings_dict['NAME']}",
        "REDIS_URL": broker_url,
        "CXAUDIT_VAR_DIR": str(var_dir),
        "SECRET_KEY": "tests-only-not-secret",
        "DEBUG": "false",
        "CXAUDIT_ENV_FILE": "/nonexistent",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    var_dir.mkdir(parents=True, exist_ok=True)
    log_path = var_dir / "worker.log"
    with open(log_path, "w") as log:
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
                "faults@%h",
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    wait_until(lambda: "ready" in log_path.read_text(), 60, "the worker", log_path, step=0.1)
    return process, log_path


@pytest.fixture
def private_broker(real_broker, tmp_path):
    """This process publishes to a Redis on a free port, started and stopped by the test."""
    from cxaudit.celery import app

    require(services_available(), "PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    saved = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    yield {"port": port, "url": url, "dir": tmp_path}
    app.conf.broker_url = saved
    app._pool = None
    app.amqp._producer_pool = None


def test_a_job_requested_while_the_broker_is_down_completes_after_the_sweep(
    private_broker, client_for, actors, company, settings, tmp_path
):
    audit = demo_audit(company=company, owner=actors["consultant"])
    client = client_for("consultant")
    started = time.monotonic()
    response = client.post(reverse("reports:audit-report", args=[audit.pk]), {"language": "en"})
    assert response.status_code == 302  # the click works although nothing listens
    assert time.monotonic() - started < 10
    job = ReportJob.objects.get()
    assert (job.status, job.dispatched_at) == (ReportStatus.QUEUED, None)

    redis = start_redis(private_broker["port"], tmp_path)
    worker = log_path = None
    try:
        worker, log_path = start_worker(private_broker["url"], tmp_path / "worker")
        settings.STORAGES = {
            **settings.STORAGES,
            "reports": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(tmp_path / "worker" / "reports")},
            },
        }
        assert services.report_sweep()["sent"] == 1
        wait_until(
            lambda: ReportJob.objects.get(pk=job.pk).status == ReportStatus.DONE,
            60,
            "the swept job",
            log_path,
            step=0.1,
        )
        response = client.get(reverse("reports:job-download", args=[job.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    finally:
        for process in (worker, redis):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
