"""Themes of open comments: codebooks, their themes, the themes of each comment, and the
worker's suggestions.

A *comment* is a response's built-in comment (``question`` empty) or its answer to an own
text question. A codebook belongs to a survey, or to a consultancy (or a company on its
own) for reuse by every survey of its companies. Each comment's themes are rows of
``ThemeTag``: the matcher writes ``auto`` rows; a consultant's correction writes a
``manual`` row, which says the theme is there (``present``) or is not, and which a new run
of the matcher never overwrites.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxaudit.accounts.models import Organisation

from .questions import Question
from .surveys import Response, Survey, Wave


class Codebook(models.Model):
    survey = models.OneToOneField(
        Survey, on_delete=models.CASCADE, null=True, blank=True, related_name="codebook"
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="codebooks",
        help_text=_("A consultancy's codebook, for the surveys of all its companies."),
    )
    title = models.CharField(_("title"), max_length=200)
    # Bumped by every change of the themes, so tags written under an older codebook are
    # known to need a new run of the matcher.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("codebook")
        verbose_name_plural = _("codebooks")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(survey__isnull=False) & Q(owner__isnull=True))
                | (Q(survey__isnull=True) & Q(owner__isnull=False)),
                name="codebook_of_a_survey_or_an_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="themes")
    key = models.CharField(_("key"), max_length=40)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    # Words and phrases in either language, one per line; matched on lemmas.
    phrases = models.TextField(_("words and phrases"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["codebook", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["codebook", "key"], name="theme_key_unique")]

    def __str__(self) -> str:
        return self.key

    def name(self, language: str | None = None) -> str:
        language = (language or get_language() or "ru")[:2]
        return (self.name_en if language == "en" else self.name_ru) or self.name_ru

    def phrase_list(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.phrases.splitlines() if line.strip())


class TagSource(models.TextChoices):
    AUTO = "auto", _("Found by the words of the theme")
    MANUAL = "manual", _("Set by hand")


class ThemeTag(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="theme_tags")
    # The own text question whose answer is the comment; empty for the built-in comment.
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="tags")
    source = models.CharField(max_length=8, choices=TagSource, default=TagSource.AUTO)
    present = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("theme of a comment")
        verbose_name_plural = _("themes of comments")
        indexes = [models.Index(fields=["wave", "theme"], name="themetag_wave_theme")]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "theme"],
                condition=Q(question__isnull=True),
                name="themetag_comment_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "theme"],
                condition=Q(question__isnull=False),
                name="themetag_answer_once",
            ),
            models.CheckConstraint(
                condition=Q(source="manual") | Q(present=True), name="themetag_auto_present"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme_id} · {self.response_id}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the worker")
    RUNNING = "running", _("Being computed")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ThemeSuggestion(models.Model):
    """A run of the worker's clustering over a wave's comments: themes it proposes, with
    their top words and example comments, for the consultant to accept, rename, merge or
    split. Progress is reported to the page as reports do."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="theme_suggestions")
    status = models.CharField(
        max_length=16, choices=SuggestionStatus, default=SuggestionStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("theme suggestion")
        verbose_name_plural = _("theme suggestions")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.wave_id} · {self.status}"
