"""The audit report's document context, in the active language (the job's).

Built from the audit's rows and the results selectors of the other apps: maturity from
``assessments.selectors.results.audit_results``, survey figures from its ``surveys`` and
the survey results page's selector, business metrics from its ``business`` and the metrics
dashboard, recommendation reasons from ``assessments.reasons``. Nothing is computed here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Iterable
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
from assessments.selectors.benchmark import benchmark_page_get
from assessments.selectors.plan import recommendation_text
from assessments.selectors.results import audit_results
from assessments.selectors.texts import AuditTexts, audit_texts_get
from cxaudit.accounts.selectors import branding_for
from cxaudit.metrics.selectors import METRICS, metric_dashboard_get
from surveys.audit_facts import CUSTOMER_KEYS, EMPLOYEE_KEYS

from ..models import SECTION_TITLES, ReportJob
from ..pdf import BASE_URL
from ..sections import sections_normalise
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
                "audit_instrument": pinned_instrument.pk,
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


def audit_report_context(*, audit: Audit, sections: Iterable[str] | None = None) -> dict[str, Any]:
    """Everything the audit PDF shows, in the active language.

    ``sections`` (keys of ``AUDIT_SECTIONS``; none: all) is the job's choice; the context's
    ``sections`` lists it in document order for the templates and the Word export, which
    still leave out a chosen section with nothing to show (``toc`` lists what is shown).
    ``draft`` is true while the audit is open: the document is marked as a draft."""
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
        "sections": sections_normalise(sections),
        "draft": audit.is_open,
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
    if not audit.is_open:  # the whole pool only: the report offers no filter
        labels = {row.ref: row.label for row in results.domains}
        context.update(benchmark_page_get(audit=audit, raw_filter="", labels=labels))
    _texts_attach(context, audit_texts_get(audit=audit))
    context["findings_any"] = any(i["with_findings"] for i in context["instruments"])
    context["findings_elsewhere"] = any(
        len(i["with_findings"]) < len(i["domains"]) for i in context["instruments"]
    )
    context["toc"] = _audit_toc(context)
    return context


def _texts_attach(context: dict[str, Any], texts: AuditTexts) -> None:
    """The consultant's texts, in the report's language or else the one they were written
    in, as ``cxaudit.richtext`` blocks (an empty tuple for none): ``texts`` holds the
    introduction and summary, each domain of ``instruments`` and each survey summary of
    ``surveys`` its ``conclusion``; ``with_text``: an instrument's domains with findings
    or a conclusion."""
    context["texts"] = {
        "introduction": texts.introduction.blocks if texts.introduction else (),
        "summary": texts.summary.blocks if texts.summary else (),
    }
    for instrument in context["instruments"]:
        for domain in instrument["domains"]:
            shown = texts.domains.get(f"{instrument['audit_instrument']}:{domain['key']}")
            domain["conclusion"] = shown.blocks if shown else ()
        instrument["with_text"] = [
            d for d in instrument["domains"] if d["findings"] or d["conclusion"]
        ]
    for summary in context["surveys"]:
        shown = texts.surveys.get(str(summary["survey"].pk))
        summary["conclusion"] = shown.blocks if shown else ()


def _audit_toc(context: dict[str, Any]) -> list[dict[str, str]]:
    """The chosen sections the document has, in order, with the ids its headings carry
    (the cover comes before the contents and is not listed)."""
    results = context["results"]
    present = {
        "cover": False,
        "introduction": bool(context["texts"]["introduction"]),
        "surveys": bool(context["survey_figures"] or context["surveys"]),
        "metrics": bool(context["business"]),
        "canvas": bool(results.canvas),
        "journey": bool(context["journey"]),
    }
    return [
        {"id": key, "title": str(SECTION_TITLES[key])}
        for key in context["sections"]
        if present.get(key, True)
    ]


def texts_digest(context: dict[str, Any]) -> str | None:
    """A SHA-256 of the consultant's texts the report shows (introduction, summary, each
    domain's and survey's conclusion), so two reports tell whether their words changed;
    ``None`` when the report has none."""
    parts = [("introduction", context["texts"]["introduction"])]
    parts.append(("summary", context["texts"]["summary"]))
    for instrument in context["instruments"]:
        for domain in instrument["domains"]:
            parts.append(
                (f"{instrument['audit_instrument']}:{domain['key']}", domain["conclusion"])
            )
    parts += [(f"survey:{s['survey'].pk}", s["conclusion"]) for s in context["surveys"]]
    written = [(key, repr(blocks)) for key, blocks in parts if blocks]
    if not written:
        return None
    return hashlib.sha256(json.dumps(written, ensure_ascii=False).encode()).hexdigest()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


_NUMBER = re.compile(r"[-−+]?\d+(?:[.,]\d+)?")


def _shown_number(text: str) -> str | None:
    """The number a figure shows ("−3", "86,7%", "6,43 / 10" → "-3", "86.7", "6.43"), so a
    change between reports is the change the reader sees, with the same decimals."""
    match = _NUMBER.search(text or "")
    if match is None:
        return None
    return match[0].replace("−", "-").replace(",", ".").lstrip("+")


def audit_report_snapshot(context: dict[str, Any]) -> dict[str, Any]:
    """The key figures of a rendered audit report, kept on its job to compare reports:
    overall score and level, each domain's score, the survey headline figures shown, the
    numbers of recommendations and actions, and a digest of the consultant's texts."""
    results = context["results"]
    snapshot: dict[str, Any] = {
        "overall": _text(results.overall),
        "level": results.level,
        "level_name": str(results.level_name or ""),
        "domains": [
            {"key": row.ref, "label": row.label, "score": _text(row.display)}
            for row in results.domains
        ],
        "surveys": [
            {
                "key": figure.key,
                "label": figure.label,
                "value": figure.value,
                "number": _shown_number(figure.value),
            }
            for figure in context["survey_figures"]
            if figure.shown
        ],
        "recommendations": len(context["recommendations"]),
        "actions": len(context["actions"]),
    }
    digest = texts_digest(context)
    if digest is not None:
        snapshot["texts"] = digest
    return snapshot
