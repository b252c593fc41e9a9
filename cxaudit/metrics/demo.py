"""Demo business metrics for `make run`: two quarters of a coffee shop's numbers."""

import datetime
from decimal import Decimal

from django.db import transaction

from .models import MetricPeriod, PeriodKind
from .services import PeriodEntry, metric_period_create

QUARTERS = [
    (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
        {
            "customers_start": 1200,
            "customers_won": 180,
            "customers_lost": 120,
            "cases_opened": 310,
            "cases_resolved": 290,
            "cases_first_contact": 230,
            "revenue": Decimal("4800000.00"),
            "support_cost": Decimal("390000.00"),
            "frt_median": (Decimal(25), "minutes"),
            "repeat_customers": 420,
            "buying_customers": 1100,
        },
    ),
    (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
        {
            "customers_start": 1260,
            "customers_won": 150,
            "customers_lost": 170,
            "cases_opened": 360,
            "cases_resolved": 320,
            "cases_first_contact": 220,
            "revenue": Decimal("4600000.00"),
            "support_cost": Decimal("480000.00"),
            "frt_median": (Decimal(75), "minutes"),
            "repeat_customers": 360,
            "buying_customers": 1090,
            "qa_scorecard": [
                {"category": "Приветствие", "weight": 1, "passed": 38, "checked": 40},
                {"category": "Решение", "weight": 3, "passed": 30, "checked": 40},
            ],
        },
    ),
]


@transaction.atomic
def demo_metrics(*, company, by) -> None:
    if MetricPeriod.objects.filter(company=company).exists():
        return
    for starts_on, ends_on, values in QUARTERS:
        metric_period_create(
            company=company,
            entry=PeriodEntry(
                kind=PeriodKind.QUARTER,
                starts_on=starts_on,
                ends_on=ends_on,
                values={"currency": "RUB", **values},
            ),
            by=by,
        )
