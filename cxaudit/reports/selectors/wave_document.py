"""The survey wave summary's document context, in the active language (the job's).

Whatever the survey results page shows for the wave, and nothing more: a closed wave is
summed up as staff see it (anonymity rules, closed waves only), an open wave of a
non-anonymous customer survey as its managers follow it live; any other wave has no
summary and the job fails as "no longer exists".
"""

from __future__ import annotations

from typing import Any

from surveys.models import Wave

from .survey_sections import survey_summary


def wave_report_context(*, wave_id: int) -> dict[str, Any] | None:
    wave = (
        Wave.objects.select_related(
            "survey__company__parent", "survey__company__survey_settings", "survey__created_by"
        )
        .filter(pk=wave_id)
        .first()
    )
    if wave is None:
        return None
    survey = wave.survey
    context = survey_summary(survey=survey, wave=wave, can_manage=not wave.is_closed)
    if context is None:
        return None
    context.update(
        {
            "company": survey.company,
            "consultancy": survey.company.parent,
            "survey_kinds": {"customer": not survey.is_employee, "employee": survey.is_employee},
        }
    )
    return context
