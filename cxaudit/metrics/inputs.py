"""Between stored or entered values and the pure module's ``PeriodInputs``.

A *values* dict is what the entry form or a CSV row gives, keyed by model field name:
counts and amounts as numbers (``Decimal`` or ``int``; fractional or negative counts reach
``cxaudit.metrics.formulas.validate``, which reports them), durations as ``(value, unit)`` pairs,
``frt_business_hours`` as a bool, ``currency`` as a code and ``qa_scorecard`` as a list of
``{"category", "weight", "passed", "checked"}`` rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import formulas
from .models import MetricPeriod

# Model field -> PeriodInputs field.
COUNTS = {
    "customers_start": "start",
    "customers_won": "won",
    "customers_lost": "lost",
    "customers_end": "end",
    "cases_opened": "cases",
    "cases_resolved": "resolved",
    "cases_first_contact": "first_contact",
    "repeat_customers": "repeat_buyers",
    "buying_customers": "buyers",
    "handled_contacts": "handled_contacts",
}
AMOUNTS = {
    "revenue": "revenue",
    "support_cost": "support_cost",
    "acquisition_spend": "acquisition_spend",
    "avg_purchase_value": "aov",
    "margin_pct": "margin_pct",
    "purchases_per_year": "orders_per_year",
    "lifespan_years": "years",
}
MONEY = ("revenue", "support_cost", "acquisition_spend", "avg_purchase_value")
DURATIONS = {"frt_median": "frt_median", "frt_mean": "frt_mean", "handling_time": "handling_time"}
NUMBERS = {**COUNTS, **AMOUNTS}
INPUT_TO_FIELD = {
    **{v: k for k, v in NUMBERS.items()},
    **{v: k for k, v in DURATIONS.items()},
    "qa_categories": "qa_scorecard",
    "months": "period",
}
BALANCE = ("customers_start", "customers_won", "customers_lost", "customers_end")


def field_for(input_name: str) -> str:
    """The model (and form) field of a ``PeriodInputs`` name."""
    return INPUT_TO_FIELD.get(input_name, input_name)


def _duration(pair: Any) -> tuple[Any, str | None] | None:
    if pair is None:
        return None
    value, unit = pair
    if value is None or value == "":
        return None
    return value, unit or None


def qa_categories(rows: list[dict[str, Any]] | None) -> tuple[formulas.QaCategory, ...] | None:
    if not rows:
        return None
    return tuple(
        formulas.QaCategory(_number(row.get("weight")), row.get("passed"), row.get("checked"))
        for row in rows
    )


def _number(value: Any) -> Any:
    """Stored JSON numbers are strings; anything unreadable stays as it is for validate()."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


def period_inputs(values: dict[str, Any], *, months: int) -> formulas.PeriodInputs:
    kwargs: dict[str, Any] = {name: values.get(field) for field, name in NUMBERS.items()}
    for field, name in DURATIONS.items():
        kwargs[name] = _duration(values.get(field))
    rows = values.get("qa_scorecard")
    kwargs["qa_categories"] = qa_categories(
        [{k: _number(v) for k, v in row.items()} for row in rows] if rows else None
    )
    return formulas.PeriodInputs(
        months=months, frt_business_hours=bool(values.get("frt_business_hours")), **kwargs
    )


def stored_inputs(period: MetricPeriod) -> formulas.PeriodInputs:
    """The stored period as ``PeriodInputs`` (durations in seconds, exactly as stored)."""
    values: dict[str, Any] = {field: getattr(period, field) for field in NUMBERS}
    if period.derived_field:
        values[period.derived_field] = None  # derived again, so the marker is recomputed
    for field in DURATIONS:
        seconds = getattr(period, f"{field}_seconds")
        values[field] = None if seconds is None else (seconds, "seconds")
    values["frt_business_hours"] = period.frt_business_hours
    values["qa_scorecard"] = period.qa_scorecard
    return period_inputs(values, months=period.months)


def entered_value(seconds: int | None, unit: str) -> Decimal | None:
    """A stored duration in the unit it was entered in (for the edit form and exports)."""
    if seconds is None:
        return None
    factor = formulas.SECONDS_PER_UNIT.get(unit or "seconds", 1)
    value = Decimal(seconds) / factor
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def period_values(period: MetricPeriod) -> dict[str, Any]:
    """The values dict of a stored period, as entered (derived value left blank)."""
    values: dict[str, Any] = {field: getattr(period, field) for field in NUMBERS}
    if period.derived_field:
        values[period.derived_field] = None
    for field in DURATIONS:
        unit = getattr(period, f"{field}_unit")
        values[field] = (entered_value(getattr(period, f"{field}_seconds"), unit), unit)
    values["frt_business_hours"] = period.frt_business_hours
    values["currency"] = period.currency
    values["qa_scorecard"] = period.qa_scorecard
    return values
