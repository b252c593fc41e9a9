"""How metrics are named, grouped and written: labels, units, localised numbers and changes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import formulas


@dataclass(frozen=True)
class MetricInfo:
    label: Any
    higher_is_better: bool | None
    group: str


GROUPS = {
    "customers": gettext_lazy("Customers"),
    "value": gettext_lazy("Customer value"),
    "support": gettext_lazy("Support"),
    "cost": gettext_lazy("Quality and cost"),
}
METRICS: dict[str, MetricInfo] = {
    "retention": MetricInfo(gettext_lazy("Retention (CRR)"), True, "customers"),
    "churn": MetricInfo(gettext_lazy("Churn"), False, "customers"),
    "monthly_churn": MetricInfo(gettext_lazy("Monthly-equivalent churn"), False, "customers"),
    "net_change": MetricInfo(gettext_lazy("Won minus lost"), True, "customers"),
    "repeat_purchase_rate": MetricInfo(gettext_lazy("Repeat purchase rate"), True, "customers"),
    "ltv": MetricInfo(gettext_lazy("LTV"), True, "value"),
    "cac": MetricInfo(gettext_lazy("Acquisition cost (CAC)"), False, "value"),
    "ltv_cac": MetricInfo(gettext_lazy("LTV:CAC"), True, "value"),
    "frt_median": MetricInfo(gettext_lazy("First response time, median"), False, "support"),
    "frt_mean": MetricInfo(gettext_lazy("First response time, mean"), False, "support"),
    "aht": MetricInfo(gettext_lazy("Average handling time"), False, "support"),
    "resolution_rate": MetricInfo(gettext_lazy("Resolution rate"), True, "support"),
    "fcr": MetricInfo(gettext_lazy("First-contact resolution"), True, "support"),
    "iqs": MetricInfo(gettext_lazy("Quality score (IQS)"), True, "cost"),
    "cost_share": MetricInfo(gettext_lazy("Support cost as a share of revenue"), False, "cost"),
    "cost_per_resolved": MetricInfo(gettext_lazy("Cost per resolved case"), False, "cost"),
}
TREND_METRICS = (
    "monthly_churn",
    "net_change",
    "repeat_purchase_rate",
    "frt_median",
    "fcr",
    "iqs",
    "cost_share",
)


def _num(value: Any, places: int) -> str:
    """Localised, grouped, with a true minus sign."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    text = number_format(value, places, use_l10n=True, force_grouping=True)
    return text.replace("-", "\u2212")


def format_value(value: formulas.MetricValue, currency: str = "") -> str:
    shown = value.display
    if shown is None:
        return "—"
    text = _num(shown, value.places)
    if value.unit == formulas.COUNT and shown > 0:
        return f"+{text}"  # won minus lost
    if value.unit == formulas.PERCENT:
        return f"{text}%"
    if value.unit == formulas.MINUTES:
        return _("%(value)s min") % {"value": text}
    if value.unit == formulas.MONEY:
        return f"{text} {currency}".strip()
    return text


def format_change(change: formulas.MetricChange) -> str:
    shown = change.display
    if shown is None:
        return ""
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    text = sign + _num(abs(shown), change.places)
    if change.unit == "points":
        return _("%(value)s pp") % {"value": text}
    if change.unit == "percent":
        return f"{text}%"
    if change.unit == "minutes":
        return _("%(value)s min") % {"value": text}
    return text
