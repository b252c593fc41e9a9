"""What the rule engine recommends for an audit now, from the facts its results show."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language

from cxaudit import recommendations as rules_engine
from cxaudit import scoring
from cxaudit.library import rule_catalogue

from ..models import Audit
from .facts import AuditFacts, audit_facts_get, digest_memo


@dataclass(frozen=True)
class ProposedRecommendation:
    rule_id: str
    text: str
    severity: int
    priority: Decimal
    reasons: list[dict]
    indicative: bool
    touchpoint_key: str | None


def _item_facts(instruments, raw_answers) -> dict:
    facts: dict = {}
    for audit_instrument in instruments:
        parsed = audit_instrument.version.parsed
        for section, item in parsed.items():
            ref = f"{parsed.key}:{section.key}.{item.key}"
            answer = raw_answers.get(ref)
            if answer is None or answer.is_na:
                continue
            facts[ref] = answer.text if item.scale in ("text", "number") else answer.value
    return facts


# The rule triggers of each instrument version, by document digest (see ``digest_memo``).
_TRIGGERS: dict[str, tuple[tuple, tuple]] = {}


def _triggers(instruments):
    item_triggers, domain_triggers = [], []
    for audit_instrument in instruments:
        items, domains = digest_memo(_TRIGGERS, audit_instrument, _version_triggers)
        item_triggers.extend(items)
        domain_triggers.extend(domains)
    return item_triggers, domain_triggers


def _version_triggers(parsed) -> tuple[tuple, tuple]:
    item_triggers, domain_triggers = [], []
    for section in parsed.sections:
        for ref in section.rules:
            domain_triggers.append(
                rules_engine.DomainTrigger(
                    rule=ref.rule, ref=f"{parsed.key}:{section.key}", below=ref.below
                )
            )
        for item in section.items:
            for ref in item.rules:
                item_triggers.append(
                    rules_engine.ItemTrigger(
                        rule=ref.rule,
                        ref=f"{parsed.key}:{section.key}.{item.key}",
                        scale=item.scale,
                        at_most=item.rule_at_most(ref),
                        blank=item.scale == "text",
                    )
                )
    return tuple(item_triggers), tuple(domain_triggers)


def _driver_details(metrics: rules_engine.MetricFacts) -> dict:
    """What the reason of ``driver-fix-first`` names: the question in both languages (the
    reason is stored and read in the reader's), the outcome and the driver's score."""
    driver = metrics.driver_fix_first
    if driver is None:
        return {}
    return {
        "question": {"ru": driver.title_ru, "en": driver.title_en},
        "outcome": driver.outcome,
        "performance": str(scoring.display(driver.performance)),
    }


def _theme_details(metrics: rules_engine.MetricFacts) -> dict:
    """What the reason of ``top-detractor-theme`` names: the theme in both languages and
    its share among promoters."""
    theme = metrics.detractor_theme
    if theme is None:
        return {}
    return {
        "theme": {"ru": theme.name_ru, "en": theme.name_en},
        "promoters": str(scoring.display(theme.promoter_share)),
    }


def recommendations_evaluate(*, facts: AuditFacts) -> list[ProposedRecommendation]:
    """Run the rule engine on this audit's facts; texts come from the rule catalogue."""
    catalogue = rule_catalogue()
    language = get_language() or "ru"
    instruments = facts.instruments
    item_triggers, domain_triggers = _triggers(instruments)
    engine_facts = rules_engine.AuditFacts(
        instruments={ai.version.instrument.key for ai in instruments},
        item_answers=_item_facts(instruments, facts.raw_answers),
        domain_scores={d.key: d.score for d in facts.maturity.domains},
        metrics=facts.metric_facts,
        touchpoints=[
            rules_engine.Touchpoint(key=str(t.pk), title=t.name, emotion=t.emotion)
            for t in facts.touchpoints
            if t.emotion
        ],
        blind_spots=[gap.ref for gap in facts.gaps if gap.flag == scoring.BLIND_SPOT],
    )
    found = rules_engine.evaluate(
        rules=[rules_engine.RuleSpec(id=r.id, severity=r.severity) for r in catalogue.rules],
        facts=engine_facts,
        item_triggers=item_triggers,
        domain_triggers=domain_triggers,
    )
    return [
        ProposedRecommendation(
            rule_id=rec.rule,
            text=catalogue.get(rec.rule).text.get(language),
            severity=rec.severity,
            priority=rec.priority_display,
            reasons=[
                {
                    "kind": t.kind,
                    "ref": t.ref,
                    "observed": None if t.observed is None else str(t.observed),
                    "condition": t.condition,
                    "threshold": None if t.threshold is None else str(t.threshold),
                    **(_driver_details(facts.metric_facts) if t.kind == "driver" else {}),
                    **(_theme_details(facts.metric_facts) if t.kind == "theme" else {}),
                }
                for t in rec.triggers
            ],
            indicative=rec.indicative,
            touchpoint_key=rec.touchpoint,
        )
        for rec in found
    ]


def recommendations_proposed(*, audit: Audit) -> list[ProposedRecommendation]:
    """What the rule engine recommends for the audit now, whether or not any are stored."""
    return recommendations_evaluate(facts=audit_facts_get(audit=audit))
