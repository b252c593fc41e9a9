"""The own questions a public page asks, read once per process and period like its wave.

A respondent's page and submit need the survey's current own questions (``Question`` rows
that are not retired, in order, with their options). They are read into frozen snapshots
(``OwnQuestion``): plain values, safe to share between requests and threads, hashable so
the form fields built from them are cached per question set and language, and compared by
value, so a question edited in place never reuses the fields of its old wording.

Caching: the simplest correct choice is the wave's own rule (``access.wave_for_token``).
Each process keeps a survey's snapshots for the current ``WAVE_CACHE_SECONDS`` period, so a
submit with a warm cache runs no lookup. A survey with no own questions never reads them:
the wave's lookup says so (``asks_own_questions``, an EXISTS in the same query), so its
page and submit run exactly the queries they ran before own questions existed.
``access.wave_cache_clear`` (called by the services that change what a public page shows)
clears them too; other processes see a change within the period. Nothing stored depends on
a stale copy: the store checks, in the transaction that writes the answers, that the
questions and options it writes to are still the ones asked (``questions_unchanged``), and
otherwise asks the respondent to look at the form again.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

from django.utils.translation import get_language

from cxaudit import questions as rules

from ..models import Question, QuestionChoice
from ..models.questions import _in_language

CACHE_SECONDS = 5  # the wave's period (``access.WAVE_CACHE_SECONDS``)
FIELD_PREFIX = "q_"


@dataclass(frozen=True)
class OwnChoice:
    pk: int
    key: str
    label_ru: str
    label_en: str

    def label(self, language: str | None = None) -> str:
        return _in_language(self.label_ru, self.label_en, language)


@dataclass(frozen=True)
class OwnQuestion:
    """A current own question as the public page asks it."""

    pk: int
    key: str
    version: int
    kind: str
    required: bool
    text_ru: str
    text_en: str
    low_label_ru: str = ""
    low_label_en: str = ""
    high_label_ru: str = ""
    high_label_en: str = ""
    choices: tuple[OwnChoice, ...] = ()
    condition_key: str = ""
    condition_values: tuple[int | str, ...] = ()

    @property
    def field_name(self) -> str:
        """The form field's name: prefixed, so no key can take a built-in field's name."""
        return FIELD_PREFIX + self.key

    def text(self, language: str | None = None) -> str:
        return _in_language(self.text_ru, self.text_en, language or get_language())

    def low_label(self, language: str | None = None) -> str:
        return _in_language(self.low_label_ru, self.low_label_en, language or get_language())

    def high_label(self, language: str | None = None) -> str:
        return _in_language(self.high_label_ru, self.high_label_en, language or get_language())

    @functools.cached_property
    def spec(self) -> rules.QuestionSpec:
        condition = (
            rules.Condition(on=self.condition_key, values=frozenset(self.condition_values))
            if self.condition_key
            else None
        )
        return rules.QuestionSpec(
            key=self.key,
            kind=self.kind,
            required=self.required,
            choices=tuple(choice.key for choice in self.choices),
            condition=condition,
        )

    def choice_pk(self, key: str) -> int:
        return next(choice.pk for choice in self.choices if choice.key == key)


def own_question(question: Question, choices: list[QuestionChoice]) -> OwnQuestion:
    return OwnQuestion(
        pk=question.pk,
        key=question.key,
        version=question.version,
        kind=question.kind,
        required=question.required,
        text_ru=question.text_ru,
        text_en=question.text_en,
        low_label_ru=question.low_label_ru,
        low_label_en=question.low_label_en,
        high_label_ru=question.high_label_ru,
        high_label_en=question.high_label_en,
        choices=tuple(
            OwnChoice(pk=c.pk, key=c.key, label_ru=c.label_ru, label_en=c.label_en) for c in choices
        ),
        condition_key=question.condition_key,
        condition_values=tuple(question.condition_values or ()),
    )


def respond_questions_uncached(survey_id: int) -> tuple[OwnQuestion, ...]:
    """The survey's current own questions in order, with their options: one query, and a
    second one only when there are questions."""
    questions = Question.objects.filter(survey_id=survey_id).current().prefetch_related("choices")
    return tuple(own_question(q, list(q.choices.all())) for q in questions)


def respond_questions(survey_id: int) -> tuple[OwnQuestion, ...]:
    """``respond_questions_uncached``, kept per process for the period (module docstring)."""
    return _questions_in_period(survey_id, int(time.monotonic() // CACHE_SECONDS))


@functools.lru_cache(maxsize=1024)
def _questions_in_period(survey_id: int, _period: int) -> tuple[OwnQuestion, ...]:
    return respond_questions_uncached(survey_id)


def respond_cache_clear() -> None:
    _questions_in_period.cache_clear()


def questions_unchanged(*, kinds: dict[int, str], choices: set[tuple[int, int]]) -> bool:
    """Whether the questions answered (``kinds``: pk to kind) and the options picked
    (``choices``: option pk and its question's pk) still exist as the snapshot had them.
    Retired versions are fine: an answer keeps the wording it was given to. At most two
    small queries, whatever the number of answers."""
    if not kinds:
        return True
    stored = dict(Question.objects.filter(pk__in=list(kinds)).values_list("pk", "kind"))
    if stored != kinds:
        return False
    if not choices:
        return True
    found = set(
        QuestionChoice.objects.filter(pk__in=[pk for pk, _q in choices]).values_list(
            "pk", "question_id"
        )
    )
    return found == choices
