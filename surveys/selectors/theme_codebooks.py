"""Reads of the codebook editor (issue 16)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from ..models import Codebook, Survey, Theme, ThemeSuggestion, Wave
from .access import wave_get
from .questions import template_owner_id


def codebook_page(*, survey: Survey) -> dict[str, Any]:
    """The survey's codebook with its themes and how many comments each has (3 queries)."""
    codebook = Codebook.objects.filter(survey=survey).first()
    themes = []
    if codebook is not None:
        themes = list(
            codebook.themes.annotate(comments=Count("tags", filter=Q(tags__present=True))).order_by(
                "position", "pk"
            )
        )
    return {"codebook": codebook, "themes": themes}


def survey_codebook(*, survey: Survey) -> Codebook:
    """The survey's codebook; 404 without one."""
    codebook = Codebook.objects.filter(survey=survey).first()
    if codebook is None:
        raise Http404
    return codebook


def theme_get(*, survey_ids: Any, pk: int) -> Theme:
    """A theme of a survey the user may see; 404 otherwise (another consultancy's)."""
    theme = (
        Theme.objects.filter(codebook__survey__in=survey_ids, pk=pk)
        .select_related("codebook__survey")
        .first()
    )
    if theme is None:
        raise Http404
    return theme


def owner_codebooks(*, company: Any) -> list[Codebook]:
    """The codebooks the company's consultancy keeps, with how many themes each has."""
    kept = Codebook.objects.filter(owner_id=template_owner_id(company))
    return list(kept.annotate(theme_count=Count("themes")))


def kept_codebook_get(*, company: Any, pk: int) -> Codebook:
    """A codebook kept by the company's consultancy (or by the company on its own)."""
    codebook = Codebook.objects.filter(owner_id=template_owner_id(company), pk=pk).first()
    if codebook is None:
        raise Http404
    return codebook


def wave_suggestion(*, wave: Wave) -> ThemeSuggestion | None:
    """The wave's latest run of the suggestions."""
    return ThemeSuggestion.objects.filter(wave=wave).order_by("-requested_at", "-pk").first()


def suggestion_get(*, user: Any, pk: int) -> tuple[ThemeSuggestion, Any]:
    """A run of the suggestions for a wave of a survey the user may see, with the access;
    404 for any other."""
    job = ThemeSuggestion.objects.filter(pk=pk).first()
    if job is None:
        raise Http404
    job.wave, access = wave_get(user=user, pk=job.wave_id)
    return job, access
