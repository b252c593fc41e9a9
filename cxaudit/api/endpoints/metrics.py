"""Business-metrics periods: read with the metrics the dashboard computes from them, and
created or replaced through the metrics services (the same checks as the entry form and
the CSV import: the customer balance, ranges, overlaps)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from cxaudit.metrics import inputs
from cxaudit.metrics import policy as metrics_policy
from cxaudit.metrics.models import MetricPeriod, parse_period_code, period_code
from cxaudit.metrics.selectors import metric_period_list, period_result
from cxaudit.metrics.services import (
    MetricPeriodInvalid,
    PeriodEntry,
    metric_period_create,
    metric_period_update,
)

from .. import selectors
from ..auth import TOKEN_ROLE, TokenRequest, read_results, write_metrics
from ..errors import FORBIDDEN, INVALID, ApiError, documented
from ..params import Id

router = Router(tags=["metrics"])

Count = Annotated[int | None, Field(None, ge=0, le=10**15)]
Amount = Annotated[Decimal | None, Field(None, ge=-(10**15), le=10**15, decimal_places=4)]
PeriodCode = Annotated[str, Path(pattern=r"^\d{4}-(Q[1-4]|\d{1,2})$", max_length=7)]


class Duration(Schema):
    value: Decimal | None = Field(None, ge=0, le=10**12, decimal_places=4)
    unit: Literal["seconds", "minutes", "hours", "days"] = "seconds"


class QaCategory(Schema):
    category: str = Field(max_length=200)
    weight: Decimal = Field(ge=0, le=10**6, decimal_places=4)
    passed: int = Field(ge=0, le=10**9)
    checked: int = Field(ge=0, le=10**9)


class PeriodValues(Schema):
    """A period's inputs, as on the entry form; leave one of the four customer numbers
    empty and it is derived from the others."""

    customers_start: Count
    customers_won: Count
    customers_lost: Count
    customers_end: Count
    cases_opened: Count
    cases_resolved: Count
    cases_first_contact: Count
    repeat_customers: Count
    buying_customers: Count
    handled_contacts: Count
    currency: str = Field("RUB", max_length=3)
    revenue: Amount
    support_cost: Amount
    acquisition_spend: Amount
    avg_purchase_value: Amount
    margin_pct: Amount
    purchases_per_year: Amount
    lifespan_years: Amount
    frt_median: Duration | None = None
    frt_mean: Duration | None = None
    handling_time: Duration | None = None
    frt_business_hours: bool = False
    qa_scorecard: list[QaCategory] = Field(default_factory=list, max_length=50)


class PeriodMetric(Schema):
    value: float | None
    status: str = Field(description="ok, no_data, undefined or invalid")
    unit: str


class Period(Schema):
    id: int
    period: str = Field(description="2025-03 (a month) or 2025-Q1 (a quarter)")
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    derived: str = Field(description="The customer number derived from the balance, if any")
    values: PeriodValues
    metrics: dict[str, PeriodMetric]


def _period(period: MetricPeriod) -> dict[str, Any]:
    values = inputs.period_values(period)
    for name in inputs.DURATIONS:
        amount, unit = values[name]
        values[name] = None if amount is None else {"value": amount, "unit": unit or "seconds"}
    computed = period_result(period).metrics.metrics()
    return {
        "id": period.pk,
        "period": period_code(period.kind, period.starts_on),
        "kind": period.kind,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "derived": period.derived_field,
        "values": values,
        "metrics": {
            name: {
                "value": None if metric.value is None else float(metric.value),
                "status": metric.status,
                "unit": metric.unit,
            }
            for name, metric in computed.items()
        },
    }


def _entry_values(body: PeriodValues) -> dict[str, Any]:
    values = body.dict()
    for name in inputs.DURATIONS:
        pair = values[name]
        values[name] = None if pair is None else (pair["value"], pair["unit"])
    values["currency"] = (body.currency or "").strip().upper()
    return values


def _allowed(action: str, company) -> None:
    if not metrics_policy.role_allows(TOKEN_ROLE, action, company):
        raise ApiError(403, FORBIDDEN, _("This token may not do this."))


@router.get(
    "/companies/{company_id}/metrics",
    response={200: list[Period], **documented(403, 404)},
    auth=read_results,
)
def metric_period_list_read(request: TokenRequest, company_id: Id):
    company = selectors.company_get(token=request.auth, pk=company_id)
    _allowed("metrics.view", company)
    return [_period(period) for period in metric_period_list(company=company)]


@router.put(
    "/companies/{company_id}/metrics/{period}",
    response={200: Period, 201: Period, **documented(400, 403, 404)},
    auth=write_metrics,
)
def metric_period_put(
    request: TokenRequest, company_id: Id, period: PeriodCode, body: PeriodValues
):
    """Create the month (``2025-03``) or quarter (``2025-Q1``), or replace its values (201
    created, 200 replaced). 422 ``invalid`` with the reasons by field, nothing stored."""
    company = selectors.company_get(token=request.auth, pk=company_id)
    _allowed("metrics.edit", company)
    parsed = parse_period_code(period)
    if parsed is None:
        message = _("Write a month as 2025-03 or a quarter as 2025-Q1.")
        raise ApiError(422, INVALID, message, errors={"period": [message]})
    kind, starts_on, ends_on = parsed
    values = _entry_values(body)
    existing = MetricPeriod.objects.filter(company=company, kind=kind, starts_on=starts_on).first()
    try:
        if existing is None:
            result = metric_period_create(
                company=company, entry=PeriodEntry(kind, starts_on, ends_on, values), by=None
            )
        else:
            result = metric_period_update(period=existing, values=values, by=None)
    except MetricPeriodInvalid as invalid:
        errors = {name: list(texts) for name, texts in invalid.field_errors.items()}
        if invalid.general:
            errors.setdefault("period", []).extend(invalid.general)
        raise ApiError(
            422, INVALID, _("Some values are missing or invalid."), errors=errors
        ) from invalid
    return Status(200 if existing else 201, _period(result.period))
