"""Scoped lookups of surveys and waves for staff pages, and the public link's wave."""

from __future__ import annotations

import functools
import time
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from cxaudit import questions as rules
from cxaudit import stats
from cxaudit.accounts.models import Organisation
from cxaudit.accounts.selectors import CompanyAccess, company_role

from .. import policy
from ..models import (
    Audience,
    Channel,
    Question,
    QuestionAnswer,
    Response,
    Survey,
    SurveySettings,
    Wave,
    WaveInvitation,
)
from .figures import number_text
from .respond import respond_cache_clear


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


def wave_for_moderation(*, user, pk) -> Wave:
    """A closed employee wave, for the consultant of its company only; 404 for everyone
    else."""
    wave, access = wave_get(user=user, pk=pk)
    policy.check(access, "comments.moderate", wave.survey)
    return wave


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
    if not policy.role_allows(role, "comments.moderate", response.wave.survey):
        raise Http404
    return response


def anonymity_threshold(company: Organisation) -> int:
    try:
        return company.survey_settings.anonymity_threshold
    except SurveySettings.DoesNotExist:
        return stats.DEFAULT_ANONYMITY_THRESHOLD


def wave_threshold(wave: Wave, *, company_k: int | None = None) -> int:
    """The k in force for a wave's figures, breakdowns, comments and exports.

    The stricter of the company's k today and the k recorded when the wave closed, so
    lowering k never reveals a closed wave's groups, and raising it protects old waves too.
    A wave that closed by date records nothing itself: ``survey_settings_set`` records the
    old k on every closed wave without one before k changes, so until then today's k is
    the k at closing (no query: the company's settings come with the wave's survey)."""
    if company_k is None:
        company_k = anonymity_threshold(wave.survey.company)
    return max(company_k, wave.anonymity_threshold or 0)


def response_count_shown(*, survey: Survey, wave: Wave, n: int, k: int, today) -> int | None:
    """A wave's response count as staff pages may show it; None when it is hidden.

    Under anonymity a count is a result like any other: not before the wave closes (A5:
    otherwise invite one colleague, or watch while one answers, and see it move), and not
    below k once closed (A2: "Hidden: fewer than k responses", without the exact n).
    """
    if not survey.anonymous:
        return n
    if wave.status_on(today) != Wave.Status.CLOSED or n < k:
        return None
    return n


def response_counts_shown(
    waves: list[Wave], *, company_k: int | None = None
) -> dict[int, int | None]:
    """Each wave's response count as ``response_count_shown`` lets staff pages show it, from
    one grouped query. ``company_k``: the company's k when all waves share one company and
    its settings were not loaded with them."""
    counts = dict(
        Response.objects.filter(wave__in=[wave.pk for wave in waves])
        .values_list("wave")
        .annotate(n=Count("pk"))
        .order_by()
    )
    today = timezone.localdate()
    return {
        wave.pk: response_count_shown(
            survey=wave.survey,
            wave=wave,
            n=counts.get(wave.pk, 0),
            k=wave_threshold(wave, company_k=company_k),
            today=today,
        )
        for wave in waves
    }


def survey_list(*, company: Organisation) -> list[Survey]:
    surveys = list(
        Survey.objects.filter(company=company).prefetch_related("waves").order_by("-created_at")
    )
    shown = response_counts_shown(
        [wave for survey in surveys for wave in survey.waves.all()],
        company_k=anonymity_threshold(company),
    )
    today = timezone.localdate()
    for survey in surveys:
        waves = list(survey.waves.all())
        # The sum of the counts the waves show, so no hidden count can be worked out from it.
        survey.response_count = sum(shown[w.pk] or 0 for w in waves)
        survey.current_wave = next(
            (w for w in reversed(waves) if w.status_on(today) == Wave.Status.OPEN), None
        )
        survey.wave_count = len(waves)
    return surveys


# --------------------------------------------------------------------------- public page


WAVE_CACHE_SECONDS = 5


def wave_for_token(token: str) -> Wave | None:
    """The wave behind a public link, with its survey and company; read-only.

    Each process keeps it for up to ``WAVE_CACHE_SECONDS``, so most public page views and
    submits run no lookup query. Services that change what a public page shows clear this
    process's copies (``wave_cache_clear``); other processes see the change within that time,
    and whether the wave is open is checked again where an answer is stored."""
    return _wave_in_period(token, int(time.monotonic() // WAVE_CACHE_SECONDS))


@functools.lru_cache(maxsize=1024)
def _wave_in_period(token: str, _period: int) -> Wave | None:
    return wave_for_token_uncached(token)


def wave_cache_clear() -> None:
    """Forget this process's copies of public waves and of their own questions."""
    _wave_in_period.cache_clear()
    respond_cache_clear()


def wave_for_token_uncached(token: str) -> Wave | None:
    """The wave, with ``asks_own_questions`` (whether its survey has current own questions:
    an EXISTS in the same query), so the page of a survey without them reads nothing more."""
    current = Question.objects.filter(survey=OuterRef("survey"), retired_at__isnull=True)
    try:
        return (
            # The consultancy's branding comes along, so the page shows it with no query.
            Wave.objects.select_related("survey__company__parent__branding")
            .annotate(asks_own_questions=Exists(current))
            .get(token=token)
        )
    except Wave.DoesNotExist:
        return None


def channel_for_code(*, wave: Wave, code: str) -> Channel | None:
    return Channel.objects.filter(survey_id=wave.survey_id, code=code).first()


# --------------------------------------------------------------------------- staff pages


def wave_participation(*, wave: Wave) -> dict[str, Any]:
    """Invited, and, when they single out nobody, answered and the response rate (§5).

    Participation is as personal as an answer: "answered" is shown only after the wave
    closes (A5: nobody can invite one person, or watch while a colleague answers, and see
    the count move) and only while both those who answered and those who did not number at
    least k (A2, A3: "all 6 answered" or "nobody did" tells about each person). Otherwise
    ``answered`` is None and the page says why, without the count.
    """
    totals = WaveInvitation.objects.filter(wave=wave).aggregate(
        invited=Count("pk"),
        answered=Count("pk", filter=Q(use__isnull=False)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    k = wave_threshold(wave)
    answered, invited = totals["answered"], totals["invited"]
    if not wave.is_closed:
        totals.update(answered=None, rate="—", hidden="open")
        return totals
    if min(answered, invited - answered) < k:
        totals.update(answered=None, rate="—", hidden="too_few", k=k)
        return totals
    rate = stats.response_rate(responses=answered, invited=invited)
    totals["rate"] = number_text(rate.display, "%") if rate.status == "ok" else "—"
    totals["hidden"] = ""
    return totals


def survey_waves(*, survey: Survey) -> list[Wave]:
    """Waves with the response counts they may show (one grouped query); None if hidden."""
    waves = list(survey.waves.order_by("-number"))
    shown = response_counts_shown(waves, company_k=anonymity_threshold(survey.company))
    for wave in waves:
        wave.response_count = shown[wave.pk]
    return waves


def wave_invitation_list(*, wave: Wave):
    """Who was invited and when the invitation went out; nothing after that: reminders go
    only to those who have not answered, so even their count would tell who answered."""
    return WaveInvitation.objects.filter(wave=wave).only("email", "sent_at", "wave_id")


def response_for_theme_correction(*, user, pk) -> Response:
    """A commented response of a survey the user manages, while its comments may be read
    by them (held employee comments: the consultant's alone); 404 otherwise (2 queries)."""
    response = (
        Response.objects.filter(wave__survey__in=Survey.objects.for_user(user).values("pk"))
        .exclude(comment="")
        .select_related("wave__survey__company")
        .filter(pk=pk)
        .first()
    )
    if response is None:
        raise Http404
    _theme_correction_check(user=user, response=response)
    return response


def answer_for_theme_correction(*, user, pk) -> QuestionAnswer:
    """An own text answer of a survey the user manages, on the rules of
    ``response_for_theme_correction``; 404 otherwise (2 queries)."""
    answer = (
        QuestionAnswer.objects.filter(
            wave__survey__in=Survey.objects.for_user(user).values("pk"),
            question__kind__in=rules.TEXTS,
        )
        .exclude(text="")
        .select_related("response__wave__survey__company")
        .filter(pk=pk)
        .first()
    )
    if answer is None:
        raise Http404
    _theme_correction_check(user=user, response=answer.response)
    return answer


def _theme_correction_check(*, user, response: Response) -> None:
    role = company_role(user=user, company=response.wave.survey.company)
    survey = response.wave.survey
    if not policy.role_allows(role, "themes.correct", survey):
        raise Http404
    if not policy.role_allows(role, "wave.comments.read", response.wave):
        raise Http404
