"""The Benchmark panel on a closed audit's results page: who sees it, what it shows, in
Russian too, and within the page's query budget."""

import pytest
from django.urls import reverse

from assessments.models import Audit, AuditInstrument, AuditStatus
from assessments.services.audits import audit_close, results_publish
from tests.factories import CompanyFactory, ConsultancyFactory
from tests.report_factories import AuditFactory, demo_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    audit_close(audit=audit, by=actors["consultant"])
    audit.refresh_from_db()
    return audit


def peer(consultancy, audit, overall, name, **profile):
    """Another company whose latest closed audit is on the same versions, with the scores
    of ``audit`` but ``overall`` as its overall score."""
    other = CompanyFactory(parent=consultancy, name=name, **profile)
    snapshot = {**audit.results_snapshot, "overall": str(overall)}
    copy = AuditFactory(
        company=other, owner=audit.owner, status=AuditStatus.CLOSED, results_snapshot=snapshot
    )
    for pinned in audit.instruments.all():
        AuditInstrument.objects.create(audit=copy, version=pinned.version)
    return other


def page(client, audit, **params):
    return client.get(reverse("assessments:audit-results", args=[audit.pk]), params)


def test_the_consultant_sees_percentile_median_and_quartiles_without_names(en, audit, consultancy):
    names = [f"Peer company {i}" for i in range(6)]
    for i, name in enumerate(names):
        peer(consultancy, audit, 10 * (i + 1), name)
    rival = ConsultancyFactory()
    peer(rival, audit, 99, "Rival client")
    html = page(en("consultant"), audit).content.decode()
    panel = html[html.index('data-testid="benchmark"') :]
    assert "Median" in panel and "Lower quartile" in panel
    assert "35.0" in panel  # the median of 10..60
    assert '<td class="text-end">6</td>' in panel  # the rival's client does not count
    for name in [*names, "Rival client"]:
        assert name not in html


def test_with_fewer_than_five_others_a_sentence_replaces_the_figures(en, audit, consultancy):
    for i in range(4):
        peer(consultancy, audit, 10 * i, f"Peer {i}")
    html = page(en("consultant"), audit).content.decode()
    assert "Fewer than 5 of the consultancy" in html
    assert "Median" not in html[html.index('data-testid="benchmark"') :]


def test_the_filter_offers_only_allowed_combinations_and_applies(en, audit, consultancy):
    for i in range(5):
        peer(consultancy, audit, 10 + i, f"Bank {i}", industry="Bank")
    for i in range(5):
        peer(consultancy, audit, 80 + i, f"Shop {i}", industry="Retail")
    peer(consultancy, audit, 50, "Odd one", industry="Retail", size_band="large")
    client = en("consultant")
    html = page(client, audit).content.decode()
    assert 'value="Bank|"' in html and 'value="Retail|"' in html
    assert 'value="|large"' not in html and 'value="Retail|large"' not in html
    bank = page(client, audit, benchmark="Bank|").content.decode()
    assert "12.0" in bank  # the median of 10..14
    refused = page(client, audit, benchmark="|large").content.decode()
    assert '<td class="text-end">11</td>' in refused  # back to the whole pool


def test_staff_see_the_panel_once_results_are_published(en, audit, consultancy, actors):
    for i in range(5):
        peer(consultancy, audit, 10 * i, f"Peer {i}")
    assert page(en("staff"), audit).status_code == 404
    results_publish(audit=audit, by=actors["consultant"])
    html = page(en("staff"), audit).content.decode()
    assert 'data-testid="benchmark"' in html


def test_an_open_audit_has_no_panel(en, actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    assert 'data-testid="benchmark"' not in page(en("consultant"), audit).content.decode()


def test_the_panel_is_in_russian(client_for, audit, consultancy):
    for i in range(5):
        peer(consultancy, audit, 10 * i, f"Peer {i}")
    html = page(client_for("consultant"), audit).content.decode()
    assert "Сравнение с другими клиентами" in html and "Медиана" in html


def test_the_page_with_the_panel_keeps_its_query_budget(
    en, audit, consultancy, django_assert_max_num_queries
):
    for i in range(30):
        peer(consultancy, audit, i, f"Peer {i}", industry=("A", "B", "C")[i % 3])
    client = en("consultant")
    with django_assert_max_num_queries(17):
        assert page(client, audit).status_code == 200
    with django_assert_max_num_queries(15):  # cached: no query for the panel
        assert page(client, audit).status_code == 200
    assert Audit.objects.filter(status=AuditStatus.CLOSED).count() == 31


def test_a_self_assessing_company_has_no_panel(en, actors):
    from tests.factories import MembershipFactory

    alone = CompanyFactory(parent=None, name="Alone Ltd")
    MembershipFactory(user=actors["manager"], organisation=alone, role="manager")
    audit = demo_audit(company=alone, owner=actors["manager"])
    Audit.objects.filter(pk=audit.pk).update(is_self_assessment=True)
    audit.refresh_from_db()
    audit_close(audit=audit, by=actors["manager"])
    response = page(en("manager"), audit)
    assert response.status_code == 200
    assert 'data-testid="benchmark"' not in response.content.decode()


def test_the_report_shows_the_benchmark_under_maturity(actors, audit, consultancy):
    from django.template.loader import render_to_string
    from django.utils import translation

    from cxaudit.reports.selectors import audit_report_context

    for i in range(5):
        peer(consultancy, audit, 10 * (i + 1), f"Peer company {i}")
    with translation.override("ru"):
        context = audit_report_context(audit=audit)
        html = render_to_string("reports/pdf/audit_report.html", context)
    block = html[html.index('id="benchmark"') :]
    assert "Медиана" in block and "30,0" in block  # the median of 10..50, Russian decimals
    assert "Peer company" not in html


def test_an_open_audit_s_report_has_no_benchmark(actors, company):
    from django.utils import translation

    from cxaudit.reports.selectors import audit_report_context

    audit = demo_audit(company=company, owner=actors["consultant"])
    with translation.override("en"):
        assert "benchmark" not in audit_report_context(audit=audit)
