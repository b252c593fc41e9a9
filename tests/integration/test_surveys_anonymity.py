"""Comment moderation by the consultant, the import rules of anonymous waves, and the query
budgets of the pages and files they touch."""

import pytest
from django.urls import reverse
from django.utils import translation

from surveys import selectors, services
from surveys.models import Response, Source
from tests.survey_factories import (
    SurveyFactory,
    SurveySettingsFactory,
    WaveFactory,
    answers,
    form_token,
    respond_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def wave(company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Sales", "Support"])
    wave = WaveFactory(survey=survey, closed=True, released=True)
    for team in ("Sales", "Support"):
        answers(
            wave,
            [9] * 6,
            key="enps",
            state_at_work=7,
            process_ease=7,
            team=team,
            comment=f"from {team}",
        )
    return wave


def hide_url(response):
    return reverse("surveys:response-comment-hide", args=[response.pk])


def test_comment_hide_service_hides_and_shows_again(wave):
    response = Response.objects.filter(wave=wave).first()
    services.response_comment_hide(response=response, hidden=True)
    assert Response.objects.get(pk=response.pk).comment_hidden
    services.response_comment_hide(response=response, hidden=True)  # twice: no change
    assert Response.objects.get(pk=response.pk).comment_hidden
    services.response_comment_hide(response=response, hidden=False)
    assert not Response.objects.get(pk=response.pk).comment_hidden


def test_consultant_hides_a_comment_and_returns_to_the_wave(client_for, wave):
    response = Response.objects.filter(wave=wave).first()
    page = client_for("consultant").post(hide_url(response), {"hidden": "1"})
    assert page.status_code == 302
    assert page["Location"].endswith(f"?wave={wave.number}#comments")
    assert Response.objects.get(pk=response.pk).comment_hidden
    client_for("consultant").post(hide_url(response), {"hidden": "0"})
    assert not Response.objects.get(pk=response.pk).comment_hidden


@pytest.mark.parametrize("role", ["manager", "staff", "other_consultant", "other_staff"])
def test_nobody_but_the_consultant_may_moderate(client_for, wave, role):
    response = Response.objects.filter(wave=wave).first()
    assert client_for(role).post(hide_url(response), {"hidden": "1"}).status_code == 404
    assert not Response.objects.get(pk=response.pk).comment_hidden


def test_moderation_is_post_only(client_for, wave):
    response = Response.objects.filter(wave=wave).first()
    assert client_for("consultant").get(hide_url(response)).status_code == 405


def test_customer_comments_and_responses_without_comment_are_not_moderated(client_for, company):
    customer_wave = WaveFactory(survey=SurveyFactory(company=company), closed=True)
    commented = answers(customer_wave, [9], comment="fine")[0]
    employee_wave = WaveFactory(survey=SurveyFactory(company=company, employee=True))
    silent = answers(employee_wave, [9], key="enps")[0]
    for response in (commented, silent):
        assert client_for("consultant").post(hide_url(response), {"hidden": "1"}).status_code == 404


def test_only_the_consultant_sees_the_buttons_and_the_hidden_comment(client_for, wave):
    response = Response.objects.filter(wave=wave, team="Sales").first()
    services.response_comment_hide(response=response, hidden=True)
    url = reverse("surveys:survey-results", args=[wave.survey_id])
    consultant = client_for("consultant").get(url).content.decode()
    assert hide_url(response) in consultant
    assert "Hidden from the company" in consultant or "Скрыт от компании" in consultant
    assert consultant.count("comment-hide") == 11 and consultant.count("comment-show") == 1
    manager = client_for("manager").get(url).content.decode()
    assert "comment-hide" not in manager and hide_url(response) not in manager
    assert manager.count("from Sales") == 5


def test_consultant_results_page_query_budget(client_for, wave, django_assert_max_num_queries):
    for number in (2, 3):
        extra = WaveFactory(survey=wave.survey, number=number, closed=True)
        answers(
            extra, [9] * 40, key="enps", state_at_work=7, process_ease=7, team="Sales", comment="x"
        )
    client = client_for("consultant")
    url = reverse("surveys:survey-results", args=[wave.survey_id])
    # 11: one for the survey's comment themes (surveys/selectors/themes.py)
    with django_assert_max_num_queries(11):
        assert client.get(url, {"wave": 3}).status_code == 200


@pytest.mark.parametrize("size", [10, 300])
def test_anonymous_export_query_count_stays_fixed(wave, size, django_assert_max_num_queries):
    answers(wave, [8] * size, key="enps", state_at_work=7, process_ease=7, team="Sales")
    # 4: one for whether the survey has comment themes (exports._theme_cells)
    with django_assert_max_num_queries(4):
        _header, rows = selectors.wave_export(wave=wave)
    assert len(rows) == 12 + size


# --------------------------------------------------------------------------- imports


def paper(wave, count, team="Sales") -> bytes:
    day = wave.opens_on.isoformat()
    lines = ["date,enps,state_at_work,process_ease,team"] + [f"{day},9,8,8,{team}"] * count
    return ("\r\n".join(lines) + "\r\n").encode()


def test_an_anonymous_wave_with_link_answers_takes_no_import(company):
    survey = SurveyFactory(company=company, employee=True, teams=["Sales"])
    wave = WaveFactory(survey=survey)
    answers(wave, [9], key="enps", team="Sales")
    assert "already has answers" in services.wave_import_refusal(wave=wave)


def test_a_paper_wave_takes_more_imports(company):
    survey = SurveyFactory(company=company, employee=True, teams=["Sales"])
    wave = WaveFactory(survey=survey)
    assert services.wave_import(wave=wave, data=paper(wave, 3)) == 3
    wave.refresh_from_db()
    assert services.wave_import_refusal(wave=wave) == ""
    assert services.wave_import(wave=wave, data=paper(wave, 2)) == 2
    assert set(Response.objects.values_list("source", flat=True)) == {Source.IMPORT}


def test_a_non_anonymous_wave_mixes_imports_and_link_answers(client, company):
    survey = SurveyFactory(company=company, blocks=["nps"], anonymous=False)
    wave = WaveFactory(survey=survey)
    answers(wave, [9])
    day = wave.opens_on.isoformat()
    assert services.wave_import(wave=wave, data=f"date,nps\r\n{day},7\r\n".encode()) == 1
    url = respond_url(wave)
    token = form_token(client, url)
    assert client.post(url, {"submission_token": token, "nps": 8}).status_code == 302
    assert Response.objects.filter(wave=wave).count() == 3


def test_the_import_page_explains_a_refusal_without_a_form(client_for, company):
    wave = WaveFactory(survey=SurveyFactory(company=company), closed=True)
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    page = client.get(reverse("surveys:wave-import", args=[wave.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "This wave is closed" in body
    assert 'type="file"' not in body
