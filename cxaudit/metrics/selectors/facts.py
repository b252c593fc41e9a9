"""The facts an audit needs from the business metrics, and the recommendation rules they fire.

Which rules fire is decided by ``cxaudit.recommendations.evaluate`` (METHODOLOGY §9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cxaudit.accounts.models import Organisation
from cxaudit.library import rule_catalogue
from cxaudit.recommendations import (
    AuditFacts,
    MetricFacts,
    Recommendation,
    RuleSpec,
    evaluate,
)

from .. import formulas
from .periods import PeriodResult, period_results
from .presentation import METRICS, format_value

TRIGGER_METRIC = {
    "monthly_churn": "monthly_churn",
    "net_change": "net_change",
    "repeat_rate_drop": "repeat_purchase_rate",
    "frt_median_minutes": "frt_median",
    "fcr": "fcr",
    "iqs": "iqs",
    "cost_share": "cost_share",
}


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
