"""The benchmark panel of a closed audit: the pool (same consultancy, same instrument
versions, latest closed audit per company, opt-outs left out), the k rule under filters,
figures equal to an independent computation, caching and tenancy."""

import datetime
import statistics
from decimal import Decimal

import numpy
import pytest
from django.utils import timezone

from assessments.models import AuditInstrument, AuditStatus
from assessments.selectors.benchmark import (
    OVERALL,
    benchmark_panel_get,
    benchmark_pool,
    benchmark_where,
)
from cxaudit.caching import benchmark_version_bump
from cxaudit.stats.benchmark import ALL, Filter
from tests.factories import CompanyFactory, ConsultancyFactory, UserFactory
from tests.report_factories import AuditFactory

pytestmark = pytest.mark.django_db

DOMAIN = "golding-cx-framework:strategy"


@pytest.fixture
def version():
    from assessments.models import Instrument

    return Instrument.objects.get(key="golding-cx-framework", owner=None).latest


@pytest.fixture
def owner():
    return UserFactory()


def closed(company, version, owner, overall, *, domain=None, days_ago=0, status=None):
    audit = AuditFactory(
        company=company,
        owner=owner,
        status=status or AuditStatus.CLOSED,
        results_snapshot={
            "overall": None if overall is None else str(overall),
            "domains": {DOMAIN: None if domain is None else str(domain)},
        },
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    if version is not None:
        AuditInstrument.objects.create(audit=audit, version=version)
    return audit


def peers(consultancy, version, owner, values, **profile):
    companies = []
    for value in values:
        company = CompanyFactory(parent=consultancy, **profile)
        closed(company, version, owner, value, domain=value)
        companies.append(company)
    return companies


def row(panel, ref=OVERALL):
    return next(r for r in panel.rows if r.ref == ref)


def test_figures_equal_numpy_and_statistics(consultancy, company, version, owner):
    values = [Decimal(v) for v in ("41.5", "55.0", "62.3", "70.0", "38.2", "90.1", "55.0")]
    peers(consultancy, version, owner, values)
    audit = closed(company, version, owner, Decimal("55.0"), domain=Decimal("60"))
    summary = row(benchmark_panel_get(audit=audit)).summary
    floats = [float(v) for v in values]
    assert summary.n == 7
    assert summary.median == pytest.approx(float(numpy.percentile(floats, 50, method="linear")))
    q1, _q2, q3 = statistics.quantiles(floats, n=4, method="inclusive")
    assert (summary.q1, summary.q3) == (pytest.approx(q1), pytest.approx(q3))
    assert summary.rank == pytest.approx(100 * (2 + 2 / 2) / 7)
    domain = row(benchmark_panel_get(audit=audit), DOMAIN).summary
    assert domain.rank == pytest.approx(100 * 4 / 7)


def test_fewer_than_five_others_show_nothing(consultancy, company, version, owner):
    peers(consultancy, version, owner, [10, 20, 30, 40])
    audit = closed(company, version, owner, 50)
    panel = benchmark_panel_get(audit=audit)
    assert panel.closed and not panel.shown and panel.filters == []


def test_another_consultancy_s_companies_never_count(consultancy, company, version, owner):
    rival = ConsultancyFactory()
    peers(rival, version, owner, [10, 20, 30, 40, 50, 60])
    peers(None, version, owner, [70, 80])  # self-assessing companies
    peers(consultancy, version, owner, [1, 2, 3, 4])
    audit = closed(company, version, owner, 50)
    assert len(benchmark_pool(audit=audit)) == 4
    assert not benchmark_panel_get(audit=audit).shown


def test_opted_out_companies_open_audits_and_other_versions_are_left_out(
    consultancy, company, version, owner
):
    peers(consultancy, version, owner, [10, 20, 30, 40, 50])
    out = CompanyFactory(parent=consultancy, benchmark_opt_out=True)
    closed(out, version, owner, 99)
    open_one = CompanyFactory(parent=consultancy)
    closed(open_one, version, owner, 99, status=AuditStatus.OPEN)
    other_version = CompanyFactory(parent=consultancy)
    closed(other_version, None, owner, 99)
    audit = closed(company, version, owner, 35)
    summary = row(benchmark_panel_get(audit=audit)).summary
    assert summary.n == 5 and summary.median == 30.0


def test_only_each_company_s_latest_closed_audit_counts(consultancy, company, version, owner):
    companies = peers(consultancy, version, owner, [10, 20, 30, 40, 50])
    closed(companies[0], version, owner, 100, days_ago=30)  # older: ignored
    audit = closed(company, version, owner, 35)
    summary = row(benchmark_panel_get(audit=audit)).summary
    assert summary.n == 5 and summary.q3 == 40.0


def test_the_company_s_own_audits_never_count(consultancy, company, version, owner):
    peers(consultancy, version, owner, [10, 20, 30, 40, 50])
    closed(company, version, owner, 99, days_ago=10)
    audit = closed(company, version, owner, 35)
    assert row(benchmark_panel_get(audit=audit)).summary.n == 5


def test_filters_follow_the_k_rule(consultancy, company, version, owner):
    peers(consultancy, version, owner, [10, 20, 30, 40, 50], industry="Bank", size_band="small")
    peers(consultancy, version, owner, [60, 70, 80, 90, 95], industry="Retail", size_band="small")
    peers(consultancy, version, owner, [1, 2], industry="Retail", size_band="large")
    audit = closed(company, version, owner, 35)
    panel = benchmark_panel_get(audit=audit)
    assert panel.filters[0] == ALL
    assert Filter("Bank", None) in panel.filters
    assert panel.filters == [
        ALL,
        Filter("Bank", None),
        Filter("Retail", None),
        Filter("Bank", "small"),
    ]
    # refused: "small" (10 of 12 isolates the 2 large), "Retail, small" (5 of Retail's 7)
    bank = benchmark_panel_get(audit=audit, where=Filter("Bank", None))
    assert row(bank).summary.n == 5 and row(bank).summary.median == 30.0
    refused = benchmark_panel_get(audit=audit, where=Filter(None, "large"))
    assert not refused.shown


def test_the_panel_is_cached_until_the_version_changes(
    consultancy, company, version, owner, django_assert_num_queries
):
    peers(consultancy, version, owner, [10, 20, 30, 40, 50])
    audit = closed(company, version, owner, 35)
    first = benchmark_panel_get(audit=audit)
    with django_assert_num_queries(0):
        assert benchmark_panel_get(audit=audit) == first
    peers(consultancy, version, owner, [60])
    assert benchmark_panel_get(audit=audit) == first  # stale until the version changes
    benchmark_version_bump(consultancy_id=consultancy.pk)
    assert row(benchmark_panel_get(audit=audit)).summary.n == 6


def test_an_open_audit_has_no_panel(company, version, owner):
    audit = closed(company, version, owner, 35, status=AuditStatus.OPEN)
    assert not benchmark_panel_get(audit=audit).closed


def test_a_filter_from_the_query_string_is_cleaned():
    assert benchmark_where(industry="  Bank ", size_band="huge") == Filter("Bank", None)
    assert benchmark_where(industry="", size_band="small") == Filter(None, "small")


def test_reopening_an_audit_makes_the_consultancy_s_panels_stale(
    consultancy, company, version, owner, django_capture_on_commit_callbacks
):
    from assessments.services.audits import audit_reopen
    from cxaudit.caching import benchmark_version_get

    audit = closed(company, version, owner, 35)
    before = benchmark_version_get(consultancy_id=consultancy.pk)
    with django_capture_on_commit_callbacks(execute=True):
        audit_reopen(audit=audit, by=owner)
    assert benchmark_version_get(consultancy_id=consultancy.pk) != before


def test_postgresql_percentile_cont_equals_the_pure_module(consultancy, company, version, owner):
    from tests.conftest import only_on

    only_on("postgresql")
    from assessments.selectors.benchmark import benchmark_quartiles_sql
    from cxaudit.stats.benchmark import percentile_cont

    bank = [12.5, 40.0, 33.3, 70.1, 55.5, 61.0]
    peers(consultancy, version, owner, bank, industry="Bank", size_band="small")
    peers(consultancy, version, owner, [90, 91, 92, 93, 94], industry="Retail")
    rival = ConsultancyFactory()
    peers(rival, version, owner, [0, 0, 0, 0, 0], industry="Bank")
    audit = closed(company, version, owner, 50)
    figures = benchmark_quartiles_sql(
        audit=audit, refs=[OVERALL, DOMAIN], where=Filter("Bank", None)
    )
    for ref in (OVERALL, DOMAIN):
        expected = tuple(percentile_cont(bank, p) for p in (0.25, 0.5, 0.75))
        assert figures[ref] == pytest.approx(expected)
    panel = benchmark_panel_get(audit=audit, where=Filter("Bank", None))
    assert row(panel).summary.median == pytest.approx(float(numpy.median(bank)))


def test_percentile_cont_refuses_a_fraction_outside_0_1():
    from assessments.selectors.benchmark import PercentileCont

    with pytest.raises(ValueError):
        PercentileCont("id", fraction=2)


def test_a_pool_of_1000_companies_costs_the_same_queries(
    consultancy, company, version, owner, django_assert_max_num_queries
):
    from assessments.models import Audit
    from cxaudit.accounts.models import Organisation, OrganisationKind

    bands = ("small", "medium", "large", "enterprise")
    companies = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.COMPANY,
            name=f"Peer {i}",
            parent=consultancy,
            industry=("Bank", "Retail", "Telecom")[i % 3],
            size_band=bands[i % 4],
        )
        for i in range(1000)
    )
    audits = Audit.objects.bulk_create(
        Audit(
            company=c,
            title="A",
            owner=owner,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 2, 1),
            is_self_assessment=False,
            status=AuditStatus.CLOSED,
            results_snapshot={"overall": str(i % 97), "domains": {DOMAIN: str(i % 89)}},
        )
        for i, c in enumerate(companies)
    )
    AuditInstrument.objects.bulk_create(AuditInstrument(audit=a, version=version) for a in audits)
    audit = closed(company, version, owner, 50, domain=40)
    with django_assert_max_num_queries(4):
        panel = benchmark_panel_get(audit=audit, where=Filter("Bank", "small"))
    assert row(panel).summary.n == len([i for i in range(1000) if i % 3 == 0 and i % 4 == 0])
    assert len(panel.filters) == 1 + 3 + 4 + 12
