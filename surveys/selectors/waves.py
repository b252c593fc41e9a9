"""What closing or reopening a wave would mean, for the confirmation pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Response, Wave
from .access import anonymity_threshold, response_count_shown, wave_threshold


@dataclass(frozen=True)
class WaveCloseSummary:
    anonymous: bool
    k: int
    responses: int | None  # None: not shown before the wave closes (anonymous surveys)


def wave_close_summary(*, wave: Wave) -> WaveCloseSummary:
    """What the close page may say. For an anonymous survey nothing that depends on the
    count: "results will be shown" would say that k people answered, and watching it flip
    while one colleague answers is what A5 forbids. So the page states the rule only."""
    n = Response.objects.filter(wave=wave).count()
    k = wave_threshold(wave)
    shown = response_count_shown(
        survey=wave.survey, wave=wave, n=n, k=k, today=timezone.localdate()
    )
    return WaveCloseSummary(anonymous=wave.survey.anonymous, k=k, responses=shown)


def wave_published(*, wave: Wave) -> bool:
    """Whether a closed wave's results were published, so it may no longer be reopened.

    A wave publishes its results when it closes, if they can show: always for a survey
    that is not anonymous, and for an anonymous one when it holds at least the k recorded
    at closing (the lowest k the wave has shown its figures under; a k raised later only
    hides more). An anonymous wave closed with fewer responses showed nothing, not even
    its count (A2), so reopening it to collect more lets nobody compare results before
    and after a colleague answers (A5). A non-anonymous survey promises no anonymity and
    its managers follow open waves live; it is never "published" in this sense."""
    if not wave.survey.anonymous:
        return False
    recorded = wave.anonymity_threshold or anonymity_threshold(wave.survey.company)
    return Response.objects.filter(wave=wave).count() >= recorded


def wave_reopen_refusal(*, wave: Wave) -> str:
    """Why this wave cannot be reopened, or "" when it can."""
    if not wave.is_closed:
        return _("This wave is not closed.")
    if wave_published(wave=wave):
        return _(
            "The results of this wave were shown when it closed. Reopening it would let "
            "anyone compare them with the results after more answers, so start a new wave "
            "instead."
        )
    return ""


def wave_reopen_until(*, wave: Wave) -> date:
    """A suggested new closing date: two weeks from today, or the day before the next wave."""
    until = timezone.localdate() + timedelta(days=14)
    following = wave.survey.waves.filter(opens_on__gt=wave.opens_on).order_by("opens_on").first()
    if following is not None:
        until = min(until, following.opens_on - timedelta(days=1))
    return until
