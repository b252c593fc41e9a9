"""The audit report's document context, in the active language (the job's).

Built from the audit's rows and the results selectors of the other apps: maturity from
``assessments.selectors.results.audit_results``, survey figures from its ``surveys`` and
the survey results page's selector, business metrics from its ``business`` and the metrics
dashboard, recommendation reasons from ``assessments.reasons``. Nothing is computed here.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
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
from assessments.reasons import reason_lines
from assessments.selectors.plan import recommendation_text
from assessments.selectors.results import audit_results
from cxaudit.accounts.selectors import branding_for
from cxaudit.metrics.selectors import METRICS, metric_dashboard_get
from surveys.audit_facts import CUSTOMER_KEYS, EMPLOYEE_KEYS

from ..models import ReportJob
from ..pdf import BASE_URL
from .survey_sections import audit_survey_summaries

HEADLINE_METRICS = ("retention", "monthly_churn", "net_change", "fcr", "frt_median", "iqs")
"""Business metrics of the executive summary (when the period has them), in this order."""

# ----------------------------------------------------------------------------- documents


def document_context(*, job: ReportJob) -> dict[str, Any]:
    static_path = "/" + settings.STATIC_URL.strip("/") + "/"
    media_path = "/" + settings.MEDIA_URL.strip("/") + "/"
    branding = branding_for(job.company)
    return {
        "job": job,
        "generated_at": timezone.localtime(),
        "static_base": BASE_URL.rstrip("/") + static_path,
        "LANGUAGE_CODE": get_language(),
        # The consultancy's look (None: the CX Audit look); its logo reaches WeasyPrint
        # through the safe fetcher's media URL.
        "branding": branding,
        "branding_logo_src": (
            BASE_URL.rstrip("/") + media_path + branding.logo if branding and branding.logo else ""
        ),
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
    if item.scale == "plus" and answer.value == 0:
        return gettext("No")  # an unticked box is a "no" (METHODOLOGY §7.1), never "0"
    for choice in item_choices(item):
        if choice.value == answer.value:
            return choice.label
    return str(answer.value)


def _findings(audit: Audit, pinned: list[AuditInstrument]) -> list[dict[str, Any]]:
    """Per instrument and domain: every item with the official (assessor) answer, its comment
    and evidence file names; the PDF shows commented items as findings and all in the appendix."""
    language = get_language() or "ru"
    answers = (
        Answer.objects.official()
        .filter(audit_instrument__audit=audit)
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
                        "free_text": item.scale == "text",
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
            {
                "title": document.title.get(language),
                "version": document.version,
                "domains": domains,
                "with_findings": [d for d in domains if d["findings"]],
            }
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


def _recommendation_rows(recommendations, pinned, touchpoints) -> list[dict[str, Any]]:
    """Each recommendation with its text in the report's language and why it appears."""
    names = {str(touchpoint.pk): touchpoint.name for touchpoint in touchpoints}
    return [
        {
            "recommendation": recommendation,
            "text": recommendation_text(recommendation),
            "reasons": reason_lines(recommendation.reasons, pinned, touchpoints=names),
        }
        for recommendation in recommendations
    ]


def _business(results, company) -> dict[str, Any] | None:
    """The audit period's latest metric values (``results.business``, as on the results
    page), with the dashboard's bands and changes when that period is also the company's
    latest, and the dashboard's trend charts."""
    business = results.business
    if business is None or business.latest is None:
        return None
    dashboard = metric_dashboard_get(company=company)
    latest_pk = dashboard.latest.period.pk if dashboard.latest else None
    banded = latest_pk == business.latest.period.pk
    cards = (
        {card.label: card for group in dashboard.groups for card in group["cards"]}
        if banded
        else {}
    )
    rows = []
    for label, value in business.latest_rows:
        card = cards.get(label)
        rows.append(
            {
                "label": label,
                "value": value,
                "band": card.band if card else None,
                "band_text": card.band_text if card else "",
                "changes": card.changes if card else [],
                "notes": card.notes if card else [],
            }
        )
    return {
        "period": business.latest.period,
        "periods": business.periods,
        "previous": business.previous.period if business.previous else None,
        "rows": rows,
        "banded": banded,
        "dashboard_latest": dashboard.latest.period if dashboard.latest else None,
        "charts": dashboard.charts,
    }


def _headline(results, business: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Blocks of the executive summary after strengths and risks: survey figures of the
    period and a few business metrics, the same numbers as their sections."""
    blocks = []
    figures = list(getattr(results.surveys, "figures", None) or [])
    if figures:
        blocks.append(
            {
                "template": "reports/pdf/_headline_surveys.html",
                "data": {"figures": figures, "waves": results.surveys.waves},
            }
        )
    if business is not None:
        wanted = [str(METRICS[name].label) for name in HEADLINE_METRICS]
        by_label = {row["label"]: row for row in business["rows"]}
        rows = [by_label[label] for label in wanted if label in by_label]
        if rows:
            blocks.append(
                {
                    "template": "reports/pdf/_headline_metrics.html",
                    "data": {"rows": rows, "period": business["period"]},
                }
            )
    return blocks


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
    business = _business(results, audit.company)
    figures = list(getattr(results.surveys, "figures", None) or [])
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
        "actions_planned": sum(
            action.status != ActionStatus.PROPOSED for action in audit.actions.all()
        ),
        "instruments": _findings(audit, pinned),
        "recommendations": _recommendation_rows(recommendations, pinned, audit.touchpoints.all()),
        "actions": list(audit.actions.all()),
        "journey": _journey(audit, pinned),
        "results": results,
        "survey_figures": figures,
        "survey_kinds": {
            "customer": any(figure.key in CUSTOMER_KEYS for figure in figures),
            "employee": any(figure.key in EMPLOYEE_KEYS for figure in figures),
        },
        "surveys": audit_survey_summaries(
            company=audit.company, start=audit.period_start, end=audit.period_end
        ),
        "business": business,
        "headline": _headline(results, business),
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
    context["findings_any"] = any(i["with_findings"] for i in context["instruments"])
    context["findings_elsewhere"] = any(
        len(i["with_findings"]) < len(i["domains"]) for i in context["instruments"]
    )
    context["toc"] = _audit_toc(context)
    return context


def _audit_toc(context: dict[str, Any]) -> list[dict[str, str]]:
    """The sections the document has, in order, with the ids its headings carry."""
    results = context["results"]
    sections = [
        ("summary", gettext("Executive summary"), True),
        ("maturity", gettext("Maturity by domain"), True),
        ("findings", gettext("Findings by domain"), True),
        ("gap", gettext("Staff and consultant views"), True),
        (
            "surveys",
            gettext("Survey results"),
            bool(context["survey_figures"] or context["surveys"]),
        ),
        ("metrics", gettext("Business metrics"), bool(context["business"])),
        ("canvas", gettext("Strategy canvas"), bool(results.canvas)),
        ("journey", gettext("Customer journey"), bool(context["journey"])),
        ("recommendations", gettext("Recommendations"), True),
        ("actions", gettext("Action plan"), True),
        ("appendix", gettext("Appendix: methodology and answers"), True),
    ]
    return [{"id": key, "title": title} for key, title, present in sections if present]
