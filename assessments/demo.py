"""Demo audits for `make run`: two rounds of a full CX audit with answers and a journey map."""

import datetime
import random

from django.db import transaction

from .models import Audit, ParticipantKind, Touchpoint
from .services import audits as services
from .services.answers import answer_save

CANVAS = {
    "mission": "Делаем утро гостей спокойным: хороший кофе без очереди и суеты.",
    "desired-feeling": "Меня здесь помнят, мне рады и не заставляют ждать.",
    "principles": "Называем гостя по имени; обещаем срок и укладываемся; решаем на месте.",
    "in-practice": "Бариста может заменить напиток без согласования; заказ — не дольше 4 минут.",
}
TOUCHPOINTS = [
    ("awareness", "Карточка в картах", "Яндекс Карты", "Маркетолог", 4, "", ""),
    (
        "purchase",
        "Очередь у кассы утром",
        "Кофейня",
        "Старший бариста",
        2,
        "В 8:30 очередь до 10 минут",
        "Предзаказ в приложении и второй кассир в час пик",
    ),
    (
        "support",
        "Жалоба в чате",
        "Telegram",
        "Управляющий",
        3,
        "Ответ через несколько часов",
        "Дежурный в чате с 8 до 20",
    ),
]


def _answer_everything(audit: Audit, participant, rng: random.Random, bias: float) -> None:
    for audit_instrument in audit.instruments.select_related("version"):
        parsed = audit_instrument.version.parsed
        for section, item in parsed.items():
            if item.scale == "text":
                text = CANVAS.get(item.key, "")
                if text:
                    answer_save(
                        participant=participant,
                        audit_instrument=audit_instrument,
                        item_key=item.key,
                        text=text,
                    )
                continue
            if not item.is_scored:
                continue
            low, high = item.raw_range
            value = round(low + (high - low) * min(1.0, max(0.0, rng.random() * 0.9 + bias)))
            answer_save(
                participant=participant,
                audit_instrument=audit_instrument,
                item_key=item.key,
                value=value,
                comment="Проверено по записям звонков." if section.key == "measurement" else "",
            )


@transaction.atomic
def demo_audits(*, company, consultant, staff) -> Audit | None:
    if Audit.objects.filter(company=company).exists():
        return None
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    first = services.audit_create(
        company=company,
        by=consultant,
        by_role="consultant",
        title="Аудит сервиса",
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        instrument_keys=["full-cx-audit"],
        template_key="full-cx-audit",
    )
    _answer_everything(first, first.participants.get(kind=ParticipantKind.ASSESSOR), rng, -0.2)
    services.audit_close(audit=first, by=consultant)
    second = services.next_round_start(
        audit=first,
        by=consultant,
        by_role="consultant",
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 9, 30),
    )
    _answer_everything(second, second.participants.get(kind=ParticipantKind.ASSESSOR), rng, 0.15)
    services.participants_add(
        audit=second, users=staff, by=consultant, by_role="consultant", language="ru"
    )
    golding = second.instruments.get(version__instrument__key="golding-cx-framework")
    for participant in second.participants.filter(kind=ParticipantKind.STAFF):
        for _section, item in golding.version.parsed.items():
            answer_save(
                participant=participant, audit_instrument=golding, item_key=item.key, value=1
            )
    for position, (stage, name, channel, owner, emotion, pain, idea) in enumerate(TOUCHPOINTS):
        Touchpoint.objects.create(
            audit=second,
            stage_key=stage,
            position=position,
            name=name,
            channel=channel,
            owner_name=owner,
            emotion=emotion,
            pain_point=pain,
            improvement=idea,
        )
    return second
