"""Issue 15: respondents answer the consultant's own questions; the export and the import
carry them by question key."""

import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from cxaudit import tabular
from surveys import selectors, services
from surveys.models import (
    InvitationUse,
    Question,
    QuestionAnswer,
    QuestionChoice,
    Response,
    Submission,
)
from tests.survey_factories import (
    SurveyFactory,
    WaveFactory,
    WaveInvitationFactory,
    form_token,
    respond_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """A browser asking for English (the site's default language is Russian)."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture(autouse=True)
def _fresh_caches():
    selectors.wave_cache_clear()
    with translation.override("en"):
        yield
    selectors.wave_cache_clear()


def question(survey, key, kind, *, position=0, options=(), **fields):
    fields.setdefault("text_ru", f"Вопрос {key}")
    fields.setdefault("text_en", f"Question {key}")
    made = Question.objects.create(survey=survey, key=key, kind=kind, position=position, **fields)
    for number, option in enumerate(options):
        QuestionChoice.objects.create(
            question=made,
            key=option,
            label_ru=f"Вариант {option}",
            label_en=f"Option {option}",
            position=number,
        )
    return made


@pytest.fixture
def survey(company):
    return SurveyFactory(company=company, blocks=["nps"])


@pytest.fixture
def wave(survey):
    return WaveFactory(survey=survey, number=1)


@pytest.fixture
def asked(survey):
    """One question of each kind, with a condition on the built-in NPS and one on an own
    question."""
    return {
        "speed": question(
            survey,
            "speed",
            "rating5",
            position=1,
            required=True,
            low_label_en="Slow",
            high_label_en="Fast",
            low_label_ru="Медленно",
            high_label_ru="Быстро",
        ),
        "effort": question(survey, "effort", "rating11", position=2),
        "again": question(survey, "again", "yesno", position=3),
        "branch": question(survey, "branch", "single", position=4, options=("north", "south")),
        "liked": question(
            survey, "liked", "multiple", position=5, options=("coffee", "cake", "music")
        ),
        "why_low": question(
            survey,
            "why_low",
            "short",
            position=6,
            required=True,
            condition_key="nps",
            condition_values=[0, 1, 2, 3, 4, 5, 6],
        ),
        "south_note": question(
            survey,
            "south_note",
            "long",
            position=7,
            condition_key="branch",
            condition_values=["south"],
        ),
    }


def post(client, wave, data, token=None):
    url = respond_url(wave)
    token = token or form_token(client, url)
    return client.post(url, {"submission_token": token, **data}), token


def stored(question_row):
    rows = QuestionAnswer.objects.filter(question=question_row)
    return sorted((row.number, row.choice.key if row.choice_id else None, row.text) for row in rows)


# --------------------------------------------------------------------------- the page


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_kind_is_rendered_in_the_respondents_language(client, wave, asked, language):
    with translation.override(language):
        page = client.get(respond_url(wave), HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert page.status_code == 200
    word = "Question" if language == "en" else "Вопрос"
    for key in asked:
        assert f"{word} {key}" in html
    assert ("Slow" if language == "en" else "Медленно") in html
    assert ("Option south" if language == "en" else "Вариант south") in html
    form = page.context["form"]
    assert [int(v) for v, _l in form.fields["q_speed"].choices] == [1, 2, 3, 4, 5]
    assert [int(v) for v, _l in form.fields["q_effort"].choices] == list(range(11))
    assert len(re.findall(r'type="radio"[^>]*name="q_again" value="[01]"', html)) == 2
    assert len(re.findall(r'type="radio"[^>]*name="q_branch"', html)) == 2
    assert len(re.findall(r'type="checkbox"[^>]*name="q_liked"', html)) == 3
    assert '<input type="text" name="q_why_low"' in html
    assert '<textarea name="q_south_note"' in html
    assert "maxlength" not in html  # browsers would cut pasted text without a word
    # Conditions travel to the script; required questions are marked.
    assert 'data-condition-on="nps"' in html and 'data-condition-on="branch"' in html
    assert "&quot;south&quot;" in html
    assert html.count('class="asteriskField"') >= 2
    # Radio groups are fieldsets with a legend.
    assert html.count("<legend") >= 5


def test_english_text_falls_back_to_russian(client, wave, survey):
    question(survey, "only_ru", "short", text_en="", text_ru="Только по-русски")
    html = client.get(respond_url(wave), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Только по-русски" in html


def test_one_per_screen_marks_the_form(client, wave, survey, asked):
    assert "data-one-per-screen" not in client.get(respond_url(wave)).content.decode()
    survey.one_per_screen = True
    survey.save()
    selectors.wave_cache_clear()
    html = client.get(respond_url(wave), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-one-per-screen" in html and 'data-next="Next"' in html
    with translation.override("ru"):
        html = client.get(respond_url(wave), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'data-next="Далее"' in html and 'data-progress="Вопрос {n} из {total}"' in html


# --------------------------------------------------------------------------- the submit


def test_answers_of_every_kind_are_stored_with_the_responses_wave(client, wave, asked):
    response, _token = post(
        client,
        wave,
        {
            "nps": 3,
            "q_speed": "4",
            "q_effort": "0",
            "q_again": "0",
            "q_branch": "south",
            "q_liked": ["cake", "coffee"],
            "q_why_low": "  Slow queue ",
            "q_south_note": "Cold =SUM(A1)",
        },
    )
    assert response.status_code == 302
    answer = Response.objects.get()
    assert stored(asked["speed"]) == [(4, None, "")]
    assert stored(asked["effort"]) == [(0, None, "")]
    assert stored(asked["again"]) == [(0, None, "")]
    assert stored(asked["branch"]) == [(None, "south", "")]
    assert stored(asked["liked"]) == [(None, "cake", ""), (None, "coffee", "")]
    assert stored(asked["why_low"]) == [(None, None, "Slow queue")]
    assert stored(asked["south_note"]) == [(None, None, "Cold =SUM(A1)")]
    rows = QuestionAnswer.objects.all()
    assert {row.response_id for row in rows} == {answer.pk}
    assert {row.wave_id for row in rows} == {wave.pk}


def test_answer_rows_have_random_ids(client, wave, asked):
    post(client, wave, {"nps": 9, "q_speed": "5", "q_liked": ["cake", "music"]})
    ids = list(QuestionAnswer.objects.values_list("pk", flat=True))
    assert len(ids) == 3
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in ids)
    assert QuestionAnswer._meta.pk.get_internal_type() == "UUIDField"


def test_a_required_question_left_empty_keeps_everything_typed(client, wave, asked):
    response, _token = post(
        client, wave, {"nps": 9, "q_branch": "north", "q_south_note": "", "q_effort": "7"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "Please answer this question." in form.errors["q_speed"][0]
    html = response.content.decode()
    assert 'value="north"' in html and "checked" in html
    assert form["q_effort"].value() == "7"
    assert not Response.objects.exists() and not QuestionAnswer.objects.exists()
    assert not Submission.objects.exists()


def test_messages_are_in_the_respondents_language(client, wave, asked):
    url = respond_url(wave)
    token = form_token(client, url)
    with translation.override("ru"):
        response = client.post(
            url, {"submission_token": token, "nps": 9}, HTTP_ACCEPT_LANGUAGE="ru"
        )
    assert "Пожалуйста, ответьте на этот вопрос." in response.content.decode()


def test_a_refused_answer_gets_a_message_next_to_its_question(client, wave, asked):
    long = "x" * 201
    response, _token = post(client, wave, {"nps": 2, "q_speed": "9", "q_why_low": long})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "from 1 to 5" in errors["q_speed"][0]
    assert "at most 200 characters (it has 201)" in errors["q_why_low"][0]

    assert long in response.content.decode()  # kept, to shorten
    assert not Response.objects.exists()


def test_a_hidden_questions_answer_is_dropped(client, wave, asked):
    """NPS 9: "why so low?" is not shown, so what was sent for it is not stored; branch
    north: the south note is dropped too, even an invalid one."""
    response, _token = post(
        client,
        wave,
        {
            "nps": 9,
            "q_speed": "3",
            "q_branch": "north",
            "q_why_low": "sneaked in",
            "q_south_note": "y" * 2000,
        },
    )
    assert response.status_code == 302
    assert stored(asked["why_low"]) == [] and stored(asked["south_note"]) == []
    assert stored(asked["branch"]) == [(None, "north", "")]


def test_a_required_question_whose_condition_is_unmet_is_not_required(client, wave, asked):
    response, _token = post(client, wave, {"nps": 10, "q_speed": "5"})
    assert response.status_code == 302
    response, _token = post(client, wave, {"nps": 4, "q_speed": "5"})
    assert response.status_code == 400
    assert "q_why_low" in response.context["form"].errors


def test_the_same_token_twice_stores_one_response_and_one_set_of_answers(client, wave, asked):
    data = {"nps": 9, "q_speed": "4", "q_liked": ["cake", "music"]}
    first, token = post(client, wave, data)
    again, _token = post(client, wave, data, token=token)
    assert first.status_code == again.status_code == 302
    assert again.url.endswith("?again=1")
    assert Response.objects.count() == 1 and Submission.objects.count() == 1
    assert QuestionAnswer.objects.count() == 3


def test_the_service_stores_answers_once_per_token(wave, asked):
    questions = selectors.respond_questions(wave.survey_id)
    own = {"speed": 2, "liked": ["music"]}
    kwargs = {"wave": wave, "answers": {"nps": 9}, "questions": questions, "own": own}
    assert services.response_submit(submission_token="t" * 24, **kwargs)
    assert not services.response_submit(submission_token="t" * 24, **kwargs)
    assert QuestionAnswer.objects.count() == 2


def test_the_service_refuses_before_storing_anything(wave, asked):
    questions = selectors.respond_questions(wave.survey_id)
    with pytest.raises(services.AnswersInvalid) as refused:
        services.response_submit(
            wave=wave,
            submission_token="r" * 24,
            answers={"nps": 9},
            questions=questions,
            own={"speed": 3, "branch": "west"},
        )
    assert set(refused.value.errors) == {"branch"}
    assert not Response.objects.exists() and not Submission.objects.exists()


def test_a_question_removed_meanwhile_stores_nothing_and_asks_again(wave, survey, asked):
    questions = selectors.respond_questions(wave.survey_id)
    extra = question(survey, "late", "rating5", position=9)
    stale = (*questions, selectors.respond_questions_uncached(survey.pk)[-1])
    extra.delete()
    with pytest.raises(services.QuestionsChanged):
        services.response_submit(
            wave=wave,
            submission_token="q" * 24,
            answers={"nps": 9},
            questions=stale,
            own={"speed": 3, "late": 4},
        )
    assert not Response.objects.exists() and not Submission.objects.exists()


def test_submit_without_own_questions_runs_the_same_queries(client, wave):
    """The hot path of a survey without own questions: token, response, nothing more (the
    query list of test_surveys_submit_path, with the question lookup cached)."""
    url = respond_url(wave)
    token = form_token(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"submission_token": token, "nps": 9})
    assert response.status_code == 302
    inner = [q["sql"].split(" (")[0].split(" WHERE")[0] for q in queries][1:-1]
    assert inner[0].startswith('SELECT "surveys_wave"."id"')
    assert inner[1:] == ['INSERT INTO "surveys_submission"', 'INSERT INTO "surveys_response"']


def test_submit_with_own_questions_has_a_bounded_number_of_queries(client, wave, survey, asked):
    for number in range(20):
        question(survey, f"extra_{number}", "multiple", position=20 + number, options=("a", "b"))
    data = {"nps": 3, "q_speed": "4", "q_branch": "south", "q_why_low": "x", "q_liked": "cake"}
    data.update({f"q_extra_{number}": ["a", "b"] for number in range(20)})
    url = respond_url(wave)
    token = form_token(client, url)  # warms the wave and the questions
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"submission_token": token, **data})
    assert response.status_code == 302
    assert QuestionAnswer.objects.count() == 4 + 40
    sql = [q["sql"] for q in queries]
    # SAVEPOINT, wave, questions, options, token, response, one bulk insert, RELEASE
    assert len(sql) == 8, sql
    assert sum('INSERT INTO "surveys_questionanswer"' in s for s in sql) == 1


# --------------------------------------------------------------------------- the export


def give(wave, *, count=1, own=(), **fields):
    """``count`` responses with the built-in ``fields`` and own answers ``own``: pairs of
    a question and a value (a number, an option key, a tuple of keys or a text)."""
    made = Response.objects.bulk_create(
        [Response(wave=wave, submitted_on=wave.opens_on, **fields) for _n in range(count)]
    )
    rows = []
    for response in made:
        for asked_question, value in own:
            values = value if isinstance(value, tuple) else (value,)
            for one in values:
                if asked_question.kind in ("single", "multiple"):
                    choice = asked_question.choices.get(key=one)
                    rows.append(
                        QuestionAnswer(
                            response=response, wave=wave, question=asked_question, choice=choice
                        )
                    )
                elif isinstance(one, int):
                    rows.append(
                        QuestionAnswer(
                            response=response, wave=wave, question=asked_question, number=one
                        )
                    )
                else:
                    rows.append(
                        QuestionAnswer(
                            response=response, wave=wave, question=asked_question, text=one
                        )
                    )
    QuestionAnswer.objects.bulk_create(rows)
    return made


def table(wave):
    header, rows = selectors.wave_export(wave=wave)
    return [dict(zip(header, row, strict=True)) for row in rows], header


def test_export_has_a_column_per_own_question_named_by_its_key(wave, asked):
    give(
        wave,
        nps=3,
        own=[
            (asked["speed"], 4),
            (asked["again"], 1),
            (asked["branch"], "south"),
            (asked["liked"], ("music", "coffee")),
            (asked["why_low"], '=HYPERLINK("http://evil.example")'),
        ],
    )
    rows, header = table(wave)
    assert header[-7:] == list(asked)
    row = rows[0]
    assert row["speed"] == 4 and row["effort"] == "" and row["again"] == "yes"
    assert row["branch"] == "south" and row["liked"] == "coffee;music"
    content = tabular.csv_bytes(*selectors.wave_export(wave=wave)).decode("utf-8-sig")
    cells = [cell for line in csv.reader(io.StringIO(content), delimiter=";") for cell in line]
    assert '\'=HYPERLINK("http://evil.example")' in cells
    assert not any(cell.startswith("=") for cell in cells)


def test_export_names_older_versions_apart(wave, survey):
    old = question(survey, "mood", "rating5", version=1)
    give(wave, own=[(old, 2)])
    Question.objects.filter(pk=old.pk).update(retired_at=timezone.now())
    new = question(survey, "mood", "yesno", version=2)
    give(wave, own=[(new, 1)])
    rows, header = table(wave)
    assert header[-2:] == ["mood", "mood.v1"]
    assert sorted((r["mood"], str(r["mood.v1"])) for r in rows) == [("", "2"), ("yes", "")]


@pytest.fixture
def employees(company):
    """The METHODOLOGY §5 example: k = 5; Sales 9, Support 7, Warehouse 4, closed."""
    survey = SurveyFactory(company=company, employee=True, teams=["Sales", "Support", "Warehouse"])
    wave = WaveFactory(survey=survey, number=1, closed=True, released=True)
    return survey, wave


def test_a_subtraction_attack_learns_nothing_of_a_hidden_group(employees):
    """The page hides Warehouse (4 < 5) and, by A3, Support. An own question answered by 5
    of Sales, 1 of Support and 2 of Warehouse: with only those hidden, the file's pool would
    hold 3 answers, and "the page's total (8) minus the file's visible Sales rows (5)" would
    be the answers of 3 named-by-elimination people. The own question's breakdown (A2, A3
    on who answered it) hides Sales too, so nothing visible remains to subtract."""
    survey, wave = employees
    rating = question(survey, "rating", "rating11")
    note = question(survey, "note", "long")
    give(wave, count=5, team="Sales", enps=9, own=[(rating, 8)])
    give(wave, count=4, team="Sales", enps=9)
    give(wave, count=6, team="Support", enps=8)
    give(wave, count=1, team="Support", enps=7, own=[(rating, 3)])
    give(wave, count=2, team="Warehouse", enps=2, own=[(rating, 1), (note, "only me")])
    give(wave, count=2, team="Warehouse", enps=2)
    rows, _header = table(wave)
    marker = "[hidden group]"
    assert not any(row["team"] == "Warehouse" for row in rows)
    assert not any(row["note"] for row in rows)  # texts of hidden groups never leave
    answered = [row for row in rows if row["rating"]]
    assert len(answered) == 8  # what the page shows as n
    pool = [row for row in answered if row["team"] == marker]
    assert len(pool) == 0 or len(pool) >= 5
    # Per visible team, the file's answers are at least k, or none.
    for team in {row["team"] for row in answered} - {marker}:
        assert sum(1 for row in answered if row["team"] == team) >= 5


def test_a_page_breakdown_minus_the_file_learns_nothing_of_a_hidden_team(employees):
    """The attack: the results page, broken down by "in management?", shows the six
    managers' eNPS (6 >= k). Had the file written the five Sales managers' rows with their
    answer, "page minus file" would be the one Support manager's eNPS. Answers that
    describe the respondent never leave an anonymous wave's file, so the file names no
    manager: nothing to subtract."""
    survey, wave = employees
    boss = question(survey, "boss", "yesno")
    branch = question(survey, "branch", "single", options=["north", "south"])
    rating = question(survey, "rating", "rating5")
    give(wave, count=5, team="Sales", enps=9, own=[(boss, 1), (branch, "north"), (rating, 4)])
    give(wave, count=5, team="Sales", enps=9, own=[(boss, 0), (branch, "south"), (rating, 4)])
    give(wave, count=1, team="Support", enps=0, own=[(boss, 1), (branch, "north"), (rating, 1)])
    give(wave, count=9, team="Support", enps=9, own=[(boss, 0), (branch, "south"), (rating, 5)])
    rows, header = table(wave)
    assert "boss" not in header and "branch" not in header
    assert "rating" in header
    flat = {str(cell) for row in rows for cell in row.values()}
    assert not {"yes", "no", "north", "south"} & flat


def test_a_non_anonymous_survey_exports_every_answer(wave, asked):
    give(wave, nps=9, own=[(asked["again"], 0), (asked["branch"], "north")])
    rows, header = table(wave)
    assert {"again", "branch"} <= set(header)
    assert rows[0]["again"] == "no" and rows[0]["branch"] == "north"


def test_own_texts_follow_the_comment_rules(employees):
    survey, wave = employees
    Wave = type(wave)
    note = question(survey, "note", "short")
    give(wave, count=9, team="Sales", enps=9, own=[(note, "fine")])
    give(wave, count=8, team="Support", enps=8, own=[(note, "ok")])
    hidden = give(wave, count=1, team="Support", enps=8, comment="x", own=[(note, "mine")])
    Response.objects.filter(pk=hidden[0].pk).update(comment_hidden=True)
    rows, _header = table(wave)
    assert sorted(row["note"] for row in rows).count("fine") == 9
    assert "mine" not in {row["note"] for row in rows}
    Wave.objects.filter(pk=wave.pk).update(comments_released_at=None)
    wave.refresh_from_db()
    rows, _header = table(wave)
    assert selectors.comments_held(wave)  # a consultancy's client: the consultant reads first
    assert not any(row["note"] for row in rows)


# --------------------------------------------------------------------------- the import


def answers_of(wave):
    """Each response's own answers as (key, value) pairs, comparable across waves."""
    found = {}
    for row in QuestionAnswer.objects.filter(wave=wave).select_related("question", "choice"):
        value = (
            row.choice.key if row.choice_id else row.number if row.number is not None else row.text
        )
        found.setdefault(row.response_id, []).append((row.question.key, value))
    return sorted(tuple(sorted(pairs)) for pairs in found.values())


def test_export_then_import_into_another_wave_gives_the_same_answers(survey, wave, asked):
    give(
        wave,
        nps=2,
        own=[
            (asked["speed"], 1),
            (asked["effort"], 10),
            (asked["again"], 0),
            (asked["branch"], "south"),
            (asked["liked"], ("coffee", "music")),
            (asked["why_low"], "Очередь; долго"),
            (asked["south_note"], "Холодно,\nи шумно"),
        ],
    )
    give(wave, nps=10, own=[(asked["speed"], 5), (asked["again"], 1), (asked["liked"], "cake")])
    data = tabular.csv_bytes(*selectors.wave_export(wave=wave))
    Wave = type(wave)
    Wave.objects.filter(pk=wave.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    other = WaveFactory(
        survey=survey,
        number=2,
        opens_on=wave.opens_on,
        closes_on=timezone.localdate() + timedelta(days=7),
    )
    parsed = services.wave_import_check(wave=other, data=data)
    assert parsed.ok, parsed.errors
    assert services.wave_import(wave=other, data=data) == 2
    assert answers_of(other) == answers_of(wave)
    assert set(
        QuestionAnswer.objects.filter(wave=other).values_list("response__wave", flat=True)
    ) == {other.pk}


def test_import_drops_answers_whose_condition_is_unmet(survey, wave, asked):
    data = "date;nps;speed;why_low;branch;south_note\n" + f"{wave.opens_on};9;3;sneaked;north;x\n"
    assert services.wave_import(wave=wave, data=data.encode()) == 1
    assert stored(asked["why_low"]) == [] and stored(asked["south_note"]) == []
    assert stored(asked["speed"]) == [(3, None, "")]


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("speed", "6", "Row 3, column “speed”: “6” is not a whole number from 1 to 5."),
        ("speed", "fast", "Row 3, column “speed”: “fast” is not a whole number from 1 to 5."),
        ("again", "maybe", "Row 3, column “again”: “maybe” is not yes or no."),
        ("branch", "west", "Row 3, column “branch”: “west” is not one of the answers"),
        ("liked", "cake;tea", "Row 3, column “liked”: “cake;tea” is not one of the answers"),
        ("south_note", "x" * 1001, "the text has 1001 characters, at most 1000."),
    ],
)
def test_a_bad_cell_names_its_row_and_column_and_nothing_is_stored(
    survey, wave, asked, column, cell, message
):
    rows = io.StringIO()
    writer = csv.writer(rows)
    header = ["date", "nps", "branch"] + ([column] if column != "branch" else [])
    writer.writerow(header)
    good = {"date": str(wave.opens_on), "nps": "9", "branch": "south"}
    bad = {**good, column: cell}
    writer.writerow([good.get(name, "") for name in header])
    writer.writerow([bad.get(name, "") for name in header])
    data = rows.getvalue().encode()
    parsed = services.wave_import_check(wave=wave, data=data)
    assert not parsed.ok
    assert any(message in error for error in parsed.errors), parsed.errors
    with pytest.raises(services.ImportInvalid):
        services.wave_import(wave=wave, data=data)
    assert not Response.objects.exists() and not QuestionAnswer.objects.exists()


def test_an_unknown_column_is_refused_as_before(survey, wave, asked):
    data = f"date,nps,speed.v1\n{wave.opens_on},9,3\n".encode()
    parsed = services.wave_import_check(wave=wave, data=data)
    assert any("Unknown column “speed.v1”" in error for error in parsed.errors)
    assert any("speed" in error.split(":", 1)[1] for error in parsed.errors)


def test_a_survey_without_own_questions_never_reads_them(client, wave):
    """Cold caches: the wave's lookup says there are none (an EXISTS in the same query)."""
    url = respond_url(wave)
    with CaptureQueriesContext(connection) as queries:
        token = form_token(client, url)
        selectors.wave_cache_clear()
        client.post(url, {"submission_token": token, "nps": 9})
    assert not [q for q in queries if q["sql"].startswith('SELECT "surveys_question"')]
    assert sum('"surveys_wave"."token" =' in q["sql"] for q in queries) == 2
    assert Response.objects.count() == 1


def test_an_invited_respondent_answers_own_questions_once(client, company):
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, number=1)
    mood = question(survey, "mood", "rating5", required=True)
    invitation = WaveInvitationFactory(wave=wave)
    url = reverse("surveys:respond-invited", args=[invitation.token])
    token = form_token(client, url)
    data = {"submission_token": token, "enps": 8, "state_at_work": 7, "process_ease": 6}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "q_mood" in refused.context["form"].errors
    assert not InvitationUse.objects.exists()  # refused before the claim
    assert client.post(url, {**data, "q_mood": "4"}).status_code == 302
    assert stored(mood) == [(4, None, "")]
    assert InvitationUse.objects.count() == 1
    assert client.post(url, {**data, "q_mood": "2"}).status_code == 410
    assert QuestionAnswer.objects.count() == 1


def test_questions_changed_while_answering_bring_the_form_back(client, wave, asked, monkeypatch):
    from surveys.services import answers

    monkeypatch.setattr(answers, "questions_unchanged", lambda **kwargs: False)
    response, _token = post(client, wave, {"nps": 9, "q_speed": "4"})
    assert response.status_code == 400
    assert "The questions have just changed" in response.content.decode()
    assert response.context["form"]["q_speed"].value() == "4"
    assert not Response.objects.exists() and not Submission.objects.exists()
