"""A company's stored periods, each with its computed metrics (one query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cxaudit.accounts.models import Organisation

from .. import formulas, inputs, messages
from ..models import MetricPeriod


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
