"""The metrics dashboard: the latest values with bands and changes, trend charts and the
recommendations the latest period triggers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cxaudit import charts
from cxaudit.accounts.models import Organisation
from cxaudit.l10n import decimal_mark
from cxaudit.library import rule_catalogue
from cxaudit.recommendations import (
    MetricFacts,
    Trigger,
)

from .. import formulas, messages
from ..models import MetricPeriod
from .facts import TRIGGER_METRIC, metric_facts, metric_recommendations
from .periods import PeriodResult, period_results
from .presentation import GROUPS, METRICS, TREND_METRICS, _num, format_change, format_value


@dataclass(frozen=True)
class ChangeView:
    against: str  # the period compared with
    text: str  # "+1.5 pp", or the reason there is no change
    arrow: str  # "↑", "↓", "→" or ""
    tone: str  # "good", "bad", "neutral", "muted"
    note: str = ""


@dataclass(frozen=True)
class MetricCard:
    name: str
    label: str
    value: str
    ok: bool
    reason: str  # why there is no value ("Not enough data: enter …")
    notes: list[str]
    band: str | None  # "good" | "attention" | None
    band_text: str
    changes: list[ChangeView]


def _change_view(
    name: str, comparison: formulas.PeriodComparison | None, against: PeriodResult | None
) -> ChangeView | None:
    if comparison is None or against is None:
        return None
    change = comparison.changes.get(name)
    if change is None:
        return None
    label = against.period.label
    if change.status != "ok" or change.display is None:
        return ChangeView(label, "", "", "muted", messages.message(change.message))
    shown = change.display
    arrow = "↑" if shown > 0 else "↓" if shown < 0 else "→"
    better = METRICS[name].higher_is_better
    tone = "neutral"
    if shown != 0 and better is not None:
        tone = "good" if (shown > 0) == better else "bad"
    return ChangeView(label, format_change(change), arrow, tone)


TRIGGER_UNITS = {
    "monthly_churn": "%",
    "fcr": "%",
    "cost_share": "%",
    "repeat_rate_drop": " pp",
    "frt_median_minutes": " min",
}


def _trigger_text(trigger: Trigger) -> str:
    unit = TRIGGER_UNITS.get(trigger.ref, "")
    if unit == " pp":
        unit = " " + _("pp")
    elif unit == " min":
        unit = " " + _("min")
    limit = {">": "≤", ">=": "<", "<": "≥", "<=": ">"}.get(trigger.condition, "")
    threshold = (
        ""
        if trigger.threshold is None
        else _num(trigger.threshold, 1 if isinstance(trigger.threshold, Decimal) else 0)
    )
    return _("Needs attention: target %(limit)s %(threshold)s%(unit)s") % {
        "limit": limit,
        "threshold": threshold,
        "unit": unit,
    }


def _cards(
    current: PeriodResult,
    previous: PeriodResult | None,
    year_ago: PeriodResult | None,
    fired: dict[str, Trigger],
) -> list[dict[str, Any]]:
    comparison = formulas.compare(previous.metrics, current.metrics) if previous else None
    yearly = formulas.compare(year_ago.metrics, current.metrics) if year_ago else None
    values = current.metrics.metrics()
    rule_metrics = set(TRIGGER_METRIC.values())
    groups: dict[str, list[MetricCard]] = {key: [] for key in GROUPS}
    for name, info in METRICS.items():
        value = values[name]
        notes = []
        if value.ok and value.message:
            notes.append(messages.message(value.message))
        if "revenue_ltv" in value.flags:
            notes.append(_("Revenue LTV: no margin given."))
        if "business_hours" in value.flags:
            notes.append(_("Business hours only."))
        band, band_text = None, ""
        if value.ok:
            if name in fired:
                band, band_text = "attention", _trigger_text(fired[name])
            elif name in rule_metrics and name != "repeat_purchase_rate":
                band, band_text = "good", _("Within target")
        changes = [
            view
            for view in (
                _change_view(name, comparison, previous),
                _change_view(name, yearly, year_ago),
            )
            if view is not None
        ]
        groups[info.group].append(
            MetricCard(
                name=name,
                label=str(info.label),
                value=format_value(value, current.period.currency),
                ok=value.ok,
                reason="" if value.ok else messages.message(value.message),
                notes=notes,
                band=band,
                band_text=band_text,
                changes=changes,
            )
        )
    return [{"title": GROUPS[key], "cards": cards} for key, cards in groups.items()]


def _trend_chart(name: str, results: Sequence[PeriodResult]) -> SafeString | None:
    values = [r.metrics.metrics()[name] for r in results]
    if not any(v.ok for v in values):
        return None
    shown = [float(v.display) if v.ok and v.display is not None else None for v in values]
    known = [v for v in shown if v is not None]
    unit = values[0].unit
    lines: list[tuple[float, str]] = []
    targets = {
        "monthly_churn": float(MetricFacts().churn_target),
        "cost_share": float(formulas.COST_SHARE_TARGET),
        "frt_median": float(MetricFacts().frt_target),
    }
    if name in targets:
        lines.append((targets[name], _("target")))
    if unit in (formulas.PERCENT, formulas.SCORE) and name not in ("monthly_churn", "cost_share"):
        y_range = (0.0, 100.0)
    else:
        top = max([*known, *(v for v, _t in lines), 0.0])
        bottom = min([*known, 0.0])
        span = (top - bottom) or 1.0
        y_range = (bottom - (span * 0.15 if bottom < 0 else 0), top + span * 0.2)
    places = values[0].places
    labels = [r.period.label for r in results]
    svg = charts.trend_chart(
        [(label, value, None, None) for label, value in zip(labels, shown, strict=True)],
        title=str(METRICS[name].label),
        y_range=y_range,
        band_lines=lines or None,
        value_format=lambda v: _num(v, places),
        missing_text=_("no data"),
        chart_id=f"trend-{name.replace('_', '-')}",
        fluid=True,
        decimal=decimal_mark(),
    )
    return mark_safe(svg)  # noqa: S308 - cxaudit.charts escapes every label (STYLE 10)


@dataclass
class Dashboard:
    results: list[PeriodResult]
    latest: PeriodResult | None = None
    previous: PeriodResult | None = None
    year_ago: PeriodResult | None = None
    groups: list[dict[str, Any]] = field(default_factory=list)
    charts: list[dict[str, Any]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)


def _year_earlier(latest: MetricPeriod, results: Sequence[PeriodResult]) -> PeriodResult | None:
    target = latest.starts_on.replace(year=latest.starts_on.year - 1)
    for result in results:
        if result.period.kind == latest.kind and result.period.starts_on == target:
            return result
    return None


def metric_dashboard_get(*, company: Organisation) -> Dashboard:
    """Latest values with bands and changes, trends and triggered rules: one query."""
    results = period_results(company=company)
    dashboard = Dashboard(results=results)
    if not results:
        return dashboard
    latest = results[-1]
    previous = results[-2] if len(results) > 1 else None
    year_ago = _year_earlier(latest.period, results)
    comparison = formulas.compare(previous.metrics, latest.metrics) if previous else None
    recommendations = metric_recommendations(metric_facts(latest.metrics, comparison))
    fired: dict[str, Trigger] = {}
    catalogue = rule_catalogue()
    language = get_language() or "ru"
    for recommendation in recommendations:
        trigger = recommendation.triggers[0]
        if trigger.ref in TRIGGER_METRIC:
            fired[TRIGGER_METRIC[trigger.ref]] = trigger
        rule = catalogue.get(recommendation.rule)
        dashboard.recommendations.append(
            {
                "rule": recommendation.rule,
                "severity": recommendation.severity,
                "priority": recommendation.priority_display,
                "text": rule.text.get(language),
                "metric": str(METRICS[TRIGGER_METRIC[trigger.ref]].label)
                if trigger.ref in TRIGGER_METRIC
                else "",
                "why": _trigger_text(trigger),
            }
        )
    dashboard.latest, dashboard.previous, dashboard.year_ago = latest, previous, year_ago
    dashboard.groups = _cards(latest, previous, year_ago, fired)
    window = results[-8:]
    for name in TREND_METRICS:
        chart = _trend_chart(name, window)
        if chart is not None:
            dashboard.charts.append({"name": name, "title": METRICS[name].label, "svg": chart})
    return dashboard
