"""Own questions on the results page: figures equal to counts made here from the rows
created, k hiding, versions and their series, the breakdown dimension and the one-group
filter, texts like comments, a query count that does not grow with the questions, and
both languages."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cxaudit import questions as rules
from cxaudit import stats
from surveys.models import Response
from surveys.selectors import survey_results
from tests.own_answers import answer_all, own_question
from tests.survey_factories import (
    ChannelFactory,
    SurveyFactory,
    SurveySettingsFactory,
    WaveFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def page(client, survey, language="en", **params):
    client.cookies["cxaudit_language"] = language
    return client.get(reverse("surveys:survey-results", args=[survey.pk]), params)


def squash(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def pct(count: int, n: int) -> str:
    return f"{stats.display(100 * count / n, 1)}%"


def respondents(wave, count, **fields):
    return Response.objects.bulk_create(
        [
            Response(wave=wave, submitted_on=wave.opens_on, nps=i % 11, **fields)
            for i in range(count)
        ]
    )


def result_of(context, question):
    return next(r for r in context["own_questions"] if r.question.pk == question.pk)


@pytest.fixture
def customers(company):
    return SurveyFactory(company=company, title="Гости", blocks=["nps"])


@pytest.fixture
def world(customers):
    """40 respondents of a closed wave answering a rating, a yes/no, a single and a
    multiple choice and a text, with values spread so each figure is checkable."""
    wave = WaveFactory(survey=customers, number=1, closed=True)
    rating = own_question(customers, "speed", rules.RATING_5, position=1)
    yes_no = own_question(customers, "again", rules.YES_NO, position=2)
    single = own_question(customers, "branch", rules.SINGLE, position=3, options=["north", "south"])
    multiple = own_question(
        customers, "liked", rules.MULTIPLE, position=4, options=["coffee", "cake", "music"]
    )
    text = own_question(customers, "wish", rules.LONG_TEXT, position=5)
    people = respondents(wave, 40)
    values = {
        "rating": [None if i % 8 == 0 else 1 + (i * 7) % 5 for i in range(40)],
        "yes_no": [None if i % 5 == 0 else int(i % 3 != 0) for i in range(40)],
        "single": [None if i % 10 == 9 else ("north" if i % 4 else "south") for i in range(40)],
        "multiple": [
            [key for j, key in enumerate(("coffee", "cake", "music")) if (i >> j) & 1] or None
            for i in range(40)
        ],
        "text": [f"wish {i}" if i % 4 == 0 else None for i in range(40)],
    }
    questions = {
        "rating": rating,
        "yes_no": yes_no,
        "single": single,
        "multiple": multiple,
        "text": text,
    }
    answer_all(
        [
            (person, questions[name], values[name][i])
            for name in questions
            for i, person in enumerate(people)
        ]
    )
    return {"wave": wave, "people": people, "values": values, **questions}


# --------------------------------------------------------------------------- figures


def test_figures_equal_counts_made_from_the_rows(customers, world):
    context = survey_results(survey=customers, can_manage=True)
    values = world["values"]
    ratings = [v for v in values["rating"] if v is not None]
    rating = result_of(context, world["rating"]).figure
    assert rating.shown and rating.n == len(ratings)
    assert rating.value == pct(sum(v >= 4 for v in ratings), len(ratings))
    assert rating.mean == f"{stats.display(sum(ratings) / len(ratings), 2)} / 5"
    assert rating.mean_margin  # n ≥ 30: the mean has its margin
    assert rating.interval.startswith("95% interval")
    yes = [v for v in values["yes_no"] if v is not None]
    yes_no = result_of(context, world["yes_no"]).figure
    assert (yes_no.n, yes_no.value) == (len(yes), pct(sum(yes), len(yes)))
    picked = [v for v in values["multiple"] if v]
    counted = Counter(key for keys in picked for key in keys)
    multiple = result_of(context, world["multiple"])
    assert multiple.multiple and multiple.figure.n == len(picked)
    assert [(label, share) for label, share, _i in multiple.figure.options] == [
        (f"Option {key}", pct(counted[key], len(picked))) for key in ("coffee", "cake", "music")
    ]
    texts = result_of(context, world["text"]).texts
    assert sorted(texts) == sorted(v for v in values["text"] if v)


def test_text_answers_keep_one_random_order_without_dates(customers, world):
    first = result_of(survey_results(survey=customers, can_manage=True), world["text"]).texts
    again = result_of(survey_results(survey=customers, can_manage=True), world["text"]).texts
    assert first == again
    rows = world["text"].answers.order_by("id").values_list("text", flat=True)
    assert first == list(rows)


def test_a2_hides_an_own_figure_below_k(company, client_for):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True, released=True)
    question = own_question(survey, "tools", rules.RATING_11)
    few = own_question(survey, "rare", rules.RATING_11, position=1)
    people = Response.objects.bulk_create(
        [Response(wave=wave, submitted_on=wave.opens_on, enps=8) for _ in range(6)]
    )
    answer_all([(p, question, 9) for p in people] + [(p, few, 2) for p in people[:4]])
    response = page(client_for("manager"), survey)
    assert result_of(response.context, question).figure.shown
    hidden = result_of(response.context, few).figure
    assert not hidden.shown and hidden.n == 0
    assert "Hidden: fewer than 5 responses" in squash(response)


def test_an_older_version_is_marked_and_is_its_own_series(customers):
    first = WaveFactory(survey=customers, number=1, closed=True)
    second = WaveFactory(survey=customers, number=2, closed=True)
    old = own_question(customers, "speed", rules.RATING_5, retired=timezone.now())
    new = own_question(customers, "speed", rules.RATING_5, version=2)
    answer_all(
        [(p, old, 5) for p in respondents(first, 6)]
        + [(p, old, 1) for p in respondents(second, 3)]
        + [(p, new, 4) for p in respondents(second, 4)]
    )
    context = survey_results(survey=customers, can_manage=True, wave_number=2)
    labels = [r.label for r in context["own_questions"]]
    assert labels == ["Question speed (v1)", "Question speed"]
    assert context["own_versions"]
    older, newer = context["own_questions"]
    assert [p.wave.number for p in older.trend] == [1, 2] and older.trend_svg
    assert [p.figure.n for p in older.trend] == [6, 3]
    assert [p.wave.number for p in newer.trend] == [2] and not newer.trend_svg


# --------------------------------------------------------------------------- dimensions


def test_breaking_down_by_an_own_question_replaces_the_channels(customers, world):
    ChannelFactory(survey=customers)
    single = world["single"]
    default = survey_results(survey=customers, can_manage=True)
    keys = [option.key for option in default["view"].options]
    assert keys == ["", f"q{world['yes_no'].pk}", f"q{single.pk}"]  # no rating, no multiple
    context = survey_results(survey=customers, can_manage=True, by=f"q{single.pk}")
    section = context["sections"][0]
    assert "channels" not in section
    rows = dict(section["question_groups"].rows)
    values = world["values"]
    for label, key in (("Option north", "north"), ("Option south", "south"), ("No answer", None)):
        group = [i for i, v in enumerate(values["single"]) if v == key]
        assert rows[label].n == len(group)
    rating = dict(result_of(context, world["rating"]).breakdown.rows)
    north = [values["rating"][i] for i, v in enumerate(values["single"]) if v == "north"]
    north = [v for v in north if v is not None]
    assert rating["Option north"].n == len(north)
    assert rating["Option north"].value == pct(sum(v >= 4 for v in north), len(north))


def test_showing_one_group_shows_its_figures_only(customers, world):
    yes_no = world["yes_no"]
    context = survey_results(
        survey=customers, can_manage=True, by=f"q{yes_no.pk}", only=str(rules.YES)
    )
    assert context["view"].only == str(rules.YES)
    values = world["values"]
    said_yes = [i for i, v in enumerate(values["yes_no"]) if v == rules.YES]
    nps = context["sections"][0]
    assert nps["figure"].n == len(said_yes)
    assert "trend" not in nps and "question_groups" not in nps
    ratings = [values["rating"][i] for i in said_yes if values["rating"][i] is not None]
    figure = result_of(context, world["rating"]).figure
    assert (figure.n, figure.value) == (
        len(ratings),
        pct(sum(v >= 4 for v in ratings), len(ratings)),
    )
    assert result_of(context, world["rating"]).breakdown is None


def test_an_unknown_dimension_or_group_falls_back_to_the_default(customers, world):
    context = survey_results(survey=customers, can_manage=True, by="q0", only="nonsense")
    assert context["view"].key == "" and context["view"].only == ""


@pytest.fixture
def staff_survey(company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    return SurveyFactory(company=company, employee=True, teams=["Sales", "Support"])


def test_a3_hides_the_next_smallest_group_of_an_own_question(staff_survey):
    """Office 9, remote 7, no answer 2 (k = 5): "no answer" is hidden, and so is remote."""
    wave = WaveFactory(survey=staff_survey, closed=True, released=True)
    place = own_question(staff_survey, "place", rules.SINGLE, options=["office", "remote"])
    wish = own_question(staff_survey, "wish", rules.SHORT_TEXT, position=1)
    people = Response.objects.bulk_create(
        [
            Response(wave=wave, submitted_on=wave.opens_on, team="Sales", enps=9, comment=f"c{i}")
            for i in range(18)
        ]
    )
    groups = ["office"] * 9 + ["remote"] * 7 + [None] * 2
    answer_all(
        [(p, place, g) for p, g in zip(people, groups, strict=True)]
        + [(p, wish, f"w{i}") for i, p in enumerate(people)]
    )
    context = survey_results(survey=staff_survey, can_manage=False, by=f"q{place.pk}")
    rows = dict(context["sections"][0]["question_groups"].rows)
    assert rows["Option office"].shown
    assert not rows["Option remote"].shown and not rows["No answer"].shown
    office = str(place.choices.get(key="office").pk)
    assert [key for key, _label in context["view"].filters] == [office]
    assert (
        survey_results(survey=staff_survey, can_manage=False, by=f"q{place.pk}", only="-")[
            "view"
        ].only
        == ""
    )
    # Comments and texts of the hidden groups never appear, in any view.
    shown = {row["comment"] for row in context["comments"]}
    texts = set(result_of(context, wish).texts)
    assert shown == {f"c{i}" for i in range(9)} and texts == {f"w{i}" for i in range(9)}
    default = survey_results(survey=staff_survey, can_manage=False)
    assert {row["comment"] for row in default["comments"]} == shown
    assert set(result_of(default, wish).texts) == texts


def test_employee_texts_wait_for_the_consultant(staff_survey):
    wave = WaveFactory(survey=staff_survey, closed=True)
    wish = own_question(staff_survey, "wish", rules.SHORT_TEXT)
    people = respondents(wave, 6, team="Sales", enps=9)
    answer_all([(p, wish, "secret wish") for p in people])
    held = survey_results(survey=staff_survey, can_manage=False)
    assert not held["texts_readable"] and result_of(held, wish).texts == []
    moderator = survey_results(survey=staff_survey, can_manage=False, moderator=True)
    assert result_of(moderator, wish).texts == ["secret wish"] * 6


# --------------------------------------------------------------------------- the page


def _world_with_questions(survey, count):
    wave = WaveFactory(survey=survey, number=1, closed=True)
    kinds = [rules.RATING_5, rules.YES_NO, rules.SINGLE, rules.MULTIPLE, rules.SHORT_TEXT]
    questions = [
        own_question(survey, f"q{i}", kinds[i % 5], position=i, options=["a", "b"])
        for i in range(count)
    ]
    sample = {
        rules.RATING_5: 4,
        rules.YES_NO: 1,
        rules.SINGLE: "a",
        rules.MULTIPLE: ["a", "b"],
        rules.SHORT_TEXT: "fine",
    }
    answer_all([(p, q, sample[q.kind]) for p in respondents(wave, 12) for q in questions])


@pytest.mark.parametrize("by_question", [False, True])
def test_page_queries_do_not_grow_with_the_number_of_questions(client_for, company, by_question):
    counted = []
    for count in (10, 20):  # both with two or more ratings: the key-driver read on both
        survey = SurveyFactory(company=company, blocks=["nps", "csat"])
        ChannelFactory(survey=survey)
        _world_with_questions(survey, count)
        params = {}
        if by_question:
            grouping = survey.questions.get(key="q2")  # a single choice
            params = {"by": f"q{grouping.pk}"}
        client = client_for("manager")
        page(client, survey, **params)  # the first read asks for the key-driver analysis
        with CaptureQueriesContext(connection) as queries:
            response = page(client, survey, **params)
        assert response.status_code == 200
        assert len(response.context["own_questions"]) == count
        counted.append(len(queries))
    assert counted[0] == counted[1], counted
    # session, survey, waves, aggregate, own questions (16-17), the key-driver read (3),
    # and the codebook's themes (1): own text answers have themes, even in a wave
    # without built-in comments (issue 16)
    assert counted[1] <= 21


@pytest.mark.parametrize(
    ("language", "heading", "share", "dimension"),
    [
        ("en", "Own questions", "75.0%", "Break down by"),
        ("ru", "Свои вопросы", "75,0%", "Разбить по"),
    ],
)
def test_the_page_reads_in_both_languages(
    client_for, customers, language, heading, share, dimension
):
    wave = WaveFactory(survey=customers, closed=True)
    again = own_question(customers, "again", rules.YES_NO)
    answer_all([(p, again, int(i % 4 != 0)) for i, p in enumerate(respondents(wave, 8))])
    text = squash(page(client_for("manager"), customers, language))
    assert heading in text and share in text and dimension in text
    assert ("Вопрос again" if language == "ru" else "Question again") in text
