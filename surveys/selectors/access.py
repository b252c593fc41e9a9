"""Scoped lookups of surveys and waves for staff pages, and the public link's wave."""

from __future__ import annotations

import functools
import time
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from cxaudit import compiled
from cxaudit.accounts.models import Organisation
from cxaudit.accounts.permissions import can_moderate_comments
from cxaudit.accounts.selectors import CompanyAccess, company_role

from .. import stats
from ..models import Audience, Channel, Response, Survey, SurveySettings, Wave, WaveInvitation
from .figures import number_text


def survey_get(*, user, pk: int) -> tuple[Survey, CompanyAccess]:
    """The survey with the user's role in its company; 404 for anyone outside (2 queries)."""
    survey = (
        Survey.objects.for_user(user)
        .select_related("company__parent", "company__survey_settings")
        .filter(pk=pk)
        .first()
    )
    role = company_role(user=user, company=survey.company) if survey else None
    if survey is None or role is None:
        raise Http404
    return survey, CompanyAccess(company=survey.company, role=role)


def wave_get(*, user, pk: int) -> tuple[Wave, CompanyAccess]:
    wave = (
        Wave.objects.filter(survey__in=Survey.objects.for_user(user).values("pk"))
        .select_related("survey__company__parent", "survey__company__survey_settings")
        .filter(pk=pk)
        .first()
    )
    role = company_role(user=user, company=wave.survey.company) if wave else None
    if wave is None or role is None:
        raise Http404
    return wave, CompanyAccess(company=wave.survey.company, role=role)


def response_for_moderation(*, user, pk) -> Response:
    """A commented response of an employee survey, for the consultant of its company only;
    404 for everyone else, so not even its existence leaks (2 queries)."""
    response = (
        Response.objects.filter(
            wave__survey__in=Survey.objects.for_user(user).values("pk"),
            wave__survey__audience=Audience.EMPLOYEE,
        )
        .exclude(comment="")
        .select_related("wave__survey__company")
        .filter(pk=pk)
        .first()
    )
    if response is None:
        raise Http404
    role = company_role(user=user, company=response.wave.survey.company)
    if not can_moderate_comments(role):
        raise Http404
    return response


def anonymity_threshold(company: Organisation) -> int:
    try:
        return company.survey_settings.anonymity_threshold
    except SurveySettings.DoesNotExist:
        return stats.DEFAULT_ANONYMITY_THRESHOLD


def wave_threshold(wave: Wave) -> int:
    """The k in force for a wave's figures, breakdowns, comments and exports.

    The stricter of the company's k today and the k recorded when the wave closed, so
    lowering k never reveals a closed wave's groups, and raising it protects old waves too.
    A wave that closed by date records nothing itself: ``survey_settings_set`` records the
    old k on every closed wave without one before k changes, so until then today's k is
    the k at closing (no query: the company's settings come with the wave's survey)."""
    return max(anonymity_threshold(wave.survey.company), wave.anonymity_threshold or 0)


def survey_list(*, company: Organisation) -> list[Survey]:
    surveys = list(
        Survey.objects.filter(company=company).prefetch_related("waves").order_by("-created_at")
    )
    totals = dict(
        Response.objects.filter(wave__survey__company=company)
        .values_list("wave__survey")
        .annotate(n=Count("pk"))
        .order_by()
    )
    today = timezone.localdate()
    for survey in surveys:
        survey.response_count = totals.get(survey.pk, 0)
        waves = list(survey.waves.all())
        survey.current_wave = next(
            (w for w in reversed(waves) if w.status_on(today) == Wave.Status.OPEN), None
        )
        survey.wave_count = len(waves)
    return surveys


# --------------------------------------------------------------------------- public page


def _wave_with_company(token):
    return Wave.objects.select_related("survey__company").filter(token=token).order_by()


WAVE_CACHE_SECONDS = 5


def wave_for_token(token: str) -> Wave | None:
    """The wave behind a public link, with its survey and company; read-only.

    Each process keeps it for up to ``WAVE_CACHE_SECONDS``, so most public page views and
    submits run no lookup query. Services that change what a public page shows clear this
    process's copies (``wave_cache_clear``); other processes see the change within that time,
    and whether the wave is open is checked again by the insert of an answer itself."""
    return _wave_in_period(token, int(time.monotonic() // WAVE_CACHE_SECONDS))


@functools.lru_cache(maxsize=1024)
def _wave_in_period(token: str, _period: int) -> Wave | None:
    return wave_for_token_uncached(token)


def wave_cache_clear() -> None:
    _wave_in_period.cache_clear()


def wave_for_token_uncached(token: str) -> Wave | None:
    """One query, compiled once per process: building it with the ORM cost ten times as
    much as running it."""
    waves = compiled.objects(_wave_with_company, token)
    return waves[0] if waves else None


def channel_for_code(*, wave: Wave, code: str) -> Channel | None:
    return Channel.objects.filter(survey_id=wave.survey_id, code=code).first()


# --------------------------------------------------------------------------- staff pages


def wave_participation(*, wave: Wave) -> dict[str, Any]:
    """Invited, answered through the personal link, and the response rate (§5)."""
    totals = WaveInvitation.objects.filter(wave=wave).aggregate(
        invited=Count("pk"),
        answered=Count("pk", filter=Q(use__isnull=False)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    rate = stats.response_rate(responses=totals["answered"], invited=totals["invited"])
    totals["rate"] = number_text(rate.display, "%") if rate.status == "ok" else "—"
    return totals


def survey_waves(*, survey: Survey) -> list[Wave]:
    """Waves with their response counts (one grouped query)."""
    waves = list(survey.waves.order_by("-number"))
    counts = dict(
        Response.objects.filter(wave__survey=survey)
        .values_list("wave_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for wave in waves:
        wave.response_count = counts.get(wave.pk, 0)
    return waves


def wave_invitation_list(*, wave: Wave):
    """Who was invited and when e-mails went out; never who answered (only how many)."""
    return WaveInvitation.objects.filter(wave=wave).only(
        "email", "sent_at", "reminders", "reminded_at", "wave_id"
    )
