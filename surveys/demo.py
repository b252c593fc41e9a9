"""Demo surveys for `make run`: customer NPS + CSAT with the consultant's own questions in
two closed waves and an open one, and an employee survey with one closed wave.

The own ratings drive the recommend answer by known weights (speed most, then the
baristas' manner, taste a little, price hardly), so the key-driver analysis of a closed
wave has something true to find."""

import datetime
import random

from django.db import transaction

from .models import (
    Audience,
    Question,
    QuestionAnswer,
    QuestionChoice,
    QuestionKind,
    Response,
    Survey,
)
from .services import channel_create, survey_create, wave_create

COMMENTS = [
    "Вкусный кофе, но утром очередь.",
    "Бариста помнит мой заказ — приятно.",
    "Долго ждал ответа в чате.",
    "",
    "",
    "Хочу предзаказ через приложение.",
]


# key, kind, Russian, English, options (key, Russian, English)
OWN_QUESTIONS = [
    (
        "branch",
        QuestionKind.SINGLE,
        "Какую кофейню вы посетили?",
        "Which of our coffee shops did you visit?",
        [("centre", "На Садовой", "Sadovaya Street"), ("station", "У вокзала", "By the station")],
    ),
    ("speed", QuestionKind.RATING_5, "Как быстро вас обслужили?", "How fast were you served?", []),
    (
        "staff",
        QuestionKind.RATING_5,
        "Насколько приветливы были бариста?",
        "How friendly were the baristas?",
        [],
    ),
    (
        "taste",
        QuestionKind.RATING_5,
        "Как вам вкус напитков?",
        "How did you like the taste of the drinks?",
        [],
    ),
    (
        "price",
        QuestionKind.RATING_5,
        "Цены соответствуют качеству?",
        "Are the prices fair for the quality?",
        [],
    ),
    (
        "ordered",
        QuestionKind.MULTIPLE,
        "Как вы делали заказ?",
        "How did you order?",
        [
            ("counter", "На кассе", "At the counter"),
            ("app", "В приложении", "In the app"),
            ("phone", "По телефону", "By phone"),
        ],
    ),
    ("again", QuestionKind.YES_NO, "Придёте к нам ещё?", "Will you come again?", []),
]
WHY_LOW = (
    "why_low",
    "Что нам исправить в первую очередь?",
    "What should we fix first?",
)
# How much each own rating moves the recommend answer (0–10) in the demo data.
DRIVER_WEIGHTS = {"speed": 1.1, "staff": 0.7, "taste": 0.3, "price": 0.05}
FIXES = ["Очередь утром слишком длинная.", "Кофе остыл, пока ждал.", "Бариста не поздоровался."]


def _own_questions(survey) -> dict[str, Question]:
    questions = {}
    for position, (key, kind, ru, en, options) in enumerate(OWN_QUESTIONS):
        question = Question.objects.create(
            survey=survey, key=key, kind=kind, position=position, text_ru=ru, text_en=en
        )
        if kind in (QuestionKind.RATING_5, QuestionKind.RATING_11):
            question.low_label_ru, question.low_label_en = "Плохо", "Poor"
            question.high_label_ru, question.high_label_en = "Отлично", "Excellent"
            question.save()
        for index, (option, label_ru, label_en) in enumerate(options):
            QuestionChoice.objects.create(
                question=question, key=option, label_ru=label_ru, label_en=label_en, position=index
            )
        questions[key] = question
    key, ru, en = WHY_LOW
    questions[key] = Question.objects.create(
        survey=survey,
        key=key,
        kind=QuestionKind.LONG_TEXT,
        position=len(OWN_QUESTIONS),
        text_ru=ru,
        text_en=en,
        condition_key="nps",
        condition_values=list(range(7)),
    )
    return questions


def _answers(rng: random.Random, questions: dict, choices: dict, wave, response, ratings) -> list:
    """The own answers of one demo response (its recommend answer is already set)."""
    row = {"response": response, "wave": wave}
    answers = [
        QuestionAnswer(question=questions[key], number=value, **row)
        for key, value in ratings.items()
    ]
    branch = rng.choice(["centre", "station"])
    answers.append(
        QuestionAnswer(question=questions["branch"], choice=choices["branch"][branch], **row)
    )
    for option in rng.sample(["counter", "app", "phone"], k=rng.choice([1, 1, 2])):
        answers.append(
            QuestionAnswer(question=questions["ordered"], choice=choices["ordered"][option], **row)
        )
    answers.append(
        QuestionAnswer(question=questions["again"], number=int(response.nps >= 7), **row)
    )
    if response.nps <= 6 and rng.random() < 0.5:
        answers.append(QuestionAnswer(question=questions["why_low"], text=rng.choice(FIXES), **row))
    return answers


@transaction.atomic
def demo_surveys(*, company, manager) -> None:
    if Survey.objects.filter(company=company).exists():
        return
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    customers = survey_create(
        company=company,
        title="Гости кофейни",
        audience=Audience.CUSTOMER,
        blocks=["nps", "csat"],
        by=manager,
        intro="Спасибо, что зашли! Две минуты — и мы станем лучше.",
    )
    counter = channel_create(survey=customers, name="Касса")
    delivery = channel_create(survey=customers, name="Доставка")
    questions = _own_questions(customers)
    choices = {
        key: {choice.key: choice for choice in question.choices.all()}
        for key, question in questions.items()
    }
    waves = [  # dates, how fast service was (weights of 1–5), responses
        (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), [2, 3, 4, 3, 2], 70),
        (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31), [1, 1, 3, 5, 4], 90),
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31), [1, 2, 3, 4, 3], 12),
    ]
    for opens, closes, speed_weights, n in waves:
        wave = wave_create(survey=customers, opens_on=opens, closes_on=closes)
        responses, ratings = [], []
        for _ in range(n):
            rated = {
                "speed": rng.choices(range(1, 6), weights=speed_weights)[0],
                "staff": rng.choices(range(1, 6), weights=[1, 1, 3, 5, 4])[0],
                "taste": rng.choices(range(1, 6), weights=[1, 1, 2, 5, 6])[0],
                "price": rng.randint(2, 5),
            }
            drive = sum(weight * (rated[key] - 3) for key, weight in DRIVER_WEIGHTS.items())
            score = min(10, max(0, round(7 + drive + rng.gauss(0, 1.2))))
            responses.append(
                Response(
                    wave=wave,
                    channel=rng.choice([counter, delivery]),
                    submitted_on=opens + datetime.timedelta(days=rng.randrange(20)),
                    nps=score,
                    csat=min(5, max(1, round(score / 2))),
                    comment=rng.choice(COMMENTS),
                )
            )
            ratings.append(rated)
        Response.objects.bulk_create(responses)
        QuestionAnswer.objects.bulk_create(
            answer
            for response, rated in zip(responses, ratings, strict=True)
            for answer in _answers(rng, questions, choices, wave, response, rated)
        )
    staff = survey_create(
        company=company,
        title="Пульс команды",
        audience=Audience.EMPLOYEE,
        blocks=["employee"],
        by=manager,
        teams=["Зал", "Кухня"],
    )
    wave = wave_create(
        survey=staff, opens_on=datetime.date(2026, 9, 1), closes_on=datetime.date(2026, 9, 14)
    )
    Response.objects.bulk_create(
        Response(
            wave=wave,
            submitted_on=datetime.date(2026, 9, 5),
            enps=rng.choice([6, 8, 9, 10]),
            state_at_work=rng.randint(5, 9),
            process_ease=rng.randint(4, 9),
            team="Зал",
            comment=rng.choice(["Нужен второй кассир утром.", "", "Не хватает обучения."]),
        )
        for _ in range(7)
    )
