"""Key drivers of a wave (surveys/services/drivers.py, selectors/drivers.py): the stored
result equals an independent fit on the same rows, refusals, recomputing on a changed basis,
failures and lost tasks, and the results page in both languages."""

from datetime import timedelta

import numpy as np
import pytest
import statsmodels.api as sm
from django.utils import timezone, translation

from surveys import services
from surveys.models import DriverAnalysis, QuestionAnswer, Response
from surveys.selectors.drivers import driver_inputs, rating_key, wave_drivers_done
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


# --------------------------------------------------------------------------- numbers


def test_the_stored_shares_equal_an_independent_statsmodels_computation(
    survey, wave, django_capture_on_commit_callbacks
):
    _survey, questions = survey
    analysis = analyse(wave, django_capture_on_commit_callbacks)
    assert analysis.status == "done"
    assert analysis.outcome == "nps"
    result = analysis.result
    rows = complete_rows(wave, questions)
    assert result["n"] == len(rows) and result["n_total"] == 300
    y, x = rows[:, 0], rows[:, 1:]
    expected = shapley_by_refitting(x, y)
    r2 = float(sm.OLS(y, sm.add_constant(x)).fit().rsquared)
    assert result["r2"]["value"] == pytest.approx(100 * r2, abs=1e-9)
    drivers = {d["key"]: d for d in result["drivers"]}
    for j, question in enumerate(questions):
        driver = drivers[rating_key(question.pk)]
        assert driver["importance"]["value"] == pytest.approx(100 * expected[j], abs=1e-9)
        assert driver["share"]["value"] == pytest.approx(100 * expected[j] / r2, abs=1e-9)
        low, high = question.scale[0], question.scale[-1]
        performance = 100 * (x[:, j].mean() - low) / (high - low)
        assert driver["performance"]["value"] == pytest.approx(performance, abs=1e-9)
        assert driver["share"]["low"] <= driver["share"]["value"] <= driver["share"]["high"]
    speed = rating_key(questions[0].pk)
    assert result["drivers"][0]["key"] == speed  # the strongest
    assert drivers[speed]["quadrant"] == "fix_first"
    assert result["reading"]["fix_first"] == speed
    assert result["questions"] == [rating_key(q.pk) for q in questions]


def test_closing_a_wave_requests_the_analysis(survey, django_capture_on_commit_callbacks):
    survey, questions = survey
    wave = WaveFactory(survey=survey, number=1)  # open
    known_drivers(wave, questions, 120)
    with django_capture_on_commit_callbacks(execute=True):
        services.wave_close(wave=wave)
    analysis = DriverAnalysis.objects.get(wave=wave)
    assert analysis.status == "done"
    assert analysis.basis == driver_inputs(wave=wave).basis


def test_below_the_minimum_n_the_analysis_is_refused_with_the_reason(
    survey, django_capture_on_commit_callbacks
):
    survey, questions = survey
    wave = WaveFactory(survey=survey, number=1, closed=True)
    known_drivers(wave, questions, 45, skip=0)
    analysis = analyse(wave, django_capture_on_commit_callbacks)
    assert analysis.status == "refused"
    assert analysis.result["message"] == ["too_few_cases", {"n": 45, "minimum": 50}]
    with translation.override("en"):
        shown = wave_drivers_done(wave=wave)
    assert shown is None  # reports show done analyses only


def test_a_wave_with_fewer_than_two_own_ratings_has_no_analysis(company):
    survey = SurveyFactory(company=company, blocks=["nps"])
    own_rating(survey, "speed", SPEED)
    wave = WaveFactory(survey=survey, closed=True)
    assert driver_inputs(wave=wave) is None
    assert services.driver_analysis_request(wave=wave) is None
    assert not DriverAnalysis.objects.exists()


def test_a_changed_basis_computes_again_and_a_repeat_does_not(
    survey, wave, django_capture_on_commit_callbacks
):
    _survey, questions = survey
    first = analyse(wave, django_capture_on_commit_callbacks)
    finished = first.finished_at
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = services.driver_analysis_request(wave=wave)
    assert callbacks == [] and again.finished_at == finished  # same basis: nothing queued
    known_drivers(wave, questions, 40, seed=3)  # e.g. answers imported before closing
    second = analyse(wave, django_capture_on_commit_callbacks)
    assert second.pk == first.pk and second.basis != first.basis
    assert second.status == "done" and second.result["n_total"] == 340


def test_a_repeated_or_late_message_computes_nothing(survey, wave):
    first = services.driver_analysis_request(wave=wave)  # queued, not run (no commit)
    DriverAnalysis.objects.filter(pk=first.pk).update(status="running")
    assert services.driver_analysis_run(analysis_id=first.pk) is None  # another worker's
    DriverAnalysis.objects.filter(pk=first.pk).update(status="pending")
    assert services.driver_analysis_run(analysis_id=first.pk) == "done"
    assert services.driver_analysis_run(analysis_id=first.pk) is None  # a repeated message


def test_a_result_computed_on_an_old_basis_is_not_stored(survey, wave, monkeypatch):
    from surveys.services import drivers as service

    first = services.driver_analysis_request(wave=wave)
    compute = service.driver_analysis_compute

    def meanwhile(**kwargs):
        data = compute(**kwargs)
        # A request on the changed wave while the worker computes: the row is pending again.
        DriverAnalysis.objects.filter(pk=first.pk).update(basis="newer", status="pending")
        return data

    monkeypatch.setattr(service, "driver_analysis_compute", meanwhile)
    services.driver_analysis_run(analysis_id=first.pk)
    first.refresh_from_db()
    assert (first.basis, first.status, first.result) == ("newer", "pending", None)


def test_a_failure_is_stored_and_logged(survey, wave, monkeypatch, caplog):
    from surveys.services import drivers as service

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "driver_analysis_compute", broken)
    first = services.driver_analysis_request(wave=wave)
    assert services.driver_analysis_run(analysis_id=first.pk) == "failed"
    first.refresh_from_db()
    assert first.status == "failed" and "disk full" in caplog.text
    assert services.driver_analysis_request(wave=wave).status == "failed"  # not at once
    DriverAnalysis.objects.update(requested_at=timezone.now() - timedelta(hours=2))
    assert services.driver_analysis_request(wave=wave).status == "pending"  # later again


def test_a_lost_task_is_queued_again(survey, wave, django_capture_on_commit_callbacks):
    services.driver_analysis_request(wave=wave)  # its message never ran
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.driver_analysis_request(wave=wave)
    assert callbacks == []  # under way: not queued twice
    DriverAnalysis.objects.update(requested_at=timezone.now() - timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.driver_analysis_request(wave=wave)
    assert len(callbacks) == 1
    assert DriverAnalysis.objects.get().status == "done"


# --------------------------------------------------------------------------- page


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_results_page_shows_the_quadrant_table_and_reading(
    survey, wave, client_for, language, django_capture_on_commit_callbacks
):
    survey, _questions = survey
    analyse(wave, django_capture_on_commit_callbacks)
    response = page(client_for("manager"), survey, language)
    html = response.content.decode()
    assert response.status_code == 200
    drivers = response.context["drivers"]
    assert drivers["state"] == "done"
    assert 'id="drivers-quadrant-title"' in html
    speed = SPEED[1] if language == "en" else SPEED[0]
    assert drivers["rows"][0]["question"] == speed
    assert drivers["rows"][0]["quadrant"] == "fix_first"
    for line in drivers["reading"]:
        assert line.replace("“", "&ldquo;")[:10] in html or line[:10] in html
    fix_first = "Fix first" if language == "en" else "Исправить в первую очередь"
    assert fix_first in html
    decimal = "," if language == "ru" else "."
    assert decimal in drivers["r2"]


def test_the_page_requests_an_analysis_for_a_wave_closed_by_date(
    survey, wave, client_for, django_capture_on_commit_callbacks
):
    survey, _questions = survey
    assert not DriverAnalysis.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = page(client_for("manager"), survey, "en")
    assert len(callbacks) == 1  # queued for the worker
    assert response.context["drivers"]["state"] == "pending"
    assert "being computed" in response.content.decode()
    callbacks[0]()
    response = page(client_for("manager"), survey, "en")
    assert response.context["drivers"]["state"] == "done"


def test_the_sweep_requests_a_wave_closed_by_date_that_nobody_opened(
    wave, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.driver_analysis_sweep() == 1
    analysis = DriverAnalysis.objects.get(wave=wave)
    assert analysis.status == "done"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.driver_analysis_sweep() == 0  # analysed: not again
    assert not callbacks


def test_the_sweep_leaves_open_and_long_closed_waves(survey, django_capture_on_commit_callbacks):
    survey, questions = survey
    today = timezone.localdate()
    open_wave = WaveFactory(survey=survey, number=2, opens_on=today, closes_on=today)
    known_drivers(open_wave, questions, 60)
    old = WaveFactory(
        survey=survey,
        number=3,
        opens_on=today - timedelta(days=400),
        closes_on=today - timedelta(days=380),
    )
    known_drivers(old, questions, 60)
    with django_capture_on_commit_callbacks(execute=False):
        assert services.driver_analysis_sweep() == 0
    assert not DriverAnalysis.objects.exists()


def test_the_page_says_why_below_the_minimum(
    survey, client_for, django_capture_on_commit_callbacks
):
    survey, questions = survey
    wave = WaveFactory(survey=survey, number=1, closed=True)
    known_drivers(wave, questions, 30, skip=0)
    analyse(wave, django_capture_on_commit_callbacks)
    response = page(client_for("manager"), survey, "en")
    html = response.content.decode()
    assert "this wave has 30 of the 50 needed" in html
    assert 'id="drivers-quadrant-title"' not in html


def test_an_open_wave_shows_no_drivers(survey, client_for):
    survey, questions = survey
    wave = WaveFactory(survey=survey, number=1, opens_on=timezone.localdate() - timedelta(days=3))
    known_drivers(wave, questions, 80)
    response = page(client_for("manager"), survey, "en")  # not anonymous: followed live
    assert response.context.get("drivers") is None
    assert not DriverAnalysis.objects.exists()


def test_an_employee_survey_explains_enps_and_a_customer_one_without_nps_csat(
    company, django_capture_on_commit_callbacks
):
    from surveys.selectors.drivers import driver_outcome

    employees = SurveyFactory(company=company, employee=True)
    assert driver_outcome(employees) == "enps"
    assert driver_outcome(SurveyFactory(company=company, blocks=["csat", "ces"])) == "csat"
    assert driver_outcome(SurveyFactory(company=company, blocks=["ces"])) is None
    questions = [
        own_rating(employees, "tools", SPEED, position=1),
        own_rating(employees, "manager", POLITE, position=2),
    ]
    wave = WaveFactory(survey=employees, number=1, closed=True)
    rng = np.random.default_rng(4)
    tools, manager = rng.integers(1, 6, size=(2, 80))
    enps = np.clip(2 * tools + manager - 3 + rng.integers(-1, 2, size=80), 0, 10)
    responses = Response.objects.bulk_create(
        [Response(wave=wave, submitted_on=wave.opens_on, enps=int(v)) for v in enps]
    )
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(response=r, wave=wave, question=q, number=int(v))
        for q, column in zip(questions, (tools, manager), strict=True)
        for r, v in zip(responses, column, strict=True)
    )
    analysis = analyse(wave, django_capture_on_commit_callbacks)
    assert (analysis.outcome, analysis.status) == ("enps", "done")
    assert analysis.result["drivers"][0]["key"] == rating_key(questions[0].pk)
