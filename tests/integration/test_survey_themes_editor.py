"""The codebook editor: created empty or from a kept codebook, themes added with phrase
checks (the text typed kept), pages in ru and en, another consultancy's theme 404."""

import pytest
from django.urls import reverse

from surveys.models import Codebook, Theme
from surveys.services import themes as services
from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(company):
    survey = SurveyFactory(company=company, title="Guests")
    wave = WaveFactory(survey=survey, closed=True)
    for text in ("Долго ждали", "Грубый персонал", "Всё хорошо"):
        ResponseFactory(wave=wave, comment=text)
    return survey


def test_the_consultant_creates_a_codebook_from_a_kept_one(client_for, survey, consultancy):
    kept = Codebook.objects.create(owner=consultancy, title="Retail")
    Theme.objects.create(codebook=kept, key="wait", name_ru="Ожидание", phrases="ждать")
    url = reverse("surveys:codebook-detail", args=[survey.pk])
    response = client_for("consultant").post(url, {"source": kept.pk})
    assert response.status_code == 302
    codebook = Codebook.objects.get(survey=survey)
    assert list(codebook.themes.values_list("key", flat=True)) == ["wait"]
    assert codebook.themes.get().tags.count() == 1  # tagged at once


def test_a_bad_phrase_is_refused_line_by_line_and_the_text_is_kept(en, survey):
    services.codebook_create(survey=survey, by=None)
    typed = "очередь\nи"
    response = en("manager").post(
        reverse("surveys:theme-create", args=[survey.pk]),
        {"key": "queue", "name_ru": "Очередь", "phrases": typed},
    )
    assert response.status_code == 200
    assert "Line 2" in response.content.decode()
    assert response.context["form"]["phrases"].value() == typed
    assert not Theme.objects.exists()


@pytest.mark.parametrize(
    ("language", "heading"), [("ru", "Темы комментариев"), ("en", "Comment themes")]
)
def test_the_codebook_page_in_both_languages(
    client_for, survey, language, heading, django_assert_max_num_queries
):
    codebook = services.codebook_create(survey=survey, by=None)
    for n in range(10):
        services.theme_create(codebook=codebook, key=f"t{n}", name_ru=f"Тема {n}", phrases="ждать")
    client = client_for("consultant")
    client.cookies["cxaudit_language"] = language
    with django_assert_max_num_queries(12):
        response = client.get(reverse("surveys:codebook-detail", args=[survey.pk]))
    assert heading in response.content.decode()


def test_another_consultancys_theme_is_404(client_for, other_company):
    other = SurveyFactory(company=other_company)
    codebook = services.codebook_create(survey=other, by=None)
    theme = services.theme_create(codebook=codebook, key="x", name_ru="Икс")
    response = client_for("consultant").get(reverse("surveys:theme-update", args=[theme.pk]))
    assert response.status_code == 404
