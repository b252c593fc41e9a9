"""Own questions and their answers for the results tests, written straight to the tables
(as the public form and the import store them: one row per answer, one per picked option)."""

from __future__ import annotations

from collections.abc import Sequence

from surveys.models import Question, QuestionAnswer, QuestionChoice, Response


def own_question(survey, key, kind, *, position=0, version=1, options=(), text_en="", retired=None):
    question = Question.objects.create(
        survey=survey,
        key=key,
        version=version,
        position=position,
        kind=kind,
        text_ru=f"Вопрос {key}",
        text_en=text_en or f"Question {key}",
        retired_at=retired,
    )
    for position_, option in enumerate(options):
        QuestionChoice.objects.create(
            question=question,
            key=option,
            label_ru=f"Вариант {option}",
            label_en=f"Option {option}",
            position=position_,
        )
    return question


def choice(question, key) -> QuestionChoice:
    return question.choices.get(key=key)


def answer(response: Response, question: Question, value) -> list[QuestionAnswer]:
    """Rows for one answer: a number, an option key, several option keys or a text."""
    rows = []
    if value is None:
        return rows
    common = {"response": response, "wave_id": response.wave_id, "question": question}
    if question.is_choice:
        keys = value if isinstance(value, (list, tuple)) else [value]
        options = {option.key: option for option in question.choices.all()}
        rows = [QuestionAnswer(**common, choice=options[key]) for key in keys]
    elif question.is_text:
        rows = [QuestionAnswer(**common, text=value)]
    else:
        rows = [QuestionAnswer(**common, number=value)]
    return rows


def answer_all(pairs: Sequence[tuple[Response, Question, object]]) -> None:
    rows = []
    for response, question, value in pairs:
        rows += answer(response, question, value)
    QuestionAnswer.objects.bulk_create(rows)
