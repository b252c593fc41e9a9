"""Surveys, their channels and waves, a company's survey settings, and moderation."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cxaudit import events, stats
from cxaudit.accounts.models import Organisation, User

from .. import library, selectors
from ..models import (
    Audience,
    Channel,
    Question,
    Response,
    Survey,
    SurveySettings,
    Wave,
)
from .drivers import driver_analysis_request

MAX_TEAMS = 50


# --------------------------------------------------------------------------- settings


def _threshold_now(company_id: int):
    """The company's k as stored, read by the UPDATE that records it (never a stale copy)."""
    stored = SurveySettings.objects.filter(company_id=company_id).values("anonymity_threshold")
    return Coalesce(Subquery(stored[:1]), Value(stats.DEFAULT_ANONYMITY_THRESHOLD))


def survey_settings_set(*, company: Organisation, anonymity_threshold: int) -> SurveySettings:
    """A1: the threshold k is a whole number from 3 to 20; lower is refused."""
    if anonymity_threshold < stats.MIN_ANONYMITY_THRESHOLD:
        raise ValidationError(
            _("The anonymity threshold cannot be lower than %(minimum)d.")
            % {"minimum": stats.MIN_ANONYMITY_THRESHOLD}
        )
    if anonymity_threshold > stats.MAX_ANONYMITY_THRESHOLD:
        raise ValidationError(
            _("The anonymity threshold cannot be higher than %(maximum)d.")
            % {"maximum": stats.MAX_ANONYMITY_THRESHOLD}
        )
    with transaction.atomic():
        # Fix the old k on waves that closed by date and have not recorded one (wave_close
        # records it): they keep the k they closed under (selectors.wave_threshold).
        today = timezone.localdate()
        Wave.objects.filter(
            Q(closed_at__isnull=False) | Q(closes_on__lt=today),
            survey__company=company,
            anonymity_threshold__isnull=True,
        ).update(anonymity_threshold=_threshold_now(company.pk))
        survey_settings, _created = SurveySettings.objects.update_or_create(
            company=company, defaults={"anonymity_threshold": anonymity_threshold}
        )
    return survey_settings


# --------------------------------------------------------------------------- surveys


def _clean_teams(teams: list[str]) -> list[str]:
    cleaned: list[str] = []
    for team in teams:
        name = " ".join(team.split())[:100]
        if name and name.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(name)
    if len(cleaned) > MAX_TEAMS:
        raise ValidationError(_("At most %(count)d teams.") % {"count": MAX_TEAMS})
    return cleaned


def _check_blocks(audience: str, blocks: list[str]) -> list[str]:
    allowed = library.EMPLOYEE_BLOCKS if audience == Audience.EMPLOYEE else library.CUSTOMER_BLOCKS
    chosen = [block for block in allowed if block in blocks]
    if not chosen or len(chosen) != len(set(blocks)):
        raise ValidationError(_("Choose at least one set of questions suitable for this survey."))
    return chosen


@transaction.atomic
def survey_create(
    *,
    company: Organisation,
    title: str,
    audience: str,
    blocks: list[str],
    by: User,
    intro: str = "",
    teams: list[str] | None = None,
    anonymous: bool = True,
    one_per_screen: bool = False,
) -> Survey:
    is_employee = audience == Audience.EMPLOYEE
    survey = Survey(
        company=company,
        title=title.strip(),
        audience=audience,
        blocks=_check_blocks(audience, blocks),
        intro=intro.strip(),
        teams=_clean_teams(teams or []) if is_employee else [],
        anonymous=True if is_employee else anonymous,
        one_per_screen=one_per_screen,
        created_by=by,
    )
    survey.full_clean()
    survey.save()
    return survey


def _refuse_stranded_conditions(survey: Survey, blocks: list[str]) -> None:
    """An own question conditioned on a built-in question keeps that question's block."""
    kept = {question.key for block in blocks for question in library.BLOCK_QUESTIONS[block]}
    builtin = {q.key for questions in library.BLOCK_QUESTIONS.values() for q in questions}
    stranded = list(
        Question.objects.current()
        .filter(survey=survey, condition_key__in=builtin - kept)
        .values_list("key", flat=True)
    )
    if stranded:
        raise ValidationError(
            _(
                "%(questions)s is shown only after a question of a set you took away: change "
                "or remove its condition first."
            )
            % {"questions": ", ".join(f"«{key}»" for key in stranded)}
        )


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    title: str,
    blocks: list[str],
    intro: str = "",
    teams: list[str] | None = None,
    anonymous: bool = True,
    one_per_screen: bool | None = None,
) -> Survey:
    """Wording and teams may change at any time; the question sets only before any answer,
    and anonymity may be switched off only before any answer: people answered under its
    promise, and switching it off would show their small groups and their open waves."""
    blocks = _check_blocks(survey.audience, blocks)
    _refuse_stranded_conditions(survey, blocks)
    answered = Response.objects.filter(wave__survey=survey).exists()
    if blocks != survey.blocks and answered:
        raise ValidationError(
            _("The questions cannot change once answers exist. Create a new survey instead.")
        )
    if survey.anonymous and not anonymous and answered:
        raise ValidationError(
            _(
                "People answered this survey under the promise of anonymity, so it stays "
                "anonymous. Create a new survey for results without it."
            )
        )
    survey.title = title.strip()
    survey.blocks = blocks
    survey.intro = intro.strip()
    survey.teams = _clean_teams(teams or []) if survey.is_employee else []
    survey.anonymous = True if survey.is_employee else anonymous
    if one_per_screen is not None:
        survey.one_per_screen = one_per_screen
    survey.full_clean()
    survey.save()
    selectors.wave_cache_clear()
    return survey


def channel_create(*, survey: Survey, name: str) -> Channel:
    name = " ".join(name.split())
    if survey.channels.filter(name__iexact=name).exists():
        raise ValidationError(_("This survey already has a channel with that name."))
    channel = Channel(survey=survey, name=name)
    channel.full_clean()
    channel.save()
    return channel


def channel_get_or_create(*, survey: Survey, name: str) -> Channel:
    name = " ".join(name.split())
    channel = survey.channels.filter(name__iexact=name).first()
    return channel or channel_create(survey=survey, name=name)


# --------------------------------------------------------------------------- waves


def _refuse_overlap(waves, *, opens_on: date, closes_on: date) -> None:
    clash = (
        waves.filter(opens_on__lte=closes_on, closes_on__gte=opens_on).order_by("number").first()
    )
    if clash is not None:
        raise ValidationError(
            _("These dates overlap wave %(number)d (%(opens)s – %(closes)s).")
            % {
                "number": clash.number,
                "opens": formats.date_format(clash.opens_on, "SHORT_DATE_FORMAT"),
                "closes": formats.date_format(clash.closes_on, "SHORT_DATE_FORMAT"),
            }
        )


@transaction.atomic
def wave_create(*, survey: Survey, opens_on: date, closes_on: date) -> Wave:
    """A new wave; waves of a survey never overlap (§10)."""
    if closes_on < opens_on:
        raise ValidationError(_("The wave cannot close before it opens."))
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # serialise wave numbers
    _refuse_overlap(survey.waves.all(), opens_on=opens_on, closes_on=closes_on)
    number = (survey.waves.aggregate(last=Max("number"))["last"] or 0) + 1
    wave = Wave(survey=survey, number=number, opens_on=opens_on, closes_on=closes_on)
    wave.full_clean()
    wave.save()
    return wave


def wave_close(*, wave: Wave) -> Wave:
    """Close a wave now; its results become visible (A5) under the k in force now, which
    the wave keeps (a k recorded earlier, when it closed by date, stays). Closing twice
    changes nothing."""
    today = timezone.localdate()
    closes_on = max(wave.opens_on, min(wave.closes_on, today))
    closed = Wave.objects.filter(pk=wave.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(),
        closes_on=closes_on,
        anonymity_threshold=Coalesce(
            F("anonymity_threshold"), _threshold_now(wave.survey.company_id)
        ),
    )
    selectors.wave_cache_clear()
    wave.refresh_from_db()
    if closed:  # webhooks: "wave closed", once
        events.emit(
            company_id=wave.survey.company_id,
            event=events.WAVE_CLOSED,
            data={
                "wave_id": wave.pk,
                "survey_id": wave.survey_id,
                "number": wave.number,
                "closed_on": wave.closes_on.isoformat(),
            },
        )
    driver_analysis_request(wave=wave)  # key drivers, computed by the worker
    from .themes import wave_themes_apply

    wave_themes_apply(survey=wave.survey)  # the wave's comments get their themes
    return wave


@transaction.atomic
def wave_reopen(*, wave: Wave, closes_on: date) -> Wave:
    """Open a closed wave again until ``closes_on``, unless its results were published
    (``selectors.wave_published``). The k recorded at closing stays: a stricter k never
    harms, and it is the k the next closing keeps."""
    Survey.objects.select_for_update().filter(pk=wave.survey_id).first()  # one at a time
    wave.refresh_from_db()
    refusal = selectors.wave_reopen_refusal(wave=wave)
    if refusal:
        raise ValidationError(refusal)
    today = timezone.localdate()
    if closes_on < today:
        raise ValidationError(_("Choose a closing date from today on."))
    others = wave.survey.waves.exclude(pk=wave.pk)
    _refuse_overlap(others, opens_on=wave.opens_on, closes_on=closes_on)
    Wave.objects.filter(pk=wave.pk).update(closed_at=None, closes_on=closes_on)
    selectors.wave_cache_clear()
    wave.refresh_from_db()
    return wave


def default_wave_dates(survey: Survey) -> tuple[date, date]:
    """Suggested dates for the next wave: from the day after the last one, for four weeks."""
    last = survey.waves.order_by("-closes_on").first()
    start = timezone.localdate()
    if last is not None and last.closes_on >= start:
        start = last.closes_on + timedelta(days=1)
    return start, start + timedelta(days=27)


# --------------------------------------------------------------------------- moderation


def wave_comments_release(*, wave: Wave) -> bool:
    """The consultant has read the wave's employee comments (and hidden what must not be
    read): the company's managers and staff see the rest from now on. Only a closed wave's
    comments can be read, so only those are released; releasing twice changes nothing."""
    if not wave.is_closed:
        raise ValidationError(_("Comments can be released once the wave has closed."))
    released = Wave.objects.filter(pk=wave.pk, comments_released_at__isnull=True).update(
        comments_released_at=timezone.now()
    )
    wave.refresh_from_db(fields=["comments_released_at"])
    return bool(released)


def response_comment_hide(*, response: Response, hidden: bool) -> Response:
    """Hide an employee's comment from the company (or show it again); the consultant
    decides, before managers and staff read it. Hidden comments never reach the company's
    pages, exports or reports. Setting the state it already has changes nothing."""
    Response.objects.filter(pk=response.pk).update(comment_hidden=hidden)
    response.comment_hidden = hidden
    return response
