"""Comment themes on the results page: figures equal an independent count (issue 16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from surveys.models import Response, Survey, SurveySettings
from surveys.selectors import survey_results
from tests.survey_factories import SurveyFactory, WaveFactory
from tests.theme_factories import codebook, tag

pytestmark = pytest.mark.django_db


def _wave(survey, number=1, **kwargs):
    today = timezone.localdate()
    return WaveFactory(
        survey=survey,
        number=number,
        opens_on=today - timedelta(days=40 - 10 * number),
        closes_on=today - timedelta(days=35 - 10 * number),
        **kwargs,
    )


def _responses(wave, scores, **fields):
    rows = [
        Response(wave=wave, submitted_on=wave.opens_on, nps=s, comment=f"c{i}", **fields)
        for i, s in enumerate(scores)
    ]
    Response.objects.bulk_create(rows)
    return rows


def _customer(company, k=5):
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": k})
    return SurveyFactory(company=company, anonymous=False)


def test_shares_equal_an_independent_count_with_manual_overrides(company):
    survey = _customer(company)
    wave = _wave(survey)
    themes = codebook(survey, ["wait", "staff"])
    scores = [0, 1, 2, 3, 4, 5, 6, 9, 9, 10, 10, 7, 8]
    rows = _responses(wave, scores)
    expected = {"wait": set(), "staff": set()}
    for i, r in enumerate(rows):
        if i % 2 == 0:
            tag(r, themes["wait"])
            expected["wait"].add(i)
    tag(rows[0], themes["wait"], manual=True, present=False)  # a correction removes it
    expected["wait"].discard(0)
    tag(rows[1], themes["staff"], manual=True)  # added by hand
    tag(rows[3], themes["staff"])
    tag(rows[3], themes["staff"], manual=True)  # both rows: counted once
    expected["staff"] |= {1, 3}
    context = survey_results(survey=Survey.objects.get(pk=survey.pk), can_manage=False)
    result = {row.theme.key: row for row in context["themes"].rows}
    assert context["themes"].n == len(rows)
    for key, members in expected.items():
        assert result[key].overall.count == len(members)
        detractors = [i for i in members if scores[i] <= 6]
        assert result[key].classes["detractor"].count == len(detractors)
        assert result[key].classes["detractor"].n == 7
        promoters = [i for i in members if scores[i] >= 9]
        assert result[key].classes["promoter"].count == len(promoters)


def test_hidden_comments_are_not_counted(company):
    survey = _customer(company)
    wave = _wave(survey)
    themes = codebook(survey, ["wait"])
    rows = _responses(wave, [0] * 6)
    for r in rows:
        tag(r, themes["wait"])
    Response.objects.filter(pk=rows[0].pk).update(comment_hidden=True)
    context = survey_results(survey=Survey.objects.get(pk=survey.pk), can_manage=False)
    row = context["themes"].rows[0]
    assert (row.overall.count, row.overall.n) == (5, 5)


def test_below_k_nothing_is_shown(company):
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": 5})
    survey = SurveyFactory(company=company, employee=True)
    wave = _wave(survey, released=True)
    themes = codebook(survey, ["wait"])
    rows = [
        Response(wave=wave, submitted_on=wave.opens_on, enps=3, comment="x", process_ease=1)
        for _ in range(6)
    ]
    Response.objects.bulk_create(rows)
    for r in rows:
        tag(r, themes["wait"])
    Response.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(comment="")
    context = survey_results(survey=Survey.objects.get(pk=survey.pk), can_manage=False)
    themes_shown = context.get("themes")
    assert themes_shown is None or not themes_shown.rows


def test_trend_per_wave(company):
    survey = _customer(company)
    first, second = _wave(survey, 1), _wave(survey, 2)
    themes = codebook(survey, ["wait"])
    for r in _responses(first, [0] * 6)[:3]:
        tag(r, themes["wait"])
    for r in _responses(second, [0] * 8)[:2]:
        tag(r, themes["wait"])
    context = survey_results(survey=Survey.objects.get(pk=survey.pk), can_manage=False)
    trend = context["themes"].rows[0].trend
    assert [(s.count, s.n) for _w, s in trend] == [(3, 6), (2, 8)]


@pytest.mark.parametrize("count", [2, 12])
def test_bounded_queries(company, count, django_assert_max_num_queries):
    survey = _customer(company)
    wave = _wave(survey)
    themes = codebook(survey, [f"t{i}" for i in range(count)])
    rows = _responses(wave, list(range(11)))
    for theme in themes.values():
        for r in rows[:4]:
            tag(r, theme)
    survey = Survey.objects.get(pk=survey.pk)
    with CaptureQueriesContext(connection) as queries:
        survey_results(survey=survey, can_manage=False)
    _QUERIES[count] = len(queries)
    if len(_QUERIES) == 2:
        assert _QUERIES[2] == _QUERIES[12]


_QUERIES: dict[int, int] = {}


def test_page_renders_themes_in_both_languages(company, actors, en, client_for):
    from django.urls import reverse

    survey = _customer(company)
    wave = _wave(survey)
    themes = codebook(survey, ["wait"])
    rows = _responses(wave, [0] * 6)
    for r in rows:
        tag(r, themes["wait"])
    url = reverse("surveys:survey-results", args=[survey.pk])
    page = en("manager").get(url).content.decode()
    assert "theme wait" in page and "Comment themes" in page
    assert f"theme={themes['wait'].pk}" in page
    ru = client_for("manager").get(url).content.decode()
    assert "тема wait" in ru and "Темы комментариев" in ru
    filtered = en("manager").get(url, {"theme": themes["wait"].pk}).content.decode()
    assert filtered.count('class="list-group-item px-0 comment"') == 6


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Topcommentthemes"), ("ru", "Главныетемыкомментариев")]
)
def test_the_wave_report_lists_the_top_themes(company, language, title):
    from tests.integration.test_reports_surveys import pdf_text, render_wave

    survey = _customer(company)
    wave = _wave(survey)
    themes = codebook(survey, ["wait"])
    for r in _responses(wave, [0] * 6):
        tag(r, themes["wait"])
    job, _status = render_wave(wave, language)
    text = pdf_text(job)
    assert title in text
    assert ("themewait" if language == "en" else "темаwait") in text
    assert "100%" in text


def test_exports_have_a_themes_column_only_where_the_comment_is(company):
    from surveys.selectors.exports import wave_export

    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": 3})
    survey = SurveyFactory(company=company, employee=True)
    wave = _wave(survey, released=True)
    themes = codebook(survey, ["wait", "staff"])
    rows = [
        Response(wave=wave, submitted_on=wave.opens_on, enps=3, comment=f"c{i}", process_ease=1)
        for i in range(4)
    ]
    Response.objects.bulk_create(rows)
    for r in rows:
        tag(r, themes["wait"])
    tag(rows[0], themes["staff"])
    tag(rows[1], themes["wait"], manual=True, present=False)
    Response.objects.filter(pk=rows[2].pk).update(comment_hidden=True)
    header, table = wave_export(wave=wave)
    assert header[-1] == "themes"
    cells = {row[header.index("comment")]: row[-1] for row in table}
    assert cells == {"c0": "wait;staff", "c1": "", "": "", "c3": "wait"}
    customer = _customer(company)
    plain = _wave(customer)
    codebook(customer, ["x"])
    header, table = wave_export(wave=plain)
    assert header[-1] == "themes"


def test_an_audit_whose_latest_wave_has_a_top_detractor_theme_gets_the_recommendation(
    company, actors
):
    from assessments.reasons import reason_lines
    from assessments.selectors.proposals import recommendations_proposed
    from tests.report_factories import AuditFactory

    survey = _customer(company)
    wave = _wave(survey)
    themes = codebook(survey, ["wait", "staff"])
    detractors = _responses(wave, [2] * 40)
    promoters = _responses(wave, [10] * 40)
    for r in detractors[:30] + promoters[:6]:
        tag(r, themes["wait"])
    for r in detractors[:6] + promoters[:6]:
        tag(r, themes["staff"])
    today = timezone.localdate()
    audit = AuditFactory(
        company=company,
        owner=actors["consultant"],
        period_start=today - timedelta(days=90),
        period_end=today,
    )
    proposed = {p.rule_id: p for p in recommendations_proposed(audit=audit)}
    found = proposed["top-detractor-theme"]
    (reason,) = found.reasons
    assert reason["kind"] == "theme" and reason["ref"] == "wait"
    with translation.override("en"):
        (line,) = reason_lines(found.reasons)
    assert "theme wait" in line and "75.0%" in line and "15.0%" in line, line
    with translation.override("ru"):
        (line,) = reason_lines(found.reasons)
    assert "тема wait" in line and "75,0%" in line, line


def test_own_text_answers_count_and_a_response_counts_once_per_theme(company):
    from cxaudit import questions as rules
    from tests.own_answers import answer_all, own_question

    survey = _customer(company)
    wave = _wave(survey)
    text = own_question(survey, "why", rules.SHORT_TEXT, position=1)
    themes = codebook(survey, ["wait"])
    rows = _responses(wave, [0] * 5)
    silent = Response.objects.create(wave=wave, submitted_on=wave.opens_on, nps=0, comment="")
    answer_all([(r, text, f"t{i}") for i, r in enumerate([*rows[:2], silent])])
    tag(rows[0], themes["wait"])
    tag(rows[0], themes["wait"], question=text)  # comment and answer: once
    tag(rows[1], themes["wait"], question=text)
    tag(silent, themes["wait"], question=text)  # only an own text answer
    tag(rows[2], themes["wait"], question=text, manual=True, present=False)
    context = survey_results(survey=Survey.objects.get(pk=survey.pk), can_manage=False)
    row = context["themes"].rows[0]
    assert (row.overall.count, row.overall.n) == (3, 6)


def test_groups_an_own_question_hides_are_left_out_of_the_counts_as_of_the_list(company):
    from cxaudit import questions as rules
    from tests.own_answers import answer_all, own_question

    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": 3})
    survey = SurveyFactory(company=company, employee=True)
    wave = _wave(survey, released=True)
    office = own_question(survey, "office", rules.YES_NO, position=1)
    themes = codebook(survey, ["wait"])
    rows = [
        Response(wave=wave, submitted_on=wave.opens_on, enps=3, comment=f"c{i}", process_ease=1)
        for i in range(13)
    ]
    Response.objects.bulk_create(rows)
    answer_all(
        [(r, office, rules.YES) for r in rows[:2]] + [(r, office, rules.NO) for r in rows[2:8]]
    )
    for r in rows:
        tag(r, themes["wait"])
    context = survey_results(survey=Survey.objects.get(pk=survey.pk), can_manage=False)
    listed = {c["comment"] for c in context["comments"]}
    assert listed == {f"c{i}" for i in range(2, 8)}  # "yes" (2) and "no answer" (5) hidden
    row = context["themes"].rows[0]
    assert row.overall.n == row.overall.count == len(listed)
