"""Business metrics through the API: periods with the dashboard's metrics, created and
replaced through the metrics services' checks, the token's company only."""

from decimal import Decimal

import pytest

from cxaudit.metrics.models import MetricPeriod
from cxaudit.metrics.selectors import period_result
from tests.api_factories import api_token, bearer

pytestmark = pytest.mark.django_db

VALUES = {
    "customers_start": 1000,
    "customers_won": 120,
    "customers_lost": 80,
    "revenue": "2500000.00",
    "support_cost": "150000",
    "frt_median": {"value": 2, "unit": "hours"},
    "qa_scorecard": [{"category": "Greeting", "weight": 1, "passed": 45, "checked": 50}],
}


@pytest.fixture
def secret(company):
    return api_token(company)[1]


@pytest.fixture
def call(client, secret):
    def send(method, path, body=None, key=None):
        headers = bearer(key or secret)
        url = f"/api/v1{path}"
        if method == "get":
            return client.get(url, **headers)
        return client.put(url, body or {}, content_type="application/json", **headers)

    return send


def test_a_quarter_is_created_then_replaced_with_the_balance_derived(call, company):
    response = call("put", f"/companies/{company.pk}/metrics/2025-Q1", VALUES)
    assert response.status_code == 201
    body = response.json()
    assert (body["period"], body["kind"], body["starts_on"]) == ("2025-Q1", "quarter", "2025-01-01")
    assert body["derived"] == "customers_end"
    period = MetricPeriod.objects.get(company=company)
    assert period.customers_end == 1040 and period.frt_median_seconds == 7200
    assert period.revenue == Decimal("2500000.00")
    assert body["values"]["frt_median"] == {"value": "2", "unit": "hours"}  # decimals as text
    expected = period_result(period).metrics.retention
    assert body["metrics"]["retention"]["value"] == pytest.approx(float(expected.value))
    replaced = call("put", f"/companies/{company.pk}/metrics/2025-Q1", {**VALUES, "revenue": 10})
    assert replaced.status_code == 200
    assert MetricPeriod.objects.get(company=company).revenue == Decimal("10.00")
    listed = call("get", f"/companies/{company.pk}/metrics").json()
    assert [p["period"] for p in listed] == ["2025-Q1"]


def test_values_breaking_the_rules_are_refused_and_nothing_stored(call, company):
    broken = {**VALUES, "customers_end": 5000}  # the balance does not add up
    response = call("put", f"/companies/{company.pk}/metrics/2025-03", broken)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and response.json()["errors"]
    assert not MetricPeriod.objects.exists()
    response = call("put", f"/companies/{company.pk}/metrics/2025-03", {"currency": "rouble"})
    assert response.status_code == 422
    assert not MetricPeriod.objects.exists()


def test_a_month_inside_a_recorded_quarter_is_refused(call, company):
    assert call("put", f"/companies/{company.pk}/metrics/2025-Q1", VALUES).status_code == 201
    response = call("put", f"/companies/{company.pk}/metrics/2025-02", VALUES)
    assert response.status_code == 422 and "period" in response.json()["errors"]


@pytest.mark.parametrize("code", ["2025-13", "2025-Q5", "1800-01", "march"])
def test_a_bad_period_code_is_422(call, company, code):
    response = call("put", f"/companies/{company.pk}/metrics/{code}", VALUES)
    assert response.status_code == 422


def test_writing_needs_the_write_metrics_scope(call, company):
    _token, read_only = api_token(company, scopes=["read-results"])
    response = call("put", f"/companies/{company.pk}/metrics/2025-Q1", VALUES, key=read_only)
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    assert not MetricPeriod.objects.exists()


def test_another_companys_metrics_are_not_found(call, other_company):
    assert call("get", f"/companies/{other_company.pk}/metrics").status_code == 404
    response = call("put", f"/companies/{other_company.pk}/metrics/2025-Q1", VALUES)
    assert response.status_code == 404
    assert not MetricPeriod.objects.exists()


def test_the_period_list_takes_a_bounded_number_of_queries(
    call, company, django_assert_max_num_queries
):
    from tests.metrics_factories import MetricPeriodFactory, quarter

    for year in range(2018, 2024):
        for number in range(1, 5):
            MetricPeriodFactory(company=company, **quarter(year, number))
    with django_assert_max_num_queries(4):
        response = call("get", f"/companies/{company.pk}/metrics")
    assert len(response.json()) == 24
