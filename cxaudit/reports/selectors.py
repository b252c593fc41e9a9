"""Reads for report pages and report documents (STYLE §3, §5).

Access: consultants of the company's consultancy and the company's managers may generate
and download an audit's reports; staff may download them once the audit's results are
published. Outsiders get 404. The document context is built from the audit's rows and,
where they exist, the results selectors of the other apps; scores are never computed here.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language, gettext

from assessments.answering import item_choices
from assessments.levels import LEVEL_DESCRIPTIONS, LEVEL_NAMES
from assessments.models import (
    ActionItem,
    ActionStatus,
    Answer,
    Audit,
    AuditInstrument,
    ParticipantKind,
    RecommendationStatus,
)
from assessments.selectors.audits import AuditAccess, audit_access_get
from assessments.selectors.results import audit_results
from cxaudit.accounts.permissions import can_manage_company
from cxaudit.accounts.selectors import company_role

from .models import ReportJob, SubjectKind
from .pdf import BASE_URL


@dataclass(frozen=True)
class ReportAccess:
    role: str
    can_generate: bool


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
    role = company_role(user=user, company=job.company)
    if not can_manage_company(role):
        raise Http404
    return job, ReportAccess(role=role, can_generate=True)


def report_jobs_for_subject(*, subject_kind: str, subject_id: int, limit: int = 10):
    return list(
        ReportJob.objects.filter(subject_kind=subject_kind, subject_id=subject_id)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")[:limit]
    )


# ----------------------------------------------------------------------------- documents


def document_context(*, job: ReportJob) -> dict[str, Any]:
    static_path = "/" + settings.STATIC_URL.strip("/") + "/"
    return {
        "job": job,
        "generated_at": timezone.localtime(),
        "static_base": BASE_URL.rstrip("/") + static_path,
        "LANGUAGE_CODE": get_language(),
    }


def _value_label(item, answer: Answer | None) -> str:
    if answer is None:
        return ""
    if answer.is_na:
        return gettext("Not applicable")
    if item.scale == "text":
        return answer.text
    if answer.value is None:
        return answer.text
    for choice in item_choices(item):
        if choice.value == answer.value:
            return choice.label
    return str(answer.value)


def _findings(audit: Audit, pinned: list[AuditInstrument]) -> list[dict[str, Any]]:
    """Per instrument and domain: every item with the official (assessor) answer, its comment
    and evidence file names; the PDF shows commented items as findings and all in the appendix."""
    language = get_language() or "ru"
    answers = (
        Answer.objects.filter(
            audit_instrument__audit=audit, participant__kind=ParticipantKind.ASSESSOR
        )
        .select_related("participant")
        .prefetch_related("evidence")
        .order_by("participant__submitted_at", "pk")
    )
    by_key: dict[tuple[int, str], Answer] = {}
    for answer in answers:
        by_key.setdefault((answer.audit_instrument_id, answer.item_key), answer)
    instruments = []
    for pinned_instrument in pinned:
        document = pinned_instrument.version.parsed
        if document.kind not in ("checklist", "questionnaire"):
            continue
        domains = []
        for section in document.sections:
            rows = []
            for item in section.items:
                answer = by_key.get((pinned_instrument.pk, item.key)) or by_key.get(
                    (pinned_instrument.pk, f"{section.key}.{item.key}")
                )
                rows.append(
                    {
                        "key": item.key,
                        "text": item.text.get(language),
                        "answer": _value_label(item, answer),
                        "comment": answer.comment if answer else "",
                        "evidence": [e.original_name for e in answer.evidence.all()]
                        if answer
                        else [],
                    }
                )
            domains.append(
                {
                    "key": section.key,
                    "title": section.title.get(language),
                    "items": rows,
                    "findings": [r for r in rows if r["comment"] or r["evidence"]],
                }
            )
        instruments.append(
            {"title": document.title.get(language), "version": document.version, "domains": domains}
        )
    return instruments


def _journey(audit: Audit, pinned: list[AuditInstrument]) -> list[dict[str, Any]]:
    """Touchpoints grouped by journey stage, stages in the journey map's order and words."""
    language = get_language() or "ru"
    stage_titles: dict[str, str] = {}
    for pinned_instrument in pinned:
        document = pinned_instrument.version.parsed
        if document.kind == "journey-map":
            for section in document.sections:
                stage_titles.setdefault(section.key, section.title.get(language))
    order = {key: index for index, key in enumerate(stage_titles)}
    stages: OrderedDict[str, list] = OrderedDict()
    points = sorted(
        audit.touchpoints.all(),
        key=lambda t: (order.get(t.stage_key, len(order)), t.stage_key, t.position, t.pk),
    )
    for touchpoint in points:
        stages.setdefault(touchpoint.stage_key, []).append(touchpoint)
    return [
        {"stage": stage_titles.get(stage, stage), "touchpoints": touchpoints}
        for stage, touchpoints in stages.items()
    ]


def audit_report_context(*, audit: Audit) -> dict[str, Any]:
    """Everything the audit PDF shows, in the active language."""
    audit = (
        Audit.objects.select_related("company__parent", "owner")
        .prefetch_related(
            "participants",
            Prefetch("touchpoints"),
            Prefetch(
                "actions",
                queryset=ActionItem.objects.exclude(status=ActionStatus.DROPPED).select_related(
                    "owner"
                ),
            ),
        )
        .get(pk=audit.pk)
    )
    participants = list(audit.participants.all())
    pinned = list(
        AuditInstrument.objects.filter(audit=audit)
        .select_related("version__instrument")
        .order_by("position")
    )
    results = audit_results(audit=audit)
    recommendations = [
        r
        for r in results.recommendations
        if getattr(r, "status", None) != RecommendationStatus.REJECTED
    ]
    context: dict[str, Any] = {
        "audit": audit,
        "company": audit.company,
        "consultancy": audit.company.parent,
        "consultant": audit.owner,
        "assessors": [p for p in participants if p.kind == ParticipantKind.ASSESSOR],
        "staff_count": sum(p.kind == ParticipantKind.STAFF for p in participants),
        "staff_submitted": sum(
            p.kind == ParticipantKind.STAFF and p.submitted_at is not None for p in participants
        ),
        "instruments": _findings(audit, pinned),
        "recommendations": recommendations,
        "actions": list(audit.actions.all()),
        "journey": _journey(audit, pinned),
        "results": results,
        "headline": [],
    }
    context["levels"] = [
        {
            "number": number,
            "band": band,
            "name": str(LEVEL_NAMES[number]),
            "description": str(LEVEL_DESCRIPTIONS[number]),
        }
        for number, band in enumerate(("0–20", "20–40", "40–60", "60–80", "80–100"), start=1)
    ]
    context["toc"] = _audit_toc(context)
    return context


def _audit_toc(context: dict[str, Any]) -> list[dict[str, str]]:
    """The sections the document has, in order, with the ids its headings carry."""
    results = context["results"]
    sections = [
        ("summary", gettext("Executive summary"), True),
        ("maturity", gettext("Maturity by domain"), True),
        ("findings", gettext("Findings by domain"), True),
        ("gap", gettext("Staff and consultant views"), bool(results.staff_count)),
        ("canvas", gettext("Strategy canvas"), bool(results.canvas)),
        ("journey", gettext("Customer journey"), bool(context["journey"])),
        ("recommendations", gettext("Recommendations"), True),
        ("actions", gettext("Action plan"), True),
        ("appendix", gettext("Appendix: methodology and answers"), True),
    ]
    return [{"id": key, "title": title} for key, title, present in sections if present]


def wave_report_context(*, wave_id: int) -> dict[str, Any] | None:
    """The survey wave summary. Not wired yet (no view creates wave jobs): the job model
    and the worker path are ready for it; ``None`` fails such a job as "no longer exists"."""
    return None
