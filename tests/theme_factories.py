"""Codebooks, themes and comment tags for the theme tests."""

from __future__ import annotations

from surveys.models.themes import Codebook, TagSource, Theme, ThemeTag


def codebook(survey, keys):
    book = Codebook.objects.create(survey=survey, title="Themes")
    return {
        key: Theme.objects.create(
            codebook=book, key=key, name_ru=f"тема {key}", name_en=f"theme {key}", position=i
        )
        for i, key in enumerate(keys)
    }


def tag(response, theme, *, question=None, manual=False, present=True):
    """A comment's theme; a manual one replaces the matcher's row (one row per comment
    and theme), as a consultant's correction does."""
    row, _created = ThemeTag.objects.update_or_create(
        response=response,
        question=question,
        theme=theme,
        defaults={
            "wave": response.wave,
            "source": TagSource.MANUAL if manual else TagSource.AUTO,
            "present": present,
        },
    )
    return row
