"""Closing a wave asks first; a closed wave can be reopened until its results were shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, services
from surveys.models import Wave
from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db


def wave_with(company, *, anonymous: bool, responses: int, **kwargs):
    survey = SurveyFactory(company=company, anonymous=anonymous)
    wave = WaveFactory(survey=survey, number=1, **kwargs)
    ResponseFactory.create_batch(responses, wave=wave)
    return wave


def test_closing_a_non_anonymous_wave_shows_the_responses_so_far(client_for, actors, company):
    wave = wave_with(company, anonymous=False, responses=3)
    url = reverse("surveys:wave-close", args=[wave.pk])
    client = client_for("consultant")
    client.cookies["cxaudit_language"] = "en"
    html = client.get(url).content.decode()
    assert "3 responses so far" in html
    assert Wave.objects.get(pk=wave.pk).closed_at is None  # the GET changes nothing
    assert client.post(url).status_code == 302
    assert Wave.objects.get(pk=wave.pk).closed_at is not None


@pytest.mark.parametrize("responses", [0, 2, 7])
def test_closing_an_anonymous_wave_never_hints_at_the_count(client_for, actors, company, responses):
    """Whatever the count, the page is the same: it states the rule, not the outcome."""
    wave = wave_with(company, anonymous=True, responses=responses)
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    html = client.get(reverse("surveys:wave-close", args=[wave.pk])).content.decode()
    assert "only if at least 5 people answered" in html
    assert "so far" not in html
    assert selectors.wave_close_summary(wave=wave).responses is None
    ResponseFactory(wave=wave)
    after = client.get(reverse("surveys:wave-close", args=[wave.pk])).content.decode()

    def summary(page):
        return page.split('class="cx-close-summary"')[1].split("</ul>")[0]

    assert summary(html) == summary(after)


def test_an_anonymous_wave_closed_below_k_can_be_reopened_and_keeps_its_k(
    client_for, actors, company
):
    wave = wave_with(company, anonymous=True, responses=2)
    services.wave_close(wave=wave)
    assert wave.anonymity_threshold == 5
    client = client_for("manager")
    url = reverse("surveys:wave-reopen", args=[wave.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Открыть волну снова" in page.content.decode()
    until = timezone.localdate() + timedelta(days=10)
    response = client.post(url, {"closes_on": until.isoformat()})
    assert response.status_code == 302
    wave.refresh_from_db()
    assert wave.is_open and wave.closes_on == until
    assert wave.anonymity_threshold == 5  # kept: a stricter k never harms
    assert selectors.wave_for_token_uncached(wave.token).closed_at is None


def test_a_wave_whose_results_were_shown_is_not_reopened(client_for, actors, company):
    wave = wave_with(company, anonymous=True, responses=5)
    services.wave_close(wave=wave)
    client = client_for("consultant")
    url = reverse("surveys:wave-reopen", args=[wave.pk])
    assert "были показаны" in client.get(url).content.decode()
    response = client.post(url, {"closes_on": timezone.localdate().isoformat()}, follow=True)
    assert "начните новую волну" in response.content.decode()
    assert Wave.objects.get(pk=wave.pk).is_closed


def test_a_raised_k_does_not_make_shown_results_reopenable(actors, company):
    """Shown at closing under k=5; k=10 now hides them, but they were seen."""
    wave = wave_with(company, anonymous=True, responses=6)
    services.wave_close(wave=wave)
    services.survey_settings_set(company=company, anonymity_threshold=10)
    assert selectors.wave_published(wave=wave)


def test_a_wave_closed_by_date_is_published_from_the_k_of_today(actors, company):
    wave = wave_with(company, anonymous=True, responses=5, closed=True)
    assert wave.anonymity_threshold is None
    assert selectors.wave_published(wave=wave)
    few = wave_with(company, anonymous=True, responses=1, closed=True)
    assert not selectors.wave_published(wave=few)


def test_a_non_anonymous_wave_can_always_be_reopened(actors, company):
    wave = wave_with(company, anonymous=False, responses=40)
    services.wave_close(wave=wave)
    assert selectors.wave_reopen_refusal(wave=wave) == ""


def test_reopening_refuses_a_past_date_or_an_overlap_and_changes_nothing(
    client_for, actors, company
):
    wave = wave_with(company, anonymous=True, responses=0)
    services.wave_close(wave=wave)
    today = timezone.localdate()
    later = WaveFactory(
        survey=wave.survey,
        number=2,
        opens_on=today + timedelta(days=3),
        closes_on=today + timedelta(days=20),
    )
    assert selectors.wave_reopen_until(wave=wave) == later.opens_on - timedelta(days=1)
    client = client_for("consultant")
    client.cookies["cxaudit_language"] = "en"
    url = reverse("surveys:wave-reopen", args=[wave.pk])
    past = client.post(url, {"closes_on": (today - timedelta(days=1)).isoformat()})
    assert "Choose a closing date from today on." in past.content.decode()
    overlap = client.post(url, {"closes_on": (today + timedelta(days=5)).isoformat()})
    assert "overlap wave 2" in overlap.content.decode()
    empty = client.post(url, {"closes_on": ""})
    assert empty.status_code == 200
    assert Wave.objects.get(pk=wave.pk).is_closed


def test_reopening_an_open_wave_is_refused(client_for, actors, company):
    wave = wave_with(company, anonymous=False, responses=0)
    client = client_for("consultant")
    url = reverse("surveys:wave-reopen", args=[wave.pk])
    response = client.post(url, {"closes_on": "2099-01-01"})
    assert response.status_code == 302
    assert Wave.objects.get(pk=wave.pk).closes_on == wave.closes_on


def test_date_pickers_get_iso_values_in_russian(client_for, actors, company):
    """In Russian Django renders 02.01.2026, which a date picker shows as empty."""
    wave = wave_with(company, anonymous=True, responses=0)
    services.wave_close(wave=wave)
    client = client_for("consultant")
    until = selectors.wave_reopen_until(wave=wave).isoformat()
    html = client.get(reverse("surveys:wave-reopen", args=[wave.pk])).content.decode()
    assert f'type="date" name="closes_on" value="{until}"' in html
    detail = client.get(reverse("surveys:survey-detail", args=[wave.survey_id])).content.decode()
    start, _end = services.default_wave_dates(wave.survey)
    assert f'value="{start.isoformat()}"' in detail
