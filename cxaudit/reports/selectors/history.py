"""An audit's report history and the comparison of two of its reports (STYLE §3, §13).

Every job of the audit is listed, with who asked, when, in which language, with which
sections and whether it was a draft. Two finished reports are compared from the key
figures each recorded when it was rendered (``ReportJob.snapshot``): the numbers the
client read then, not today's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404
from django.utils.translation import gettext

from assessments.models import Audit

from ..models import SECTION_TITLES, AuditReportOptions, ReportJob, ReportStatus, SubjectKind
from ..sections import FigureRow, sections_change, sections_normalise, snapshot_compare

FINISHED = (ReportStatus.DONE, ReportStatus.EXPIRED)
"""Jobs that produced a file (kept or since deleted): the ones that can be compared."""


def audit_report_sections_get(*, audit: Audit) -> list[str]:
    """The sections the audit's next report will have (all until a choice is saved)."""
    options = AuditReportOptions.objects.filter(audit=audit).first()
    return options.section_keys if options else sections_normalise(None)


def _audit_jobs(audit: Audit):
    return ReportJob.objects.filter(subject_kind=SubjectKind.AUDIT, subject_id=audit.pk)


@dataclass(frozen=True)
class HistoryRow:
    job: ReportJob
    previous: ReportJob | None  # the finished report before this one, to compare with


def audit_report_history(*, audit: Audit) -> list[HistoryRow]:
    """Every report job of the audit, newest first, in one query."""
    jobs = list(_audit_jobs(audit).select_related("requested_by").order_by("-created_at", "-pk"))
    rows = []
    for index, job in enumerate(jobs):
        previous = None
        if job.status in FINISHED:
            previous = next((j for j in jobs[index + 1 :] if j.status in FINISHED), None)
        rows.append(HistoryRow(job=job, previous=previous))
    return rows


@dataclass
class Comparison:
    """Two finished reports of one audit, older first, or why they cannot be compared."""

    error: str = ""
    before: ReportJob | None = None
    after: ReportJob | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    unrecorded: list[ReportJob] = field(default_factory=list)


def _shown(value: str | None, kind: str) -> Any:
    """A recorded number as a Decimal (localised by the template); texts as they are."""
    if value is None or kind == "survey":
        return value
    try:
        return Decimal(value)
    except InvalidOperation:
        return value


def _display(row: FigureRow) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "label": row.label,
        "before": _shown(row.before, row.kind),
        "after": _shown(row.after, row.kind),
        "change": row.change,
        "changed": row.changed,
    }


def _titles(keys: list[str]) -> list[str]:
    return [str(SECTION_TITLES[key]) for key in keys]


def audit_report_compare(*, audit: Audit, job_ids: list[str]) -> Comparison:
    """The comparison of the two jobs named by ``job_ids`` (from the query string).

    A job that is not this audit's (another audit, another company, no such job) is a
    404, as for an outsider; a wrong choice among the audit's own jobs is explained."""
    try:
        ids = sorted({int(value) for value in job_ids})
    except (TypeError, ValueError):
        return Comparison(error=gettext("Pick two reports of the list to compare them."))
    if len(ids) != 2:
        return Comparison(error=gettext("Pick exactly two reports of the list to compare them."))
    jobs = list(
        _audit_jobs(audit)
        .filter(pk__in=ids)
        .select_related("requested_by")
        .order_by("created_at", "pk")
    )
    if len(jobs) != 2:
        raise Http404
    if any(job.status not in FINISHED for job in jobs):
        return Comparison(
            error=gettext("Only reports that were rendered can be compared: pick two of them.")
        )
    before, after = jobs
    added, removed = sections_change(before.sections, after.sections)
    comparison = Comparison(
        before=before, after=after, added=_titles(added), removed=_titles(removed)
    )
    comparison.unrecorded = [job for job in jobs if not job.snapshot]
    if comparison.unrecorded:
        return comparison
    labels = {
        "overall": gettext("Overall maturity"),
        "level": gettext("Maturity level"),
        "recommendations": gettext("Recommendations"),
        "actions": gettext("Action plan items"),
        "texts": gettext("Consultant's texts"),
    }
    rows = snapshot_compare(before.snapshot, after.snapshot, labels=labels)
    comparison.rows = [_display(row) for row in rows]
    return comparison
