"""Demo surveys for `make run`: customer NPS + CSAT in two closed waves and an open one,
and an employee survey with one closed wave."""

import datetime
import random

from django.db import transaction

from .models import Audience, Response, Survey
from .services import channel_create, survey_create, wave_create

COMMENTS = [
    "Вкусный кофе, но утром очередь.",
    "Бариста помнит мой заказ — приятно.",
    "Долго ждал ответа в чате.",
    "",
    "",
    "Хочу предзаказ через приложение.",
]


def _scores(rng: random.Random, n: int, weights: list[int], values: list[int]) -> list[int]:
    return rng.choices(values, weights=weights, k=n)


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
    waves = [
        (datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), [4, 6, 10], 70),
        (datetime.date(2026, 8, 1), datetime.date(2026, 8, 31), [2, 5, 13], 90),
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31), [3, 5, 12], 12),
    ]
    for opens, closes, weights, n in waves:
        wave = wave_create(survey=customers, opens_on=opens, closes_on=closes)
        nps = [
            rng.choice(group)
            for group in rng.choices([[0, 3, 5, 6], [7, 8], [9, 10]], weights=weights, k=n)
        ]
        Response.objects.bulk_create(
            Response(
                wave=wave,
                channel=rng.choice([counter, delivery]),
                submitted_on=opens + datetime.timedelta(days=rng.randrange(20)),
                nps=score,
                csat=min(5, max(1, round(score / 2))),
                comment=rng.choice(COMMENTS),
            )
            for score in nps
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
