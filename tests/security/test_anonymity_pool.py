"""Attacks on anonymity and robustness across routes (issue 13).

Each test plays an attacker who reads two pages that are correct on their own and combines
them: the audit's pooled survey figures minus the waves the survey page shows, a survey
page read again after the company lowers its anonymity threshold, another staff member's
evidence file fetched by its sequential id, and the audit results page while the cache
server is down.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import services as survey_services
from surveys.models import Wave
from surveys.selectors import ExportRefused, survey_results, wave_export
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

    def hidden_everywhere() -> None:
        fresh = Wave.objects.select_related("survey__company").get(pk=wave.pk)  # as a request
        context = survey_results(survey=fresh.survey, can_manage=True)
        assert context["wave"].pk == wave.pk and context["n_hidden"]
        assert not context["sections"][0]["figure"].shown
        with pytest.raises(ExportRefused):
            wave_export(wave=fresh)

    hidden_everywhere()
    survey_services.survey_settings_set(company=company, anonymity_threshold=3)
    hidden_everywhere()
