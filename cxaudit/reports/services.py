"""Report jobs: create (or return the pending one), dispatch, claim, render, progress, finish,
fail, retry with backoff, sweep and expire (STYLE §7-9).

The ``ReportJob`` row is the source of truth; Celery only carries job ids. A message may be
delivered twice or never: the claim is a conditional UPDATE (a duplicate does nothing), a
claim whose worker process is gone may be taken over (SIGKILL → redelivery), and the
periodic sweeper re-sends jobs the broker never got and rescues jobs running past the hard
limit. Every write after the claim is conditioned on the claim token, so a worker that lost
its claim cannot overwrite the row.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from cxaudit import events

from .models import (
    AuditReportOptions,
    ReportError,
    ReportFormat,
    ReportJob,
    ReportStatus,
    Stage,
    SubjectKind,
)
from .sections import sections_normalise

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_BACKOFF = (15, 60, 240)
"""Seconds before the 2nd, 3rd, … attempt after a transient failure."""
STALE_GRACE = 60
"""Seconds past the hard time limit after which a RUNNING job is considered abandoned."""
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, OSError)
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


class SubjectGone(Exception):
    """The audit or wave of a job was deleted before it was rendered."""


# ----------------------------------------------------------------------------- create


def report_job_create(
    *,
    company,
    subject_kind: str,
    subject_id: int,
    language: str,
    by,
    audit=None,
    sections: list[str] | None = None,
    draft: bool = False,
    format: str = ReportFormat.PDF,
) -> tuple[ReportJob, bool]:
    """A new job sent to a worker once the transaction commits, or the pending one for the
    same subject, language and format (a second click never starts a second render).
    Word documents are made of audit reports only.

    ``sections`` and ``draft`` are what the audit report will show, recorded on the job
    for its history (the render records ``draft`` again, as it was then)."""
    if format not in ReportFormat.values:
        raise ValidationError(gettext("Unknown report format."), code="format")
    if format == ReportFormat.DOCX and subject_kind != SubjectKind.AUDIT:
        raise ValidationError(
            gettext("Word export is available for audit reports only; choose PDF."),
            code="format",
        )
    lookup = {
        "subject_kind": subject_kind,
        "subject_id": subject_id,
        "language": language,
        "format": format,
    }
    existing = ReportJob.objects.pending().filter(**lookup).first()
    if existing is not None:
        return existing, False
    job = ReportJob(
        company=company,
        audit=audit,
        requested_by=by,
        sections=list(sections or []),
        draft=draft,
        **lookup,
    )
    job.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            job.save()
    except IntegrityError:  # a concurrent click won the race
        return ReportJob.objects.pending().get(**lookup), False
    transaction.on_commit(lambda: report_job_dispatch(job_id=job.pk))
    return job, True


def audit_report_request(
    *, audit, language: str, by, format: str = ReportFormat.PDF
) -> tuple[ReportJob, bool]:
    """The audit's report as a PDF or, with ``format="docx"``, a Word document, with the
    sections chosen for it (all when none were)."""
    options = AuditReportOptions.objects.filter(audit=audit).first()
    return report_job_create(
        company=audit.company,
        subject_kind=SubjectKind.AUDIT,
        subject_id=audit.pk,
        audit=audit,
        language=language,
        by=by,
        sections=options.section_keys if options else [],
        draft=audit.is_open,
        format=format,
    )


@transaction.atomic
def audit_report_options_save(*, audit, sections: list[str], by) -> AuditReportOptions:
    """Keep the audit's choice of report sections for its next reports (validated: known
    keys, at least one)."""
    options = AuditReportOptions.objects.select_for_update().filter(audit=audit).first()
    options = options or AuditReportOptions(audit=audit)
    options.sections = list(sections)
    options.updated_by = by
    options.updated_at = timezone.now()
    options.full_clean()
    options.sections = sections_normalise(options.sections)  # document order, each once
    options.save()
    return options


def wave_report_request(*, wave, language: str, by) -> tuple[ReportJob, bool]:
    """A survey wave's PDF summary, through the same job mechanism."""
    return report_job_create(
        company=wave.survey.company,
        subject_kind=SubjectKind.WAVE,
        subject_id=wave.pk,
        language=language,
        by=by,
    )


# ----------------------------------------------------------------------------- dispatch


def report_job_dispatch(*, job_id: int, countdown: int | None = None) -> bool:
    """Send the job to the broker. If the broker is unreachable the job stays queued with
    no ``dispatched_at`` and the sweeper sends it later; the user's request never fails."""
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import report_render as report_render_task

    due = timezone.now() + timedelta(seconds=countdown or 0)
    ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(dispatched_at=due)
    try:
        report_render_task.apply_async(
            (job_id,), countdown=countdown or 0, retry=True, retry_policy=PUBLISH_RETRY
        )
    except (BrokerError, ConnectionError) as exc:
        logger.warning("Report job %s kept queued, broker unreachable: %s", job_id, exc)
        ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED, dispatched_at=due).update(
            dispatched_at=None
        )
        return False
    return True


# ----------------------------------------------------------------------------- claim


def _worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claimant_gone(claimed_by: str) -> bool:
    """True when the process that claimed a job is known to be dead (same host, no pid)."""
    host, _sep, pid_text = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine: only the sweeper's time limit can tell
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # this very process (thread pool): alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _claim_fields(token: str, now: datetime) -> dict:
    return {
        "status": ReportStatus.RUNNING,
        "claim_token": token,
        "claimed_by": _worker_identity(),
        "started_at": now,
        "heartbeat_at": now,
        "attempts": F("attempts") + 1,
        "progress": 2,
        "stage": Stage.COLLECTING,
        "next_attempt_at": None,
    }


def report_job_claim(*, job_id: int) -> str | None:
    """Claim a queued job for this process; ``None`` if another delivery has it.

    A RUNNING job whose worker process died on this host (SIGKILL, OOM) is taken over, so
    the redelivered message completes it; after ``MAX_ATTEMPTS`` such deaths it fails.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    if ReportJob.objects.filter(pk=job_id, status=ReportStatus.QUEUED).update(
        **_claim_fields(token, now)
    ):
        return token
    running = (
        ReportJob.objects.filter(pk=job_id, status=ReportStatus.RUNNING)
        .values("claim_token", "claimed_by", "attempts")
        .first()
    )
    if running is None or not _claimant_gone(running["claimed_by"]):
        return None  # a repeated delivery, or another worker is on it
    if running["attempts"] >= MAX_ATTEMPTS:
        _fail(job_id, running["claim_token"], ReportError.RENDER, "worker died on every attempt")
        return None
    taken = ReportJob.objects.filter(
        pk=job_id, status=ReportStatus.RUNNING, claim_token=running["claim_token"]
    ).update(**_claim_fields(token, now))
    if taken:
        logger.warning(
            "Report job %s taken over from dead worker %s", job_id, running["claimed_by"]
        )
    return token if taken else None


# ----------------------------------------------------------------------------- progress


def report_job_progress(*, job_id: int, token: str, stage: str, percent: int) -> None:
    """Store progress (never backwards) and a sign of life; workers call this often."""
    ReportJob.objects.filter(pk=job_id, status=ReportStatus.RUNNING, claim_token=token).update(
        stage=stage, progress=max(0, min(int(percent), 99)), heartbeat_at=timezone.now()
    )


# ----------------------------------------------------------------------------- finish / fail


def _fail(job_id: int, token: str, error: str, detail: str = "") -> bool:
    return bool(
        ReportJob.objects.filter(pk=job_id, status=ReportStatus.RUNNING, claim_token=token).update(
            status=ReportStatus.FAILED,
            error=error,
            error_detail=detail[:4000],
            finished_at=timezone.now(),
            claim_token="",
        )
    )


def report_job_fail(*, job_id: int, token: str, error: str, detail: str = "") -> bool:
    return _fail(job_id, token, error, detail)


def report_job_retry_or_fail(*, job_id: int, token: str, error: str, detail: str = "") -> str:
    """After a transient failure: back to the queue with a growing delay, or FAILED once
    ``MAX_ATTEMPTS`` are used. Returns the new status (or "" if the claim was lost)."""
    job = ReportJob.objects.filter(
        pk=job_id, status=ReportStatus.RUNNING, claim_token=token
    ).first()
    if job is None:
        return ""
    if job.attempts >= MAX_ATTEMPTS:
        return ReportStatus.FAILED if _fail(job_id, token, error, detail) else ""
    delay = RETRY_BACKOFF[min(job.attempts, len(RETRY_BACKOFF)) - 1]
    requeued = ReportJob.objects.filter(
        pk=job_id, status=ReportStatus.RUNNING, claim_token=token
    ).update(
        status=ReportStatus.QUEUED,
        stage=Stage.RETRY,
        claim_token="",
        error_detail=detail[:4000],
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    if not requeued:
        return ""
    logger.warning("Report job %s requeued in %ss after: %s", job_id, delay, detail[:200])
    transaction.on_commit(lambda: report_job_dispatch(job_id=job_id, countdown=delay))
    return ReportStatus.QUEUED


def _finish(job: ReportJob, token: str, data: bytes, pages: int | None) -> bool:
    storage = ReportJob._meta.get_field("file").storage
    name = storage.save(
        ReportJob._meta.get_field("file").generate_filename(job, f"report.{job.format}"),
        ContentFile(data),
    )
    now = timezone.now()
    done = ReportJob.objects.filter(
        pk=job.pk, status=ReportStatus.RUNNING, claim_token=token
    ).update(
        status=ReportStatus.DONE,
        file=name,
        size=len(data),
        pages=pages,
        progress=100,
        stage=Stage.FINISHED,
        error="",
        error_detail="",
        finished_at=now,
        expires_at=now + timedelta(days=settings.REPORT_RETENTION_DAYS),
        claim_token="",
        draft=job.draft,
        snapshot=job.snapshot,
    )
    if not done:  # the claim was taken over meanwhile: the other render owns the row
        storage.delete(name)
    else:  # webhooks: "report ready" (the file itself only through the signed-in page)
        events.emit(
            company_id=job.company_id,
            event=events.REPORT_READY,
            data={
                "report_id": job.pk,
                "kind": job.subject_kind,
                "subject_id": job.subject_id,
                "format": job.format,
                "language": job.language,
                "draft": job.draft,
            },
        )
    return bool(done)


# ----------------------------------------------------------------------------- render


def report_html(*, job: ReportJob, on_progress=None) -> str:
    """The job's document as HTML, in the job's language (independent of any page)."""
    template, context = report_context(job=job, on_progress=on_progress)
    with translation.override(job.language):
        return render_to_string(template, context)


def report_context(*, job: ReportJob, on_progress=None) -> tuple[str, dict]:
    """The job's PDF template and the context both the PDF and the Word document are made
    from, in the job's language. An audit report also notes on ``job`` (not saved here)
    whether it is a draft and its key figures; ``_finish`` stores them with the file."""
    from . import selectors

    step = on_progress or (lambda stage, percent: None)
    with translation.override(job.language):
        if job.subject_kind == SubjectKind.AUDIT:
            audit = job.audit if job.audit_id is not None else None
            if audit is None:
                raise SubjectGone
            context = selectors.audit_report_context(audit=audit, sections=job.sections)
            job.draft = context["draft"]
            job.snapshot = selectors.audit_report_snapshot(context)
            template = "reports/pdf/audit_report.html"
        elif job.subject_kind == SubjectKind.WAVE:
            wave_context = selectors.wave_report_context(wave_id=job.subject_id)
            if wave_context is None:
                raise SubjectGone
            context = wave_context
            template = "reports/pdf/wave_report.html"
        else:  # pragma: no cover - choices forbid it
            raise SubjectGone
        step(Stage.COMPOSING, 30)
        context.update(selectors.document_context(job=job))
        return template, context


def report_docx(*, job: ReportJob, on_progress=None) -> bytes:
    """The job's audit report as a Word document, in the job's language."""
    from .docx import audit_docx

    if job.subject_kind != SubjectKind.AUDIT:
        raise ValueError("Word documents are made of audit reports only")
    _template, context = report_context(job=job, on_progress=on_progress)
    with translation.override(job.language):
        return audit_docx(context, on_progress=on_progress)


def report_job_run(*, job_id: int) -> str | None:
    """The worker's whole job: claim, render, store. Returns the final status, or ``None``
    when this delivery had nothing to do."""
    from celery.exceptions import SoftTimeLimitExceeded

    from .pdf import html_to_pdf

    token = report_job_claim(job_id=job_id)
    if token is None:
        return None
    job = ReportJob.objects.select_related("audit", "company").filter(pk=job_id).first()
    if job is None:
        return None

    def progress(stage: str, percent: int) -> None:
        report_job_progress(job_id=job_id, token=token, stage=stage, percent=percent)

    try:
        pages: int | None = None
        if job.format == ReportFormat.DOCX:
            data = report_docx(job=job, on_progress=progress)
        else:
            html = report_html(job=job, on_progress=progress)
            with translation.override(job.language):
                data, pages = html_to_pdf(html, on_progress=progress)
        progress(Stage.SAVING, 95)
        if _finish(job, token, data, pages):
            return ReportStatus.DONE
        return None
    except SoftTimeLimitExceeded:
        _fail(job_id, token, ReportError.TIMEOUT, "soft time limit exceeded")
        return ReportStatus.FAILED
    except SubjectGone:
        _fail(job_id, token, ReportError.SUBJECT_GONE, "subject deleted")
        return ReportStatus.FAILED
    except TRANSIENT_ERRORS as exc:
        return report_job_retry_or_fail(
            job_id=job_id, token=token, error=ReportError.TRANSIENT, detail=repr(exc)
        )
    except Exception as exc:
        logger.exception("Report job %s failed", job_id)
        _fail(job_id, token, ReportError.RENDER, repr(exc))
        return ReportStatus.FAILED


# ----------------------------------------------------------------------------- periodic


def report_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Rescue jobs running past the hard time limit (retry or fail) and (re)send queued jobs
    the broker never got, or lost. Safe to run anywhere, any number of times."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + STALE_GRACE)
    rescued = 0
    for job_id, token in ReportJob.objects.filter(
        status=ReportStatus.RUNNING, heartbeat_at__lt=stale_before
    ).values_list("pk", "claim_token"):
        if report_job_retry_or_fail(
            job_id=job_id,
            token=token,
            error=ReportError.TIMEOUT,
            detail="running past the hard time limit",
        ):
            rescued += 1
    resend_before = now - timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT)
    due = (
        ReportJob.objects.filter(status=ReportStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=resend_before))
        .order_by("created_at")
        .values_list("pk", flat=True)[:200]
    )
    sent = sum(report_job_dispatch(job_id=job_id) for job_id in list(due))
    return {"rescued": rescued, "sent": sent}


def report_expire(*, now: datetime | None = None) -> int:
    """Delete files past their retention date; the row stays and says the file is gone."""
    now = now or timezone.now()
    deleted = 0
    for job in ReportJob.objects.filter(status=ReportStatus.DONE, expires_at__lte=now):
        name = job.file.name
        if ReportJob.objects.filter(pk=job.pk, status=ReportStatus.DONE).update(
            status=ReportStatus.EXPIRED, file="", file_deleted_at=now
        ):
            if name:
                job.file.storage.delete(name)
            deleted += 1
    return deleted
