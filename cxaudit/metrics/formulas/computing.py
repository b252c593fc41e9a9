"""Every §6.1 metric of one period from its inputs."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cxaudit.rounding import round_half_up

from .period_inputs import (
    COST_SHARE_TARGET,
    COUNT,
    COUNT_FIELDS,
    DURATION_FIELDS,
    MINUTES,
    MONEY,
    MONEY_FIELDS,
    MONEY_PLACES,
    PERCENT,
    RATE_PLACES,
    RATIO,
    SAMPLE_FIELDS,
    SCORE,
    Number,
    PeriodInputs,
    _decimal,
    _is_whole,
    duration_seconds,
)
from .validation import Issue, derive_missing_balance, validate
from .values import MetricValue, _minutes, _money, _no_data, _percent, _shown, _undefined, ltv

# --------------------------------------------------------------------------- compute


@dataclass(frozen=True)
class PeriodMetrics:
    months: int | None
    derived: str | None  # balance field filled by derive_missing_balance
    issues: tuple[Issue, ...]
    frt_business_hours: bool
    retention: MetricValue
    churn: MetricValue
    monthly_churn: MetricValue
    net_change: MetricValue
    ltv: MetricValue
    cac: MetricValue
    ltv_cac: MetricValue
    frt_median: MetricValue
    frt_mean: MetricValue
    aht: MetricValue
    aht_median: MetricValue
    resolution_rate: MetricValue
    fcr: MetricValue
    iqs: MetricValue
    cost_share: MetricValue
    cost_per_resolved: MetricValue
    repeat_purchase_rate: MetricValue

    def metrics(self) -> dict[str, MetricValue]:
        return {
            f.name: value
            for f in fields(self)
            if isinstance(value := getattr(self, f.name), MetricValue)
        }


class _Inputs:
    """Valid, converted inputs for one compute() call, with the shared precedence:
    an error on any input used makes a metric ``invalid``, then a missing required
    input makes it ``no_data``; only then does the metric itself run."""

    def __init__(self, inputs: PeriodInputs, issues: Sequence[Issue]) -> None:
        self.raw = inputs
        self.errors = [issue for issue in issues if issue.kind == "error"]

    def get(self, name: str) -> Any:
        """The input converted: counts to int, amounts to Decimal, durations to seconds."""
        value = getattr(self.raw, name)
        if value is None:
            return None
        if name in COUNT_FIELDS:
            return int(value)
        if name in DURATION_FIELDS:
            return duration_seconds(*value)
        if name in SAMPLE_FIELDS:
            return [duration_seconds(*item) for item in value]
        if name == "qa_categories":
            return [(Fraction(w), int(p), int(c)) for w, p, c in value]
        if name in MONEY_FIELDS or name == "aov":
            return round_half_up(_decimal(value), MONEY_PLACES)  # money has 2 places (§1.3)
        return _decimal(value)

    def metric(
        self,
        unit: str,
        places: int,
        needs: tuple[str, ...],
        compute: Callable[..., MetricValue],
        optional: tuple[str, ...] = (),
    ) -> MetricValue:
        """``compute`` gets the needed inputs positionally and the optional ones by name."""
        used = {*needs, *optional}
        for issue in self.errors:
            if used & set(issue.fields):
                return MetricValue(None, "invalid", unit, places, (issue.key, issue.params))
        missing = tuple(name for name in needs if getattr(self.raw, name) is None)
        if missing:
            return _no_data(unit, places, missing)
        args = [self.get(name) for name in needs]
        return compute(*args, **{name: self.get(name) for name in optional})


def _survival(start: int, lost: int, months: int) -> float:
    """(1 − L/S)^(1/m): the share of customers kept per month."""
    return math.pow(float(1 - Fraction(lost, start)), 1 / months)


def _customer_rates_undefined(unit: str, start: int, lost: int | None) -> MetricValue | None:
    if start == 0:
        return _undefined(unit, RATE_PLACES, "no_start_customers")
    if lost is not None and lost > start:
        return _undefined(unit, RATE_PLACES, "lost_exceed_start")
    return None


def _mean(samples: list[int]) -> Fraction:
    return Fraction(sum(samples), len(samples))


def compute(inputs: PeriodInputs) -> PeriodMetrics:
    """Derive the balance, validate, then compute every §6.1 metric."""
    derivation = derive_missing_balance(inputs)
    issues = validate(derivation.inputs)
    x = _Inputs(derivation.inputs, issues)
    lost_known = x.get("lost") if _is_whole(derivation.inputs.lost) else None

    # Customers.
    def retention(start: int, end: int, won: int) -> MetricValue:
        # With the balance, E − N = S − L, so it is negative exactly when L > S.
        undefined = _customer_rates_undefined(PERCENT, start, lost_known)
        return undefined or _percent(100 * (end - won) / start)

    def churn(start: int, lost: int) -> MetricValue:
        return _customer_rates_undefined(PERCENT, start, lost) or _percent(100 * lost / start)

    def monthly_churn(start: int, lost: int, months: int) -> MetricValue:
        if undefined := _customer_rates_undefined(PERCENT, start, lost):
            return undefined
        if months == 1:
            return _percent(100 * lost / start)
        return _percent((1 - _survival(start, lost, months)) * 100)

    retention_v = x.metric(PERCENT, RATE_PLACES, ("start", "end", "won"), retention)
    churn_v = x.metric(PERCENT, RATE_PLACES, ("start", "lost"), churn)
    monthly_v = x.metric(PERCENT, RATE_PLACES, ("start", "lost", "months"), monthly_churn)
    net_v = x.metric(
        COUNT, 0, ("won", "lost"), lambda won, lost: MetricValue(won - lost, "ok", COUNT, 0)
    )

    # LTV, CAC, LTV:CAC.
    def ltv_metric(
        aov: Decimal, orders: Decimal, margin_pct: Decimal | None, years: Decimal | None
    ) -> MetricValue:
        annual: Fraction | None = None
        if years is None and monthly_v.ok:
            # c_y = 1 − (1 − c_m)^12 = 1 − (1 − L/S)^(12/m), exact since m divides 12.
            kept = 1 - Fraction(x.get("lost"), x.get("start"))
            annual = 100 * (1 - kept ** (12 // x.get("months")))
        return ltv(
            aov=aov,
            orders_per_year=orders,
            years=years,
            margin_pct=margin_pct,
            annual_churn_pct=annual,
        )

    ltv_v = x.metric(
        MONEY, MONEY_PLACES, ("aov", "orders_per_year"), ltv_metric, ("margin_pct", "years")
    )

    def cac(spend: Decimal, won: int) -> MetricValue:
        if won == 0:
            return _undefined(MONEY, MONEY_PLACES, "no_customers_won")
        return _money(spend / won)

    cac_v = x.metric(MONEY, MONEY_PLACES, ("acquisition_spend", "won"), cac)
    ltv_cac_v = _ltv_cac(ltv_v, cac_v)

    # Response and handling times.
    frt_flags = ("business_hours",) if derivation.inputs.frt_business_hours else ()

    def from_samples(statistic: Callable[[list[int]], Number]) -> Callable[..., MetricValue]:
        def run(samples: list[int]) -> MetricValue:
            return (
                _minutes(statistic(samples))
                if samples
                else _undefined(MINUTES, RATE_PLACES, "no_samples")
            )

        return run

    def frt(reported: str, statistic: Callable[[list[int]], Number]) -> MetricValue:
        if derivation.inputs.frt_samples is not None:
            value = x.metric(MINUTES, RATE_PLACES, ("frt_samples",), from_samples(statistic))
        else:
            value = x.metric(MINUTES, RATE_PLACES, (reported,), _minutes)
        return replace(value, flags=value.flags + frt_flags)

    def aht(total: int, contacts: int) -> MetricValue:
        if contacts == 0:
            return _undefined(MINUTES, RATE_PLACES, "no_contacts")
        return _minutes(Fraction(total, contacts))

    if derivation.inputs.handling_time is None and derivation.inputs.handling_samples is not None:
        aht_v = x.metric(MINUTES, RATE_PLACES, ("handling_samples",), from_samples(_mean))
    else:
        aht_v = x.metric(MINUTES, RATE_PLACES, ("handling_time", "handled_contacts"), aht)
    aht_median_v = x.metric(
        MINUTES, RATE_PLACES, ("handling_samples",), from_samples(statistics.median)
    )

    # Support cases, quality, cost.
    def case_rate(part: int, cases: int) -> MetricValue:
        if cases == 0:
            return _undefined(PERCENT, RATE_PLACES, "no_cases")
        return _percent(100 * part / cases)

    def iqs(categories: list[tuple[Fraction, int, int]]) -> MetricValue:
        checked = sum(weight * checks for weight, _, checks in categories)
        if checked == 0:
            return _undefined(SCORE, RATE_PLACES, "no_checks")
        passed = sum(weight * passes for weight, passes, _ in categories)
        return MetricValue(float(100 * passed / checked), "ok", SCORE, RATE_PLACES)

    def cost_share(cost: Decimal, revenue: Decimal) -> MetricValue:
        if revenue == 0:
            return _undefined(PERCENT, RATE_PLACES, "no_revenue")
        share = float(cost * 100 / revenue)
        band = "on_target" if _shown(share, RATE_PLACES) < COST_SHARE_TARGET else "above_target"
        return replace(_percent(share), band=band)

    def cost_per_resolved(cost: Decimal, resolved: int) -> MetricValue:
        if resolved == 0:
            return _undefined(MONEY, MONEY_PLACES, "no_resolved_cases")
        return _money(cost / resolved)

    def repeat_rate(repeat: int, buyers: int) -> MetricValue:
        if buyers == 0:
            return _undefined(PERCENT, RATE_PLACES, "no_buyers")
        return _percent(100 * repeat / buyers)

    return PeriodMetrics(
        months=derivation.inputs.months,
        derived=derivation.derived,
        issues=tuple(issues),
        frt_business_hours=derivation.inputs.frt_business_hours,
        retention=retention_v,
        churn=churn_v,
        monthly_churn=monthly_v,
        net_change=net_v,
        ltv=ltv_v,
        cac=cac_v,
        ltv_cac=ltv_cac_v,
        frt_median=frt("frt_median", statistics.median),
        frt_mean=frt("frt_mean", _mean),
        aht=aht_v,
        aht_median=aht_median_v,
        resolution_rate=x.metric(PERCENT, RATE_PLACES, ("resolved", "cases"), case_rate),
        fcr=x.metric(PERCENT, RATE_PLACES, ("first_contact", "cases"), case_rate),
        iqs=x.metric(SCORE, RATE_PLACES, ("qa_categories",), iqs),
        cost_share=x.metric(PERCENT, RATE_PLACES, ("support_cost", "revenue"), cost_share),
        cost_per_resolved=x.metric(
            MONEY, MONEY_PLACES, ("support_cost", "resolved"), cost_per_resolved
        ),
        repeat_purchase_rate=x.metric(
            PERCENT, RATE_PLACES, ("repeat_buyers", "buyers"), repeat_rate
        ),
    )


def _exact(metric: MetricValue) -> Decimal:
    """The value of an ``ok`` metric as a Decimal (floats by their shortest form)."""
    if metric.value is None:
        raise ValueError("only ok metrics have a value")
    return _decimal(metric.value)


def _ltv_cac(ltv_v: MetricValue, cac_v: MetricValue) -> MetricValue:
    for part in (ltv_v, cac_v):
        if not part.ok:
            return replace(part, unit=RATIO, places=RATE_PLACES, flags=())
    if cac_v.value == 0:
        return _undefined(RATIO, RATE_PLACES, "cac_zero")
    ratio = float(_exact(ltv_v) / _exact(cac_v))
    return MetricValue(ratio, "ok", RATIO, RATE_PLACES, flags=ltv_v.flags)
