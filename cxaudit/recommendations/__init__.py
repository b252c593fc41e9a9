"""Recommendation rules and their priorities (METHODOLOGY §9).

A pure rule engine, no Django. The catalogue (rule ids and severities) and the
item and domain triggers come from the instrument library; the metric,
touchpoint and self-view rules are fixed here. Texts live in the YAML files
under ``rec.<id>``: the engine deals in ids only.

Conditions compare display-rounded values (the threshold rule of §1.3); the
health s and the priority use exact values, so ties are broken by the numbers
clients never see rounded away.
"""

from .catalogue import (
    DRIVER_FIX_FIRST,
    METRIC_RULE_IDS,
    PAINFUL_EMOTION,
    REGULAR_SURVEY,
    SELF_VIEW_GAP,
    SEVERITIES,
    SURVEY_MAX_AGE_DAYS,
    TOP_DETRACTOR_THEME,
    TOUCHPOINT_PAIN,
    Condition,
    DomainTrigger,
    ItemTrigger,
    ItemValue,
    RuleSpec,
    TriggerKind,
)
from .engine import (
    evaluate,
    sort_key,
)
from .facts import (
    AuditFacts,
    DetractorTheme,
    FixFirstDriver,
    MetricFacts,
    Touchpoint,
)
from .outcome import (
    PRIORITY_HIGH,
    PRIORITY_MEDIUM,
    Recommendation,
    Trigger,
    priority_level,
)

__all__ = [
    "DRIVER_FIX_FIRST",
    "METRIC_RULE_IDS",
    "PAINFUL_EMOTION",
    "PRIORITY_HIGH",
    "PRIORITY_MEDIUM",
    "REGULAR_SURVEY",
    "SELF_VIEW_GAP",
    "SEVERITIES",
    "SURVEY_MAX_AGE_DAYS",
    "TOP_DETRACTOR_THEME",
    "TOUCHPOINT_PAIN",
    "AuditFacts",
    "Condition",
    "DetractorTheme",
    "DomainTrigger",
    "FixFirstDriver",
    "ItemTrigger",
    "ItemValue",
    "MetricFacts",
    "Recommendation",
    "RuleSpec",
    "Touchpoint",
    "Trigger",
    "TriggerKind",
    "evaluate",
    "priority_level",
    "sort_key",
]
