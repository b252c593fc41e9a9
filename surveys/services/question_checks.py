"""What an own question must satisfy before it is stored: the input as typed, its key, its
options, its condition (on a question shown earlier) and the conditions of the questions
that depend on it. ``checked`` returns the cleaned input or raises ``ValidationError`` by
form field; ``services.questions`` stores what passed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import questions as rules

from .. import selectors
from ..models import Question, Survey
from ..models.questions import OPTION_LABEL_MAX_LENGTH

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
    texts: dict[str, Any] = {name: " ".join(getattr(data, name).split()) for name in TEXT_FIELDS}
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


def dependents(question: Question, current: list[Question]) -> list[Question]:
    return [q for q in current if q.condition_key == question.key and q.pk != question.pk]


def keys_text(questions: list[Question]) -> str:
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
        if max(len(option.label_ru), len(option.label_en)) > OPTION_LABEL_MAX_LENGTH:
            problems.append(
                _("Option “%(key)s”: a label may have at most %(max)d characters.")
                % {"key": option.key, "max": OPTION_LABEL_MAX_LENGTH}
            )
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
    for dependent in dependents(question, current):
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


def checked(
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
        elif question is not None and dependents(question, current):
            errors["key"] = [
                _("%(dependents)s depend on this key: change their conditions first.")
                % {"dependents": keys_text(dependents(question, current))}
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
