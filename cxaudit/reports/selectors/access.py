"""Who may generate, see and download which report (STYLE §5): 404 for everyone else."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from assessments.models import Audit
from assessments.selectors.audits import AuditAccess, audit_access_get
from cxaudit.accounts.permissions import can_manage_company
from cxaudit.accounts.selectors import company_role
from surveys.models import Wave
from surveys.selectors import results_waves, wave_get

from ..models import ReportJob, SubjectKind


@dataclass(frozen=True)
class ReportAccess:
    role: str
    can_generate: bool
    wave: Any = None  # the survey wave of a wave summary, for links back to its results


def _audit_report_access(access: AuditAccess) -> ReportAccess:
    """Reports show the audit's results: whoever may see them may download; consultants and
    managers among them may also generate."""
    if not access.can_see_results:
        raise Http404
    return ReportAccess(role=access.role, can_generate=can_manage_company(access.role))


def audit_report_get(*, user, pk: int) -> tuple[Audit, ReportAccess]:
    """The audit with the user's report rights; 404 for anyone who may not see its results."""
    access = audit_access_get(user=user, pk=pk)
    return access.audit, _audit_report_access(access)


def _wave_results_visible(wave: Wave, role: str | None) -> bool:
    """The survey results page's rule: staff see closed waves; managers and consultants also
    follow an open wave of a non-anonymous customer survey; a scheduled wave has none."""
    if role is None:
        return False
    return wave in results_waves(wave.survey, [wave], can_manage=can_manage_company(role))


def wave_report_get(*, user, pk: int) -> tuple[Wave, ReportAccess]:
    """The wave with the user's report rights; 404 unless its results are visible to them.
    Whoever sees a wave's results may have them summed up in a PDF."""
    wave, access = wave_get(user=user, pk=pk)
    if not _wave_results_visible(wave, access.role):
        raise Http404
    return wave, ReportAccess(role=access.role, can_generate=True, wave=wave)


def _wave_closed_at(wave: Wave) -> datetime.datetime:
    """When the wave stopped taking answers: closed early, or at the end of its last day."""
    end = timezone.make_aware(
        datetime.datetime.combine(wave.closes_on + datetime.timedelta(days=1), datetime.time.min)
    )
    return min(end, wave.closed_at) if wave.closed_at else end


def _wave_job_access(*, user, job: ReportJob) -> ReportAccess:
    role = company_role(user=user, company=job.company)
    if role is None:
        raise Http404
    wave = (
        Wave.objects.filter(pk=job.subject_id, survey__company=job.company)
        .select_related("survey__company__parent", "survey__company__survey_settings")
        .first()
    )
    manages = can_manage_company(role)
    if wave is None:  # deleted: managers still see what happened to the job
        if not manages:
            raise Http404
        return ReportAccess(role=role, can_generate=False)
    if not _wave_results_visible(wave, role):
        raise Http404
    if not manages and job.created_at < _wave_closed_at(wave):
        raise Http404  # rendered from live figures staff were not allowed to see yet
    return ReportAccess(role=role, can_generate=True, wave=wave)


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
        return job, _audit_report_access(audit_access_get(user=user, pk=job.audit_id))
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
    since = None if can_manage_company(access.role) else _wave_closed_at(wave)
    return report_jobs_for_subject(
        subject_kind=SubjectKind.WAVE, subject_id=wave.pk, limit=limit, since=since
    )
