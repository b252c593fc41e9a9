"""The results page is served from the cache until something it shows changes."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from assessments.selectors import results as results_selectors
from assessments.services import audits as audit_services
from assessments.services import plan as plan_services
from surveys import services as survey_services
from tests.audit_factories import (
    GOLDING_ALL_NO,
    answers_give,
    audit_build,
    staff_add,
    touchpoint_add,
)
from tests.metrics_factories import MetricPeriodFactory
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(actors, company):
    audit = audit_build(
        company=company,
        by=actors["consultant"],
        period_start=timezone.localdate() - timedelta(days=60),
        period_end=timezone.localdate() + timedelta(days=30),
    )
    answers_give(audit=audit, answers=GOLDING_ALL_NO)
    return audit


@pytest.fixture
def computations(monkeypatch):
    """Counts how often the results are computed rather than read from the cache."""
    calls = []
    real = results_selectors.audit_results

    def counted(**kwargs):
        calls.append(kwargs["audit"].pk)
        return real(**kwargs)

    monkeypatch.setattr(results_selectors, "audit_results", counted)
    return calls


def without_csrf(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", page)


def fingerprint(audit):
    return results_selectors.results_fingerprint(audit=audit)


def test_an_unchanged_audit_is_computed_once(client_for, audit, computations):
    client = client_for("consultant")
    url = reverse("assessments:audit-results", args=[audit.pk])
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    client.get(reverse("assessments:audit-gaps", args=[audit.pk]))
    assert computations == [audit.pk]
    assert without_csrf(first) == without_csrf(second)


def test_a_cached_page_takes_few_queries(client_for, audit, django_assert_max_num_queries):
    client = client_for("consultant")
    url = reverse("assessments:audit-results", args=[audit.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_each_language_has_its_own_entry(audit, computations):
    with translation.override("ru"):
        russian = results_selectors.audit_results_cached(audit=audit)
    with translation.override("en"):
        english = results_selectors.audit_results_cached(audit=audit)
        again = results_selectors.audit_results_cached(audit=audit)
    assert len(computations) == 2
    assert russian.level_name != english.level_name == again.level_name


def test_a_new_answer_shows_at_once(client_for, audit):
    client = client_for("consultant")
    url = reverse("assessments:audit-results", args=[audit.pk])
    before = client.get(url).content.decode()
    answers_give(audit=audit, answers=dict.fromkeys(GOLDING_ALL_NO, 1))
    after = client.get(url).content.decode()
    assert before != after
    assert 'data-testid="overall-score">100' in after or "100.0" in after


@pytest.mark.parametrize(
    "change",
    [
        "answer",
        "staff_answer",
        "touchpoint",
        "touchpoint_edit",
        "recommendations",
        "recommendation_decided",
        "close",
        "publish",
        "metric_period",
        "wave",
        "wave_closed",
        "wave_import",
        "survey_anonymous",
        "threshold",
        "next_day",
    ],
)
def test_every_change_the_results_show_changes_the_fingerprint(actors, company, audit, change):
    consultant = actors["consultant"]
    before = fingerprint(audit)
    if change == "answer":
        answers_give(audit=audit, answers={"golding-cx-framework:strategy.know-customers": 1})
    elif change == "staff_answer":
        (participant,) = staff_add(audit=audit, users=[actors["staff"]], by=consultant)
        answers_give(
            audit=audit,
            participant=participant,
            answers={"golding-cx-framework:strategy.know-customers": 1},
        )
    elif change == "touchpoint":
        touchpoint_add(audit=audit, name="Касса", emotion=2)
    elif change == "touchpoint_edit":
        touchpoint = touchpoint_add(audit=audit, name="Касса", emotion=2)
        before = fingerprint(audit)
        plan_services.touchpoint_update(
            touchpoint=touchpoint,
            by=consultant,
            stage_key=touchpoint.stage_key,
            name="Касса",
            emotion=4,
        )
    elif change == "recommendations":
        plan_services.recommendations_refresh(audit=audit, by=consultant)
    elif change == "recommendation_decided":
        plan_services.recommendations_refresh(audit=audit, by=consultant)
        before = fingerprint(audit)
        recommendation = audit.recommendations.first()
        plan_services.recommendation_reject(recommendation=recommendation, by=consultant)
    elif change == "close":
        audit_services.audit_close(audit=audit, by=consultant)
    elif change == "publish":
        audit_services.results_publish(audit=audit, by=consultant)
    elif change == "metric_period":
        MetricPeriodFactory(company=company, starts_on=date(2024, 1, 1))
    elif change == "wave":
        WaveFactory(survey=SurveyFactory(company=company), closed=True)
    elif change == "wave_closed":
        wave = WaveFactory(survey=SurveyFactory(company=company))
        before = fingerprint(audit)
        survey_services.wave_close(wave=wave)
    elif change == "wave_import":  # closed waves take no import: an open one
        wave = WaveFactory(survey=SurveyFactory(company=company))
        before = fingerprint(audit)
        day = wave.opens_on.strftime("%d.%m.%Y")
        assert survey_services.wave_import(wave=wave, data=f"date;nps\n{day};9\n".encode()) == 1
    elif change == "survey_anonymous":
        survey = SurveyFactory(company=company)
        WaveFactory(survey=survey, closed=True)
        before = fingerprint(audit)
        survey_services.survey_update(
            survey=survey, title=survey.title, blocks=survey.blocks, anonymous=True
        )
    elif change == "threshold":
        survey_services.survey_settings_set(company=company, anonymity_threshold=7)
    elif change == "next_day":
        with time_machine.travel(timezone.now() + timedelta(days=1)):
            assert fingerprint(audit) != before
        return
    audit.refresh_from_db()
    assert fingerprint(audit) != before, change


def test_the_fingerprint_takes_one_query(audit, django_assert_num_queries):
    with django_assert_num_queries(1):
        fingerprint(audit)


def test_the_cached_results_carry_the_fresh_audit(audit, actors):
    results_selectors.audit_results_cached(audit=audit)
    audit.title = "Переименован"
    cached = results_selectors.audit_results_cached(audit=audit)
    assert cached.audit is audit
