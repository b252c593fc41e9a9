"""Reads of the codebook editor (issue 16)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404

from ..models import Codebook, Survey, Theme
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
    return list(Codebook.objects.filter(owner_id=template_owner_id(company)))
