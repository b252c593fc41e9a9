"""The dashboard, the audit selector and the exports."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from cxaudit.metrics.models import MetricPeriodMonth
from cxaudit.metrics.selectors import company_metric_facts, metric_dashboard_get
from cxaudit.recommendations import MetricFacts
from tests.metrics_factories import MetricPeriodFactory, month, quarter


@pytest.fixture
def manager(client_for):
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    return client


def dashboard_url(company):
    return reverse("metrics:dashboard", args=[company.pk])


def test_dashboard_query_count_stays_fixed_with_many_periods(
    manager, company, django_assert_max_num_queries
):
    for year in (2022, 2023):
        for number in range(1, 5):
            MetricPeriodFactory(company=company, **quarter(year, number))
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    MetricPeriodFactory(company=company, **quarter(2024, 2), customers_lost=300,
                        customers_end=850)  # fmt: skip
    with django_assert_max_num_queries(5):  # session, user, company, role, periods
        response = manager.get(dashboard_url(company))
    assert response.status_code == 200
    assert response.content.decode().count('class="cx-point"') >= 8


def test_export_query_count_stays_fixed(manager, company, django_assert_max_num_queries):
    for number in range(1, 13):
        MetricPeriodFactory(company=company, **month(2023, number))
    for fmt in ("csv", "xlsx"):
        with django_assert_max_num_queries(6):
            assert manager.get(reverse("metrics:export", args=[company.pk, fmt])).status_code == 200


def test_dashboard_shows_values_bands_changes_and_triggered_rules(manager, company):
    MetricPeriodFactory(company=company, **quarter(2023, 2))
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    MetricPeriodFactory(
        company=company,
        **quarter(2024, 2),
        customers_lost=200,
        customers_end=950,
        support_cost=Decimal("600000.00"),
    )
    page = manager.get(dashboard_url(company)).content.decode()
    assert "Latest period: Q2 2024" in page
    assert "Arrows compare with Q1 2024 and with Q2 2023, a year earlier." in page
    assert "+10.0 pp" in page  # churn 10.0% -> 20.0%
    assert "Needs attention: target ≤ 3.0%" in page  # monthly-equivalent churn 7.2%
    assert "12.0%" in page  # cost share
    for rule in ("churn-high", "net-loss", "cost-high", "fcr-low", "iqs-low"):
        assert f'data-rule="{rule}"' in page
    assert "Run the exit survey for lost customers" in page  # rule text in English
    assert 'id="trend-monthly-churn-title"' in page


def test_missing_inputs_read_not_enough_data_never_zero(manager, company):
    MetricPeriodFactory(
        company=company,
        **quarter(2024, 1),
        revenue=None,
        support_cost=None,
        cases_opened=None,
        cases_resolved=None,
        cases_first_contact=None,
        qa_scorecard=[],
    )
    page = manager.get(dashboard_url(company)).content.decode()
    assert "Not enough data: enter support cost, revenue." in page
    assert "Not enough data: enter cases opened." in page or "enter cases" in page
    assert "Not enough data: enter QA scorecard." in page
    assert 'data-rule="cost-high"' not in page


def test_an_empty_dashboard_invites_entry(manager, company):
    page = manager.get(dashboard_url(company)).content.decode()
    assert "No periods recorded yet" in page
    assert reverse("metrics:period-create", args=[company.pk]) in page


def test_staff_see_the_dashboard_without_editing(client_for, company):
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    client = client_for("staff")
    client.cookies["cxaudit_language"] = "en"
    page = client.get(dashboard_url(company)).content.decode()
    assert "Q1 2024" in page
    assert reverse("metrics:period-create", args=[company.pk]) not in page
    assert "/edit/" not in page


def test_russian_dashboard_renders(client_for, company):
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    response = client_for("manager").get(dashboard_url(company))
    assert response.status_code == 200
    assert "1\xa0250,00 RUB" in response.content.decode()


# --------------------------------------------------------------------------- audit selector


def test_company_metric_facts_reads_the_latest_period_inside_the_audit(company):
    MetricPeriodFactory(company=company, **quarter(2023, 4), repeat_customers=400)
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    MetricPeriodFactory(company=company, **quarter(2024, 2), support_cost=Decimal("600000.00"))
    result = company_metric_facts(company=company, start=date(2024, 1, 1), end=date(2024, 3, 31))
    assert [r.period.code for r in result.periods] == ["2024-Q1"]
    assert result.previous.period.code == "2023-Q4"
    facts = result.facts
    assert isinstance(facts, MetricFacts)
    assert round(facts.monthly_churn, 2) == 3.45
    assert facts.net_change == 50
    assert facts.fcr == 65.0
    assert facts.cost_share == 9.0
    assert round(facts.repeat_rate_drop, 1) == 20.0  # 50.0% -> 30.0%
    assert round(facts.iqs, 1) == 73.3
    assert result.period_metrics[0].retention.value == 90.0


def test_company_metric_facts_is_empty_without_periods_in_range(company):
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    result = company_metric_facts(company=company, start=date(2025, 1, 1), end=date(2025, 6, 30))
    assert result.periods == [] and result.latest is None
    assert result.facts == MetricFacts()


def test_dashboard_selector_without_previous_period(company):
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    dashboard = metric_dashboard_get(company=company)
    assert dashboard.previous is None and dashboard.year_ago is None
    assert {r["rule"] for r in dashboard.recommendations} == {"churn-high", "fcr-low", "iqs-low"}


# --------------------------------------------------------------------------- database guards


def test_the_database_refuses_overlapping_months(company):
    period = MetricPeriodFactory(company=company, **quarter(2024, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MetricPeriodMonth.objects.create(period=period, company=company, month=date(2024, 2, 1))


# --------------------------------------------------------------------------- export

DANGEROUS = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)"]


def test_exports_escape_text_that_could_start_a_formula(manager, company):
    MetricPeriodFactory(
        company=company,
        **quarter(2024, 1),
        customers_won=0,
        customers_lost=100,
        customers_start=1000,
        customers_end=900,
        qa_scorecard=[
            {"category": text, "weight": "1", "passed": 1, "checked": 2} for text in DANGEROUS
        ],
    )
    raw = manager.get(reverse("metrics:export", args=[company.pk, "csv"])).content
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, row = rows
    qa = row[header.index("qa_scorecard")]
    assert qa.startswith("'=HYPERLINK")
    assert row[header.index("customers_won")] == "0"
    response = manager.get(reverse("metrics:export", args=[company.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in sheet[2]]
    assert all(cell.data_type != "f" for cell in sheet[2])
    assert values[header.index("qa_scorecard")].startswith("'=HYPERLINK")
    assert values[header.index("customers_start")] == 1000


def test_export_cell_keeps_numbers_and_leaves_escaping_to_the_writer():
    from cxaudit.metrics.selectors import export_cell

    for text in DANGEROUS:
        assert export_cell(text) == text  # cxaudit.tabular escapes it in the file
    assert export_cell(None) == ""
    assert export_cell(True) == "yes"
    assert export_cell(-3) == -3
    assert export_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert export_cell("Greeting") == "Greeting"


def test_unknown_export_format_is_404(manager, company):
    assert manager.get(reverse("metrics:export", args=[company.pk, "pdf"])).status_code == 404
