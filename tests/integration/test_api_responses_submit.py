"""Submitting answers through the API: the public form's checks, exactly once per
submission token, open waves only, the token's company only."""

import pytest

from surveys.models import QuestionAnswer, Response, Submission
from surveys.selectors import wave_cache_clear
from tests.api_factories import api_token, bearer
from tests.survey_factories import ChannelFactory, QuestionFactory, SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

TOKEN = "a-random-token-0001"


@pytest.fixture
def secret(company):
    return api_token(company, scopes=["submit-responses"])[1]


@pytest.fixture
def wave(company):
    survey = SurveyFactory(company=company, blocks=["nps", "csat"], anonymous=True)
    return WaveFactory(survey=survey)


@pytest.fixture
def post(client, secret):
    def send(wave, body, *, key=None, language="en"):
        return client.post(
            f"/api/v1/waves/{wave.pk}/responses",
            body,
            content_type="application/json",
            **bearer(key or secret, language=language),
        )

    return send


def test_an_nps_answer_is_stored_once_per_submission_token(post, wave):
    answers = {"nps": 9, "csat": 5, "comment": "Quick and kind"}
    body = {"submission_token": TOKEN, "answers": answers}
    response = post(wave, body)
    assert response.status_code == 201 and response.json() == {"stored": True}
    stored = Response.objects.get(wave=wave)
    assert (stored.nps, stored.csat, stored.comment) == (9, 5, "Quick and kind")
    again = post(wave, body)
    assert again.status_code == 200 and again.json() == {"stored": False}
    assert Response.objects.filter(wave=wave).count() == 1
    assert Submission.objects.filter(token=TOKEN).count() == 1


def test_answers_are_checked_as_on_the_public_page(post, wave):
    response = post(wave, {"submission_token": TOKEN, "answers": {"nps": 11, "csat": 4}})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and set(body["errors"]) == {"nps"}
    assert not Response.objects.exists()


def test_a_required_answer_missing_is_refused_with_the_forms_message(post, wave):
    response = post(wave, {"submission_token": TOKEN, "answers": {"nps": 9}})
    assert response.status_code == 422
    assert response.json()["errors"] == {"csat": ["Please choose an answer."]}


def test_a_comment_too_long_is_refused_with_the_forms_message(post, wave):
    response = post(wave, {"submission_token": TOKEN, "answers": {"comment": "x" * 5000}})
    assert response.status_code == 422
    assert "shorten your comment" in response.json()["errors"]["comment"][0]


def test_an_unknown_question_key_is_refused(post, wave):
    response = post(wave, {"submission_token": TOKEN, "answers": {"nps": 9, "ces": 5}})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"ces"}
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"answers": {"nps": 9}},
        {"submission_token": "short", "answers": {"nps": 9}},
        {"submission_token": TOKEN},
        {"submission_token": TOKEN, "answers": {"nps": {"deep": 1}}},
    ],
)
def test_a_malformed_body_is_422(post, wave, body):
    response = post(wave, body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_body_that_is_not_json_is_400(client, secret, wave):
    response = client.post(
        f"/api/v1/waves/{wave.pk}/responses",
        "{not json",
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_closed_wave_takes_no_answers(post, company):
    wave = WaveFactory(survey=SurveyFactory(company=company), closed=True)
    response = post(wave, {"submission_token": TOKEN, "answers": {"nps": 9}})
    assert response.status_code == 409
    assert response.json()["code"] == "wave_not_open"
    assert not Response.objects.exists()


def test_another_companys_wave_is_not_found(post, other_company):
    wave = WaveFactory(survey=SurveyFactory(company=other_company))
    response = post(wave, {"submission_token": TOKEN, "answers": {"nps": 9}})
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_a_read_only_token_cannot_submit(post, company, wave):
    _token, read_only = api_token(company, scopes=["read-results"])
    response = post(wave, {"submission_token": TOKEN, "answers": {"nps": 9}}, key=read_only)
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"


def test_answers_through_a_channel_count_for_it(post, wave):
    shop = ChannelFactory(survey=wave.survey, name="Online shop")
    body = {"submission_token": TOKEN, "answers": {"nps": 10, "csat": 4}, "channel": shop.code}
    assert post(wave, body).status_code == 201
    assert Response.objects.get().channel == shop
    body = {"submission_token": TOKEN + "x", "answers": {"nps": 10}, "channel": "nope"}
    response = post(wave, body)
    assert response.status_code == 422 and set(response.json()["errors"]) == {"channel"}


def test_own_questions_are_answered_by_their_key(post, wave):
    QuestionFactory(survey=wave.survey, key="delivery", kind="rating5")
    wave_cache_clear()  # SQLite reuses ids: no copy of an earlier test's questions
    body = {"submission_token": TOKEN, "answers": {"nps": 8, "csat": 4, "delivery": 4}}
    assert post(wave, body).status_code == 201
    assert QuestionAnswer.objects.get().number == 4
    body = {"submission_token": TOKEN + "y", "answers": {"nps": 8, "csat": 4, "delivery": 9}}
    response = post(wave, body)
    assert response.status_code == 422 and set(response.json()["errors"]) == {"delivery"}
