"""Reading metric periods: the dashboard, the facts an audit needs, and exports.

Every number comes from ``cxaudit.metrics.formulas.compute``/``compare``; which recommendation
rules fire is decided by ``cxaudit.recommendations.evaluate``. Selectors load a company's
periods in one query and do the rest in Python over those few rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from cxaudit import charts, tabular
from cxaudit.accounts.models import Organisation
from cxaudit.l10n import decimal_mark
from cxaudit.library import rule_catalogue
from cxaudit.recommendations import (
    AuditFacts,
    MetricFacts,
    Recommendation,
    RuleSpec,
    Trigger,
    evaluate,
)

from . import formulas, inputs, messages
from .models import MetricPeriod

# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class PeriodResult:
    """A stored period with its computed metrics and the notes to show beside it."""

    period: MetricPeriod
    metrics: formulas.PeriodMetrics

    @property
    def warnings(self) -> list[str]:
        return list(
            dict.fromkeys(
                messages.sentence(issue.key, issue.params)
                for issue in self.metrics.issues
                if issue.kind == "warning"
            )
        )

    @property
    def derived_label(self) -> str:
        return messages.field_label(self.period.derived_field) if self.period.derived_field else ""


def metric_period_list(*, company: Organisation):
    return MetricPeriod.objects.filter(company=company).order_by("starts_on")


def metric_period_get(*, company: Organisation, pk: int) -> MetricPeriod:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(MetricPeriod, company=company, pk=pk)


def period_result(period: MetricPeriod) -> PeriodResult:
    return PeriodResult(period, formulas.compute(inputs.stored_inputs(period)))


def period_results(*, company: Organisation, until: date | None = None) -> list[PeriodResult]:
    periods = metric_period_list(company=company)
    if until is not None:
        periods = periods.filter(ends_on__lte=until)
    return [period_result(period) for period in periods]


# --------------------------------------------------------------------------- rule facts

TRIGGER_METRIC = {
    "monthly_churn": "monthly_churn",
    "net_change": "net_change",
    "repeat_rate_drop": "repeat_purchase_rate",
    "frt_median_minutes": "frt_median",
    "fcr": "fcr",
    "iqs": "iqs",
    "cost_share": "cost_share",
}
METRIC_RULES = (
    "churn-high",
    "net-loss",
    "repeat-drop",
    "frt-slow",
    "fcr-low",
    "iqs-low",
    "cost-high",
)


def _ok(value: formulas.MetricValue) -> Any:
    return value.value if value.ok else None


def metric_facts(
    current: formulas.PeriodMetrics, comparison: formulas.PeriodComparison | None = None
) -> MetricFacts:
    """The business-metric part of ``MetricFacts`` for one period (and its change)."""
    drop = None
    if comparison is not None:
        change = comparison.changes["repeat_purchase_rate"]
        if change.status == "ok" and change.delta is not None:
            drop = -change.delta
    net = current.net_change
    return MetricFacts(
        monthly_churn=_ok(current.monthly_churn),
        net_change=int(net.value) if net.ok and net.value is not None else None,
        repeat_rate_drop=drop,
        frt_median_minutes=_ok(current.frt_median),
        fcr=_ok(current.fcr),
        iqs=_ok(current.iqs),
        cost_share=_ok(current.cost_share),
    )


def metric_recommendations(facts: MetricFacts) -> list[Recommendation]:
    """The rules these metrics trigger, highest priority first (METHODOLOGY §9)."""
    catalogue = rule_catalogue()
    rules = [RuleSpec(rule.id, rule.severity) for rule in catalogue.rules]
    return evaluate(rules=rules, facts=AuditFacts(instruments=frozenset(), metrics=facts))


@dataclass(frozen=True)
class AuditMetrics:
    """What an audit of ``start``..``end`` needs from the company's metrics."""

    periods: list[PeriodResult]  # periods lying inside the audit's dates, oldest first
    latest: PeriodResult | None
    previous: PeriodResult | None  # the period recorded before ``latest`` (may be earlier)
    comparison: formulas.PeriodComparison | None
    facts: MetricFacts  # for AuditFacts(metrics=...); empty when no period lies inside

    @property
    def period_metrics(self) -> list[formulas.PeriodMetrics]:
        return [result.metrics for result in self.periods]

    @property
    def latest_rows(self) -> list[tuple[str, str]]:
        """The latest period's metrics that have a value, as (label, formatted value)."""
        if self.latest is None:
            return []
        values = self.latest.metrics.metrics()
        currency = getattr(self.latest.period, "currency", "")
        return [
            (str(info.label), format_value(values[name], currency))
            for name, info in METRICS.items()
            if name in values and values[name].display is not None
        ]


def company_metric_facts(*, company: Organisation, start: date, end: date) -> AuditMetrics:
    """The periods inside ``start``..``end`` and the ``MetricFacts`` of the latest of them.

    One query. Rules read the latest period inside the audit's dates; ``repeat-drop``
    compares it with the period recorded just before it.
    """
    results = period_results(company=company, until=end)
    inside = [r for r in results if r.period.starts_on >= start]
    if not inside:
        return AuditMetrics([], None, None, None, MetricFacts())
    latest = inside[-1]
    index = results.index(latest)
    previous = results[index - 1] if index > 0 else None
    comparison = formulas.compare(previous.metrics, latest.metrics) if previous else None
    return AuditMetrics(
        inside, latest, previous, comparison, metric_facts(latest.metrics, comparison)
    )


# --------------------------------------------------------------------------- presentation


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


# --------------------------------------------------------------------------- export


def export_cell(value: Any) -> Any:
    """A cell for CSV/XLSX: numbers as they are, yes/no, the rest as text (which
    ``cxaudit.tabular`` escapes when it writes the file)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal):
        return value
    return str(value)


def _qa_text(rows: list[dict[str, Any]]) -> str:
    return "|".join(
        f"{row['category']}:{row['weight']}:{row['passed']}:{row['checked']}" for row in rows
    )


def metric_export_rows(*, company: Organisation) -> list[list[Any]]:
    """The header and one row per period, in the CSV import format (round-trips)."""
    from .services import CSV_COLUMNS

    rows: list[list[Any]] = [list(CSV_COLUMNS)]
    for period in metric_period_list(company=company):
        values = inputs.period_values(period)
        if period.derived_field:
            values[period.derived_field] = getattr(period, period.derived_field)
        cells: dict[str, Any] = {"period": period.code, **values}
        for name in inputs.DURATIONS:
            amount, unit = values[name]
            cells[name], cells[f"{name}_unit"] = amount, unit
        cells["qa_scorecard"] = _qa_text(period.qa_scorecard)
        rows.append([export_cell(cells.get(column)) for column in CSV_COLUMNS])
    return rows


def metric_export_csv(*, company: Organisation) -> bytes:
    header, *rows = metric_export_rows(company=company)
    return tabular.csv_bytes(header, rows, delimiter=",")


def metric_export_xlsx(*, company: Organisation) -> bytes:
    header, *rows = metric_export_rows(company=company)
    return tabular.xlsx_bytes(header, rows, title="metrics")


ExportWriter = Callable[..., bytes]
EXPORTS: dict[str, tuple[ExportWriter, str]] = {
    "csv": (metric_export_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        metric_export_xlsx,
        tabular.XLSX_CONTENT_TYPE,
    ),
}
