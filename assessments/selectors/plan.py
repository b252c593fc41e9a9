"""Reads for the recommendations page, the action plan and the journey map editor."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.translation import get_language

from cxaudit.accounts.models import Role
from cxaudit.instrument_schema import Section

from ..models import (
    ActionItem,
    ActionStatus,
    Audit,
    AuditInstrument,
    InstrumentKind,
    Recommendation,
    RecommendationStatus,
    Touchpoint,
)
from ..reasons import reason_lines
from ..rule_texts import recommendation_text
from .audits import AuditAccess, audit_access_get
from .facts import audit_instruments_pinned

PRESELECTED = 10  # the top recommendations by priority, ticked in the bulk accept form


# --------------------------------------------------------------------------- recommendations


@dataclass
class RecommendationRow:
    recommendation: Recommendation
    text: str
    reasons: list[str]
    action: ActionItem | None
    preselected: bool = False
    recurred: bool = False

    @property
    def is_proposed(self) -> bool:
        return self.recommendation.status == RecommendationStatus.PROPOSED


def recurred_rules(*, audit: Audit) -> set[str]:
    """Rules whose action was done in the previous round and fire again in this one."""
    if audit.previous_id is None:
        return set()
    return set(
        ActionItem.objects.filter(
            audit_id=audit.previous_id, status=ActionStatus.DONE, recurred=True
        ).values_list("rule_id", flat=True)
    )


def recommendation_row(
    *, recommendation: Recommendation, instruments, recurred: set[str] | None = None
) -> RecommendationRow:
    language = get_language() or "ru"
    actions = list(recommendation.actions.all())
    return RecommendationRow(
        recommendation=recommendation,
        text=recommendation_text(recommendation, language),
        reasons=reason_lines(recommendation.reasons, instruments),
        action=actions[0] if actions else None,
        recurred=recommendation.rule_id in (recurred or set()),
    )


def recommendation_rows(*, audit: Audit) -> list[RecommendationRow]:
    """Stored recommendations, highest priority first, with their reasons in words; the
    ten undecided ones with the highest priority are preselected for bulk acceptance."""
    instruments = audit_instruments_pinned(audit=audit)
    recurred = recurred_rules(audit=audit)
    rows = [
        recommendation_row(recommendation=r, instruments=instruments, recurred=recurred)
        for r in audit.recommendations.select_related("touchpoint").prefetch_related("actions")
    ]
    undecided = [row for row in rows if row.is_proposed]
    for row in undecided[:PRESELECTED]:
        row.preselected = True
    return rows


def recommendation_get(*, audit: Audit, pk) -> Recommendation:
    recommendation = (
        audit.recommendations.select_related("audit").prefetch_related("actions").filter(pk=pk)
    ).first()
    if recommendation is None:
        raise Http404
    return recommendation


# --------------------------------------------------------------------------- action plan


@dataclass
class ActionPlan:
    actions: list[ActionItem]
    counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0


def action_plan(*, audit: Audit) -> ActionPlan:
    """The audit's action items with owners, and whether each continues in the next round."""
    actions = list(
        audit.actions.select_related("owner", "recommendation", "carried_from__audit").annotate(
            carried_on=Exists(ActionItem.objects.filter(carried_from=OuterRef("pk")))
        )
    )
    counts = {status: 0 for status in ActionStatus.values}
    for action in actions:
        counts[action.status] += 1
    return ActionPlan(
        actions=actions,
        counts=counts,
        overdue=sum(1 for action in actions if action.is_overdue),
    )


def action_get(*, user, pk) -> tuple[ActionItem, AuditAccess]:
    """An action item and the user's access to its audit; 404 for outsiders."""
    audit_id = (
        ActionItem.objects.filter(pk=pk, audit__in=Audit.objects.for_user(user))
        .values_list("audit_id", flat=True)
        .first()
    )
    if audit_id is None:
        raise Http404
    access = audit_access_get(user=user, pk=audit_id)
    action = (
        ActionItem.objects.select_related("owner", "recommendation", "carried_from__audit")
        .annotate(carried_on=Exists(ActionItem.objects.filter(carried_from=OuterRef("pk"))))
        .get(pk=pk)
    )
    action.audit = access.audit
    return action, access


def owner_choices(*, audit: Audit) -> list:
    """Company members who may own an action (managers and staff, not consultants)."""
    return [
        membership.user
        for membership in audit.company.memberships.filter(role__in=[Role.MANAGER, Role.STAFF])
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


# --------------------------------------------------------------------------- journey map


def journey_instrument(*, audit: Audit) -> AuditInstrument | None:
    return (
        audit.instruments.select_related("version", "version__instrument")
        .filter(version__instrument__kind=InstrumentKind.JOURNEY_MAP)
        .order_by("position")
        .first()
    )


def journey_stages(*, audit: Audit) -> list[Section]:
    instrument = journey_instrument(audit=audit)
    return [] if instrument is None else list(instrument.version.parsed.sections)


@dataclass
class Stage:
    key: str
    title: str
    description: str
    touchpoints: list[Touchpoint]


def journey_map(*, audit: Audit, instrument: AuditInstrument) -> list[Stage]:
    """The journey stages with their touchpoints in order; touchpoints of a stage the
    instrument no longer has are listed under their stage key at the end."""
    language = get_language() or "ru"
    by_stage: dict[str, list[Touchpoint]] = {}
    for touchpoint in audit.touchpoints.order_by("stage_key", "position", "pk"):
        by_stage.setdefault(touchpoint.stage_key, []).append(touchpoint)
    stages = [
        Stage(
            key=section.key,
            title=section.title.get(language),
            description=section.description.get(language) if section.description else "",
            touchpoints=by_stage.pop(section.key, []),
        )
        for section in instrument.version.parsed.sections
    ]
    stages += [
        Stage(key=key, title=key, description="", touchpoints=touchpoints)
        for key, touchpoints in by_stage.items()
    ]
    return stages


def journey_stage(*, audit: Audit, instrument: AuditInstrument, key: str) -> Stage:
    for stage in journey_map(audit=audit, instrument=instrument):
        if stage.key == key:
            return stage
    raise Http404


def touchpoint_get(*, audit: Audit, pk) -> Touchpoint:
    touchpoint = audit.touchpoints.filter(pk=pk).first()
    if touchpoint is None:
        raise Http404
    touchpoint.audit = audit
    return touchpoint


def next_round_period(*, audit: Audit) -> dict[str, date]:
    """The next round's period as proposed: as long as this one, from the day after it."""
    start = audit.period_end + timedelta(days=1)
    return {"period_start": start, "period_end": start + (audit.period_end - audit.period_start)}
