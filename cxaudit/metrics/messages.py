"""Translated sentences for the message keys of ``cxaudit.metrics.formulas`` (METHODOLOGY §6.2).

The pure module returns keys with parameters; pages and files show only these sentences,
never a key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import inputs
from .models import MetricPeriod

SENTENCES = {
    # Validation (§6.2).
    "count_or_amount_invalid": _("Counts and amounts must be 0 or more (counts in whole numbers)."),
    "period_months_invalid": _("A period is a calendar month or a quarter."),
    "lost_exceeds_available": _(
        "Lost customers cannot exceed customers at the start plus those won."
    ),
    "balance_mismatch": _(
        "The counts do not add up: start + won − lost = %(expected)s, but end = %(actual)s. "
        "Use %(expected)s?"
    ),
    "balance_impossible": _(
        "The customer counts cannot add up: %(field)s would have to be %(value)s."
    ),
    "cases_inconsistent": _(
        "Resolved cases cannot exceed opened cases; first-contact resolutions cannot exceed "
        "resolved."
    ),
    "cost_exceeds_revenue": _("Support cost exceeds revenue; please check."),
    "duration_invalid": _("Give the time with its unit; it cannot be negative."),
    "duration_long": _("Unusually long; check the figure."),
    "ltv_inputs_invalid": _("LTV inputs must be positive; margin above 0 and at most 100%."),
    "part_exceeds_whole": _("A part cannot exceed its whole."),
    "value_too_large": _("This number is too large; check the figure."),
    # Metrics that cannot be computed.
    "missing_inputs": _("Not enough data: enter %(fields)s."),
    "no_start_customers": _("Retention and churn need customers at the start of the period."),
    "lost_exceed_start": _(
        "More customers were lost than existed at the start; use a shorter period."
    ),
    "no_cases": _("No cases opened."),
    "no_resolved_cases": _("No resolved cases."),
    "no_customers_won": _("No customers won; CAC is undefined."),
    "no_revenue": _("Revenue must be above zero for the cost share."),
    "years_not_estimable": _(
        "Enter the relationship length; it cannot be estimated from zero churn."
    ),
    "years_estimated": _("Customer lifespan estimated from churn: %(years)s years."),
    "no_samples": _("No cases with a time."),
    "no_contacts": _("No contacts handled."),
    "no_checks": _("No QA checks made."),
    "no_buyers": _("No buying customers."),
    "cac_zero": _("Acquisition cost is zero; the ratio is undefined."),
    # Comparison (§10).
    "not_available": _("No comparison: one of the values is missing."),
    "period_lengths_differ": _(
        "The periods differ in length; compare monthly-equivalent churn instead."
    ),
    "business_hours_mismatch": _(
        "One period counts business hours only; the times are not comparable."
    ),
    "ltv_variant_mismatch": _("Revenue LTV and margin LTV are not comparable."),
    "previous_zero": _("The earlier value was zero."),
}
FALLBACK = _("This value cannot be used; check the figure.")

EXTRA_LABELS = {
    "frt_median": _("median first response time"),
    "frt_mean": _("mean first response time"),
    "handling_time": _("total handling time"),
    "frt_samples": _("first response times"),
    "handling_samples": _("handling times"),
    "qa_scorecard": _("QA scorecard"),
    "period": _("period"),
    "months": _("period"),
}


def field_label(name: str) -> str:
    """The translated label of a model field or ``PeriodInputs`` name."""
    field = inputs.field_for(name)
    if field in EXTRA_LABELS:
        return str(EXTRA_LABELS[field])
    try:
        return str(MetricPeriod._meta.get_field(field).verbose_name)
    except Exception:  # an unknown name is shown as it is
        return field


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_format(value, 0, use_l10n=True, force_grouping=True)
    if isinstance(value, float | Decimal):
        return number_format(
            Decimal(repr(value)) if isinstance(value, float) else value,
            1,
            use_l10n=True,
            force_grouping=True,
        )
    return str(value)


def sentence(key: str, params: dict[str, Any] | None = None) -> str:
    """The translated sentence for a message key with its parameters filled in."""
    params = dict(params or {})
    text = SENTENCES.get(key)
    if text is None:
        return str(FALLBACK)
    if "fields" in params:
        params["fields"] = ", ".join(field_label(name) for name in params["fields"])
    if "field" in params:
        params["field"] = field_label(params["field"])
    formatted = {
        name: _format(value) if name != "fields" and name != "field" else value
        for name, value in params.items()
    }
    try:
        return str(text) % formatted
    except (KeyError, TypeError, ValueError):
        return str(text).split("%(")[0].strip() or str(FALLBACK)


def message(pair: tuple[str, dict[str, Any]] | None) -> str:
    return "" if pair is None else sentence(*pair)


def field_sentence(name: str, key: str, params: dict[str, Any] | None = None) -> str:
    """``Label: sentence``, for lists that are not next to the field (CSV rows)."""
    return gettext("%(field)s: %(message)s") % {
        "field": field_label(name),
        "message": sentence(key, params),
    }
