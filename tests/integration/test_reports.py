"""Report jobs in eager mode: every service path, the views, the PDF's content and safety."""

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from cxaudit.reports import services
from cxaudit.reports.models import ReportError, ReportJob, ReportStatus, Stage
from tests.report_factories import ReportJobFactory, demo_audit

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def job_pdf(job: ReportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def audit(actors, company):
    return demo_audit(company=company, owner=actors["consultant"])


def render_now(audit, language="en", by=None):
    job, created = services.audit_report_request(audit=audit, language=language, by=by)
    assert created
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    return job


def test_an_audit_report_is_rendered_with_company_and_recommendations(audit):
    job = render_now(audit, "en")
    assert job.status == ReportStatus.DONE
    assert job.progress == 100
    assert job.attempts == 1
    assert job.pages >= 5
    assert job.expires_at > timezone.now() + timedelta(days=29)
    text = pdf_text(job_pdf(job))
    assert "Кофейня «Зерно»" in text
    assert "Publish a written service standard" in text
    assert "Contents" in text
    assert "Anna Consultant" in text
    if os.environ.get("REPORTS_DEMO_DIR"):
        Path(os.environ["REPORTS_DEMO_DIR"], "audit-en.pdf").write_bytes(job_pdf(job))


def test_the_report_language_is_the_jobs_not_the_pages(audit, settings):
    if os.environ.get("REPORTS_DEMO_LOCALE"):  # preview with a catalogue not merged yet
        settings.LOCALE_PATHS = [os.environ["REPORTS_DEMO_LOCALE"]]
    with translation.override("en"):
        job = render_now(audit, "ru")
    text = pdf_text(job_pdf(job))
    with translation.override("ru"):
        contents = gettext("Contents")
    assert contents in text
    if contents != "Contents":
        assert "Contents" not in text
    if os.environ.get("REPORTS_DEMO_DIR"):
        Path(os.environ["REPORTS_DEMO_DIR"], "audit-ru.pdf").write_bytes(job_pdf(job))
        Path(os.environ["REPORTS_DEMO_DIR"], "audit-ru.html").write_text(
            services.report_html(job=job)
        )


# ----------------------------------------------------------------------------- job services


def test_asking_again_while_pending_returns_the_same_job(audit, actors):
    first, created = services.audit_report_request(audit=audit, language="en", by=None)
    again, created_again = services.audit_report_request(
        audit=audit, language="en", by=actors["manager"]
    )
    other_language, created_ru = services.audit_report_request(audit=audit, language="ru", by=None)
    assert created and not created_again and created_ru
    assert again.pk == first.pk
    assert other_language.pk != first.pk


def test_the_task_starts_only_after_commit(audit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job, _created = services.audit_report_request(audit=audit, language="en", by=None)
        assert ReportJob.objects.get(pk=job.pk).status == ReportStatus.QUEUED
    # The dispatch; then (the eager render ran within) the "report ready" announcement.
    assert [callback.__qualname__.split(".")[0] for callback in callbacks] == [
        "report_job_create",
        "emit",
    ]
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE
    assert job.dispatched_at is not None


def test_a_duplicate_delivery_does_nothing(audit):
    job = render_now(audit)
    name = job.file.name
    assert services.report_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.attempts, job.file.name, job.status) == (1, name, ReportStatus.DONE)


def test_a_delivery_while_another_worker_renders_does_nothing(audit):
    job = ReportJobFactory(audit=audit, status=ReportStatus.RUNNING, claimed_by="elsewhere:1")
    assert services.report_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ReportStatus.RUNNING


def _dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_job_whose_worker_died_is_taken_over_by_the_redelivery(audit):
    import socket

    job = ReportJobFactory(
        audit=audit,
        status=ReportStatus.RUNNING,
        attempts=1,
        claim_token="old",
        claimed_by=f"{socket.gethostname()}:{_dead_pid()}",
    )
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportStatus.DONE, 2)


def test_a_job_whose_worker_died_every_time_fails(audit):
    import socket

    job = ReportJobFactory(
        audit=audit,
        status=ReportStatus.RUNNING,
        attempts=services.MAX_ATTEMPTS,
        claim_token="old",
        claimed_by=f"{socket.gethostname()}:{_dead_pid()}",
    )
    assert services.report_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.error) == (ReportStatus.FAILED, ReportError.RENDER)


def test_a_transient_error_is_retried_with_backoff_then_succeeds(
    audit, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    from cxaudit.reports import pdf

    real = pdf.html_to_pdf
    calls = []

    def flaky(html, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", flaky)
    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    sent = []
    monkeypatch.setattr(services, "report_job_dispatch", lambda **kwargs: sent.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_job_run(job_id=job.pk) == ReportStatus.QUEUED
    job.refresh_from_db()
    assert job.status == ReportStatus.QUEUED
    assert job.stage == Stage.RETRY
    assert job.next_attempt_at > timezone.now()
    assert sent == [{"job_id": job.pk, "countdown": services.RETRY_BACKOFF[0]}]
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error_detail) == (ReportStatus.DONE, 2, "")


def test_transient_errors_fail_the_job_after_the_last_attempt(
    audit, monkeypatch, django_capture_on_commit_callbacks
):
    from cxaudit.reports import pdf

    def broken(html, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "html_to_pdf", broken)
    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    # Eager mode runs each retry at once (the countdown is ignored).
    with django_capture_on_commit_callbacks(execute=True):
        services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (
        ReportStatus.FAILED,
        ReportError.TRANSIENT,
        services.MAX_ATTEMPTS,
    )
    assert "disk full" in job.error_detail


def test_a_rendering_bug_fails_at_once_with_a_clear_message(audit, monkeypatch):
    from cxaudit.reports import pdf

    def bug(html, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(pdf, "html_to_pdf", bug)
    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    assert services.report_job_run(job_id=job.pk) == ReportStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.error, job.attempts) == (ReportStatus.FAILED, ReportError.RENDER, 1)
    with translation.override("en"):
        assert job.get_error_display().startswith("The report could not be rendered")


def test_the_soft_time_limit_fails_the_job(audit, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    from cxaudit.reports import pdf

    def slow(html, **kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(pdf, "html_to_pdf", slow)
    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    assert services.report_job_run(job_id=job.pk) == ReportStatus.FAILED
    job.refresh_from_db()
    assert job.error == ReportError.TIMEOUT


def test_progress_is_stored_and_only_by_the_claimant(audit):
    job = ReportJobFactory(audit=audit, status=ReportStatus.RUNNING, claim_token="mine")
    services.report_job_progress(job_id=job.pk, token="mine", stage=Stage.LAYOUT, percent=55)
    services.report_job_progress(job_id=job.pk, token="stale", stage=Stage.WRITING, percent=90)
    job.refresh_from_db()
    assert (job.stage, job.progress) == (Stage.LAYOUT, 55)
    assert job.heartbeat_at is not None


def test_a_broker_outage_keeps_the_job_queued_for_the_sweeper(audit, monkeypatch):
    from kombu.exceptions import OperationalError as BrokerError

    from cxaudit.reports import tasks

    def down(*args, **kwargs):
        raise BrokerError("Error 111 connecting to localhost:6379. Connection refused.")

    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    monkeypatch.setattr(tasks.report_render, "apply_async", down)
    assert services.report_job_dispatch(job_id=job.pk) is False
    job.refresh_from_db()
    assert (job.status, job.dispatched_at) == (ReportStatus.QUEUED, None)
    monkeypatch.undo()
    assert services.report_sweep() == {"rescued": 0, "sent": 1}
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE


def test_the_sweeper_leaves_recently_sent_jobs_alone(audit, monkeypatch):
    job = ReportJobFactory(audit=audit, dispatched_at=timezone.now())
    assert services.report_sweep() == {"rescued": 0, "sent": 0}
    later = timezone.now() + timedelta(hours=1)
    assert services.report_sweep(now=later)["sent"] == 1
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE


def test_the_sweeper_retries_a_job_running_past_the_hard_limit(
    audit, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(hours=1)
    job = ReportJobFactory(
        audit=audit,
        status=ReportStatus.RUNNING,
        attempts=1,
        claim_token="lost",
        claimed_by="gone-host:42",
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_sweep()["rescued"] == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportStatus.DONE, 2)


def test_the_sweeper_fails_a_job_that_ran_too_long_too_often(audit):
    long_ago = timezone.now() - timedelta(hours=1)
    job = ReportJobFactory(
        audit=audit,
        status=ReportStatus.RUNNING,
        attempts=services.MAX_ATTEMPTS,
        claim_token="lost",
        heartbeat_at=long_ago,
    )
    services.report_sweep()
    job.refresh_from_db()
    assert (job.status, job.error) == (ReportStatus.FAILED, ReportError.TIMEOUT)


def test_files_past_retention_are_deleted_and_the_row_says_so(audit, client_for):
    job = render_now(audit)
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert services.report_expire() == 0
    assert services.report_expire(now=timezone.now() + timedelta(days=31)) == 1
    job.refresh_from_db()
    assert job.status == ReportStatus.EXPIRED
    assert not job.file and job.file_deleted_at is not None
    assert not storage.exists(name)
    client = client_for("consultant")
    client.cookies["cxaudit_language"] = "en"
    assert client.get(reverse("reports:job-download", args=[job.pk])).status_code == 404
    page = client.get(reverse("reports:job-detail", args=[job.pk]))
    assert "after the retention period" in page.content.decode()


def test_the_periodic_tasks_are_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cxaudit.reports.tasks.report_sweep", "cxaudit.reports.tasks.report_expire"} <= tasks
