"""Who may generate, see and download which report (STYLE §5): one table, one entry point.

A report shows what its subject shows: an audit's report follows the audit's results, a
survey wave's summary follows the wave's results page. Views call ``check`` (404 for a
refusal) with the ``ReportAccess`` the selectors fetched: the role in the company, and the
audit or the wave (neither: the job's wave was deleted) and the job, if any.
"""

import datetime
from collections.abc import Callable
from typing import Any, Protocol

from django.http import Http404
from django.utils import timezone

from assessments import policy as audit_policy
from cxaudit.accounts.policy import manages
from surveys import policy as survey_policy


class ReportFacts(Protocol):
    role: str | None
    audit: Any
    wave: Any
    job: Any


def wave_closed_at(wave: Any) -> datetime.datetime:
    """When the wave stopped taking answers: closed early, or at the end of its last day."""
    end = timezone.make_aware(
        datetime.datetime.combine(wave.closes_on + datetime.timedelta(days=1), datetime.time.min)
    )
    return min(end, wave.closed_at) if wave.closed_at else end


def sees_all_wave_jobs(role: str | None) -> bool:
    """Staff see only the summaries made after the wave closed: one made before was
    rendered from live figures they were not allowed to see yet."""
    return manages(role)


def sees(access: ReportFacts) -> bool:
    role, audit, wave, job = access.role, access.audit, access.wave, access.job
    if audit is not None:
        return audit_policy.role_allows(role, "audit.results.view", audit)
    if wave is None:  # the job's wave was deleted: managers still see what happened to it
        return manages(role)
    if not survey_policy.role_allows(role, "wave.results.view", wave):
        return False
    return job is None or sees_all_wave_jobs(role) or job.created_at >= wave_closed_at(wave)


def generates(access: ReportFacts) -> bool:
    """Consultants and managers among those who see an audit's results generate its
    report; whoever sees a wave's results may have them summed up in a PDF."""
    if not sees(access):
        return False
    if access.audit is not None:
        return manages(access.role)
    return access.wave is not None


RULES: dict[str, Callable[[ReportFacts], bool]] = {
    "report.view": sees,
    "report.generate": generates,
    # An audit's report history and comparisons: whoever may download its reports; the
    # choice of sections for its next reports: whoever may generate them.
    "report.history": sees,
    "report.compare": sees,
    "report.sections": generates,
    "report.jobs.all": lambda access: sees_all_wave_jobs(access.role),
}


def allowed(access: ReportFacts, action: str) -> bool:
    return RULES[action](access)


def check(access: ReportFacts, action: str) -> None:
    """Refuse with 404, as for an outsider, unless ``allowed``."""
    if not allowed(access, action):
        raise Http404
