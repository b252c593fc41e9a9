"""A seeded corpus of Russian and English comments with planted themes, and its codebook."""

from __future__ import annotations

import random
from dataclasses import dataclass

from cxaudit.themes.codebook import ThemeSpec

# Theme key → (Russian sentences, English sentences): varied word forms on purpose.
SENTENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "waiting": (
        (
            "Долго ждал своей очереди.",
            "Ожидание заняло почти час.",
            "Ждали полчаса, не меньше.",
            "Огромная очередь на кассе.",
            "Пришлось ждать слишком долго.",
            "Время ожидания ужасное.",
            "Обслуживание медленное, простояли у стойки.",
        ),
        (
            "I waited for ages.",
            "The waiting time was far too long.",
            "There was a long queue.",
            "We had to wait forty minutes.",
            "Long queues at the counter.",
            "Waiting again, as always.",
            "Service was painfully slow.",
        ),
    ),
    "rude_staff": (
        (
            "Персонал грубый и невежливый.",
            "Кассир мне нагрубил.",
            "Грубое обращение сотрудников.",
            "Продавец хамил покупателям.",
            "Сотрудница была груба со мной.",
        ),
        (
            "The staff were rude.",
            "A rude cashier shouted at me.",
            "Very rude and unfriendly staff.",
            "The manager was rude to us.",
            "Rude behaviour from the waiter.",
        ),
    ),
    "polite_staff": (
        (
            "Вежливый и внимательный персонал.",
            "Сотрудники очень вежливые.",
            "Консультант вежливо всё объяснил.",
            "Приветливые и вежливые продавцы.",
        ),
        (
            "The staff were friendly and polite.",
            "A polite and helpful assistant.",
            "Friendly staff, always smiling.",
            "The waiter was very polite.",
        ),
    ),
    "price": (
        (
            "Цены слишком высокие.",
            "Всё очень дорого.",
            "Цена не соответствует качеству.",
            "Дорого для такого уровня.",
            "Подняли цены опять.",
        ),
        (
            "The prices are too high.",
            "Everything is so expensive.",
            "Overpriced and not worth the price.",
            "Prices went up again.",
            "Far too expensive for what you get.",
        ),
    ),
    "cleanliness": (
        (
            "В зале грязно.",
            "Грязные столы и пол.",
            "Чистота оставляет желать лучшего.",
            "Грязь в туалете.",
            "Никто не убирает, везде грязно.",
        ),
        (
            "The place was dirty.",
            "Dirty tables everywhere.",
            "Cleanliness was poor.",
            "The toilets were filthy and dirty.",
            "Nobody cleans, the floor is dirty.",
        ),
    ),
    "taste": (
        (
            "Еда невкусная.",
            "Вкус блюд отвратительный.",
            "Кофе совсем невкусный.",
            "Очень вкусная выпечка.",
            "Вкусно и свежо.",
        ),
        (
            "The food was tasteless.",
            "Great taste, very fresh.",
            "The coffee tasted awful.",
            "Delicious pastries.",
            "Bland taste, nothing special.",
        ),
    ),
    "delivery": (
        (
            "Доставка опоздала на час.",
            "Курьер задержал доставку.",
            "Заказ доставили с опозданием.",
            "Доставку перенесли дважды.",
            "Долгая доставка.",
        ),
        (
            "The delivery was late.",
            "The courier was an hour late with the delivery.",
            "Delivery took three days.",
            "My order was delivered late.",
            "Slow delivery again.",
        ),
    ),
    "app": (
        (
            "Приложение постоянно зависает.",
            "Сайт не работает.",
            "Приложение вылетает при оплате.",
            "Не могу войти в приложение.",
            "Ошибка на сайте при заказе.",
        ),
        (
            "The app keeps crashing.",
            "The website is down again.",
            "The app crashed at checkout.",
            "Cannot log in to the app.",
            "Error on the website when ordering.",
        ),
    ),
}

# Neutral filler: many combinations, so no filler word is as frequent as a theme's words.
FILLER_PARTS = (
    (
        ("Был", "Заходил", "Приезжал", "Побывал", "Зашёл", "Заглянул", "Ходил", "Пришёл"),
        (
            "в субботу",
            "утром",
            "вечером",
            "с семьёй",
            "с другом",
            "в обед",
            "после работы",
            "на выходных",
            "в понедельник",
            "с детьми",
            "в отпуске",
            "впервые",
        ),
    ),
    (
        (
            "Visited",
            "Stopped by",
            "Dropped in",
            "Came",
            "Went",
            "Popped in",
            "Called in",
            "Returned",
        ),
        (
            "on Saturday",
            "in the morning",
            "in the evening",
            "with family",
            "with a friend",
            "at lunchtime",
            "after work",
            "at the weekend",
            "on Monday",
            "with the kids",
            "on holiday",
            "for the first time",
        ),
    ),
)
NOISE = (("Цена меня не волнует.", "Спасибо."), ("The staff did not wait to greet us.", "Thanks."))


def _filler(rng: random.Random, lang: int) -> str:
    if rng.random() < 0.03:
        return rng.choice(NOISE[lang])
    verbs, tails = FILLER_PARTS[lang]
    return f"{rng.choice(verbs)} {rng.choice(tails)}."


# What a consultant would write: lemmas and short phrases, both languages.
CODEBOOK: tuple[ThemeSpec, ...] = (
    ThemeSpec("waiting", ("ждать", "ожидание", "очередь", "долго", "wait", "queue")),
    ThemeSpec("rude_staff", ("грубый", "нагрубить", "хамить", "груб", "rude", "unfriendly")),
    ThemeSpec("polite_staff", ("вежливый", "вежливо", "приветливый", "polite", "friendly staff")),
    ThemeSpec("price", ("цена", "дорого", "price", "expensive", "overpriced")),
    ThemeSpec(
        "cleanliness",
        (
            "грязно",
            "грязный",
            "грязь",
            "чистота",
            "dirty",
            "filthy",
            "cleanliness",
        ),
    ),
    ThemeSpec(
        "taste",
        (
            "вкус",
            "вкусный",
            "невкусный",
            "вкусно",
            "taste",
            "tasteless",
            "tasted",
            "delicious",
            "bland",
        ),
    ),
    ThemeSpec("delivery", ("доставка", "курьер", "доставить", "delivery", "delivered", "courier")),
    ThemeSpec("app", ("приложение", "сайт", "app", "website", "crash", "log in")),
)


@dataclass(frozen=True)
class Comment:
    text: str
    themes: frozenset[str]
    language: str


def corpus(n: int = 2000, seed: int = 16) -> list[Comment]:
    """``n`` comments, half Russian and half English; about 15% carry no theme."""
    rng = random.Random(seed)
    keys = sorted(SENTENCES)
    weights = [3, 2, 1, 2, 1, 1, 2, 2]  # waiting is the most common, as in real waves
    comments = []
    for _ in range(n):
        lang = rng.randrange(2)
        roll = rng.random()
        count = 0 if roll < 0.15 else (1 if roll < 0.8 else 2)
        themes: set[str] = set()
        while len(themes) < count:
            themes.add(rng.choices(keys, weights)[0])
        parts = [rng.choice(SENTENCES[key][lang]) for key in sorted(themes)]
        parts += [_filler(rng, lang) for _ in range(rng.randrange(0 if count else 1, 3))]
        rng.shuffle(parts)
        comments.append(Comment(" ".join(parts), frozenset(themes), ("ru", "en")[lang]))
    return comments
