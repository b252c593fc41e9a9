"""Survey results, business metrics and recommendation reasons in the PDFs, and the survey
wave summary: the PDF shows the numbers of the results selectors, in the job's language,
and what the results pages hide stays hidden."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from assessments.models import Instrument, RecommendationStatus
from assessments.reasons import reason_lines
from assessments.selectors.results import audit_results
from cxaudit.library import rule_catalogue
from cxaudit.reports import selectors, services
from cxaudit.reports.models import ReportJob, ReportStatus, SubjectKind
from surveys.selectors import survey_results
from tests.metrics_factories import MetricPeriodFactory, quarter
from tests.report_factories import RecommendationFactory, demo_audit
from tests.survey_factories import SurveyFactory, WaveFactory, answers

pytestmark = pytest.mark.django_db

CUSTOMER_COMMENT = "Coffee was cold on Monday"
SECRET_COMMENT = "Only three of us work nights"


def squash(text: str) -> str:
    """PDF text without any whitespace: table cells wrap lines anywhere."""
    return re.sub(r"\s+", "", text)


def pdf_text(job: ReportJob) -> str:
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return squash("\n".join(page.extract_text() for page in reader.pages))


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def previous_quarter(year: int, number: int) -> tuple[int, int]:
    return (year, number - 1) if number > 1 else (year - 1, 4)


@pytest.fixture
def world(actors, company):
    """An audit whose period is the last full quarter up to yesterday, with a customer
    survey (two closed waves), an anonymous employee survey whose only wave has too few
    answers to show, two quarters of business metrics and recommendations with reasons."""
    today = timezone.localdate()
    last_quarter = previous_quarter(*quarter_of(today))
    audit = demo_audit(company=company, owner=actors["consultant"])
    audit.period_start = quarter(*last_quarter)["starts_on"]
    audit.period_end = today - timedelta(days=1)
    audit.save()
    MetricPeriodFactory(company=company, **quarter(*previous_quarter(*last_quarter)))
    MetricPeriodFactory(
        company=company,
        **quarter(*last_quarter),
        customers_lost=140,
        customers_end=1010,
        cases_first_contact=200,
    )
    customers = SurveyFactory(company=company, title="Guests of the shop", blocks=["nps"])
    first = WaveFactory(
        survey=customers,
        number=1,
        opens_on=today - timedelta(days=90),
        closes_on=today - timedelta(days=60),
    )
    answers(first, [10] * 12 + [8] * 10 + [2] * 14)
    second = WaveFactory(survey=customers, number=2, closed=True)
    answers(second, [10] * 20 + [8] * 10 + [3] * 10)
    answers(second, [9], comment=CUSTOMER_COMMENT)
    employees = SurveyFactory(company=company, employee=True, title="Team pulse")
    pulse = WaveFactory(survey=employees, number=1, closed=True)
    answers(pulse, [10, 10], key="enps", state_at_work=8)
    answers(pulse, [6], key="enps", state_at_work=3, comment=SECRET_COMMENT)
    version = Instrument.objects.get(key="golding-cx-framework", owner=None).latest
    section = version.parsed.sections[0]
    item = section.items[0]
    rule = rule_catalogue().rules[0]
    reasons = [
        {"kind": "metric", "ref": "nps", "observed": "25.0", "condition": "<", "threshold": "30"},
        {
            "kind": "item",
            "ref": f"golding-cx-framework:{section.key}.{item.key}",
            "observed": 0,
            "condition": "<=",
        },
    ]
    recommendation = RecommendationFactory(
        audit=audit,
        rule_id=rule.id,
        text=rule.text.en,
        reasons=reasons,
        status=RecommendationStatus.ACCEPTED,
        priority="9.99",
        severity=3,
    )
    return {
        "audit": audit,
        "customers": customers,
        "second": second,
        "employees": employees,
        "pulse": pulse,
        "recommendation": recommendation,
        "rule": rule,
    }


def render_audit(audit, language):
    job, _created = services.audit_report_request(audit=audit, language=language, by=None)
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    return job


def render_wave(wave, language):
    job, _created = services.wave_report_request(wave=wave, language=language, by=None)
    status = services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job, status


# ----------------------------------------------------------------------------- audit report


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_audit_report_shows_the_survey_figures_of_the_results_page(world, language):
    text = pdf_text(render_audit(world["audit"], language))
    with translation.override(language):
        results = audit_results(audit=world["audit"], with_charts=False)
        heading = gettext("Survey results")
    figures = {figure.key: figure for figure in results.surveys.figures}
    assert squash(heading) in text
    nps = figures["nps"]
    assert nps.shown and nps.margin
    assert squash(f"{nps.value} ± {nps.margin}") in text
    assert squash(nps.band_label) in text
    assert squash(nps.band_meaning) in text
    assert not figures["enps"].shown  # three employees: below the anonymity threshold
    assert squash(figures["enps"].message) in text
    assert SECRET_COMMENT.replace(" ", "") not in text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_audit_report_shows_wave_trends_up_to_the_audit(world, language):
    text = pdf_text(render_audit(world["audit"], language))
    with translation.override(language):
        page = survey_results(survey=world["customers"], can_manage=False)
    trend = page["sections"][0]["trend"]
    assert [point.wave.number for point in trend] == [1, 2]
    assert page["sections"][0]["trend_svg"]
    for point in trend:
        assert squash(point.figure.value) in text
    assert squash(trend[1].delta) in text and squash(trend[1].verdict) in text
    assert "Guestsoftheshop" in text and "Teampulse" in text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_audit_report_shows_the_business_metrics_of_the_period(world, language):
    text = pdf_text(render_audit(world["audit"], language))
    with translation.override(language):
        results = audit_results(audit=world["audit"], with_charts=False)
        heading = gettext("Business metrics")
        attention = gettext("Needs attention: target %(limit)s %(threshold)s%(unit)s")
        rows = results.business.latest_rows
        period = str(results.business.latest.period.label)
    assert len(rows) > 8
    assert squash(heading) in text
    for label, value in rows:
        assert squash(label) in text, label
        assert squash(value) in text, (label, value)
    assert squash(attention.split("%(")[0]) in text  # bands from the dashboard
    assert squash(period) in text


@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_recommendation_says_why_in_the_reports_language(world, language):
    text = pdf_text(render_audit(world["audit"], language))
    recommendation = world["recommendation"]
    with translation.override(language):
        expected = reason_lines(
            recommendation.reasons, list(world["audit"].instruments.all()), touchpoints={}
        )
    assert len(expected) == 2
    for line in expected:
        assert squash(line) in text, line
    rule = world["rule"]
    assert squash(rule.text.get(language)) in text  # an unedited rule text is translated
    if language == "ru":
        assert squash(rule.text.en) not in text


def test_the_audit_document_context_keeps_a_query_budget(world, django_assert_max_num_queries):
    # 35 + one per survey summary for its comment themes (surveys/selectors/themes.py)
    with translation.override("en"), django_assert_max_num_queries(37):
        context = selectors.audit_report_context(audit=world["audit"])
    assert [entry["id"] for entry in context["toc"]][3:7] == [
        "gap",
        "surveys",
        "metrics",
        "journey",
    ]
    assert [summary["survey"].title for summary in context["surveys"]] == [
        "Guests of the shop",
        "Team pulse",
    ]
    assert context["business"]["banded"] and context["headline"]


def test_an_audit_without_surveys_or_metrics_has_no_such_sections(actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    with translation.override("en"):
        context = selectors.audit_report_context(audit=audit)
    ids = [entry["id"] for entry in context["toc"]]
    assert "surveys" not in ids and "metrics" not in ids
    assert context["headline"] == [] and context["business"] is None


# ----------------------------------------------------------------------------- wave summary


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_wave_summary_renders_the_figures_trend_and_comments(world, language):
    job, status = render_wave(world["second"], language)
    assert status == ReportStatus.DONE and job.pages >= 1
    text = pdf_text(job)
    with translation.override(language):
        page = survey_results(survey=world["customers"], can_manage=False, wave_number=2)
        title = gettext("Survey wave summary")
    figure = page["sections"][0]["figure"]
    assert squash(title) in text
    assert "Guestsoftheshop" in text
    assert squash(f"{figure.value} ± {figure.margin}") in text
    assert squash(figure.interval) in text
    assert squash(page["sections"][0]["trend"][0].figure.value) in text  # wave 1, in the trend
    assert squash(CUSTOMER_COMMENT) in text


def test_the_wave_document_context_keeps_a_query_budget(world, django_assert_max_num_queries):
    with translation.override("en"), django_assert_max_num_queries(8):
        context = selectors.wave_report_context(wave_id=world["second"].pk)
    assert context["wave"] == world["second"] and context["n"] == 41


def test_a_summary_of_an_earlier_wave_does_not_show_later_waves(world):
    first = world["customers"].waves.get(number=1)
    with translation.override("en"):
        context = selectors.wave_report_context(wave_id=first.pk)
        later = survey_results(survey=world["customers"], can_manage=False, wave_number=2)
    assert context["wave"] == first
    assert [point.wave.number for point in context["sections"][0]["trend"]] == [1]
    assert not context["sections"][0]["trend_svg"]
    job, _status = render_wave(first, "en")
    assert squash(later["sections"][0]["figure"].value) not in pdf_text(job)


def test_hidden_employee_figures_and_comments_stay_hidden_in_the_wave_summary(world):
    job, status = render_wave(world["pulse"], "en")
    assert status == ReportStatus.DONE
    text = pdf_text(job)
    assert squash("Hidden: fewer than 5 responses") in text
    assert SECRET_COMMENT.replace(" ", "") not in text
    assert "33.3" not in text  # the eNPS of 2 promoters and 1 detractor
    assert "3responses" not in text  # n itself is not shown below the threshold


def test_an_open_anonymous_wave_has_no_summary(world, company):
    wave = WaveFactory(survey=world["employees"], number=2)
    answers(wave, [9] * 6, key="enps")
    job, status = render_wave(wave, "en")
    assert status == ReportStatus.FAILED and job.error == "subject-gone"


# ----------------------------------------------------------------------------- pages and access


@pytest.fixture
def client_for(client_for):
    def make(role):
        client = client_for(role)
        client.cookies["cxaudit_language"] = "en"
        return client

    return make


@pytest.mark.parametrize("role", ["consultant", "manager", "staff"])
def test_whoever_sees_a_closed_waves_results_may_generate_its_summary(
    world, client_for, actors, role, django_capture_on_commit_callbacks
):
    client = client_for(role)
    results = client.get(reverse("surveys:survey-results", args=[world["customers"].pk]))
    url = reverse("reports:wave-report", args=[world["second"].pk])
    assert url in results.content.decode()  # the "PDF summary" button
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"language": "ru"})
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job-detail", args=[job.pk])
    assert (job.subject_kind, job.subject_id, job.company) == (
        SubjectKind.WAVE,
        world["second"].pk,
        world["customers"].company,
    )
    assert (job.status, job.requested_by) == (ReportStatus.DONE, actors[role])
    page = client.get(response["Location"]).content.decode()
    assert url in page  # back to the wave's summaries
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_open_wave_summary_is_for_managers_of_a_non_anonymous_survey_only(
    world, client_for, company
):
    open_customer = WaveFactory(survey=world["customers"], number=3)
    open_employee = WaveFactory(survey=world["employees"], number=2)
    customer_url = reverse("reports:wave-report", args=[open_customer.pk])
    employee_url = reverse("reports:wave-report", args=[open_employee.pk])
    assert client_for("manager").get(customer_url).status_code == 200
    assert client_for("consultant").get(customer_url).status_code == 200
    assert client_for("staff").get(customer_url).status_code == 404
    for role in ("consultant", "manager", "staff"):
        assert client_for(role).get(employee_url).status_code == 404
        assert client_for(role).post(employee_url, {"language": "en"}).status_code == 404
    assert not ReportJob.objects.exists()


def test_staff_do_not_see_a_summary_made_while_the_wave_was_open(world, client_for):
    wave = WaveFactory(survey=world["customers"], number=3)
    answers(wave, [10] * 8)
    job, status = render_wave(wave, "en")
    assert status == ReportStatus.DONE
    wave.closed_at = timezone.now()
    wave.save()
    detail = reverse("reports:job-detail", args=[job.pk])
    assert client_for("manager").get(detail).status_code == 200
    assert client_for("staff").get(detail).status_code == 404
    assert client_for("staff").get(reverse("reports:job-download", args=[job.pk])).status_code == (
        404
    )
    page = client_for("staff").get(reverse("reports:wave-report", args=[wave.pk]))
    assert page.status_code == 200 and detail not in page.content.decode()
    assert (
        detail
        in client_for("manager")
        .get(reverse("reports:wave-report", args=[wave.pk]))
        .content.decode()
    )


@pytest.mark.parametrize("role", ["other_consultant", "other_staff"])
def test_outsiders_get_404_for_wave_summaries(world, client_for, role):
    job, _status = render_wave(world["second"], "en")
    client = client_for(role)
    url = reverse("reports:wave-report", args=[world["second"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"language": "en"}).status_code == 404
    for name in ("reports:job-detail", "reports:job-status", "reports:job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("reports:job-retry", args=[job.pk])).status_code == 404
    assert ReportJob.objects.count() == 1


def test_a_wave_job_whose_wave_was_deleted_shows_managers_what_happened(world, client_for):
    job, _status = render_wave(world["second"], "en")
    world["second"].delete()
    detail = reverse("reports:job-detail", args=[job.pk])
    assert client_for("manager").get(detail).status_code == 200
    assert client_for("staff").get(detail).status_code == 404
    assert client_for("manager").post(reverse("reports:job-retry", args=[job.pk])).status_code == (
        404
    )
