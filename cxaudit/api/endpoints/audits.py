"""Audits with their domain scores and maturity levels (the results page's selector),
recommendations and the action plan; the status of an action item, through the plan's
service. A token has a manager's rights: results once published (or of the company's own
self-assessment), action statuses and notes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from assessments import policy as audit_policy
from assessments.selectors.plan import action_plan, recommendation_rows
from assessments.selectors.results import audit_results
from assessments.services.plan import KEEP, action_update

from .. import selectors
from ..auth import TOKEN_ROLE, TokenRequest, read_results, write_metrics
from ..errors import INVALID, ApiError, documented
from ..params import Id

router = Router(tags=["audits"])

RESULTS_WITHHELD = "results_withheld"


class Audit(Schema):
    id: int
    title: str
    period_start: datetime.date
    period_end: datetime.date
    status: str = Field(description="open or closed")
    is_self_assessment: bool
    round_number: int
    results_published: bool


class Domain(Schema):
    ref: str = Field(description="instrument:section")
    instrument: str
    title: str
    status: str
    score: Decimal | None = Field(description="0-100, as the results page rounds it")
    level: int | None = Field(description="Maturity level 1-5")
    level_name: str
    answered: int
    applicable: int


class AuditResults(Schema):
    audit: Audit
    score: Decimal | None
    level: int | None
    level_name: str
    partial: bool
    domains: list[Domain]


class Action(Schema):
    id: int
    audit_id: int
    recommendation_id: int | None
    title: str
    status: str = Field(description="proposed, planned, in_progress, done or dropped")
    priority: Decimal
    due_date: datetime.date | None
    owner: str | None
    notes: str
    drop_reason: str


class Recommendation(Schema):
    id: int
    rule_id: str
    text: str
    status: str = Field(description="proposed, accepted or rejected")
    severity: int
    priority: Decimal
    indicative: bool
    reasons: list[str]
    action_id: int | None


class ActionChange(Schema):
    status: str | None = Field(None, max_length=16)
    notes: str | None = Field(None, max_length=4000)
    drop_reason: str | None = Field(None, max_length=4000)


def _audit(audit) -> dict[str, Any]:
    return {
        "id": audit.pk,
        "title": audit.title,
        "period_start": audit.period_start,
        "period_end": audit.period_end,
        "status": audit.status,
        "is_self_assessment": audit.is_self_assessment,
        "round_number": audit.round_number,
        "results_published": audit.results_published_at is not None,
    }


def _action(action) -> dict[str, Any]:
    return {
        "id": action.pk,
        "audit_id": action.audit_id,
        "recommendation_id": action.recommendation_id,
        "title": action.display_title,
        "status": action.status,
        "priority": action.priority,
        "due_date": action.due_date,
        "owner": str(action.owner) if action.owner else None,
        "notes": action.notes,
        "drop_reason": action.drop_reason,
    }


def _withheld() -> ApiError:
    return ApiError(
        403, RESULTS_WITHHELD, _("The audit's results are not published to the company yet.")
    )


def _seen(audit, action: str) -> None:
    if not audit_policy.role_allows(TOKEN_ROLE, action, audit):
        raise _withheld()


@router.get(
    "/companies/{company_id}/audits",
    response={200: list[Audit], **documented(403, 404)},
    auth=read_results,
)
def audit_list(request: TokenRequest, company_id: Id):
    selectors.company_get(token=request.auth, pk=company_id)
    return [_audit(audit) for audit in selectors.audit_list(token=request.auth)]


@router.get(
    "/audits/{audit_id}", response={200: AuditResults, **documented(403, 404)}, auth=read_results
)
def audit_detail(request: TokenRequest, audit_id: Id):
    """The overall score and level and each domain's, from the results page's selector
    (``audit_results``); 403 ``results_withheld`` until the results are published."""
    audit = selectors.audit_get(token=request.auth, pk=audit_id)
    _seen(audit, "audit.results.view")
    results = audit_results(audit=audit, with_charts=False)
    return {
        "audit": _audit(audit),
        "score": results.overall,
        "level": results.level,
        "level_name": results.level_name if results.level else "",
        "partial": results.partial,
        "domains": [
            {
                "ref": d.ref,
                "instrument": d.instrument_title,
                "title": d.title,
                "status": d.status,
                "score": d.display,
                "level": d.level,
                "level_name": d.level_name if d.level else "",
                "answered": d.answered,
                "applicable": d.applicable,
            }
            for d in results.domains
        ],
    }


@router.get(
    "/audits/{audit_id}/recommendations",
    response={200: list[Recommendation], **documented(403, 404)},
    auth=read_results,
)
def recommendation_list(request: TokenRequest, audit_id: Id):
    audit = selectors.audit_get(token=request.auth, pk=audit_id)
    _seen(audit, "recommendations.view")
    return [
        {
            "id": row.recommendation.pk,
            "rule_id": row.recommendation.rule_id,
            "text": row.text,
            "status": row.recommendation.status,
            "severity": row.recommendation.severity,
            "priority": row.recommendation.priority,
            "indicative": row.recommendation.indicative,
            "reasons": row.reasons,
            "action_id": row.action.pk if row.action else None,
        }
        for row in recommendation_rows(audit=audit)
    ]


@router.get(
    "/audits/{audit_id}/actions",
    response={200: list[Action], **documented(403, 404)},
    auth=read_results,
)
def action_list(request: TokenRequest, audit_id: Id):
    audit = selectors.audit_get(token=request.auth, pk=audit_id)
    _seen(audit, "actions.view")
    return [_action(action) for action in action_plan(audit=audit).actions]


@router.patch(
    "/actions/{action_id}",
    response={200: Action, **documented(400, 403, 404)},
    auth=write_metrics,
)
def action_change(request: TokenRequest, action_id: Id, change: ActionChange):
    """Change an action item's status, notes or reason for dropping, as a client manager
    may on the action plan (``action_update``: the same transitions and checks; 422
    ``invalid`` with the reasons when the plan's rules refuse it). Needs write-metrics."""
    action = selectors.action_get(token=request.auth, pk=action_id)
    _seen(action.audit, "actions.view")
    fields = change.dict(exclude_unset=True)
    try:
        updated = action_update(
            action=action,
            by=None,
            by_role=TOKEN_ROLE,
            status=fields.get("status") or KEEP,
            notes=fields.get("notes", KEEP),
            drop_reason=fields.get("drop_reason", KEEP),
        )
    except ValidationError as refusal:
        raise ApiError(
            422, INVALID, _("The action cannot be changed so."), errors={"action": refusal.messages}
        ) from refusal
    return _action(updated)
