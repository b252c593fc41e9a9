"""A comment's themes on the results page, and the corrections by hand of who edits the
codebook (issue 16): kept whatever the matcher finds after a change of the codebook, counted in
the figures, refused for another consultancy and for themes of another codebook."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys.models import Response, Survey, SurveySettings, TagSource, ThemeTag, Wave
from surveys.selectors import survey_results
from surveys.services import themes as services
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

COMMENTS = ["Долго ждали ответа", "Зарплата низкая", "Всё хорошо"]


def _employee_wave(company, comments):
    """A closed, released wave of an employee survey (k = 3), one response per comment
    and responses without one up to 6."""
    SurveySettings.objects.update_or_create(company=company, defaults={"anonymity_threshold": 3})
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True, released=True)
    texts = [*comments, *[""] * max(0, 6 - len(comments))]
    Response.objects.bulk_create(
        Response(wave=wave, submitted_on=wave.opens_on, enps=3, process_ease=1, comment=text)
        for text in texts
    )
    return survey, wave


@pytest.fixture
def world(company):
    survey, wave = _employee_wave(company, COMMENTS)
    codebook = services.codebook_create(survey=survey, by=None)
    wait = services.theme_create(
        codebook=codebook, key="wait", name_ru="Ожидание", name_en="Waiting", phrases="ждать"
    )
    pay = services.theme_create(
        codebook=codebook, key="pay", name_ru="Зарплата", name_en="Pay", phrases="зарплата"
    )
    responses = {r.comment: r for r in Response.objects.filter(wave=wave).exclude(comment="")}
    return {
        "survey": survey,
        "wave": wave,
        "codebook": codebook,
        "wait": wait,
        "pay": pay,
        "responses": responses,
    }


def _url(world):
    return reverse("surveys:survey-results", args=[world["survey"].pk])


def _post(client, response, themes):
    url = reverse("surveys:comment-themes", args=[response.pk])
    return client.post(url, {"theme": [str(t) for t in themes]})


def _themes(world):
    """Effective theme keys of each comment, as the results page lists them."""
    context = survey_results(
        survey=Survey.objects.get(pk=world["survey"].pk), can_manage=True, moderator=True
    )
    return {c["comment"]: {t.key for t in c["themes"]} for c in context["comments"]}


def _ticked(page, response, theme) -> bool:
    (box,) = re.findall(rf'<input[^>]*id="theme-{response.pk}-{theme.pk}"[^>]*>', page)
    return "checked" in box


def test_every_reader_sees_the_themes_of_the_listed_comments(world, en):
    for role in ("manager", "staff", "consultant"):
        page = en(role).get(_url(world)).content.decode()
        assert page.count('comment-theme">Waiting<') == 1, role
        assert page.count('comment-theme">Pay<') == 1, role


def test_theme_names_in_russian(world, client_for):
    page = client_for("manager").get(_url(world)).content.decode()
    assert 'comment-theme">Ожидание<' in page and 'comment-theme">Зарплата<' in page


def test_who_edits_the_codebook_gets_the_themes_control(world, en, client_for):
    page = en("consultant").get(_url(world)).content.decode()
    assert page.count('class="d-inline-block ms-2 comment-themes-edit"') == len(COMMENTS)
    waiting = world["responses"][COMMENTS[0]]
    assert reverse("surveys:comment-themes", args=[waiting.pk]) in page
    assert _ticked(page, waiting, world["wait"]) and not _ticked(page, waiting, world["pay"])
    assert ">Темы</summary>" in client_for("consultant").get(_url(world)).content.decode()
    page = en("manager").get(_url(world)).content.decode()
    assert page.count('class="d-inline-block ms-2 comment-themes-edit"') == len(COMMENTS)
    page = en("staff").get(_url(world)).content.decode()
    assert "comment-themes-edit" not in page
    assert "/themes/" not in page.split('id="comments"')[1]


def test_no_control_without_themes(company, en):
    survey, _wave = _employee_wave(company, COMMENTS)
    url = reverse("surveys:survey-results", args=[survey.pk])
    assert "comment-themes-edit" not in en("consultant").get(url).content.decode()
    services.codebook_create(survey=survey, by=None)  # a codebook with no theme yet
    assert "comment-themes-edit" not in en("consultant").get(url).content.decode()


def test_the_consultant_sets_the_themes_by_hand(world, en):
    waiting = world["responses"][COMMENTS[0]]
    response = _post(en("consultant"), waiting, [world["pay"].pk])
    assert response.status_code == 302
    assert response["Location"] == f"{_url(world)}?wave={world['wave'].number}#comments"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The comment's themes are saved as set by hand."
    ]
    rows = ThemeTag.objects.filter(response=waiting, source=TagSource.MANUAL)
    assert {(r.theme.key, r.present) for r in rows} == {("wait", False), ("pay", True)}
    assert _themes(world)[COMMENTS[0]] == {"pay"}
    page = en("consultant").get(_url(world)).content.decode()
    assert page.count("Themes set by hand") == 1
    assert "Themes set by hand" in en("manager").get(_url(world)).content.decode()
    assert "Themes set by hand" not in en("staff").get(_url(world)).content.decode()


def test_a_correction_survives_a_change_of_the_codebook(world, client_for):
    consultant = client_for("consultant")
    waiting, fine = world["responses"][COMMENTS[0]], world["responses"][COMMENTS[2]]
    _post(consultant, waiting, [])  # the matcher finds "wait": removed by hand
    _post(consultant, fine, [world["pay"].pk])  # the matcher finds nothing: added by hand
    wave = world["wave"]
    Response.objects.create(wave=wave, submitted_on=wave.opens_on, enps=9, comment="Хорошо")
    services.theme_update(
        theme=world["wait"],
        key="wait",
        name_ru="Ожидание",
        name_en="Waiting",
        phrases="ждать\nхорошо",
    )
    services.themes_apply(codebook=world["codebook"])
    found = _themes(world)
    # "Хорошо" shows the new phrase is found; the comment corrected by hand keeps "pay" only.
    assert found == {
        COMMENTS[0]: set(),
        COMMENTS[1]: {"pay"},
        COMMENTS[2]: {"pay"},
        "Хорошо": {"wait"},
    }
    assert ThemeTag.objects.filter(response=fine, theme=world["wait"], present=True).count() == 0


def test_the_figures_count_the_correction(world, client_for):
    def counts():
        context = survey_results(survey=Survey.objects.get(pk=world["survey"].pk), can_manage=True)
        return {row.theme.key: row.overall.count for row in context["themes"].rows}

    assert counts() == {"wait": 1, "pay": 1}
    _post(client_for("consultant"), world["responses"][COMMENTS[0]], [world["pay"].pk])
    assert counts() == {"wait": 0, "pay": 2}


@pytest.mark.parametrize("role", ["other_consultant", "other_staff", "staff"])
def test_nobody_else_corrects(world, client_for, role):
    response = _post(client_for(role), world["responses"][COMMENTS[0]], [world["pay"].pk])
    assert response.status_code == 404
    assert not ThemeTag.objects.filter(source=TagSource.MANUAL).exists()


def test_held_comments_are_corrected_by_the_consultant_alone(world, client_for):
    """Before the consultant releases them, the company's manager cannot read employee
    comments, so cannot correct them either."""
    Wave.objects.filter(pk=world["wave"].pk).update(comments_released_at=None)
    waiting = world["responses"][COMMENTS[0]]
    assert _post(client_for("manager"), waiting, [world["pay"].pk]).status_code == 404
    assert not ThemeTag.objects.filter(source=TagSource.MANUAL).exists()
    assert _post(client_for("consultant"), waiting, [world["pay"].pk]).status_code == 302


def test_a_customer_surveys_comments_are_corrected_by_its_managers(company, en):
    survey = SurveyFactory(company=company)
    wave = WaveFactory(survey=survey, closed=True)
    response = Response.objects.create(
        wave=wave, submitted_on=wave.opens_on, nps=3, comment="Долго ждали"
    )
    codebook = services.codebook_create(survey=survey, by=None)
    services.theme_create(codebook=codebook, key="wait", name_ru="Ожидание", phrases="ждать")
    price = services.theme_create(codebook=codebook, key="price", name_ru="Цена", phrases="дорого")
    page = en("manager").get(reverse("surveys:survey-results", args=[survey.pk])).content.decode()
    assert page.count("comment-themes-edit") == 1
    assert _post(en("manager"), response, [price.pk]).status_code == 302
    assert set(
        ThemeTag.objects.filter(response=response, present=True).values_list(
            "theme__key", flat=True
        )
    ) == {"price"}


def test_a_get_is_refused(world, client_for):
    url = reverse("surveys:comment-themes", args=[world["responses"][COMMENTS[0]].pk])
    assert client_for("consultant").get(url).status_code == 405


def test_a_theme_of_another_codebook_is_refused_and_nothing_stored(world, company, en):
    other, _wave = _employee_wave(company, ["Другой опрос"])
    foreign = services.theme_create(
        codebook=services.codebook_create(survey=other, by=None), key="x", name_ru="Икс"
    )
    before = set(ThemeTag.objects.values_list("pk", "source", "present"))
    waiting = world["responses"][COMMENTS[0]]
    for themes in ([world["pay"].pk, foreign.pk], ["abc"]):
        response = _post(en("consultant"), waiting, themes)
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            "Only themes of this survey's codebook can be set; nothing saved."
        ]
    assert set(ThemeTag.objects.values_list("pk", "source", "present")) == before


def _page_queries(client, url) -> int:
    client.get(url)  # the first visit may request the key-driver analysis
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_results_page_queries_do_not_grow_with_the_comments(company, client_for):
    counts = {}
    for n in (1, 30):
        survey, _wave = _employee_wave(company, [f"Долго ждали, {i}" for i in range(n)])
        codebook = services.codebook_create(survey=survey, by=None)
        services.theme_create(codebook=codebook, key="wait", name_ru="Ожидание", phrases="ждать")
        services.theme_create(codebook=codebook, key="pay", name_ru="Зарплата", phrases="деньги")
        url = reverse("surveys:survey-results", args=[survey.pk])
        counts[n] = {
            role: _page_queries(client_for(role), url) for role in ("consultant", "manager")
        }
        page = client_for("consultant").get(url).content.decode()
        assert page.count("comment-themes-edit") == n
    assert counts[1] == counts[30], counts
