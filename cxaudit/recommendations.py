"""Recommendation rules and their priorities (METHODOLOGY §9).

A pure rule engine, no Django. The catalogue (rule ids and severities) and the
item and domain triggers come from the instrument library; the metric,
touchpoint and self-view rules are fixed here. Texts live in the YAML files
under ``rec.<id>``: the engine deals in ids only.

Conditions compare display-rounded values (the threshold rule of §1.3); the
health s and the priority use exact values, so ties are broken by the numbers
clients never see rounded away.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, TypeAlias

from cxaudit import bands
from cxaudit.rounding import round_half_up
from cxaudit.scoring import (
    SCORED_SCALES,
    Exact,
    Scale,
    as_fraction,
    normalise,
    scale_max,
    scale_min,
    valid_raw,
)

TriggerKind: TypeAlias = Literal["item", "domain", "metric", "touchpoint", "gap"]
Condition: TypeAlias = Literal["<", "<=", ">", ">=", "blank", "never", "blind_spot"]
ItemValue: TypeAlias = int | str | None

SEVERITIES: Final = (1, 2, 3)
TOUCHPOINT_PAIN: Final = "touchpoint-pain"
SELF_VIEW_GAP: Final = "self-view-gap"
REGULAR_SURVEY: Final = "regular-survey"
# Rules whose conditions are fixed in code (§9); all others come from the library.
METRIC_RULE_IDS: Final[frozenset[str]] = frozenset(
    {
        "nps-negative",
        "nps-low",
        "nps-imprecise",
        "csat-low",
        "csat-very-poor",
        "ces-low",
        "enps-negative",
        "wellbeing-low",
        REGULAR_SURVEY,
        "churn-high",
        "net-loss",
        "repeat-drop",
        "frt-slow",
        "fcr-low",
        "iqs-low",
        "cost-high",
        SELF_VIEW_GAP,
        TOUCHPOINT_PAIN,
    }
)
SURVEY_MAX_AGE_DAYS: Final = 183
PAINFUL_EMOTION: Final = 2

_ZERO: Final = Fraction(0)
_ONE: Final = Fraction(1)
_KIND_ORDER: Final[dict[str, int]] = {
    "item": 0,
    "domain": 1,
    "metric": 2,
    "touchpoint": 3,
    "gap": 4,
}
_COMPARE: Final[dict[str, Callable[[Fraction, Fraction], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _clamp(value: Fraction) -> Fraction:
    return min(_ONE, max(_ZERO, value))


def _shown(value: Fraction, places: int) -> Fraction:
    return Fraction(round_half_up(value, places))


def _split_ref(ref: str, *, item: bool) -> tuple[str, str]:
    instrument, sep, rest = ref.partition(":")
    if not sep or not instrument or not rest:
        raise ValueError(f"reference {ref!r} must look like 'instrument:section'")
    if item:
        section, dot, key = rest.partition(".")
        if not dot or not section or not key:
            raise ValueError(f"item reference {ref!r} must look like 'instrument:section.item'")
    return instrument, rest


# --------------------------------------------------------------------------- catalogue and triggers


@dataclass(frozen=True)
class RuleSpec:
    """A catalogue entry: the rule id and its severity (3 critical, 2 important, 1 advisory)."""

    id: str
    severity: int

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a rule needs an id")
        severity = self.severity
        if (
            isinstance(severity, bool)
            or not isinstance(severity, int)
            or severity not in SEVERITIES
        ):
            raise ValueError(f"rule {self.id!r}: severity must be 1, 2 or 3")


@dataclass(frozen=True)
class ItemTrigger:
    """Fires when the raw answer at ``ref`` ("instrument:section.item") is ≤ ``at_most``,
    or, for a text item (``blank=True``), when the text is blank or missing.

    A missing ``plus`` answer is an unticked box (0) and can fire; for other scored
    scales a missing or N/A answer never fires.
    """

    rule: str
    ref: str
    scale: Scale
    at_most: int | None = None
    blank: bool = False

    def __post_init__(self) -> None:
        _split_ref(self.ref, item=True)
        if self.scale == "text":
            if not self.blank or self.at_most is not None:
                raise ValueError(f"{self.ref}: a text trigger fires on blank text only")
        elif self.scale in SCORED_SCALES:
            low, high = scale_min(self.scale), scale_max(self.scale)
            if (
                self.blank
                or not isinstance(self.at_most, int)
                or isinstance(self.at_most, bool)
                or low is None
                or high is None
                or not low <= self.at_most <= high
            ):
                raise ValueError(f"{self.ref}: at_most must be an answer on the {self.scale} scale")
        else:
            raise ValueError(f"{self.ref}: {self.scale!r} items cannot trigger rules")

    @property
    def instrument(self) -> str:
        return _split_ref(self.ref, item=True)[0]


@dataclass(frozen=True)
class DomainTrigger:
    """Fires when the score of domain ``ref`` ("instrument:section"), rounded to
    1 decimal, is below ``below``. An unscored domain never fires."""

    rule: str
    ref: str
    below: Fraction | int  # always a Fraction after construction

    def __post_init__(self) -> None:
        _split_ref(self.ref, item=False)
        bound = as_fraction(self.below)
        if not 0 < bound <= 100:
            raise ValueError(f"{self.ref}: the domain threshold must lie in (0, 100]")
        object.__setattr__(self, "below", bound)

    @property
    def instrument(self) -> str:
        return _split_ref(self.ref, item=False)[0]


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, kw_only=True)
class MetricFacts:
    """Displayed metrics of the audit period. None means hidden or not available
    and triggers nothing. Percentages are 0-100; ``*_indicative`` marks figures
    shown as indicative (5 ≤ n < 30)."""

    nps: Exact | None = None
    nps_margin: Exact | None = None  # displayed margin of error, points
    nps_indicative: bool = False
    csat_t2b: Exact | None = None
    csat_b2b: Exact | None = None
    csat_indicative: bool = False
    ces_agree: Exact | None = None
    ces_indicative: bool = False
    enps: Exact | None = None
    wellbeing_mean: Exact | None = None  # state-at-work mean, 0-10
    monthly_churn: Exact | None = None  # monthly-equivalent churn, %
    churn_target: Exact = 3
    net_change: int | None = None  # customers won minus lost
    repeat_rate_drop: Exact | None = None  # points down from the previous period
    frt_median_minutes: Exact | None = None
    frt_target: Exact = 60
    fcr: Exact | None = None
    iqs: Exact | None = None
    cost_share: Exact | None = None  # support cost / revenue, %
    surveys_in_use: bool = False  # the organisation runs customer surveys in CX Audit
    days_since_customer_wave: int | None = None  # last closed customer wave; None = never

    def __post_init__(self) -> None:
        ranges: dict[str, tuple[int | None, int | None]] = {
            "nps": (-100, 100),
            "enps": (-100, 100),
            "nps_margin": (0, None),
            "csat_t2b": (0, 100),
            "csat_b2b": (0, 100),
            "ces_agree": (0, 100),
            "wellbeing_mean": (0, 10),
            "monthly_churn": (0, 100),
            "frt_median_minutes": (0, None),
            "fcr": (0, 100),
            "iqs": (0, 100),
            "cost_share": (0, None),
        }
        for name, (low, high) in ranges.items():
            value = getattr(self, name)
            if value is None:
                continue
            exact = as_fraction(value)
            if (low is not None and exact < low) or (high is not None and exact > high):
                raise ValueError(f"{name} = {value} is out of range")
        for name in ("churn_target", "frt_target"):
            if as_fraction(getattr(self, name)) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("net_change", "days_since_customer_wave"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError(f"{name} must be a whole number")
        if self.days_since_customer_wave is not None and self.days_since_customer_wave < 0:
            raise ValueError("days_since_customer_wave cannot be negative")


@dataclass(frozen=True)
class Touchpoint:
    """A journey-map touchpoint with the customer's emotion, 1 (worst) to 5."""

    key: str
    title: str
    emotion: int

    def __post_init__(self) -> None:
        if isinstance(self.emotion, bool) or not isinstance(self.emotion, int):
            raise ValueError(f"touchpoint {self.key!r}: emotion must be a whole number")
        if not 1 <= self.emotion <= 5:
            raise ValueError(f"touchpoint {self.key!r}: emotion must be 1 to 5")


@dataclass(frozen=True, kw_only=True)
class AuditFacts:
    """Everything the rules read for one audit.

    ``instruments`` names the instruments used in the audit: item and domain
    triggers of other instruments are skipped (otherwise an unused ``plus``
    checklist would read as all unticked). ``item_answers`` holds raw answers by
    "instrument:section.item" (int, or str for text); a skip or N/A is absent or None.
    ``domain_scores`` holds exact consultant domain scores by "instrument:section"
    (None when unscored). ``blind_spots`` lists domain refs flagged as blind spots (§8).
    """

    instruments: AbstractSet[str]  # stored as a frozenset
    item_answers: Mapping[str, ItemValue] = field(default_factory=dict)
    domain_scores: Mapping[str, Exact | None] = field(default_factory=dict)
    metrics: MetricFacts = field(default_factory=MetricFacts)
    touchpoints: Sequence[Touchpoint] = ()
    blind_spots: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "instruments", frozenset(self.instruments))
        keys = [t.key for t in self.touchpoints]
        if len(set(keys)) != len(keys):
            raise ValueError("touchpoint keys must be unique")


# --------------------------------------------------------------------------- output


@dataclass(frozen=True, kw_only=True)
class Trigger:
    """One condition that held, so the UI can say why a recommendation appears.

    ``ref`` is the item or domain reference, the metric name (``"nps"``,
    ``"monthly_churn"``, ``"days_since_customer_wave"`` …), the touchpoint key or,
    for a gap, the domain reference. ``observed`` is the raw answer (items,
    touchpoints), the display-rounded value (domains, metrics) or None (blank
    text, a survey never run, a blind spot). ``threshold`` is the bound compared with.
    """

    kind: TriggerKind
    ref: str
    observed: int | str | Decimal | None
    condition: Condition
    threshold: int | Decimal | None
    health: Fraction  # s of this trigger, 0..1
    indicative: bool = False


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    rule: str
    severity: int
    health: Fraction  # s: the lowest health of the triggers that held
    priority: Fraction  # severity × (1 − s), 0..3
    triggers: tuple[Trigger, ...]  # the deciding (lowest-s) trigger first
    indicative: bool  # every trigger that held is an indicative metric
    touchpoint: str | None = None  # touchpoint key, for touchpoint-pain only
    touchpoint_title: str | None = None

    @property
    def priority_display(self) -> Decimal:
        return round_half_up(self.priority, 2)


PRIORITY_HIGH: Final = Decimal("2.00")
PRIORITY_MEDIUM: Final = Decimal("1.00")


def priority_level(priority: Decimal | Fraction | float) -> Literal["high", "medium", "low"]:
    """The word a reader sees for a priority (severity × (1 − s), §9, from 0 to 3).

    High from 2.00: a critical rule at most a third healthy, or an important one with the
    practice missing; medium from 1.00; low below. Like every label, it reads the value
    rounded to its display precision (§1.3), so 1.996 shows as 2.00 and is high.
    """
    shown = round_half_up(priority, 2)
    if shown >= PRIORITY_HIGH:
        return "high"
    return "medium" if shown >= PRIORITY_MEDIUM else "low"


# --------------------------------------------------------------------------- health


def _nps_health(value: Fraction) -> Fraction:
    return _clamp((value + 100) / 200)


def _percent_health(value: Fraction) -> Fraction:
    return _clamp(value / 100)


def _lower_is_better(target: Fraction) -> Callable[[Fraction], Fraction]:
    def health(value: Fraction) -> Fraction:
        return _clamp(1 - value / (2 * target))

    return health


def _wellbeing_health(value: Fraction) -> Fraction:
    return _clamp(value / 10)


# --------------------------------------------------------------------------- evaluation


def _item_trigger(trigger: ItemTrigger, raw: ItemValue) -> Trigger | None:
    if trigger.scale == "text":
        if raw is not None and not isinstance(raw, str):
            raise ValueError(f"{trigger.ref}: a text answer must be a string")
        if raw is None or not raw.strip():
            return Trigger(
                kind="item",
                ref=trigger.ref,
                observed=None,
                condition="blank",
                threshold=None,
                health=_ZERO,
            )
        return None
    if raw is None:
        if trigger.scale != "plus":
            return None  # not answered or N/A: never read as "no"
        raw = 0  # the box was not ticked
    if isinstance(raw, str) or not valid_raw(trigger.scale, raw):
        raise ValueError(f"{trigger.ref}: {raw!r} is not a valid {trigger.scale} answer")
    if trigger.at_most is None or raw > trigger.at_most:
        return None
    health = normalise(trigger.scale, raw)
    return Trigger(
        kind="item",
        ref=trigger.ref,
        observed=raw,
        condition="<=",
        threshold=trigger.at_most,
        health=_ZERO if health is None else health,
    )


def _domain_trigger(trigger: DomainTrigger, score: Exact | None) -> Trigger | None:
    if score is None:
        return None
    exact = as_fraction(score)
    bound = as_fraction(trigger.below)
    if not _shown(exact, 1) < bound:
        return None
    return Trigger(
        kind="domain",
        ref=trigger.ref,
        observed=round_half_up(exact, 1),
        condition="<",
        threshold=round_half_up(bound, 1),
        health=_clamp(exact / 100),
    )


def _metric(
    ref: str,
    value: Exact | None,
    *,
    places: int,
    condition: Literal["<", "<=", ">", ">="],
    bound: Exact,
    health: Callable[[Fraction], Fraction],
    indicative: bool = False,
    at_least: Exact | None = None,
) -> Trigger | None:
    """A metric trigger if the displayed value meets the condition (and, for a band,
    is at least ``at_least``)."""
    if value is None:
        return None
    exact = as_fraction(value)
    shown = _shown(exact, places)
    limit = as_fraction(bound)
    if not _COMPARE[condition](shown, limit):
        return None
    if at_least is not None and shown < as_fraction(at_least):
        return None
    return Trigger(
        kind="metric",
        ref=ref,
        observed=round_half_up(exact, places),
        condition=condition,
        threshold=round_half_up(limit, places),
        health=health(exact),
        indicative=indicative,
    )


def _metric_triggers(m: MetricFacts) -> list[tuple[str, Trigger | None]]:
    churn_target = as_fraction(m.churn_target)
    frt_target = as_fraction(m.frt_target)
    margin = None if m.nps is None else m.nps_margin
    found: list[tuple[str, Trigger | None]] = [
        (
            "nps-negative",
            _metric(
                "nps",
                m.nps,
                places=1,
                condition="<",
                bound=bands.NPS_PROBLEMS_FROM,
                health=_nps_health,
                indicative=m.nps_indicative,
            ),
        ),
        (
            "nps-low",
            _metric(
                "nps",
                m.nps,
                places=1,
                condition="<",
                bound=bands.NPS_GOOD_FROM,
                at_least=bands.NPS_PROBLEMS_FROM,
                health=_nps_health,
                indicative=m.nps_indicative,
            ),
        ),
        (
            "nps-imprecise",
            _metric(
                "nps_margin",
                margin,
                places=1,
                condition=">",
                bound=10,
                health=_lower_is_better(Fraction(10)),
                indicative=m.nps_indicative,
            ),
        ),
        (
            "csat-low",
            _metric(
                "csat_t2b",
                m.csat_t2b,
                places=1,
                condition="<",
                bound=bands.CSAT_ACCEPTABLE_FROM,
                health=_percent_health,
                indicative=m.csat_indicative,
            ),
        ),
        (
            "csat-very-poor",
            _metric(
                "csat_b2b",
                m.csat_b2b,
                places=1,
                condition=">=",
                bound=15,
                health=_lower_is_better(Fraction(15)),
                indicative=m.csat_indicative,
            ),
        ),
        (
            "ces-low",
            _metric(
                "ces_agree",
                m.ces_agree,
                places=1,
                condition="<",
                bound=bands.CES_ACCEPTABLE_FROM,
                health=_percent_health,
                indicative=m.ces_indicative,
            ),
        ),
        (
            "enps-negative",
            _metric(
                "enps",
                m.enps,
                places=1,
                condition="<",
                bound=bands.ENPS_ACCEPTABLE_FROM,
                health=_nps_health,
            ),
        ),
        (
            "wellbeing-low",
            _metric(
                "wellbeing_mean",
                m.wellbeing_mean,
                places=2,
                condition="<",
                bound=bands.STATE_AT_WORK_ACCEPTABLE_FROM,
                health=_wellbeing_health,
            ),
        ),
        (
            "churn-high",
            _metric(
                "monthly_churn",
                m.monthly_churn,
                places=1,
                condition=">",
                bound=churn_target,
                health=_lower_is_better(churn_target),
            ),
        ),
        (
            "repeat-drop",
            _metric(
                "repeat_rate_drop",
                m.repeat_rate_drop,
                places=1,
                condition=">=",
                bound=5,
                health=_lower_is_better(Fraction(5)),
            ),
        ),
        (
            "frt-slow",
            _metric(
                "frt_median_minutes",
                m.frt_median_minutes,
                places=1,
                condition=">",
                bound=frt_target,
                health=_lower_is_better(frt_target),
            ),
        ),
        (
            "fcr-low",
            _metric("fcr", m.fcr, places=1, condition="<", bound=70, health=_percent_health),
        ),
        (
            "iqs-low",
            _metric("iqs", m.iqs, places=1, condition="<", bound=80, health=_percent_health),
        ),
        (
            "cost-high",
            _metric(
                "cost_share",
                m.cost_share,
                places=1,
                condition=">=",
                bound=10,
                health=_lower_is_better(Fraction(10)),
            ),
        ),
    ]
    if m.net_change is not None and m.net_change < 0:
        found.append(
            (
                "net-loss",
                Trigger(
                    kind="metric",
                    ref="net_change",
                    observed=m.net_change,
                    condition="<",
                    threshold=0,
                    health=_ZERO,
                ),
            )
        )
    days = m.days_since_customer_wave
    if m.surveys_in_use and (days is None or days > SURVEY_MAX_AGE_DAYS):
        found.append(
            (
                REGULAR_SURVEY,
                Trigger(
                    kind="metric",
                    ref="days_since_customer_wave",
                    observed=days,
                    condition="never" if days is None else ">",
                    threshold=SURVEY_MAX_AGE_DAYS,
                    health=_ZERO,
                ),
            )
        )
    return found


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
