"""Each metric's change from the previous (or year-earlier) period (§10)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from .computing import PeriodMetrics, _exact
from .period_inputs import RATE_PLACES, Message, Value
from .values import _shown

# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class MetricChange:
    """Current minus previous: rates in points, money in %, times in minutes."""

    name: str
    previous: Value | None
    current: Value | None
    delta: float | int | None
    unit: str  # "points" | "percent" | "minutes" | "count" | "ratio"
    places: int
    status: str  # ok | no_data | not_comparable | undefined
    message: Message | None = None

    @property
    def display(self) -> Decimal | None:
        return None if self.delta is None else _shown(self.delta, self.places)


@dataclass(frozen=True)
class PeriodComparison:
    same_length: bool
    churn_basis: str  # "churn" when the periods are equally long, else "monthly_churn"
    changes: dict[str, MetricChange]


CHANGE_UNITS: dict[str, str] = {
    "retention": "points",
    "churn": "points",
    "monthly_churn": "points",
    "net_change": "count",
    "ltv": "percent",
    "cac": "percent",
    "ltv_cac": "ratio",
    "frt_median": "minutes",
    "frt_mean": "minutes",
    "aht": "minutes",
    "aht_median": "minutes",
    "resolution_rate": "points",
    "fcr": "points",
    "iqs": "points",
    "cost_share": "points",
    "cost_per_resolved": "percent",
    "repeat_purchase_rate": "points",
}
LENGTH_DEPENDENT = ("retention", "churn", "net_change")
FRT_METRICS = ("frt_median", "frt_mean")
LTV_METRICS = ("ltv", "ltv_cac")


def compare(previous: PeriodMetrics, current: PeriodMetrics) -> PeriodComparison:
    """§10: each metric's change from the previous (or year-earlier) period."""
    same_length = previous.months is not None and previous.months == current.months
    before, after = previous.metrics(), current.metrics()
    changes: dict[str, MetricChange] = {}
    for name, unit in CHANGE_UNITS.items():
        old, new = before[name], after[name]
        places = 0 if unit == "count" else RATE_PLACES
        change = MetricChange(name, old.value, new.value, None, unit, places, "ok")
        reason: str | None = None
        if not (old.ok and new.ok):
            change = replace(change, status="no_data", message=("not_available", {}))
        elif name in LENGTH_DEPENDENT and not same_length:
            reason = "period_lengths_differ"
        elif name in FRT_METRICS and previous.frt_business_hours != current.frt_business_hours:
            reason = "business_hours_mismatch"
        elif name in LTV_METRICS and ("revenue_ltv" in old.flags) != ("revenue_ltv" in new.flags):
            reason = "ltv_variant_mismatch"
        elif unit == "percent":
            if old.value == 0:
                change = replace(change, status="undefined", message=("previous_zero", {}))
            else:
                delta = (_exact(new) - _exact(old)) * 100 / _exact(old)
                change = replace(change, delta=float(delta))
        elif unit == "count":
            change = replace(change, delta=int(_exact(new) - _exact(old)))
        else:
            change = replace(change, delta=float(_exact(new) - _exact(old)))
        if reason:
            change = replace(change, status="not_comparable", message=(reason, {}))
        changes[name] = change
    return PeriodComparison(
        same_length=same_length,
        churn_basis="churn" if same_length else "monthly_churn",
        changes=changes,
    )
