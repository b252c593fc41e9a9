"""The results of a full audit: one name per domain, a radar a person can read, numbers
in the reader's locale, and a staff comparison only from enough staff (§7, §8)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer, AuditInstrument, ParticipantKind
from assessments.selectors.results import RADAR_MAX_AXES, audit_results
from cxaudit.scoring import MIN_STAFF
from tests.integration.test_reports_pdf_reading import full_audit_keys
from tests.report_factories import ParticipantFactory, demo_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(actors, company):
    return demo_audit(
        company=company, owner=actors["consultant"], instrument_keys=full_audit_keys()
    )


def radar_axes(svg: str) -> int:
    return len(re.findall(r'class="cx-vertex cx-vertex-1"', svg)) + svg.count("cx-missing")


def test_every_domain_of_a_full_audit_has_its_own_name(audit):
    with translation.override("en"):
        results = audit_results(audit=audit)
    labels = [row.label for row in results.domains]
    assert len(set(labels)) == len(labels) > RADAR_MAX_AXES
    assert "Strategy (Level of customer service and sales)" in labels
    assert "Strategy (Golding's framework for managing customer experience)" in labels
    assert "Emotions" in labels  # a name no other instrument uses stays as it is
    assert [gap.title for gap in results.gaps] == labels
    assert all(label in results.bars_svg for label in ("Emotions", "Strategy (Level of"))


def test_a_full_audit_radar_has_one_axis_per_instrument(audit):
    with translation.override("en"):
        results = audit_results(audit=audit)
    assert results.radar_by_instrument
    assert len(results.instrument_scores) <= RADAR_MAX_AXES
    assert radar_axes(results.radar_svg) == len(results.instrument_scores)
    assert "Maturity by instrument" in results.radar_svg
    for title, _score in results.instrument_scores:
        assert f"<title>{title}: " in results.radar_svg.replace("&#x27;", "'")


def test_a_small_audit_radar_keeps_one_axis_per_domain(actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    with translation.override("en"):
        results = audit_results(audit=audit)
    assert not results.radar_by_instrument
    assert radar_axes(results.radar_svg) == len(results.domains)


@pytest.mark.parametrize(("language", "mark"), [("ru", ","), ("en", ".")])
def test_chart_numbers_follow_the_reader(audit, language, mark):
    with translation.override(language):
        results = audit_results(audit=audit)
    other = "." if mark == "," else ","
    for svg in (results.radar_svg, results.bars_svg):
        values = re.findall(r">(\d+[.,]\d)<", svg)
        assert values and all(other not in value for value in values), values
    assert f"{results.domains[0].display}".replace(".", mark) in results.bars_svg


def test_staff_are_compared_only_from_the_minimum(audit):
    pinned = AuditInstrument.objects.get(audit=audit, position=0)
    key = pinned.version.parsed.sections[0].items[0].key
    for count in range(1, MIN_STAFF + 1):
        staff = ParticipantFactory(audit=audit, kind=ParticipantKind.STAFF)
        Answer.objects.create(participant=staff, audit_instrument=pinned, item_key=key, value=1)
        results = audit_results(audit=audit)
        assert results.staff_count == count
        assert results.staff_compared is (count >= MIN_STAFF)
        assert bool(results.gap_svg) is (count >= MIN_STAFF)


def test_the_results_page_names_priorities_in_words(client_for, audit, settings):
    client = client_for("consultant")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("assessments:audit-results", args=[audit.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"(high|medium|low) priority", page)
    assert not re.search(r"priority \d", page)
    assert "Strategy (Level of customer service and sales)" in page
