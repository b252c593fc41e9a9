"""The worker's theme suggestions for a wave's comments (issue 16), pretix-style: the page
queues a ``ThemeSuggestion``, the worker claims it, writes progress on the row and stores
the suggestions with the texts of their example comments; the page polls the row."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
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
from ..selectors.groups import group_dimension, hidden_groups, in_hidden_groups
from .themes import TEXT_KINDS, codebook_create, phrases_joined, theme_create, theme_update


def _hidden_responses(wave: Wave, k: int) -> Q | None:
    """The wave's responses of groups the results page hides (A6), or None."""
    survey = wave.survey
    dimension = group_dimension(survey)
    if dimension is None:
        return None
    tally = wave_counts(survey=survey, waves=[wave], by_channel=dimension == "channel")[wave.pk]
    groups = tally.teams if dimension == "team" else tally.channels
    return in_hidden_groups(survey, hidden_groups(survey, groups, k=k))


def wave_comment_texts(*, wave: Wave) -> list[str]:
    """The wave's comments the results page lists: none the consultant hid, none of a
    group it hides (A6), and nothing for an anonymous wave with fewer than k responses."""
    responses = Response.objects.filter(wave=wave)
    anonymous = wave.survey.anonymous or wave.survey.is_employee
    k = wave_threshold(wave)
    if anonymous and responses.count() < k:
        return []
    visible = responses.filter(comment_hidden=False)
    hidden = _hidden_responses(wave, k) if wave.survey.anonymous else None
    if hidden is not None:
        visible = visible.exclude(hidden)
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
                # the same comment written by many shows once
                "examples": list(dict.fromkeys(texts[i] for i in item.examples))[:5],
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


def suggestion_item(job: ThemeSuggestion, index: int) -> dict[str, Any] | None:
    """The run's suggestion number ``index``, if the run is done and has it."""
    result: list[dict[str, Any]] = job.result or []
    if job.status != SuggestionStatus.DONE or not 0 <= index < len(result):
        return None
    return result[index]


def _suggestion(job: ThemeSuggestion, index: int) -> dict[str, Any]:
    item = suggestion_item(job, index)
    if item is None:
        raise ValidationError(_("This suggestion is no longer there; ask for new ones."))
    return item


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
    theme_update(
        theme=into,
        key=into.key,
        name_ru=into.name_ru,
        name_en=into.name_en,
        phrases=phrases_joined(into.phrase_list(), item["phrases"]),
    )
    _mark(job, index, taken=into.key)
    return into


@transaction.atomic
def suggestion_dismiss(*, job: ThemeSuggestion, index: int, dismissed: bool = True) -> None:
    _suggestion(job, index)
    _mark(job, index, dismissed=dismissed)
