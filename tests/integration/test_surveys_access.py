"""Access beyond the matrix: POST-only actions, staff limits, and respondents holding the
public token of another survey."""

import pytest
from django.urls import reverse

from surveys.models import Response
from tests.survey_factories import (
    ChannelFactory,
    SurveyFactory,
    WaveFactory,
    WaveInvitationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(company):
    return SurveyFactory(company=company)


@pytest.fixture
def wave(survey):
    return WaveFactory(survey=survey)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("consultant", 302),
        ("manager", 302),
        ("staff", 404),
        ("other_consultant", 404),
        ("other_staff", 404),
        ("anonymous", 302),
    ],
)
def test_closing_a_wave(client_for, wave, role, expected):
    response = client_for(role).post(reverse("surveys:wave-close", args=[wave.pk]))
    assert response.status_code == expected
    wave.refresh_from_db()
    assert (wave.closed_at is not None) == (role in ("consultant", "manager"))


@pytest.mark.parametrize("role", ["staff", "other_consultant", "other_staff", "anonymous"])
def test_only_managers_create_surveys(client_for, company, role):
    url = reverse("surveys:survey-create", args=[company.pk])
    client_for(role).post(url, {"title": "x", "audience": "customer", "blocks": ["nps"]})
    assert not company.surveys.exists()


def test_manager_creates_a_survey(client_for, company):
    url = reverse("surveys:survey-create", args=[company.pk])
    response = client_for("manager").post(
        url, {"title": "Гости", "audience": "customer", "blocks": ["nps", "csat"], "anonymous": ""}
    )
    survey = company.surveys.get()
    assert response["Location"] == reverse("surveys:survey-detail", args=[survey.pk])
    assert survey.blocks == ["nps", "csat"] and not survey.anonymous


class TestTokenOfAnotherSurvey:
    """A respondent of survey B (another company) knows B's public tokens."""

    @pytest.fixture
    def foreign(self, other_company):
        survey = SurveyFactory(company=other_company)
        wave = WaveFactory(survey=survey)
        return {
            "wave": wave,
            "channel": ChannelFactory(survey=survey),
            "invitation": WaveInvitationFactory(wave=wave),
        }

    def test_cannot_combine_this_wave_with_a_foreign_channel(self, client, wave, foreign):
        url = reverse("surveys:respond-channel", args=[wave.token, foreign["channel"].code])
        assert client.get(url).status_code == 404
        response = client.post(url, {"submission_token": "z" * 24, "nps": 1})
        assert response.status_code == 404
        assert not Response.objects.filter(wave=wave).exists()

    def test_foreign_invitation_answers_only_its_own_wave(self, client, wave, foreign):
        url = reverse("surveys:respond-invited", args=[foreign["invitation"].token])
        client.post(url, {"submission_token": "q" * 24, "nps": 9})
        assert not Response.objects.filter(wave=wave).exists()
        assert Response.objects.filter(wave=foreign["wave"]).count() == 1

    def test_public_tokens_open_no_staff_page(self, client, survey, wave, foreign):
        for url in (
            reverse("surveys:survey-results", args=[survey.pk]),
            reverse("surveys:wave-export", args=[wave.pk, "csv"]),
            reverse("surveys:wave-qr", args=[wave.pk, "png"]),
        ):
            assert client.get(url).status_code == 302  # to the sign-in page

    def test_unknown_formats_are_404(self, client_for, wave):
        client = client_for("manager")
        assert client.get(reverse("surveys:wave-qr", args=[wave.pk, "gif"])).status_code == 404
        assert client.get(reverse("surveys:wave-export", args=[wave.pk, "pdf"])).status_code == 404
