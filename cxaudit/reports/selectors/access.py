"""Fetch what a report page is about, with the user's report rights (``reports.policy``
decides them): 404 for everyone who may not see it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from assessments.models import Audit
from assessments.selectors.audits import audit_access_get
from cxaudit.accounts.selectors import company_role
from surveys.models import Wave
from surveys.selectors import wave_get

from .. import policy
from ..models import ReportJob, SubjectKind


@dataclass(frozen=True)
class ReportAccess:
    """The facts ``policy`` reads: the role in the company, the audit or the survey wave
    reported on (the wave also links back to its results) and the job, if any."""

    role: str
    audit: Any = None
    wave: Any = None
    job: Any = None

    @property
    def can_generate(self) -> bool:
        return policy.allowed(self, "report.generate")


def _checked(access: ReportAccess) -> ReportAccess:
    policy.check(access, "report.view")
    return access


def audit_report_get(*, user, pk: int) -> tuple[Audit, ReportAccess]:
    """The audit with the user's report rights; 404 for anyone who may not see its results."""
    access = audit_access_get(user=user, pk=pk)
    return access.audit, _checked(ReportAccess(role=access.role, audit=access.audit))


def wave_report_get(*, user, pk: int) -> tuple[Wave, ReportAccess]:
    """The wave with the user's report rights; 404 unless its results are visible to them."""
    wave, access = wave_get(user=user, pk=pk)
    return wave, _checked(ReportAccess(role=access.role, wave=wave))


def _wave_job_access(*, user, job: ReportJob) -> ReportAccess:
    role = company_role(user=user, company=job.company)
    if role is None:
        raise Http404
    wave = (
        Wave.objects.filter(pk=job.subject_id, survey__company=job.company)
        .select_related("survey__company__parent", "survey__company__survey_settings")
        .first()
    )
    return _checked(ReportAccess(role=role, wave=wave, job=job))


def report_job_get(*, user, pk: int) -> tuple[ReportJob, ReportAccess]:
    """A job the user may see (same access as what it reports on), or 404."""
    job = (
        ReportJob.objects.for_user(user)
        .select_related("audit__company", "company", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404
    if job.subject_kind == SubjectKind.AUDIT:
        if job.audit_id is None:
            raise Http404
        audit_access = audit_access_get(user=user, pk=job.audit_id)
        access = ReportAccess(role=audit_access.role, audit=audit_access.audit, job=job)
        return job, _checked(access)
    if job.subject_kind == SubjectKind.WAVE:
        return job, _wave_job_access(user=user, job=job)
    raise Http404


def report_jobs_for_subject(
    *, subject_kind: str, subject_id: int, limit: int = 10, since: datetime.datetime | None = None
):
    jobs = ReportJob.objects.filter(subject_kind=subject_kind, subject_id=subject_id)
    if since is not None:
        jobs = jobs.filter(created_at__gte=since)
    return list(jobs.select_related("requested_by").order_by("-created_at", "-pk")[:limit])


def wave_report_jobs(*, wave: Wave, access: ReportAccess, limit: int = 10):
    """The wave's latest summaries the user may open (staff: those made after it closed)."""
    since = None if policy.allowed(access, "report.jobs.all") else policy.wave_closed_at(wave)
    return report_jobs_for_subject(
        subject_kind=SubjectKind.WAVE, subject_id=wave.pk, limit=limit, since=since
    )
