"""Key drivers beyond the results page: the rule "driver-fix-first" for an audit whose
period holds the wave, the PDFs (read back with pypdf), the page's query budget and the
analysis computed by a real Celery worker."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from surveys import services
from surveys.models import DriverAnalysis
from surveys.selectors.drivers import rating_key, wave_drivers_done
from tests.driver_factories import (
    POLITE,
    PRICE,
    SPEED,
    analyse,
    complete_rows,
    known_drivers,
    own_rating,
    page,
    shapley_by_refitting,
)
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(company):
    survey = SurveyFactory(company=company, title="Guests", blocks=["nps"])
    questions = [
        own_rating(survey, "speed", SPEED, position=1),
        own_rating(survey, "polite", POLITE, position=2),
        own_rating(survey, "price", PRICE, kind="rating11", position=3),
    ]
    return survey, questions


@pytest.fixture
def wave(survey):
    survey, questions = survey
    wave = WaveFactory(survey=survey, number=1, closed=True)
    known_drivers(wave, questions, 300)
    return wave


# --------------------------------------------------------------------------- recommendations


@pytest.fixture
def audit_with_drivers(actors, company, survey, wave, django_capture_on_commit_callbacks):
    """An audit whose period holds the wave; its analysis is done, speed to fix first."""
    from tests.report_factories import AuditFactory

    analyse(wave, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    return AuditFactory(
        company=company,
        owner=actors["consultant"],
        period_start=today - timedelta(days=60),
        period_end=today,
    )


def test_an_audit_whose_latest_wave_has_a_driver_to_fix_first_gets_the_recommendation(
    audit_with_drivers, survey, wave
):
    from assessments.reasons import reason_lines
    from assessments.selectors.proposals import recommendations_proposed
    from cxaudit.library import rule_catalogue

    _survey, questions = survey
    proposed = {p.rule_id: p for p in recommendations_proposed(audit=audit_with_drivers)}
    found = proposed["driver-fix-first"]
    share = next(
        d["share"]["shown"]
        for d in DriverAnalysis.objects.get(wave=wave).result["drivers"]
        if d["key"] == rating_key(questions[0].pk)
    )
    (reason,) = found.reasons
    assert reason["kind"] == "driver" and reason["ref"] == str(questions[0].pk)
    assert reason["question"] == {"ru": SPEED[0], "en": SPEED[1]}
    for language, text, number in (
        ("en", SPEED[1], f"{share:.1f}"),
        ("ru", SPEED[0], f"{share:.1f}".replace(".", ",")),
    ):
        with translation.override(language):
            (line,) = reason_lines(found.reasons)
        assert text in line and f"{number}%" in line, line
    rule = rule_catalogue().get("driver-fix-first")
    assert found.text in (rule.text.ru, rule.text.en)


def test_the_recommendation_is_stored_with_its_reason(audit_with_drivers, actors):
    from assessments.services import plan

    plan.recommendations_refresh(audit=audit_with_drivers, by=actors["consultant"])
    stored = audit_with_drivers.recommendations.get(rule_id="driver-fix-first")
    assert stored.reasons[0]["question"]["en"] == SPEED[1]


def test_no_recommendation_without_a_done_analysis(actors, company, survey, wave):
    from assessments.selectors.proposals import recommendations_proposed
    from tests.report_factories import AuditFactory

    today = timezone.localdate()
    audit = AuditFactory(
        company=company,
        owner=actors["consultant"],
        period_start=today - timedelta(days=60),
        period_end=today,
    )
    assert "driver-fix-first" not in {p.rule_id for p in recommendations_proposed(audit=audit)}


# --------------------------------------------------------------------------- PDF


def pdf_text(job):
    import io
    import re

    from pypdf import PdfReader

    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return re.sub(r"\s+", "", "\n".join(page.extract_text() for page in reader.pages))


def squash(text):
    return "".join(str(text).split())


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_audit_report_shows_the_drivers_of_the_latest_wave(audit_with_drivers, wave, language):
    from cxaudit.reports import services as reports
    from cxaudit.reports.models import ReportStatus

    job, _created = reports.audit_report_request(
        audit=audit_with_drivers, language=language, by=None
    )
    assert reports.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    text = pdf_text(job)
    with translation.override(language):
        shown = wave_drivers_done(wave=wave)
    assert shown is not None
    for line in shown["reading"]:
        assert squash(line) in text, line
    for row in shown["rows"]:
        assert squash(row["question"]) in text
        assert squash(f"{row['share']} ({row['share_interval']})") in text
        assert squash(row["quadrant_label"]) in text


def test_the_wave_report_shows_the_drivers(survey, wave, django_capture_on_commit_callbacks):
    from cxaudit.reports import services as reports

    analyse(wave, django_capture_on_commit_callbacks)
    job, _created = reports.wave_report_request(wave=wave, language="en", by=None)
    reports.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    text = pdf_text(job)
    with translation.override("en"):
        shown = wave_drivers_done(wave=wave)
    assert squash("Key drivers of Net Promoter Score") in text
    assert squash(shown["reading"][0]) in text
    assert squash(SPEED[1]) in text and squash("Fix first") in text


# --------------------------------------------------------------------------- budget, worker


def test_results_page_query_budget_with_drivers(
    survey, wave, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    survey, _questions = survey
    analyse(wave, django_capture_on_commit_callbacks)
    client = client_for("manager")
    page(client, survey, "en")
    with django_assert_max_num_queries(14):
        response = page(client, survey, "en")
    assert response.context["drivers"]["state"] == "done"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_worker_computes_the_analysis_of_a_closed_wave(
    celery_worker_process, real_broker, company
):
    survey = SurveyFactory(company=company, title="Guests", blocks=["nps"])
    questions = [
        own_rating(survey, "speed", SPEED, position=1),
        own_rating(survey, "polite", POLITE, position=2),
        own_rating(survey, "price", PRICE, kind="rating11", position=3),
    ]
    wave = WaveFactory(survey=survey, number=1)
    known_drivers(wave, questions, 200)
    services.wave_close(wave=wave)  # no transaction open: queued at once

    def done():
        return DriverAnalysis.objects.filter(wave=wave, status="done").exists()

    celery_worker_process.wait_for(done, timeout=60)
    result = DriverAnalysis.objects.get(wave=wave).result
    rows = complete_rows(wave, questions)
    expected = shapley_by_refitting(rows[:, 1:], rows[:, 0])
    got = {d["key"]: d["importance"]["value"] for d in result["drivers"]}
    for j, question in enumerate(questions):
        assert got[rating_key(question.pk)] == pytest.approx(100 * expected[j], abs=1e-9)


def test_the_word_report_shows_the_drivers_of_the_latest_wave(audit_with_drivers, wave):
    import io

    from docx import Document

    from tests.integration.test_reports_docx import all_text, render_docx

    _job, data = render_docx(audit_with_drivers, "ru")
    document = Document(io.BytesIO(data))
    text = all_text(document)
    with translation.override("ru"):
        shown = wave_drivers_done(wave=wave)
    for line in shown["reading"]:
        assert line in text, line
    for row in shown["rows"]:
        assert row["question"] in text
        assert f"{row['share']} ({row['share_interval']})" in text
        assert row["quadrant_label"] in text
    assert len(document.inline_shapes) >= 2  # the radar and the drivers' quadrant
