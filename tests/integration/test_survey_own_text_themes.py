"""Themes of own survey questions (issue 16): the themes table broken down by an own
one-choice or yes/no question, themes found in own text answers (tagged with the survey's
codebook, listed with the question's label) and corrected by hand like a comment's."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cxaudit import questions as rules
from surveys.models import QuestionAnswer, Response, Survey, SurveySettings, TagSource, ThemeTag
from surveys.selectors import survey_results
from surveys.services import themes as services
from tests.own_answers import answer_all, own_question
from tests.survey_factories import SurveyFactory, WaveFactory
from tests.theme_factories import codebook, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company):
    """A closed, released employee wave (k = 3): six respondents, three with a comment,
    four with an own text answer; the codebook finds "wait" and "pay"."""
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": 3})
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True, released=True)
    why = own_question(survey, "why", rules.SHORT_TEXT, position=1, text_en="What would you fix?")
    comments = ["Зарплата низкая", "Всё хорошо", "Коллеги отличные", "", "", ""]
    texts = ["", "Долго ждали ответа", "", "Ждём ответа неделями", "Ждать приходится", "Ок"]
    rows = [
        Response(wave=wave, submitted_on=wave.opens_on, enps=3, process_ease=1, comment=text)
        for text in comments
    ]
    Response.objects.bulk_create(rows)
    answer_all([(r, why, text or None) for r, text in zip(rows, texts, strict=True)])
    book = services.codebook_create(survey=survey, by=None)
    wait = services.theme_create(
        codebook=book, key="wait", name_ru="Ожидание", name_en="Waiting", phrases="ждать"
    )
    pay = services.theme_create(
        codebook=book, key="pay", name_ru="Зарплата", name_en="Pay", phrases="зарплата"
    )
    answers = {a.text: a for a in QuestionAnswer.objects.filter(question=why)}
    return {
        "survey": survey,
        "wave": wave,
        "why": why,
        "codebook": book,
        "wait": wait,
        "pay": pay,
        "answers": answers,
        "responses": rows,
    }


def _url(world, **params):
    url = reverse("surveys:survey-results", args=[world["survey"].pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def _post(client, answer, themes):
    url = reverse("surveys:answer-themes", args=[answer.pk])
    return client.post(url, {"theme": [str(t) for t in themes]})


def _text_themes(world):
    """Effective theme keys of each own text answer, as the results page lists them."""
    context = survey_results(
        survey=Survey.objects.get(pk=world["survey"].pk), can_manage=True, moderator=True
    )
    (result,) = [r for r in context["own_questions"] if r.question.pk == world["why"].pk]
    return {item["text"]: {t.key for t in item["themes"]} for item in result.text_items}


def test_own_text_answers_are_tagged_with_the_codebook(world):
    tags = ThemeTag.objects.filter(question=world["why"], source=TagSource.AUTO)
    found = {(t.response_id, t.theme.key) for t in tags}
    answers = world["answers"]
    assert found == {
        (answers[text].response_id, "wait")
        for text in ("Долго ждали ответа", "Ждём ответа неделями", "Ждать приходится")
    }


def test_an_answer_is_tagged_even_when_the_built_in_comment_is_hidden(world):
    """The page lists own text answers whatever the consultant hid of the comment, so
    they are counted and tagged alike."""
    response = world["answers"]["Долго ждали ответа"].response
    Response.objects.filter(pk=response.pk).update(comment_hidden=True)
    services.themes_apply(codebook=world["codebook"])
    assert ThemeTag.objects.filter(response=response, question=world["why"]).exists()
    assert not ThemeTag.objects.filter(response=response, question__isnull=True).exists()


def test_a_themes_list_shows_the_answers_where_it_was_found(world, en, client_for):
    page = en("manager").get(_url(world, theme=world["wait"].pk)).content.decode()
    listed = page.split('id="comments"')[1].split("</ul>")[0]
    assert listed.count('class="list-group-item px-0 comment"') == 3
    for text in ("Долго ждали ответа", "Ждём ответа неделями", "Ждать приходится"):
        assert text in listed
    assert listed.count("What would you fix?") == 3
    assert "Всё хорошо" not in listed  # the same person's comment has no "wait"
    page = client_for("manager").get(_url(world, theme=world["wait"].pk)).content.decode()
    assert "Вопрос why" in page.split('id="comments"')[1].split("</ul>")[0]
    page = en("consultant").get(_url(world, theme=world["wait"].pk)).content.decode()
    listed = page.split('id="comments"')[1].split("</ul>")[0]
    answer = world["answers"]["Долго ждали ответа"]
    assert reverse("surveys:answer-themes", args=[answer.pk]) in listed
    assert "comment-hide" not in listed  # the hide is for built-in comments only
    assert str(answer.response_id) not in listed


def test_a_list_mixes_comments_and_answers_in_one_fixed_order(world):
    tag(world["responses"][0], world["wait"])  # the comment "Зарплата низкая" by hand
    with translation.override("en"):
        context = survey_results(
            survey=Survey.objects.get(pk=world["survey"].pk),
            can_manage=True,
            theme=world["wait"].pk,
            corrector=True,
        )
    rows = context["comments"]
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert {(row["comment"], row["question"]) for row in rows} == {
        ("Зарплата низкая", ""),
        *(
            (text, "What would you fix?")
            for text in ("Долго ждали ответа", "Ждём ответа неделями", "Ждать приходится")
        ),
    }
    assert all("response_id" not in row for row in rows)
    figures = {row.theme.key: row.overall.count for row in context["themes"].rows}
    assert figures["wait"] == 4 == len(rows)


def test_readers_see_the_answers_themes_and_no_ids(world, en):
    page = en("staff").get(_url(world)).content.decode()
    own = page.split('id="own-questions"')[1].split("</section>")[0]
    assert own.count('comment-theme">Waiting<') == 3
    assert "comment-themes-edit" not in own
    for answer in world["answers"].values():
        assert str(answer.pk) not in page
        assert str(answer.response_id) not in own


def _ticked(page, answer, theme) -> bool:
    (box,) = re.findall(rf'<input[^>]*id="theme-{answer.pk}-{theme.pk}"[^>]*>', page)
    return "checked" in box


def test_the_consultant_corrects_an_answers_themes(world, en, client_for):
    answer = world["answers"]["Долго ждали ответа"]
    page = en("consultant").get(_url(world)).content.decode()
    own = page.split('id="own-questions"')[1].split("</section>")[0]
    assert own.count('class="d-inline-block ms-2 comment-themes-edit"') == 4
    assert reverse("surveys:answer-themes", args=[answer.pk]) in own
    assert _ticked(own, answer, world["wait"]) and not _ticked(own, answer, world["pay"])
    response = _post(en("consultant"), answer, [world["pay"].pk])
    assert response.status_code == 302
    assert response["Location"] == _url(world, wave=world["wave"].number) + (
        f"#own-texts-{world['why'].pk}"
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The answer's themes are saved as set by hand."
    ]
    rows = ThemeTag.objects.filter(response=answer.response, source=TagSource.MANUAL)
    assert {(r.question_id, r.theme.key, r.present) for r in rows} == {
        (world["why"].pk, "wait", False),
        (world["why"].pk, "pay", True),
    }
    assert _text_themes(world)["Долго ждали ответа"] == {"pay"}
    own = (
        en("consultant")
        .get(_url(world))
        .content.decode()
        .split('id="own-questions"')[1]
        .split("</section>")[0]
    )
    assert own.count("Themes set by hand") == 1
    ru = client_for("consultant").get(_url(world)).content.decode()
    assert "Темы заданы вручную" in ru.split('id="own-questions"')[1].split("</section>")[0]
    context = survey_results(survey=Survey.objects.get(pk=world["survey"].pk), can_manage=True)
    counts = {row.theme.key: row.overall.count for row in context["themes"].rows}
    assert counts == {"wait": 2, "pay": 2}  # the comment "Зарплата низкая" and the answer


def test_an_answers_correction_survives_a_change_of_the_codebook(world, client_for):
    consultant = client_for("consultant")
    answers = world["answers"]
    _post(consultant, answers["Ждать приходится"], [])  # the matcher finds "wait"
    _post(consultant, answers["Ок"], [world["pay"].pk])  # the matcher finds nothing
    services.theme_update(
        theme=world["wait"], key="wait", name_ru="Ожидание", name_en="Waiting", phrases="ждать\nок"
    )
    services.themes_apply(codebook=world["codebook"])
    assert _text_themes(world) == {
        "Долго ждали ответа": {"wait"},
        "Ждём ответа неделями": {"wait"},
        "Ждать приходится": set(),
        "Ок": {"pay"},  # "ок" is a phrase of "wait" now; the correction decides
    }


@pytest.mark.parametrize("role", ["other_consultant", "other_staff", "staff"])
def test_nobody_else_corrects_an_answer(world, client_for, role):
    answer = world["answers"]["Ок"]
    assert _post(client_for(role), answer, [world["pay"].pk]).status_code == 404
    assert not ThemeTag.objects.filter(source=TagSource.MANUAL).exists()


def test_held_answers_are_corrected_by_the_consultant_alone(world, client_for):
    type(world["wave"]).objects.filter(pk=world["wave"].pk).update(comments_released_at=None)
    answer = world["answers"]["Ок"]
    assert _post(client_for("manager"), answer, [world["pay"].pk]).status_code == 404
    assert _post(client_for("consultant"), answer, [world["pay"].pk]).status_code == 302


def test_a_non_text_answer_or_a_foreign_theme_is_refused(world, company, en):
    number = own_question(world["survey"], "rate", rules.RATING_5, position=2)
    (rating,) = answer_all_rows(world["responses"][0], number, 4)
    assert _post(en("consultant"), rating, [world["pay"].pk]).status_code == 404
    other = SurveyFactory(company=company, employee=True)
    foreign = services.theme_create(
        codebook=services.codebook_create(survey=other, by=None), key="x", name_ru="Икс"
    )
    before = set(ThemeTag.objects.values_list("pk", "source", "present"))
    for themes in ([world["pay"].pk, foreign.pk], ["abc"]):
        response = _post(en("consultant"), world["answers"]["Ок"], themes)
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "Only themes of this survey's codebook can be set; nothing saved."
        ]
    assert set(ThemeTag.objects.values_list("pk", "source", "present")) == before


def answer_all_rows(response, question, value):
    answer_all([(response, question, value)])
    return list(QuestionAnswer.objects.filter(response=response, question=question))


# ------------------------------------------------- the themes table by an own question


def _customer_world(company, k=3, anonymous=False):
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": k})
    survey = SurveyFactory(company=company, anonymous=anonymous)
    wave = WaveFactory(survey=survey, closed=True)
    back = own_question(survey, "back", rules.YES_NO, position=1)
    side = own_question(survey, "side", rules.SINGLE, position=2, options=("hall", "terrace"))
    themes = codebook(survey, ["wait", "staff"])
    return survey, wave, back, side, themes


def test_themes_by_an_own_question_equal_an_independent_count(company):
    survey, wave, back, side, themes = _customer_world(company)
    # (yes/no answer, option, themes of the comment)
    people = [
        (1, "hall", {"wait"}),
        (1, "hall", {"wait", "staff"}),
        (1, "terrace", set()),
        (0, "terrace", {"wait"}),
        (0, "hall", {"staff"}),
        (0, None, {"wait"}),
        (None, "terrace", {"wait"}),
        (None, None, set()),
    ]
    rows = [
        Response(wave=wave, submitted_on=wave.opens_on, nps=i, comment=f"c{i}")
        for i in range(len(people))
    ]
    Response.objects.bulk_create(rows)
    answer_all(
        [
            pair
            for r, (yes, where, _t) in zip(rows, people, strict=True)
            for pair in ((r, back, yes), (r, side, where))
        ]
    )
    for r, (_y, _w, found) in zip(rows, people, strict=True):
        for key in found:
            tag(r, themes[key])
    survey = Survey.objects.get(pk=survey.pk)
    with translation.override("en"):
        for question, axis, labels in (
            (back, 0, {"Yes": 1, "No": 0, "No answer": None}),
            (side, 1, {"Option hall": "hall", "Option terrace": "terrace", "No answer": None}),
        ):
            context = survey_results(survey=survey, can_manage=True, by=f"q{question.pk}")
            result = context["themes"]
            assert result.group_labels == list(labels)
            for row in result.rows:
                for (label, item), value in zip(row.groups, labels.values(), strict=True):
                    assert label in labels
                    members = [p for p in people if p[axis] == value]
                    assert item.n == len(members)
                    assert item.count == sum(row.theme.key in p[2] for p in members)
            link = f"by=q{question.pk}&amp;theme={themes['wait'].pk}"
            assert link in _page(context, survey)


def _page(context, survey):
    from django.template.loader import render_to_string

    return render_to_string("surveys/_themes.html", {**context, "survey": survey})


def test_a_small_groups_themes_are_hidden_and_so_is_its_complement(company):
    """Five respondents answered "no", two of whom commented: under k = 3 "no" is hidden,
    and "yes" with it, or the total minus "yes" would give the two away."""
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": 3})
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True, released=True)
    back = own_question(survey, "office", rules.YES_NO, position=1)
    themes = codebook(survey, ["wait"])
    answers = [1] * 6 + [0] * 5
    comments = ["c"] * 6 + ["c", "c", "", "", ""]
    rows = [
        Response(wave=wave, submitted_on=wave.opens_on, enps=9, process_ease=5, comment=text)
        for text in comments
    ]
    Response.objects.bulk_create(rows)
    answer_all([(r, back, a) for r, a in zip(rows, answers, strict=True)])
    for r in rows:
        if r.comment:
            tag(r, themes["wait"])
    with translation.override("en"):
        context = survey_results(
            survey=Survey.objects.get(pk=survey.pk), can_manage=False, by=f"q{back.pk}"
        )
    result = context["themes"]
    assert result.n == 8
    assert result.group_labels == ["Yes", "No"]
    assert [item for _label, item in result.rows[0].groups] == [None, None]


# ------------------------------------------------------------------------ query bounds


def _queries(client, url) -> int:
    client.get(url)  # the first visit may request the key-driver analysis
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_themes_list_reads_one_more_query_whatever_its_length(company, client_for):
    """The list of a theme reads the own text answers where it was found: one query more
    than the page without a theme, the same for 3 or 30 of them."""
    counted = {}
    for n in (3, 30):
        SurveySettings.objects.update_or_create(
            company=company, defaults={"anonymity_threshold": 3}
        )
        survey = SurveyFactory(company=company, employee=True)
        wave = WaveFactory(survey=survey, closed=True, released=True)
        why = own_question(survey, "why", rules.SHORT_TEXT, position=1)
        rows = [
            Response(wave=wave, submitted_on=wave.opens_on, enps=3, process_ease=1, comment="Ждали")
            for _ in range(n)
        ]
        Response.objects.bulk_create(rows)
        answer_all([(r, why, "Долго ждать") for r in rows])
        book = services.codebook_create(survey=survey, by=None)
        wait = services.theme_create(codebook=book, key="wait", name_ru="Ожидание", phrases="ждать")
        url = reverse("surveys:survey-results", args=[survey.pk])
        client = client_for("consultant")
        plain = _queries(client, url)
        themed = _queries(client, f"{url}?theme={wait.pk}")
        page = client.get(f"{url}?theme={wait.pk}").content.decode()
        assert page.count('class="list-group-item px-0 comment"') == min(2 * n, 100)
        counted[n] = (plain, themed)
    assert counted[3] == counted[30], counted
    assert counted[3][1] == counted[3][0] + 1, counted


def test_a_trend_point_counts_what_its_waves_page_counts(company):
    """Wave 1's "no" group (two people) is hidden by an own question, and "no answer"
    (three) with it: its page leaves them out, and so does wave 2's trend, or the two
    would differ by the themes of those two."""
    from datetime import timedelta

    from django.utils import timezone

    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": 3})
    survey = SurveyFactory(company=company, employee=True)
    today = timezone.localdate()
    back = own_question(survey, "office", rules.YES_NO, position=1)
    themes = codebook(survey, ["wait"])
    for number, answers in ((1, [1] * 6 + [0] * 2 + [None] * 3), (2, [1] * 8)):
        wave = WaveFactory(
            survey=survey,
            number=number,
            opens_on=today - timedelta(days=40 - 10 * number),
            closes_on=today - timedelta(days=35 - 10 * number),
            released=True,
        )
        rows = [
            Response(wave=wave, submitted_on=wave.opens_on, enps=9, process_ease=5, comment="c")
            for _ in answers
        ]
        Response.objects.bulk_create(rows)
        answer_all([(r, back, a) for r, a in zip(rows, answers, strict=True)])
        for r, a in zip(rows, answers, strict=True):
            if a == 0 or r is rows[0]:
                tag(r, themes["wait"])
    survey = Survey.objects.get(pk=survey.pk)
    first = survey_results(survey=survey, can_manage=False, wave_number=1)["themes"].rows[0]
    assert (first.overall.count, first.overall.n) == (1, 6)
    second = survey_results(survey=survey, can_manage=False, wave_number=2)["themes"].rows[0]
    (point, _now) = [share for _wave, share in second.trend]
    assert (point.count, point.n) == (1, 6)


def test_the_export_has_each_text_answers_themes_where_its_text_is(world):
    from surveys.selectors.exports import wave_export

    header, table = wave_export(wave=world["wave"])
    assert header[-2:] == ["themes", "why.themes"]
    why = header.index("why")
    by_text = {row[why]: row[-1] for row in table if row[why]}
    assert by_text == {
        "Долго ждали ответа": "wait",
        "Ждём ответа неделями": "wait",
        "Ждать приходится": "wait",
        "Ок": "",
    }
    comment = header.index("comment")
    assert {row[comment]: row[-2] for row in table if row[comment]}["Зарплата низкая"] == "pay"
    # A hidden text answer's themes are not written either.
    hidden = world["responses"][1]
    Response.objects.filter(pk=hidden.pk).update(comment_hidden=True)
    _header, table = wave_export(wave=world["wave"])
    assert all(row[-1] == "" for row in table if not row[why])
    assert sum(row[-1] == "wait" for row in table) == 2
