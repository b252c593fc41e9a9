"""The worker's theme suggestions for a wave's comments (issue 16), pretix-style: the page
queues a ``ThemeSuggestion``, the worker claims it, writes progress on the row and stores
the suggestions with the texts of their example comments; the page polls the row."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit.themes import suggest as clustering

from ..models import QuestionAnswer, Response, SuggestionStatus, ThemeSuggestion, Wave
from ..selectors.access import wave_threshold
from .themes import TEXT_KINDS


def wave_comment_texts(*, wave: Wave) -> list[str]:
    """The wave's comments the consultant did not hide; nothing for an anonymous wave
    with fewer than k responses (the results page shows nothing there either)."""
    responses = Response.objects.filter(wave=wave)
    anonymous = wave.survey.anonymous or wave.survey.is_employee
    if anonymous and responses.count() < wave_threshold(wave):
        return []
    visible = responses.filter(comment_hidden=False)
    texts = list(visible.exclude(comment="").order_by("pk").values_list("comment", flat=True))
    texts += list(
        QuestionAnswer.objects.filter(
            wave=wave, question__kind__in=TEXT_KINDS, response__comment_hidden=False
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
