"""The consultant's own questions: create, change, move and remove, with their options.

A question is known by its key within the survey. Once it has answers, a change of its
meaning (kind, the set of option keys, the condition, or any text or label unless the
consultant says it is only a typo fix) makes a new *version*: a new row with the same key
and position, and the old row retired, so every answer keeps the wording it was given to.
Whether an answer is required is not meaning. A removed question with answers is retired
(its answers and results stay); one without answers is deleted.

Conditions refer to a question shown earlier: a built-in question of the survey's blocks
(they all come first) or an own question higher in the list. A change that would leave a
condition without its question or its values is refused, naming the dependent question.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit import questions as rules

from .. import selectors
from ..models import Question, QuestionAnswer, QuestionChoice, Survey
from .question_checks import (
    TEXT_FIELDS,
    OptionInput,
    QuestionInput,
    checked,
    dependents,
    keys_text,
)

__all__ = [
    "OptionInput",
    "QuestionInput",
    "question_create",
    "question_move",
    "question_remove",
    "question_update",
]


def _lock(survey: Survey) -> None:
    """One change of a survey's questions at a time: positions and versions stay in step."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()


def _fill(question: Question, data: QuestionInput, values: list[int | str]) -> None:
    question.kind = data.kind
    question.key = data.key
    question.required = data.required
    for name in TEXT_FIELDS:
        setattr(question, name, getattr(data, name))
    question.condition_key = data.condition_key
    question.condition_values = values


def _options_create(question: Question, options: tuple[OptionInput, ...]) -> None:
    QuestionChoice.objects.bulk_create(
        QuestionChoice(
            question=question,
            key=option.key,
            label_ru=option.label_ru,
            label_en=option.label_en,
            position=index,
        )
        for index, option in enumerate(options)
    )


def _options_set(question: Question, options: tuple[OptionInput, ...]) -> None:
    """Change the options in place: rename, reorder, add; remove the ones left out (only
    options nobody picked can go: the caller makes a new version otherwise)."""
    existing = {choice.key: choice for choice in question.choices.all()}
    wanted = {option.key for option in options}
    QuestionChoice.objects.filter(question=question).exclude(key__in=wanted).delete()
    changed, added = [], []
    for index, option in enumerate(options):
        choice = existing.get(option.key)
        if choice is None:
            added.append(
                QuestionChoice(
                    question=question,
                    key=option.key,
                    label_ru=option.label_ru,
                    label_en=option.label_en,
                    position=index,
                )
            )
            continue
        choice.label_ru, choice.label_en, choice.position = (
            option.label_ru,
            option.label_en,
            index,
        )
        changed.append(choice)
    QuestionChoice.objects.bulk_update(changed, ["label_ru", "label_en", "position"])
    QuestionChoice.objects.bulk_create(added)


def _meaning_changed(
    question: Question, data: QuestionInput, values: list[int | str], *, typo_fix: bool
) -> bool:
    choices = {choice.key: choice for choice in question.choices.all()}
    if data.kind != question.kind or set(choices) != {option.key for option in data.options}:
        return True
    if data.condition_key != question.condition_key:
        return True
    if set(values) != set(question.condition_values):
        return True
    if typo_fix:
        return False
    texts_changed = any(getattr(data, name) != getattr(question, name) for name in TEXT_FIELDS)
    labels_changed = any(
        (option.label_ru, option.label_en)
        != (choices[option.key].label_ru, choices[option.key].label_en)
        for option in data.options
    )
    return texts_changed or labels_changed


def _renumber(survey: Survey) -> None:
    current = list(Question.objects.current().filter(survey=survey))
    moved = []
    for index, question in enumerate(current):
        if question.position != index:
            question.position = index
            moved.append(question)
    Question.objects.bulk_update(moved, ["position"])


@transaction.atomic
def question_create(*, survey: Survey, data: QuestionInput) -> Question:
    """A new question at the end of the survey's own questions."""
    _lock(survey)
    current = selectors.questions_current(survey)
    data, values = checked(survey, data, current=current, question=None)
    question = Question(survey=survey, position=len(current))
    _fill(question, data, values)
    question.full_clean()
    question.save()
    _options_create(question, data.options)
    _renumber(survey)
    selectors.wave_cache_clear()
    return question


def _refetch(question: Question, current: list[Question]) -> Question:
    fresh = next((q for q in current if q.pk == question.pk), None)
    if fresh is None:
        raise ValidationError(
            _("This question was changed or removed meanwhile: open it again from the survey.")
        )
    return fresh


@transaction.atomic
def question_update(*, question: Question, data: QuestionInput, typo_fix: bool = False) -> Question:
    """Save the change in place, or as a new version when answers exist and the meaning
    changes (see the module docstring). Returns the current version."""
    survey = question.survey
    _lock(survey)
    current = selectors.questions_current(survey)
    question = _refetch(question, current)  # with its options
    data, values = checked(survey, data, current=current, question=question)
    answered = selectors.question_has_answers(question)
    if answered and _meaning_changed(question, data, values, typo_fix=typo_fix):
        Question.objects.filter(pk=question.pk).update(retired_at=timezone.now())
        last = Question.objects.filter(survey=survey, key=question.key).aggregate(v=Max("version"))
        new = Question(survey=survey, position=question.position, version=last["v"] + 1)
        _fill(new, data, values)
        new.full_clean()
        new.save()
        _options_create(new, data.options)
        selectors.wave_cache_clear()
        return new
    _fill(question, data, values)
    question.full_clean()
    question.save()
    _options_set(question, data.options if data.kind in rules.CHOICES else ())
    selectors.wave_cache_clear()
    return question


@transaction.atomic
def question_move(*, question: Question, up: bool) -> bool:
    """Move a question one place up or down among the current ones; False at either end.
    A question never moves above the question its condition refers to."""
    survey = question.survey
    _lock(survey)
    current = selectors.questions_current(survey)
    question = _refetch(question, current)
    index = current.index(question)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(current):
        return False
    earlier, later = sorted((current[index], current[other]), key=current.index)
    if later.condition_key == earlier.key:
        raise ValidationError(
            _("«%(later)s» is shown only after an answer to «%(earlier)s», so it stays below it.")
            % {"later": later.key, "earlier": earlier.key}
        )
    current[index], current[other] = current[other], current[index]
    for position, item in enumerate(current):
        item.position = position
    Question.objects.bulk_update(current, ["position"])
    selectors.wave_cache_clear()
    return True


@transaction.atomic
def question_remove(*, question: Question) -> bool:
    """Retire a question with answers (True), delete one without (False). A question that
    others are conditioned on stays until their conditions change."""
    survey = question.survey
    _lock(survey)
    current = selectors.questions_current(survey)
    question = _refetch(question, current)
    waiting = dependents(question, current)
    if waiting:
        raise ValidationError(
            _(
                "%(dependents)s is shown only after an answer to this question: change or "
                "remove its condition first."
            )
            % {"dependents": keys_text(waiting)}
        )
    retired = QuestionAnswer.objects.filter(question=question).exists()
    if retired:
        Question.objects.filter(pk=question.pk).update(retired_at=timezone.now())
    else:
        question.delete()
    _renumber(survey)
    selectors.wave_cache_clear()
    return retired
