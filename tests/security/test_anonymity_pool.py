"""Attacks on anonymity and robustness across routes (issue 13).

Each test plays an attacker who reads two pages that are correct on their own and combines
them: the audit's pooled survey figures minus the waves the survey page shows, a survey
page read again after the company lowers its anonymity threshold, another staff member's
evidence file fetched by its sequential id, and the audit results page while the cache
server is down.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import Audit
from assessments.selectors.results import audit_results
from assessments.services import audits as audit_services
from cxaudit.reports import selectors as report_selectors
from surveys import services as survey_services
from surveys.models import Wave
from surveys.selectors import ExportRefused, survey_results, wave_export
from tests.audit_factories import GOLDING_ALL_NO, answers_give, audit_build, evidence_of_each
from tests.factories import MembershipFactory, UserFactory
from tests.security.conftest import login
from tests.survey_factories import SurveyFactory, SurveySettingsFactory, WaveFactory
from tests.survey_factories import answers as give_answers

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _wave(survey, number: int, *, days_ago: int):
    """A wave that closed by date ``days_ago`` days ago and lasted a week."""
    closes_on = TODAY - timedelta(days=days_ago)
    return WaveFactory(
        survey=survey, number=number, opens_on=closes_on - timedelta(days=6), closes_on=closes_on
    )


def _audit(actors, company):
    return audit_build(
        company=company,
        by=actors["consultant"],
        period_start=TODAY - timedelta(days=90),
        period_end=TODAY,
    )


def _shown_n(survey, key: str) -> int:
    """What an attacker can add up from the survey page: n of every wave it shows for
    ``key``, read wave by wave as staff see them."""
    total = 0
    for wave in survey.waves.all():
        context = survey_results(survey=survey, can_manage=False, wave_number=wave.number)
        if context["wave"] is None or context["wave"].pk != wave.pk:
            continue
        for section in context["sections"]:
            if section["figure"].key == key and section["figure"].shown:
                total += section["figure"].n
    return total


def _pooled(figures, key: str):
    return next((figure for figure in figures if figure.key == key), None)


def _assert_nothing_recovered(figures, surveys, key: str):
    """A shown pooled figure counts exactly the answers of shown waves: pool minus the
    shown waves is zero, so no hidden wave can be worked out."""
    figure = _pooled(figures, key)
    if figure is None or not figure.shown:
        return
    assert figure.n == sum(_shown_n(survey, key) for survey in surveys), figure


@pytest.fixture
def employee_world(actors, company):
    """k = 5; an employee survey with a wave of 10 answers (shown) and a wave of 3 (hidden)."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True)
    shown = _wave(survey, 1, days_ago=40)
    hidden = _wave(survey, 2, days_ago=10)
    give_answers(shown, [10] * 10, key="enps")
    give_answers(hidden, [0, 0, 1], key="enps")
    return {"survey": survey, "audit": _audit(actors, company), "hidden": hidden}


def test_a_hidden_wave_cannot_be_recovered_from_the_audit_page_by_subtraction(
    employee_world, client_for
):
    survey, audit = employee_world["survey"], employee_world["audit"]
    assert _shown_n(survey, "enps") == 10  # the survey page hides the wave of 3
    results = audit_results(audit=audit)
    _assert_nothing_recovered(results.surveys.figures, [survey], "enps")
    page = client_for("consultant").get(reverse("assessments:audit-results", args=[audit.pk]))
    assert page.status_code == 200
    assert "n = 13" not in page.content.decode()
    assert results.surveys.left_out == 1
    assert "1 волна, скрытая на странице своего опроса" in page.content.decode()


def test_a_hidden_wave_cannot_be_recovered_from_the_audit_pdf_by_subtraction(employee_world):
    with translation.override("en"):
        context = report_selectors.audit_report_context(audit=employee_world["audit"])
    _assert_nothing_recovered(context["survey_figures"], [employee_world["survey"]], "enps")


def test_two_hidden_waves_pooled_show_nothing_and_trigger_nothing(actors, company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True)
    give_answers(_wave(survey, 1, days_ago=40), [0, 0, 0, 1], key="enps")
    give_answers(_wave(survey, 2, days_ago=10), [0, 2, 3, 4], key="enps")
    audit = _audit(actors, company)
    answers_give(audit=audit, answers=GOLDING_ALL_NO)
    results = audit_results(audit=audit)
    figure = _pooled(results.surveys.figures, "enps")
    assert figure is None or not figure.shown
    assert "enps" not in results.surveys.facts
    assert "enps-negative" not in {rec.rule_id for rec in results.recommendations}


def test_an_anonymous_customer_wave_is_not_recovered_beside_a_named_survey(actors, company):
    """Pool minus the non-anonymous survey (whose page shows everything) must not reveal
    the anonymous survey's hidden wave."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    named = SurveyFactory(company=company, anonymous=False)
    secret = SurveyFactory(company=company, anonymous=True)
    give_answers(_wave(named, 1, days_ago=20), [9] * 30)
    give_answers(_wave(secret, 1, days_ago=20), [0, 0, 0, 0])
    results = audit_results(audit=_audit(actors, company))
    _assert_nothing_recovered(results.surveys.figures, [named, secret], "nps")
    figure = _pooled(results.surveys.figures, "nps")
    assert figure is not None and figure.shown  # the named survey's answers still count
    assert results.surveys.facts["nps"] == 100.0


# ----------------------------------------------------------------------------- k at close


@pytest.mark.parametrize("how", ["by_date", "explicitly"])
def test_lowering_k_after_a_wave_closed_does_not_reveal_it(actors, company, how):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True)
    if how == "by_date":
        wave = _wave(survey, 1, days_ago=3)
    else:
        wave = WaveFactory(survey=survey, number=1)
    give_answers(wave, [0, 0, 1, 2], key="enps")
    if how == "explicitly":
        survey_services.wave_close(wave=wave)
    audit = _audit(actors, company)

    def hidden_everywhere() -> None:
        fresh = Wave.objects.select_related("survey__company").get(pk=wave.pk)  # as a request
        context = survey_results(survey=fresh.survey, can_manage=True)
        assert context["wave"].pk == wave.pk and context["n_hidden"]
        assert not context["sections"][0]["figure"].shown
        with pytest.raises(ExportRefused):
            wave_export(wave=fresh)
        fresh_audit = Audit.objects.select_related("company").get(pk=audit.pk)
        figure = _pooled(audit_results(audit=fresh_audit).surveys.figures, "enps")
        assert figure is None or not figure.shown

    hidden_everywhere()
    survey_services.survey_settings_set(company=company, anonymity_threshold=3)
    hidden_everywhere()


# ----------------------------------------------------------------------------- evidence


def test_staff_cannot_download_another_staff_members_evidence(actors, company, client_for):
    colleague = UserFactory(email="colleague@example.com")
    MembershipFactory(user=colleague, organisation=company, role="staff")
    audit = _audit(actors, company)
    files = evidence_of_each(audit=audit, staff=actors["staff"], colleague=colleague)
    audit_services.results_publish(audit=audit, by=audit.owner)
    client = client_for("staff")

    def status(name: str) -> int:
        url = reverse("assessments:evidence-download", args=[files[name].pk])
        return client.get(url).status_code

    assert status("other") == 404
    assert status("staff") == 200
    assert status("assessor") == 200  # the consultant's evidence, as the report lists it


# ----------------------------------------------------------------------------- cache down


def test_the_audit_results_page_works_while_the_cache_is_down(actors, company, settings):
    audit = audit_build(
        company=company,
        by=actors["consultant"],
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
    )
    answers_give(audit=audit, answers=GOLDING_ALL_NO)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = login(actors["consultant"]).get(
        reverse("assessments:audit-results", args=[audit.pk])
    )
    assert response.status_code == 200
    assert "<svg" in response.content.decode()  # the results body, with its charts
    gaps = login(actors["consultant"]).get(reverse("assessments:audit-gaps", args=[audit.pk]))
    assert gaps.status_code == 200
