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

from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import questions as rules

from .. import selectors
from ..models import Question, QuestionAnswer, QuestionChoice, Survey

LABEL_FIELDS = ("low_label_ru", "low_label_en", "high_label_ru", "high_label_en")
TEXT_FIELDS = ("text_ru", "text_en", *LABEL_FIELDS)
CHOICES_MIN = 2
YES_NO_WORDS = {"yes": "1", "да": "1", "no": "0", "нет": "0"}

KEY_MESSAGES = {
    "key_format": gettext_lazy(
        "Use small Latin letters, digits and _, starting with a letter: at most %(max)d characters."
    ),
    "key_reserved": gettext_lazy(
        "The key “%(key)s” names a built-in column of the export; choose another."
    ),
    "key_taken": gettext_lazy(
        "The key “%(key)s” is taken by another question of this survey (or was, before it "
        "was removed); choose another."
    ),
}
CONDITION_MESSAGES = {
    "condition_empty": gettext_lazy(
        "Type the answers that show this question, such as “0-6” or “branch_a, branch_b”."
    ),
    "condition_not_number": gettext_lazy(
        "Type numbers or ranges of that question's scale, such as “0-6” or “9, 10”."
    ),
    "condition_off_scale": gettext_lazy(
        "The numbers must lie on that question's scale: %(values)s."
    ),
    "condition_not_choice": gettext_lazy("Type keys of that question's options: %(values)s."),
}


@dataclass(frozen=True)
class OptionInput:
    key: str
    label_ru: str
    label_en: str = ""


@dataclass(frozen=True)
class QuestionInput:
    """A question as the consultant typed it (the form's cleaned data, or a template's)."""

    kind: str
    key: str
    text_ru: str
    text_en: str = ""
    required: bool = False
    low_label_ru: str = ""
    low_label_en: str = ""
    high_label_ru: str = ""
    high_label_en: str = ""
    options: tuple[OptionInput, ...] = ()
    condition_key: str = ""
    condition_values: str = ""  # as typed: "0-6", "9, 10", "branch_a, branch_b"


def _cleaned(data: QuestionInput) -> QuestionInput:
    texts = {name: " ".join(getattr(data, name).split()) for name in TEXT_FIELDS}
    options = tuple(
        OptionInput(
            key=option.key.strip(),
            label_ru=" ".join(option.label_ru.split()),
            label_en=" ".join(option.label_en.split()),
        )
        for option in data.options
    )
    return replace(
        data,
        key=data.key.strip(),
        condition_key=data.condition_key.strip(),
        options=options,
        **texts,
    )


def _dependents(question: Question, current: list[Question]) -> list[Question]:
    return [q for q in current if q.condition_key == question.key and q.pk != question.pk]


def _keys(questions: list[Question]) -> str:
    return ", ".join(f"«{question.key}»" for question in questions)


def _check_options(data: QuestionInput, errors: dict[str, list[str]]) -> None:
    if data.kind not in rules.CHOICES:
        if data.options:
            errors["options"] = [_("Only questions with choices have options: clear the list.")]
        return
    problems = []
    if not CHOICES_MIN <= len(data.options) <= rules.CHOICES_MAX:
        problems.append(
            _("Give from %(min)d to %(max)d options.")
            % {"min": CHOICES_MIN, "max": rules.CHOICES_MAX}
        )
    seen: set[str] = set()
    for option in data.options:
        if not rules.KEY_PATTERN.match(option.key):
            problems.append(
                _(
                    "Option “%(key)s”: use small Latin letters, digits and _, starting with a "
                    "letter."
                )
                % {"key": option.key}
            )
        elif option.key in seen:
            problems.append(_("Option “%(key)s” is listed twice.") % {"key": option.key})
        seen.add(option.key)
        if not option.label_ru:
            problems.append(_("Option “%(key)s” needs a Russian label.") % {"key": option.key})
    if problems:
        errors["options"] = problems


def _condition_values(
    survey: Survey,
    data: QuestionInput,
    *,
    current: list[Question],
    question: Question | None,
    errors: dict[str, list[str]],
) -> list[int | str]:
    if not data.condition_key:
        if data.condition_values.strip():
            errors["condition_key"] = [_("Choose the question whose answer shows this one.")]
        return []
    targets = selectors.condition_targets(survey, questions=current, before=question)
    target = next((t for t in targets if t.key == data.condition_key), None)
    if target is None:
        errors["condition_key"] = [
            _(
                "A question can only depend on a question shown before it: a built-in one or "
                "an own question higher in the list, with a scale or options."
            )
        ]
        return []
    raw = data.condition_values
    if target.kind == rules.YES_NO:
        raw = " ".join(
            YES_NO_WORDS.get(word.lower(), word) for word in raw.replace(",", " ").split()
        )
    try:
        values = rules.parse_values(raw, scale=target.scale, choices=target.choice_keys)
    except ValueError as error:
        message = CONDITION_MESSAGES.get(str(error), CONDITION_MESSAGES["condition_empty"])
        errors["condition_values"] = [str(message) % {"values": target.values_hint()}]
        return []
    return sorted(values, key=lambda value: (isinstance(value, str), value))


def _refuse_lost_dependents(
    question: Question,
    data: QuestionInput,
    current: list[Question],
    errors: dict[str, list[str]],
) -> None:
    """A change of kind or options may not take away the values a later question waits for."""
    scale = rules.SCALES.get(data.kind)
    keys = {option.key for option in data.options} if data.kind in rules.CHOICES else set()
    for dependent in _dependents(question, current):
        lost = [
            value
            for value in dependent.condition_values
            if not (
                (isinstance(value, int) and scale is not None and value in scale)
                or (isinstance(value, str) and value in keys)
            )
        ]
        if lost:
            field = "kind" if data.kind != question.kind else "options"
            errors.setdefault(field, []).append(
                _(
                    "«%(dependent)s» is shown only after the answers %(values)s to this "
                    "question, which this change takes away: change its condition first."
                )
                % {"dependent": dependent.key, "values": rules.values_text(lost)}
            )


def _checked(
    survey: Survey, data: QuestionInput, *, current: list[Question], question: Question | None
) -> tuple[QuestionInput, list[int | str]]:
    """The cleaned input and the condition's values, or ``ValidationError`` by field."""
    data = _cleaned(data)
    errors: dict[str, list[str]] = {}
    if data.kind not in rules.KINDS:
        errors["kind"] = [_("Choose the kind of question.")]
    if question is None or data.key != question.key:
        taken = Question.objects.filter(survey=survey).values_list("key", flat=True)
        if question is not None:
            taken = taken.exclude(key=question.key)
        problem = rules.key_problem(data.key, taken)
        if problem is not None:
            errors["key"] = [str(KEY_MESSAGES[problem.message]) % problem.params]
        elif question is not None and selectors.question_has_answers(question):
            errors["key"] = [_("The key of a question with answers cannot change.")]
        elif question is not None and _dependents(question, current):
            errors["key"] = [
                _("%(dependents)s depend on this key: change their conditions first.")
                % {"dependents": _keys(_dependents(question, current))}
            ]
    if not data.text_ru:
        errors["text_ru"] = [_("Write the question in Russian.")]
    if data.kind not in rules.RATINGS and any(getattr(data, name) for name in LABEL_FIELDS):
        errors["low_label_ru"] = [_("Labels of the lowest and highest points are for ratings.")]
    _check_options(data, errors)
    values = _condition_values(survey, data, current=current, question=question, errors=errors)
    if question is not None:
        _refuse_lost_dependents(question, data, current, errors)
    if errors:
        raise ValidationError(errors)
    return data, values


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
    data, values = _checked(survey, data, current=current, question=None)
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
    data, values = _checked(survey, data, current=current, question=question)
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
    dependents = _dependents(question, current)
    if dependents:
        raise ValidationError(
            _(
                "%(dependents)s is shown only after an answer to this question: change or "
                "remove its condition first."
            )
            % {"dependents": _keys(dependents)}
        )
    retired = QuestionAnswer.objects.filter(question=question).exists()
    if retired:
        Question.objects.filter(pk=question.pk).update(retired_at=timezone.now())
    else:
        question.delete()
    _renumber(survey)
    selectors.wave_cache_clear()
    return retired
