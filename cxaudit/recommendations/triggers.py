"""Trigger conditions and the health s of each trigger (§9)."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Literal

from cxaudit import bands
from cxaudit.rounding import round_half_up
from cxaudit.scoring import Exact, as_fraction, normalise, valid_raw

from .catalogue import (
    _COMPARE,
    _ZERO,
    DRIVER_FIX_FIRST,
    REGULAR_SURVEY,
    SURVEY_MAX_AGE_DAYS,
    TOP_DETRACTOR_THEME,
    DomainTrigger,
    ItemTrigger,
    ItemValue,
    _clamp,
    _shown,
)
from .facts import MetricFacts
from .outcome import Trigger

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
    driver = m.driver_fix_first
    if driver is not None:
        # The worse the driver performs, the higher the priority.
        found.append(
            (
                DRIVER_FIX_FIRST,
                Trigger(
                    kind="driver",
                    ref=driver.ref,
                    observed=round_half_up(as_fraction(driver.share), 1),
                    condition=">=",
                    threshold=round_half_up(as_fraction(driver.share_split), 1),
                    health=_percent_health(as_fraction(driver.performance)),
                ),
            )
        )
    theme = m.detractor_theme
    if theme is not None:
        # The more detractors mention it, the higher the priority.
        found.append(
            (
                TOP_DETRACTOR_THEME,
                Trigger(
                    kind="theme",
                    ref=theme.ref,
                    observed=round_half_up(as_fraction(theme.detractor_share), 1),
                    condition=">",
                    threshold=round_half_up(as_fraction(theme.promoter_share), 1),
                    health=_percent_health(100 - as_fraction(theme.detractor_share)),
                ),
            )
        )
    return found
