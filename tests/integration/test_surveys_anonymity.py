"""The import rules of anonymous waves: link answers or paper answers, never both."""

import pytest
from django.urls import reverse
from django.utils import translation

from surveys import services
from surveys.models import Response, Source
from tests.survey_factories import (
    SurveyFactory,
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
