"""The consultant's own questions, their answers, survey templates and key-driver analyses.

A question is identified by its key within the survey; each change of meaning after answers
exist makes a new *version* (a new row with the same key) and retires the old one, so every
answer keeps the wording it was given to. Answers are rows of ``QuestionAnswer`` with the
value in one of three columns (``number`` for ratings and yes/no, ``choice`` for choices —
one row per picked option — and ``text``), so each kind's figures for a wave are one GROUP
BY. Like ``Response``, an answer row is keyed by a random UUID: no order of arrival.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cxaudit import questions as rules
from cxaudit.accounts.models import Organisation

from .surveys import Response, Survey, Wave

OPTION_LABEL_MAX_LENGTH = 200


class QuestionKind(models.TextChoices):
    RATING_5 = rules.RATING_5, _("Rating 1–5")
    RATING_11 = rules.RATING_11, _("Rating 0–10")
    YES_NO = rules.YES_NO, _("Yes or no")
    SINGLE = rules.SINGLE, _("One choice")
    MULTIPLE = rules.MULTIPLE, _("Several choices")
    SHORT_TEXT = rules.SHORT_TEXT, _("Short text")
    LONG_TEXT = rules.LONG_TEXT, _("Long text")


def _in_language(ru: str, en: str, language: str | None = None) -> str:
    language = (language or get_language() or "ru")[:2]
    return (en if language == "en" else ru) or ru or en


class QuestionQuerySet(models.QuerySet):
    def current(self):
        """The versions asked now, in survey order."""
        return self.filter(retired_at__isnull=True).order_by("position", "pk")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(
        _("key"),
        max_length=rules.KEY_MAX_LENGTH,
        help_text=_(
            "Latin letters, digits and _, starting with a letter: the column name in the "
            "export and the import, and in the API."
        ),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind)
    required = models.BooleanField(_("answer required"), default=False)
    text_ru = models.CharField(_("question (Russian)"), max_length=300)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    low_label_ru = models.CharField(
        _("label of the lowest point (Russian)"), max_length=60, blank=True
    )
    low_label_en = models.CharField(
        _("label of the lowest point (English)"), max_length=60, blank=True
    )
    high_label_ru = models.CharField(
        _("label of the highest point (Russian)"), max_length=60, blank=True
    )
    high_label_en = models.CharField(
        _("label of the highest point (English)"), max_length=60, blank=True
    )
    # Shown only when the answer to an earlier question (own or built-in, by key) is one of
    # ``condition_values``: numbers on its scale, or its choice keys.
    condition_key = models.CharField(
        _("shown only after the question"), max_length=rules.KEY_MAX_LENGTH, blank=True
    )
    condition_values = models.JSONField(_("when its answer is"), default=list, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("own question")
        verbose_name_plural = _("own questions")
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key", "version"], name="question_key_version_unique"
            ),
            models.UniqueConstraint(
                fields=["survey", "key"],
                condition=Q(retired_at__isnull=True),
                name="question_key_current_unique",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="question_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def text(self, language: str | None = None) -> str:
        return _in_language(self.text_ru, self.text_en, language)

    def low_label(self, language: str | None = None) -> str:
        return _in_language(self.low_label_ru, self.low_label_en, language)

    def high_label(self, language: str | None = None) -> str:
        return _in_language(self.high_label_ru, self.high_label_en, language)

    @property
    def scale(self) -> range | None:
        return rules.SCALES.get(self.kind)

    @property
    def is_rating(self) -> bool:
        return self.kind in rules.RATINGS

    @property
    def is_choice(self) -> bool:
        return self.kind in rules.CHOICES

    @property
    def is_text(self) -> bool:
        return self.kind in rules.TEXTS

    @property
    def groups_respondents(self) -> bool:
        """Whether results may be broken down by this question's answers (``rules.GROUPING``)."""
        return self.kind in rules.GROUPING

    def condition(self) -> rules.Condition | None:
        if not self.condition_key:
            return None
        return rules.Condition(on=self.condition_key, values=frozenset(self.condition_values))

    def spec(self, choices: list[QuestionChoice] | None = None) -> rules.QuestionSpec:
        """The pure description the checks use; ``choices`` when already loaded."""
        options = choices if choices is not None else list(self.choices.all())
        return rules.QuestionSpec(
            key=self.key,
            kind=self.kind,
            required=self.required,
            choices=tuple(choice.key for choice in options),
            condition=self.condition(),
        )


class QuestionChoice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.CharField(_("key"), max_length=rules.KEY_MAX_LENGTH)
    label_ru = models.CharField(_("option (Russian)"), max_length=OPTION_LABEL_MAX_LENGTH)
    label_en = models.CharField(
        _("option (English)"), max_length=OPTION_LABEL_MAX_LENGTH, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="question_choice_key_unique")
        ]

    def __str__(self) -> str:
        return self.key

    def label(self, language: str | None = None) -> str:
        return _in_language(self.label_ru, self.label_en, language)


class QuestionAnswer(models.Model):
    """One answer to an own question; a choice question picked several times gives a row
    per option. ``wave`` repeats the response's wave so a wave's figures read one index."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="question_answers"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    choice = models.ForeignKey(
        QuestionChoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer to an own question")
        verbose_name_plural = _("answers to own questions")
        indexes = [
            models.Index(fields=["wave", "question", "number"], name="qanswer_wave_number"),
            models.Index(fields=["wave", "question", "choice"], name="qanswer_wave_choice"),
            models.Index(fields=["question", "response"], name="qanswer_question_response"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(number__isnull=False, choice__isnull=True, text="")
                    | Q(number__isnull=True, choice__isnull=False, text="")
                    | (Q(number__isnull=True, choice__isnull=True) & ~Q(text=""))
                ),
                name="qanswer_one_value",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"],
                name="qanswer_choice_once",
                condition=Q(choice__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                name="qanswer_value_once",
                condition=Q(choice__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} · {self.response_id}"


class SurveyTemplate(models.Model):
    """A survey saved for reuse by every company of ``owner`` (a consultancy, or a company
    on its own): the built-in blocks, texts, settings and own questions, without answers."""

    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_templates"
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.JSONField(_("content"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "title"], name="survey_template_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class DriverAnalysisStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the worker")
    RUNNING = "running", _("Being computed")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Not enough data")
    FAILED = "failed", _("Failed")


class DriverAnalysis(models.Model):
    """The key-driver analysis of a wave for one outcome (NPS, CSAT or eNPS), computed by the
    worker. ``basis`` says what it was computed from (responses and question versions): a
    stored result whose basis differs from the wave's now is computed again."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="driver_analyses")
    outcome = models.CharField(max_length=16)
    basis = models.CharField(max_length=64)
    status = models.CharField(
        max_length=16, choices=DriverAnalysisStatus, default=DriverAnalysisStatus.PENDING
    )
    result = models.JSONField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("key-driver analysis")
        verbose_name_plural = _("key-driver analyses")
        constraints = [
            models.UniqueConstraint(fields=["wave", "outcome"], name="driver_analysis_unique")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id} · {self.outcome} · {self.status}"
