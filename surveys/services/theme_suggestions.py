"""The worker's theme suggestions for a wave's comments (issue 16), pretix-style: the page
queues a ``ThemeSuggestion``, the worker claims it, writes progress on the row and stores
the suggestions with the texts of their example comments; the page polls the row."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit.themes import suggest as clustering

from ..models import (
    Codebook,
    QuestionAnswer,
    Response,
    SuggestionStatus,
    Theme,
    ThemeSuggestion,
    Wave,
)
from ..selectors.access import wave_threshold
from ..selectors.counts import wave_counts
from ..selectors.groups import group_dimension, hidden_groups
from .themes import TEXT_KINDS, codebook_create, theme_create, theme_update


def _hidden_group_filter(wave: Wave, k: int) -> dict[str, Any] | None:
    """The lookups of the responses of groups the results page hides (A6), or None."""
    survey = wave.survey
    dimension = group_dimension(survey)
    if dimension is None:
        return None
    counts = wave_counts(survey=survey, waves=[wave], by_channel=dimension == "channel")
    tally = counts[wave.pk]
    hidden = hidden_groups(survey, tally.teams if dimension == "team" else tally.channels, k=k)
    if not hidden:
        return None
    if dimension == "team":
        return {"team__in": list(hidden)}
    return {"channel__in": [pk for pk in hidden if pk is not None]} | (
        {"channel__isnull": True} if None in hidden else {}
    )


def wave_comment_texts(*, wave: Wave) -> list[str]:
    """The wave's comments the results page lists: none the consultant hid, none of a
    group it hides (A6), and nothing for an anonymous wave with fewer than k responses."""
    responses = Response.objects.filter(wave=wave)
    anonymous = wave.survey.anonymous or wave.survey.is_employee
    k = wave_threshold(wave)
    if anonymous and responses.count() < k:
        return []
    visible = responses.filter(comment_hidden=False)
    hidden = _hidden_group_filter(wave, k) if wave.survey.anonymous else None
    if hidden is not None:
        for lookup, value in hidden.items():  # each lookup its own exclusion: OR, not AND
            visible = visible.exclude(**{lookup: value})
    texts = list(visible.exclude(comment="").order_by("pk").values_list("comment", flat=True))
    texts += list(
        QuestionAnswer.objects.filter(
            question__kind__in=TEXT_KINDS, response__in=visible.values("pk")
        )
        .exclude(text="")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    return texts


def theme_suggestion_request(*, wave: Wave, by: Any) -> ThemeSuggestion:
    from ..tasks import theme_suggestion_run as theme_suggestion_run_task

    job = ThemeSuggestion.objects.create(wave=wave, requested_by=by)
    transaction.on_commit(partial(theme_suggestion_run_task.delay, job.pk))
    return job


def theme_suggestion_run(*, job_id: int) -> str | None:
    """Claim the row, suggest, store; None when another delivery got it first."""
    claimed = ThemeSuggestion.objects.filter(pk=job_id, status=SuggestionStatus.PENDING).update(
        status=SuggestionStatus.RUNNING, progress=5
    )
    if not claimed:
        return None
    job = ThemeSuggestion.objects.select_related("wave__survey__company").get(pk=job_id)
    rows = ThemeSuggestion.objects.filter(pk=job_id)
    try:
        texts = wave_comment_texts(wave=job.wave)

        def progress(value: float) -> None:
            rows.update(progress=max(5, min(99, int(value))))

        found = clustering.suggest(texts, progress=progress) if texts else []
        result = [
            {
                "top_words": list(item.top_words),
                "phrases": list(item.phrases),
                "examples": [texts[i] for i in item.examples[:5]],
                "size": item.size,
            }
            for item in found
        ]
    except Exception:
        rows.update(
            status=SuggestionStatus.FAILED,
            message=_("The suggestions could not be computed."),
            finished_at=timezone.now(),
        )
        raise
    rows.update(
        status=SuggestionStatus.DONE, progress=100, result=result, finished_at=timezone.now()
    )
    return SuggestionStatus.DONE


# ------------------------------------------------------- the consultant's choices


def _suggestion(job: ThemeSuggestion, index: int) -> dict[str, Any]:
    result: list[dict[str, Any]] = job.result or []
    if job.status != SuggestionStatus.DONE or not 0 <= index < len(result):
        raise ValidationError(_("This suggestion is no longer there; ask for new ones."))
    return result[index]


def _mark(job: ThemeSuggestion, index: int, **changes: Any) -> None:
    """Record what the consultant did with a suggestion (on a fresh, locked copy)."""
    locked = ThemeSuggestion.objects.select_for_update().get(pk=job.pk)
    item = _suggestion(locked, index)
    if "taken" in changes:
        item["taken"] = [*item.get("taken", []), changes["taken"]]
    if "dismissed" in changes:
        item["dismissed"] = changes["dismissed"]
    locked.save(update_fields=["result"])
    job.result = locked.result


def _codebook(job: ThemeSuggestion, by: Any) -> Codebook:
    survey = job.wave.survey
    codebook = Codebook.objects.filter(survey=survey).first()
    return codebook or codebook_create(survey=survey, by=by)


@transaction.atomic
def suggestion_accept(
    *,
    job: ThemeSuggestion,
    index: int,
    by: Any,
    key: str,
    name_ru: str,
    name_en: str,
    phrases: str,
) -> Theme:
    """A suggestion becomes a theme of the survey's codebook, named and worded as the
    consultant edited it. Accepting part of its phrases, then another part, splits it."""
    _suggestion(job, index)
    theme = theme_create(
        codebook=_codebook(job, by), key=key, name_ru=name_ru, name_en=name_en, phrases=phrases
    )
    _mark(job, index, taken=theme.key)
    return theme


@transaction.atomic
def suggestion_merge(*, job: ThemeSuggestion, index: int, into: Theme) -> Theme:
    """A suggestion's phrases join a theme the codebook already has."""
    item = _suggestion(job, index)
    if into.codebook.survey_id != job.wave.survey_id:
        raise ValidationError(_("Pick a theme of this survey's codebook."))
    known = set(into.phrase_list())
    phrases = [*into.phrase_list(), *(p for p in item["phrases"] if p not in known)]
    theme_update(
        theme=into,
        key=into.key,
        name_ru=into.name_ru,
        name_en=into.name_en,
        phrases="\n".join(phrases),
    )
    _mark(job, index, taken=into.key)
    return into


@transaction.atomic
def suggestion_dismiss(*, job: ThemeSuggestion, index: int, dismissed: bool = True) -> None:
    _suggestion(job, index)
    _mark(job, index, dismissed=dismissed)
