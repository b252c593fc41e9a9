"""Data for the key-driver tests: own rating questions and a wave of generated answers with
KNOWN drivers, and an independent computation of the Shapley shares (refitting statsmodels
OLS for every order of adding the ratings)."""

import itertools

import numpy as np
import statsmodels.api as sm

from surveys import services
from surveys.models import Question, QuestionAnswer, Response

SPEED = ("Как быстро мы ответили?", "How quickly did we reply?")
POLITE = ("Насколько вежливо с вами говорили?", "How polite were we?")
PRICE = ("Насколько цена соответствует качеству?", "How fair is the price?")


def own_rating(survey, key, texts, *, kind="rating5", position=0):
    return Question.objects.create(
        survey=survey, key=key, kind=kind, text_ru=texts[0], text_en=texts[1], position=position
    )


def known_drivers(wave, questions, n, *, seed=15, skip=0.03):
    """NPS = 3·speed + 1·polite + noise (price irrelevant); a few ratings skipped. Speed and
    price score low, polite high: speed is the driver to fix first."""
    rng = np.random.default_rng(seed)
    speed = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.2, 0.3, 0.3, 0.15, 0.05])
    polite = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.02, 0.05, 0.13, 0.4, 0.4])
    price = rng.integers(0, 11, size=n)
    raw = 3 * (speed - 3) + 1 * (polite - 3) + rng.normal(0, 2, n) + 6
    nps = np.clip(np.round(raw), 0, 10).astype(int)
    responses = Response.objects.bulk_create(
        [Response(wave=wave, submitted_on=wave.opens_on, nps=int(v)) for v in nps]
    )
    rows = []
    for column, question in zip((speed, polite, price), questions, strict=True):
        for response, value in zip(responses, column, strict=True):
            if rng.random() >= skip:
                rows.append(
                    QuestionAnswer(
                        response=response, wave=wave, question=question, number=int(value)
                    )
                )
    QuestionAnswer.objects.bulk_create(rows, batch_size=2000)
    return responses


def complete_rows(wave, questions):
    """The complete cases, read without the code under test: NPS then each rating."""
    nps = dict(Response.objects.filter(wave=wave).values_list("id", "nps"))
    answers = {}
    for response_id, question_id, number in QuestionAnswer.objects.filter(wave=wave).values_list(
        "response_id", "question_id", "number"
    ):
        answers[(response_id, question_id)] = number
    rows = []
    for response_id, score in nps.items():
        values = [answers.get((response_id, q.pk)) for q in questions]
        if score is not None and None not in values:
            rows.append([score, *values])
    return np.array(rows, dtype=float)


def shapley_by_refitting(x, y):
    """Shapley values of R² over every order of adding the columns, refitting with OLS."""
    k = x.shape[1]

    def r2(columns):
        if not columns:
            return 0.0
        design = sm.add_constant(x[:, sorted(columns)], has_constant="add")
        return float(sm.OLS(y, design).fit().rsquared)

    values = np.zeros(k)
    orders = list(itertools.permutations(range(k)))
    for order in orders:
        for position, j in enumerate(order):
            values[j] += r2(order[: position + 1]) - r2(order[:position])
    return values / len(orders)


def analyse(wave, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        analysis = services.driver_analysis_request(wave=wave)
    analysis.refresh_from_db()
    return analysis


def page(client, survey, language):
    from django.urls import reverse

    client.cookies["cxaudit_language"] = language
    return client.get(reverse("surveys:survey-results", args=[survey.pk]))
