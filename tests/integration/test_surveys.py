"""Surveys: creating surveys and waves, the public respondent page, exactly-once, anonymity
of storage (A7) and the threshold setting (A1)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from surveys import services
from surveys.models import InvitationUse, Response, Submission, Survey, SurveySettings, Wave
from tests.survey_factories import (
    ChannelFactory,
    SurveyFactory,
    WaveFactory,
    WaveInvitationFactory,
    form_token,
    respond_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def survey(company):
    return SurveyFactory(company=company, title="Гости кофейни", blocks=["nps", "csat"])


@pytest.fixture
def wave(survey):
    return WaveFactory(survey=survey, number=1)


# --------------------------------------------------------------------------- services


def test_survey_create_keeps_blocks_of_the_audience(company, actors):
    survey = services.survey_create(
        company=company,
        title="NPS",
        audience="customer",
        blocks=["csat", "nps"],
        by=actors["manager"],
    )
    assert survey.blocks == ["nps", "csat"]
    with pytest.raises(ValidationError):
        services.survey_create(
            company=company,
            title="Mixed",
            audience="customer",
            blocks=["employee"],
            by=actors["manager"],
        )


def test_employee_survey_is_always_anonymous(company, actors):
    survey = services.survey_create(
        company=company,
        title="Team pulse",
        audience="employee",
        blocks=["employee"],
        teams=["Sales", " sales ", "Support", ""],
        anonymous=False,
        by=actors["manager"],
    )
    assert survey.anonymous is True
    assert survey.teams == ["Sales", "Support"]


def test_questions_cannot_change_after_answers(survey, wave):
    Response.objects.create(wave=wave, submitted_on=wave.opens_on, nps=9)
    with pytest.raises(ValidationError):
        services.survey_update(survey=survey, title="x", blocks=["nps"])
    services.survey_update(survey=survey, title="Renamed", blocks=["nps", "csat"], intro="Hi")
    survey.refresh_from_db()
    assert survey.title == "Renamed"


def test_waves_never_overlap(survey):
    today = timezone.localdate()
    first = services.wave_create(survey=survey, opens_on=today, closes_on=today + timedelta(6))
    assert first.number == 1
    with pytest.raises(ValidationError, match="overlap"):
        services.wave_create(
            survey=survey, opens_on=today + timedelta(6), closes_on=today + timedelta(10)
        )
    with pytest.raises(ValidationError):
        services.wave_create(survey=survey, opens_on=today + timedelta(20), closes_on=today)
    second = services.wave_create(
        survey=survey, opens_on=today + timedelta(7), closes_on=today + timedelta(13)
    )
    assert second.number == 2
    assert first.token != second.token
    assert len(first.token) >= 20


def test_wave_close_ends_the_wave_today(wave):
    services.wave_close(wave=wave)
    wave.refresh_from_db()
    assert wave.is_closed
    assert wave.closes_on == timezone.localdate()


@pytest.mark.parametrize("k", [0, 1, 2])
def test_anonymity_threshold_below_three_is_refused(company, k):
    with pytest.raises(ValidationError, match="cannot be lower than 3"):
        services.survey_settings_set(company=company, anonymity_threshold=k)


def test_anonymity_threshold_is_stored_per_company(company):
    services.survey_settings_set(company=company, anonymity_threshold=3)
    services.survey_settings_set(company=company, anonymity_threshold=7)
    assert SurveySettings.objects.get(company=company).anonymity_threshold == 7
    with pytest.raises(ValidationError):
        services.survey_settings_set(company=company, anonymity_threshold=21)


def _fresh(wave: Wave) -> Wave:
    return Wave.objects.select_related("survey__company__survey_settings").get(pk=wave.pk)


def test_closing_a_wave_records_the_threshold_in_force(company, survey, wave):
    services.survey_settings_set(company=company, anonymity_threshold=8)
    services.wave_close(wave=_fresh(wave))
    assert _fresh(wave).anonymity_threshold == 8


def test_changing_k_records_the_old_k_on_waves_closed_by_date_only(company, survey):
    services.survey_settings_set(company=company, anonymity_threshold=7)
    closed = WaveFactory(survey=survey, closed=True)
    still_open = WaveFactory(survey=survey)
    services.survey_settings_set(company=company, anonymity_threshold=3)
    assert _fresh(closed).anonymity_threshold == 7
    assert _fresh(still_open).anonymity_threshold is None
    services.wave_close(wave=_fresh(closed))  # a k recorded earlier stays
    assert _fresh(closed).anonymity_threshold == 7


@pytest.mark.parametrize(("at_close", "now", "in_force"), [(7, 3, 7), (3, 9, 9), (5, 5, 5)])
def test_wave_threshold_is_the_stricter_of_k_at_close_and_k_now(
    company, survey, at_close, now, in_force
):
    from surveys.selectors import wave_threshold

    services.survey_settings_set(company=company, anonymity_threshold=at_close)
    wave = WaveFactory(survey=survey, closed=True)
    assert wave_threshold(_fresh(wave)) == at_close  # nothing recorded yet: today's k
    services.survey_settings_set(company=company, anonymity_threshold=now)
    assert wave_threshold(_fresh(wave)) == in_force


def test_settings_page_refuses_a_threshold_below_three(client_for, company):
    url = reverse("surveys:survey-settings", args=[company.pk])
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    response = client.post(url, {"anonymity_threshold": 2})
    assert response.status_code == 200
    assert "cannot be lower than 3" in response.content.decode()
    response = client.post(url, {"anonymity_threshold": 4})
    assert response.status_code == 302
    assert SurveySettings.objects.get(company=company).anonymity_threshold == 4


# --------------------------------------------------------------------------- public page


def test_public_page_needs_no_login_and_stores_one_response(client, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    response = client.post(
        url, {"submission_token": token, "nps": 9, "csat": 5, "comment": "Хорошо"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:respond-thanks", args=[wave.token])
    stored = Response.objects.get()
    assert (stored.nps, stored.csat, stored.comment) == (9, 5, "Хорошо")
    assert stored.submitted_on == timezone.localdate()
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200


def test_same_submission_token_twice_stores_one_response(client, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    thanks = reverse("surveys:respond-thanks", args=[wave.token])
    for attempt in range(3):
        response = client.post(url, {"submission_token": token, "nps": 10, "csat": 4})
        assert response.status_code == 302
        assert response["Location"] == (thanks if attempt == 0 else f"{thanks}?again=1")
    again = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200
    assert "Your answers were already received" in again.content.decode()
    assert Response.objects.count() == 1
    assert Submission.objects.count() == 1


def test_service_reports_a_duplicate(wave):
    assert services.response_submit(wave=wave, submission_token="t" * 20, answers={"nps": 3})
    assert not services.response_submit(wave=wave, submission_token="t" * 20, answers={"nps": 3})
    assert Response.objects.count() == 1


def test_missing_required_answer_shows_the_form_again(client, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    response = client.post(url, {"submission_token": token, "csat": 4})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_out_of_scale_answer_is_refused(client, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    response = client.post(url, {"submission_token": token, "nps": 11, "csat": 6})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_unknown_link_gets_a_friendly_404(client, db):
    response = client.get(reverse("surveys:respond", args=["no-such-token-at-all"]))
    assert response.status_code == 404
    assert "surveys/respond_unavailable.html" in [t.name for t in response.templates]


def test_closed_wave_gets_a_friendly_410(client, survey):
    wave = WaveFactory(survey=survey, closed=True)
    response = client.get(respond_url(wave))
    assert response.status_code == 410
    response = client.post(respond_url(wave), {"submission_token": "x" * 20, "nps": 5})
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_scheduled_wave_says_when_it_opens(client, survey):
    today = timezone.localdate()
    wave = WaveFactory(survey=survey, opens_on=today + timedelta(3), closes_on=today + timedelta(9))
    response = client.get(respond_url(wave))
    assert response.status_code == 200
    assert "form" not in response.context


def test_wave_closed_while_the_form_was_open(client, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    services.wave_close(wave=wave)
    Wave.objects.filter(pk=wave.pk).update(closes_on=wave.opens_on)
    response = client.post(url, {"submission_token": token, "nps": 9, "csat": 5})
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_channel_link_records_the_channel(client, survey, wave):
    shop = ChannelFactory(survey=survey, name="Магазин на Ленина")
    url = respond_url(wave, shop.code)
    token = form_token(client, url)
    client.post(url, {"submission_token": token, "nps": 8, "csat": 4})
    assert Response.objects.get().channel == shop


def test_channel_of_another_survey_is_unknown(client, wave, company):
    foreign = ChannelFactory(survey=SurveyFactory(company=company))
    response = client.get(respond_url(wave, foreign.code))
    assert response.status_code == 404


def test_public_page_follows_the_browser_language(client, wave):
    response = client.get(respond_url(wave), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"
    assert "How likely are you to recommend us" in response.content.decode()
    response = client.get(respond_url(wave), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Насколько вероятно" in response.content.decode()


def test_public_page_is_accessible_markup(client, wave):
    html = client.get(respond_url(wave)).content.decode()
    assert "<fieldset" in html and "<legend" in html
    assert 'lang="ru"' in html
    assert 'name="submission_token"' in html


def test_rate_limit_per_client_and_wave(client, wave, settings):
    settings.SURVEY_RATE_LIMIT = 2
    url = respond_url(wave)
    statuses = []
    for _attempt in range(3):
        token = form_token(client, url)
        statuses.append(
            client.post(url, {"submission_token": token, "nps": 9, "csat": 3}).status_code
        )
    assert statuses == [302, 302, 429]
    assert Response.objects.count() == 2
    # Another client is not affected.
    token = form_token(client, url)
    response = client.post(
        url, {"submission_token": token, "nps": 9, "csat": 3}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 302


def test_submit_path_makes_few_queries(client, wave, django_assert_max_num_queries):
    url = respond_url(wave)
    token = form_token(client, url)
    with django_assert_max_num_queries(6):
        client.post(url, {"submission_token": token, "nps": 9, "csat": 5})


# --------------------------------------------------------------------------- anonymity (A7)


def test_anonymous_answer_stores_no_person_ip_agent_or_time(client, company):
    survey = SurveyFactory(company=company, employee=True, teams=["Sales"])
    wave = WaveFactory(survey=survey)
    url = respond_url(wave)
    token = form_token(client, url)
    client.post(
        url,
        {
            "submission_token": token,
            "enps": 7,
            "state_at_work": 6,
            "process_ease": 5,
            "team": "Sales",
            "comment": "Меньше совещаний",
        },
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="SecretBrowser/1.0",
    )
    stored = Response.objects.get()
    columns = {field.name for field in Response._meta.get_fields()}
    assert not columns & {"user", "ip", "ip_address", "user_agent", "created_at", "submitted_at"}
    assert not any(f.get_internal_type() == "DateTimeField" for f in Response._meta.fields)
    row = Response.objects.filter(pk=stored.pk).values().get()
    flat = " ".join(str(value) for value in row.values())
    assert "203.0.113.7" not in flat and "SecretBrowser" not in flat and token not in flat
    # The submission token lives in its own table, with no link to the response.
    assert not {f.name for f in Submission._meta.fields} & {"response", "response_id"}


def test_invitation_link_works_once_and_is_not_linked_to_the_answer(client, company):
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey)
    invitation = WaveInvitationFactory(wave=wave)
    url = reverse("surveys:respond-invited", args=[invitation.token])
    token = form_token(client, url)
    response = client.post(
        url, {"submission_token": token, "enps": 9, "state_at_work": 8, "process_ease": 7}
    )
    assert response.status_code == 302
    assert InvitationUse.objects.filter(invitation=invitation).exists()
    assert not {f.name for f in InvitationUse._meta.fields} & {"response", "response_id"}
    assert client.get(url).status_code == 410
    # Even a fresh form for the same invitation stores nothing more.
    response = client.post(
        url, {"submission_token": "y" * 24, "enps": 1, "state_at_work": 1, "process_ease": 1}
    )
    assert response.status_code == 410
    assert Response.objects.count() == 1


def test_survey_for_user_scopes_by_company(actors, survey, other_company):
    SurveyFactory(company=other_company)
    assert list(Survey.objects.for_user(actors["manager"])) == [survey]
    assert list(Survey.objects.for_user(actors["consultant"])) == [survey]
    assert not Survey.objects.for_user(actors["other_staff"]).filter(pk=survey.pk).exists()
