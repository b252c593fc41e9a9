"""The rule engine: every recommendation that fires for one audit, by priority."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from .catalogue import (
    _KIND_ORDER,
    _ZERO,
    PAINFUL_EMOTION,
    SELF_VIEW_GAP,
    TOUCHPOINT_PAIN,
    DomainTrigger,
    ItemTrigger,
    RuleSpec,
)
from .facts import AuditFacts, Touchpoint
from .outcome import Recommendation, Trigger
from .triggers import _domain_trigger, _item_trigger, _metric_triggers


def _catalogue(rules: Iterable[RuleSpec] | Mapping[str, RuleSpec]) -> dict[str, RuleSpec]:
    specs = rules.values() if isinstance(rules, Mapping) else rules
    catalogue: dict[str, RuleSpec] = {}
    for spec in specs:
        if spec.id in catalogue:
            raise ValueError(f"rule {spec.id!r} appears twice in the catalogue")
        catalogue[spec.id] = spec
    return catalogue


def _trigger_order(trigger: Trigger) -> tuple[Fraction, int, str, str]:
    return (trigger.health, _KIND_ORDER[trigger.kind], trigger.ref, trigger.condition)


def _recommend(
    spec: RuleSpec,
    triggers: Iterable[Trigger],
    *,
    touchpoint: Touchpoint | None = None,
) -> Recommendation:
    held = tuple(sorted(set(triggers), key=_trigger_order))
    health = held[0].health
    return Recommendation(
        rule=spec.id,
        severity=spec.severity,
        health=health,
        priority=spec.severity * (1 - health),
        triggers=held,
        indicative=all(t.indicative for t in held),
        touchpoint=None if touchpoint is None else touchpoint.key,
        touchpoint_title=None if touchpoint is None else touchpoint.title,
    )


def sort_key(recommendation: Recommendation) -> tuple[Fraction, int, str, str]:
    """Priority (exact) descending, then severity descending, then rule id and touchpoint."""
    return (
        -recommendation.priority,
        -recommendation.severity,
        recommendation.rule,
        recommendation.touchpoint or "",
    )


def evaluate(
    *,
    rules: Iterable[RuleSpec] | Mapping[str, RuleSpec],
    facts: AuditFacts,
    item_triggers: Iterable[ItemTrigger] = (),
    domain_triggers: Iterable[DomainTrigger] = (),
) -> list[Recommendation]:
    """All recommendations that fire for one audit, highest priority first.

    A rule fires at most once (``touchpoint-pain`` once per touchpoint), with s the
    lowest health of its triggers. Only rules in the catalogue are emitted; a
    library trigger naming a rule outside it raises ValueError.
    """
    catalogue = _catalogue(rules)
    item_triggers = tuple(item_triggers)
    domain_triggers = tuple(domain_triggers)
    library: tuple[ItemTrigger | DomainTrigger, ...] = (*item_triggers, *domain_triggers)
    for library_trigger in library:
        if library_trigger.rule not in catalogue:
            raise ValueError(f"{library_trigger.ref}: unknown rule {library_trigger.rule!r}")

    held: dict[str, list[Trigger]] = {}

    def hold(rule: str, trigger: Trigger | None) -> None:
        if trigger is not None and rule in catalogue:
            held.setdefault(rule, []).append(trigger)

    for item in item_triggers:
        if item.instrument in facts.instruments:
            hold(item.rule, _item_trigger(item, facts.item_answers.get(item.ref)))
    for domain in domain_triggers:
        if domain.instrument in facts.instruments:
            hold(domain.rule, _domain_trigger(domain, facts.domain_scores.get(domain.ref)))
    for rule, metric in _metric_triggers(facts.metrics):
        hold(rule, metric)
    for ref in facts.blind_spots:
        hold(
            SELF_VIEW_GAP,
            Trigger(
                kind="gap",
                ref=ref,
                observed=None,
                condition="blind_spot",
                threshold=None,
                health=_ZERO,
            ),
        )

    recommendations = [_recommend(catalogue[rule], triggers) for rule, triggers in held.items()]
    if TOUCHPOINT_PAIN in catalogue:
        for touchpoint in facts.touchpoints:
            if touchpoint.emotion > PAINFUL_EMOTION:
                continue
            pain = Trigger(
                kind="touchpoint",
                ref=touchpoint.key,
                observed=touchpoint.emotion,
                condition="<=",
                threshold=PAINFUL_EMOTION,
                health=Fraction(touchpoint.emotion - 1, 4),
            )
            recommendations.append(
                _recommend(catalogue[TOUCHPOINT_PAIN], [pain], touchpoint=touchpoint)
            )
    return sorted(recommendations, key=sort_key)
