"""Survey results for report documents, straight from the survey results page's selector.

``surveys.selectors.survey_results`` applies every display and anonymity rule (hidden
figures, complementary suppression of small groups, comments only above the threshold);
the only change made here is that trends end at the wave reported on, so a summary of an
earlier wave, or an audit of an earlier period, does not show later waves.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from surveys.models import Audience, Survey, Wave
from surveys.selectors import survey_results, trend, wave_counts
from surveys.selectors.drivers import wave_drivers_done
from surveys.selectors.own_results import own_trends_until


def survey_summary(*, survey: Survey, wave: Wave, can_manage: bool) -> dict[str, Any] | None:
    """The results page's context for ``wave`` with trends up to it; ``None`` when the
    wave's results may not be shown to this audience (the page would not show them)."""
    context = survey_results(survey=survey, can_manage=can_manage, wave_number=wave.number)
    shown = context.get("wave")
    if shown is None or shown.pk != wave.pk:
        return None
    waves = [w for w in context["waves"] if w.number <= wave.number]
    if len(waves) != len(context["waves"]):
        counts = wave_counts(survey=survey, waves=waves)
        for section in context["sections"]:
            section["trend"], section["trend_svg"] = trend(
                section["figure"].key,
                waves,
                counts,
                thresholds=context["thresholds"],
                anonymous=context["anonymous"],
            )
        own_trends_until(context, waves)
    for section in context["sections"]:
        section["figures"] = [section["figure"]]  # the figure tables take a list
    context["survey"] = survey
    context["trend_waves"] = waves
    context["drivers"] = wave_drivers_done(wave=wave)
    return context


def audit_survey_summaries(*, company, start, end) -> list[dict[str, Any]]:
    """For each survey of the company with a wave closed in ``start``..``end`` (the waves
    the audit's survey figures count), its latest such wave as staff see it: closed waves
    only, anonymity rules applied."""
    today = timezone.localdate()
    latest: dict[int, Wave] = {}
    waves = (
        Wave.objects.filter(survey__company=company, opens_on__lte=end, closes_on__gte=start)
        .select_related("survey__company__survey_settings")
        .order_by("survey_id", "number")
    )
    for wave in waves:
        if wave.status_on(today) == Wave.Status.CLOSED:
            latest[wave.survey_id] = wave
    ordered = sorted(
        latest.values(),
        key=lambda w: (w.survey.audience != Audience.CUSTOMER, w.survey.title, w.survey_id),
    )
    summaries = []
    for wave in ordered:
        summary = survey_summary(survey=wave.survey, wave=wave, can_manage=False)
        if summary is not None:
            summaries.append(summary)
    return summaries
