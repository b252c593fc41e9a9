"""factory_boy factories for business-metric periods (tests/factories.py stays untouched)."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cxaudit.metrics.models import MetricPeriod, PeriodKind, months_covered, period_bounds
from tests.factories import CompanyFactory


def quarter(year: int, number: int) -> dict:
    starts_on, ends_on = period_bounds(PeriodKind.QUARTER, year, number)
    return {"kind": PeriodKind.QUARTER, "starts_on": starts_on, "ends_on": ends_on}


def month(year: int, number: int) -> dict:
    starts_on, ends_on = period_bounds(PeriodKind.MONTH, year, number)
    return {"kind": PeriodKind.MONTH, "starts_on": starts_on, "ends_on": ends_on}


class MetricPeriodFactory(DjangoModelFactory):
    """A valid quarter (the METHODOLOGY §6.3 worked example), with its covered months."""

    class Meta:
        model = MetricPeriod
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    kind = PeriodKind.QUARTER
    starts_on = factory.Sequence(lambda n: date(2000 + n // 4, 3 * (n % 4) + 1, 1))
    ends_on = factory.LazyAttribute(
        lambda o: (
            period_bounds(o.kind, o.starts_on.year, (o.starts_on.month - 1) // 3 + 1)[1]
            if o.kind == PeriodKind.QUARTER
            else period_bounds(o.kind, o.starts_on.year, o.starts_on.month)[1]
        )
    )
    customers_start = 1000
    customers_won = 150
    customers_lost = 100
    customers_end = 1050
    cases_opened = 400
    cases_resolved = 360
    cases_first_contact = 260
    support_cost = Decimal("450000.00")
    revenue = Decimal("5000000.00")
    currency = "RUB"
    frt_median_seconds = 240
    frt_median_unit = "minutes"
    handling_time_seconds = 8000 * 60
    handling_time_unit = "minutes"
    handled_contacts = 1000
    repeat_customers = 240
    buying_customers = 800
    qa_scorecard = factory.LazyFunction(
        lambda: [
            {"category": "Greeting", "weight": "1", "passed": 38, "checked": 40},
            {"category": "Correct solution", "weight": "3", "passed": 30, "checked": 40},
            {"category": "Follow-up", "weight": "2", "passed": 24, "checked": 40},
        ]
    )

    @factory.post_generation
    def covered(obj, create, extracted, **kwargs):
        if create:
            from cxaudit.metrics.models import MetricPeriodMonth

            MetricPeriodMonth.objects.bulk_create(
                MetricPeriodMonth(period=obj, company_id=obj.company_id, month=m)
                for m in months_covered(obj.starts_on, obj.ends_on)
            )
