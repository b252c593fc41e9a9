"""The entry form: every METHODOLOGY §6.2 rule through the form and service; errors store
nothing, warnings store with a note, a missing balance count is derived and marked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cxaudit.metrics.models import MetricPeriod, MetricPeriodMonth
from tests.metrics_factories import MetricPeriodFactory, month, quarter

VALID = {
    "period": "2024-Q1",
    "customers_start": "1000",
    "customers_won": "150",
    "customers_lost": "100",
    "customers_end": "1050",
    "currency": "RUB",
    "revenue": "5000000.00",
    "support_cost": "450000.00",
    "cases_opened": "400",
    "cases_resolved": "360",
    "cases_first_contact": "260",
    "frt_median_value": "4",
    "frt_median_unit": "minutes",
    "handling_time_value": "8000",
    "handling_time_unit": "minutes",
    "handled_contacts": "1000",
    "repeat_customers": "240",
    "buying_customers": "800",
    "qa-TOTAL_FORMS": "3",
    "qa-INITIAL_FORMS": "0",
    "qa-MIN_NUM_FORMS": "0",
    "qa-MAX_NUM_FORMS": "20",
    "qa-0-category": "Greeting",
    "qa-0-weight": "1",
    "qa-0-passed": "38",
    "qa-0-checked": "40",
}


@pytest.fixture
def manager(client_for):
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    return client


def post(client, company, **changes):
    data = {**VALID, **changes}
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(reverse("metrics:period-create", args=[company.pk]), data)


def test_a_valid_quarter_is_stored_with_raw_inputs(manager, company):
    response = post(manager, company)
    assert response.status_code == 302
    period = MetricPeriod.objects.get(company=company)
    assert (period.kind, period.starts_on.isoformat(), period.ends_on.isoformat()) == (
        "quarter",
        "2024-01-01",
        "2024-03-31",
    )
    assert period.customers_end == 1050
    assert period.revenue == Decimal("5000000.00")
    assert (period.frt_median_seconds, period.frt_median_unit) == (240, "minutes")
    assert (period.handling_time_seconds, period.handling_time_unit) == (480000, "minutes")
    assert period.qa_scorecard == [
        {"category": "Greeting", "weight": "1", "passed": 38, "checked": 40}
    ]
    assert period.derived_field == ""
    assert MetricPeriodMonth.objects.filter(period=period).count() == 3


ERRORS = [
    ({"customers_won": "-1"}, "Counts and amounts must be 0 or more (counts in whole numbers)."),
    ({"cases_opened": "2.5"}, "Counts and amounts must be 0 or more (counts in whole numbers)."),
    ({"revenue": "-1.00"}, "Counts and amounts must be 0 or more (counts in whole numbers)."),
    (
        {
            "customers_start": "10",
            "customers_won": "5",
            "customers_lost": "20",
            "customers_end": "",
        },
        "Lost customers cannot exceed customers at the start plus those won.",
    ),
    (
        {"customers_end": "1000"},
        "The counts do not add up: start + won − lost = 1,050, but end = 1,000. Use 1,050?",
    ),
    (
        {"cases_resolved": "500"},
        "Resolved cases cannot exceed opened cases; first-contact resolutions cannot exceed "
        "resolved.",
    ),
    (
        {"cases_first_contact": "361"},
        "Resolved cases cannot exceed opened cases; first-contact resolutions cannot exceed "
        "resolved.",
    ),
    ({"frt_median_unit": ""}, "Give the time with its unit; it cannot be negative."),
    ({"frt_median_value": "-3"}, "Give the time with its unit; it cannot be negative."),
    ({"handling_time_unit": ""}, "Give the time with its unit; it cannot be negative."),
    (
        {"avg_purchase_value": "0", "purchases_per_year": "6"},
        "LTV inputs must be positive; margin above 0 and at most 100%.",
    ),
    (
        {"avg_purchase_value": "2000", "purchases_per_year": "6", "margin_pct": "120"},
        "LTV inputs must be positive; margin above 0 and at most 100%.",
    ),
    ({"repeat_customers": "900"}, "A part cannot exceed its whole."),
    ({"qa-0-passed": "41"}, "A part cannot exceed its whole."),
    ({"currency": "RU"}, "Give the currency as a three-letter code such as RUB."),
    ({"customers_won": "1000000000000000000"}, "This number is too large; check the figure."),
]


@pytest.mark.parametrize(("changes", "text"), ERRORS)
def test_each_error_shows_its_message_and_stores_nothing(manager, company, changes, text):
    response = post(manager, company, **changes)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert not MetricPeriod.objects.exists()
    assert not MetricPeriodMonth.objects.exists()


def test_the_balance_error_offers_the_computed_end_and_using_it_saves(manager, company):
    response = post(manager, company, customers_end="1000")
    page = response.content.decode()
    assert 'value="customers_end:1050"' in page
    assert "Use 1,050" in page
    response = post(manager, company, customers_end="1000", apply_suggestion="customers_end:1050")
    assert response.status_code == 302
    assert MetricPeriod.objects.get().customers_end == 1050


def test_a_missing_fourth_count_is_derived_and_marked(manager, company):
    response = post(manager, company, customers_end="")
    assert response.status_code == 302
    period = MetricPeriod.objects.get()
    assert (period.customers_end, period.derived_field) == (1050, "customers_end")
    page = manager.get(response.url).content.decode()
    assert "derived from the other customer counts: 1,050" in page
    assert "derived" in page


def test_warnings_store_the_period_with_a_visible_note(manager, company):
    response = post(
        manager, company, support_cost="6000000.00", frt_median_value="31", frt_median_unit="days"
    )
    assert response.status_code == 302
    assert MetricPeriod.objects.count() == 1
    page = manager.get(response.url).content.decode()
    assert "Support cost exceeds revenue; please check." in page
    assert "Unusually long; check the figure." in page


def test_undefined_metrics_store_and_show_the_reason_instead_of_a_number(manager, company):
    response = post(
        manager,
        company,
        customers_start="0",
        customers_won="0",
        customers_lost="0",
        customers_end="0",
        cases_opened="0",
        cases_resolved="0",
        cases_first_contact="0",
        revenue="0",
        support_cost="0",
    )
    assert response.status_code == 302
    page = manager.get(response.url).content.decode()
    assert "Retention and churn need customers at the start of the period." in page
    assert "No cases opened." in page
    assert "No resolved cases." in page
    assert "Revenue must be above zero for the cost share." in page


def test_overlapping_periods_are_refused(manager, company):
    MetricPeriodFactory(company=company, **month(2024, 2))
    response = post(manager, company, period="2024-Q1")
    assert response.status_code == 200
    assert "Q1 2024 overlaps February 2024, which is already recorded." in (
        response.content.decode()
    )
    assert MetricPeriod.objects.count() == 1
    response = post(manager, company, period="2024-02")
    assert "overlaps" in response.content.decode()
    assert MetricPeriod.objects.count() == 1


def test_another_company_may_record_the_same_quarter(manager, company, other_company):
    MetricPeriodFactory(company=other_company, **quarter(2024, 1))
    assert post(manager, company).status_code == 302


def test_editing_keeps_the_period_and_revalidates(manager, company):
    period = MetricPeriodFactory(company=company, **quarter(2024, 1))
    url = reverse("metrics:period-edit", args=[company.pk, period.pk])
    page = manager.get(url).content.decode()
    assert 'value="1050"' in page
    response = manager.post(url, {**VALID, "period": "2023-Q1", "cases_resolved": "999"})
    assert "Resolved cases cannot exceed opened cases" in response.content.decode()
    period.refresh_from_db()
    assert period.cases_resolved == 360
    response = manager.post(url, {**VALID, "period": "2023-Q1", "cases_resolved": "300"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.cases_resolved, period.starts_on.year) == (300, 2024)


def test_delete_removes_the_period_and_its_months(manager, company):
    period = MetricPeriodFactory(company=company, **quarter(2024, 1))
    response = manager.post(reverse("metrics:period-delete", args=[company.pk, period.pk]))
    assert response.status_code == 302
    assert not MetricPeriod.objects.exists()
    assert not MetricPeriodMonth.objects.exists()


def test_staff_cannot_post_a_period(client_for, company):
    response = post(client_for("staff"), company)
    assert response.status_code == 404
    assert not MetricPeriod.objects.exists()


def test_other_companies_periods_are_404_even_for_a_manager(manager, company, other_company):
    period = MetricPeriodFactory(company=other_company, **quarter(2024, 1))
    url = reverse("metrics:period-edit", args=[company.pk, period.pk])
    assert manager.get(url).status_code == 404
    url = reverse("metrics:period-delete", args=[company.pk, period.pk])
    assert manager.post(url).status_code == 404
    assert MetricPeriod.objects.count() == 1
