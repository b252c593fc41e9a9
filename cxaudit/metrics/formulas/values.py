"""One metric's value with its status, unit and display precision; LTV (§6.1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from cxaudit.rounding import round_half_up

from .period_inputs import (
    MINUTES,
    MONEY,
    MONEY_PLACES,
    PERCENT,
    RATE_PLACES,
    Message,
    Number,
    Value,
    _decimal,
    _number,
)

# --------------------------------------------------------------------------- metric values


@dataclass(frozen=True)
class MetricValue:
    """One metric: its exact ``value`` or None with the reason."""

    value: Value | None
    status: str  # ok | no_data | undefined | invalid
    unit: str
    places: int
    message: Message | None = None
    missing: tuple[str, ...] = ()  # input names, for no_data
    flags: tuple[str, ...] = ()  # "revenue_ltv", "years_estimated", "business_hours"
    band: str | None = None  # cost share: "on_target" | "above_target"

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def display(self) -> Decimal | None:
        return None if self.value is None else _shown(self.value, self.places)


def _shown(value: Value, places: int) -> Decimal:
    """Display rounding (§1.3) with room for any magnitude, never a negative zero."""
    with localcontext(prec=400):
        shown = round_half_up(value, places)
    return abs(shown) if shown == 0 else shown


def _undefined(unit: str, places: int, key: str) -> MetricValue:
    return MetricValue(None, "undefined", unit, places, (key, {}))


def _no_data(unit: str, places: int, missing: tuple[str, ...]) -> MetricValue:
    return MetricValue(
        None, "no_data", unit, places, ("missing_inputs", {"fields": missing}), missing=missing
    )


def _percent(value: Value) -> MetricValue:
    return MetricValue(value, "ok", PERCENT, RATE_PLACES)


def _minutes(seconds: Number) -> MetricValue:
    return MetricValue(float(Fraction(seconds) / 60), "ok", MINUTES, RATE_PLACES)


def _money(value: Decimal) -> MetricValue:
    return MetricValue(value, "ok", MONEY, MONEY_PLACES)


def years_from_annual_churn(annual_churn_pct: Number) -> float | None:
    """§6.1: T = 1/c_y (c_y as a fraction); None when annual churn is not in (0, 100]."""
    years = _years(annual_churn_pct)
    return None if years is None else float(years)


def _years(annual_churn_pct: Number) -> Fraction | None:
    churn = _number(annual_churn_pct)
    if churn is None or not 0 < churn <= 100:
        return None
    return 100 / churn


def ltv(
    *,
    aov: Number,
    orders_per_year: Number,
    years: Number | None = None,
    margin_pct: Number | None = None,
    annual_churn_pct: Number | None = None,
) -> MetricValue:
    """LTV = AOV × margin/100 × O × T; without a margin, Revenue LTV (flag ``revenue_ltv``).

    With T blank, T = 100 / annual churn in percent (flag ``years_estimated``); zero churn
    leaves LTV undefined.
    """
    flags: list[str] = []
    message: Message | None = None
    if years is None:
        if annual_churn_pct is None:
            return _no_data(MONEY, MONEY_PLACES, ("years",))
        estimated = _years(annual_churn_pct)
        if estimated is None:
            return _undefined(MONEY, MONEY_PLACES, "years_not_estimable")
        years = estimated
        flags.append("years_estimated")
        params = {"years": float(estimated), "annual_churn": float(annual_churn_pct)}
        message = ("years_estimated", params)
    value = _decimal(aov) * _decimal(orders_per_year) * _decimal(years)
    if margin_pct is None:
        flags.append("revenue_ltv")
    else:
        value = value * _decimal(margin_pct) / 100
    return MetricValue(value, "ok", MONEY, MONEY_PLACES, message, flags=tuple(flags))
