"""Own-question answers between the pure checks (``cxaudit.questions``) and the tables.

The public form, the import and the export all go through here, so they accept, store and
write exactly the same values: ``check`` runs ``check_answers`` with the built-in answers
as ``given`` (for conditions on them), ``rows`` turns checked answers into
``QuestionAnswer`` rows, ``problem_text`` translates a refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import gettext as _

from cxaudit import questions as rules

from . import library
from .models import QuestionAnswer, Response
from .selectors.respond import OwnQuestion

# Built-in answers a condition may wait for (``Response`` columns).
BUILT_IN_KEYS = (*library.SCALE_QUESTIONS, *library.CHOICE_QUESTIONS, "team")


def given(answers: Mapping[str, object]) -> dict[str, rules.Answer]:
    """The built-in answers that were given, for conditions on them."""
    found: dict[str, rules.Answer] = {}
    for key in BUILT_IN_KEYS:
        value = answers.get(key)
        if isinstance(value, (int, str)) and value != "":
            found[key] = value
    return found


def check(
    questions: Sequence[OwnQuestion], raw: Mapping[str, object], *, built_in: Mapping[str, object]
) -> rules.Checked:
    return rules.check_answers([q.spec for q in questions], raw, given=given(built_in))


def problem_text(problem: rules.Problem) -> str:
    params = problem.params
    if problem.message == "required":
        return _("Please answer this question.")
    if problem.message == "not_a_number":
        return _("Please choose one of the numbers.")
    if problem.message == "off_scale":
        return _("Please choose a number from %(low)d to %(high)d.") % params
    if problem.message == "not_a_choice":
        return _("Please choose among the answers offered.")
    if problem.message == "too_long":
        return (
            _("Please shorten your answer to at most %(max)d characters (it has %(length)d).")
            % params
        )
    if problem.message == "bad_character":
        return _("The answer contains a character that cannot be stored.")
    return _("This answer cannot be stored.")


def rows(
    *,
    response: Response,
    questions: Iterable[OwnQuestion],
    answers: Mapping[str, rules.Answer],
) -> list[QuestionAnswer]:
    """The rows of one response's checked answers: a row per value, one per picked option."""
    found: list[QuestionAnswer] = []
    for question in questions:
        answer = answers.get(question.key)
        if answer is None or answer in ("", ()):
            continue
        common = {"response": response, "wave_id": response.wave_id, "question_id": question.pk}
        if question.kind in rules.NUMBERED:
            found.append(QuestionAnswer(number=int(answer), **common))  # type: ignore[arg-type]
        elif question.kind in rules.CHOICES:
            picked = answer if isinstance(answer, tuple) else (answer,)
            found.extend(
                QuestionAnswer(choice_id=question.choice_pk(str(key)), **common) for key in picked
            )
        else:
            found.append(QuestionAnswer(text=str(answer), **common))
    return found


def used(rows_: Iterable[QuestionAnswer], questions: Iterable[OwnQuestion]):
    """What the rows write to: question pks with their kinds, and (option, question) pairs,
    for ``selectors.questions_unchanged``."""
    by_pk = {q.pk: q for q in questions}
    kinds: dict[int, str] = {}
    choices: set[tuple[int, int]] = set()
    for row in rows_:
        kinds[row.question_id] = by_pk[row.question_id].kind
        if row.choice_id is not None:
            choices.add((row.choice_id, row.question_id))
    return kinds, choices
