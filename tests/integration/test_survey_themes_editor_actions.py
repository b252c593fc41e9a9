"""The codebook editor's actions through their pages: delete, move, merge, split, keep a
codebook for the consultancy and delete a kept one; each re-tags the comments at once."""

import pytest
from django.urls import reverse

from surveys.models import Codebook, TagSource, Theme, ThemeTag
from surveys.services import themes as services
from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory
from tests.theme_factories import tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(company):
    survey = SurveyFactory(company=company, title="Guests")
    wave = WaveFactory(survey=survey, closed=True)
    for text in ("Долго ждали в очереди", "Грубый персонал", "Дорого и долго ждали"):
        ResponseFactory(wave=wave, comment=text)
    return survey


@pytest.fixture
def codebook(survey):
    codebook = services.codebook_create(survey=survey, by=None)
    services.theme_create(codebook=codebook, key="wait", name_ru="Ожидание", phrases="ждать")
    services.theme_create(codebook=codebook, key="queue", name_ru="Очередь", phrases="очередь")
    services.theme_create(
        codebook=codebook, key="staff", name_ru="Персонал", phrases="грубый\nдорого"
    )
    return codebook


def _tagged(codebook, key):
    return set(
        ThemeTag.objects.filter(theme__codebook=codebook, theme__key=key, present=True).values_list(
            "response__comment", flat=True
        )
    )


def test_deleting_a_theme_asks_first_then_removes_it_and_its_tags(client_for, codebook):
    theme = codebook.themes.get(key="wait")
    client = client_for("manager")
    url = reverse("surveys:theme-delete", args=[theme.pk])
    assert "Ожидание" in client.get(url).content.decode()
    assert Theme.objects.filter(pk=theme.pk).exists()  # the GET only asks
    response = client.post(url)
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()
    assert not ThemeTag.objects.filter(theme_id=theme.pk).exists()


def test_moving_a_theme_changes_the_order_only(client_for, codebook):
    queue = codebook.themes.get(key="queue")
    client_for("consultant").post(
        reverse("surveys:theme-move", args=[queue.pk]), {"direction": "up"}
    )
    keys = list(codebook.themes.order_by("position").values_list("key", flat=True))
    assert keys == ["queue", "wait", "staff"]
    client_for("consultant").post(
        reverse("surveys:theme-move", args=[queue.pk]), {"direction": "up"}
    )  # already first: nothing moves
    keys = list(codebook.themes.order_by("position").values_list("key", flat=True))
    assert keys == ["queue", "wait", "staff"]


def test_merging_moves_the_phrases_and_the_hand_corrections(client_for, codebook, survey):
    queue, wait = codebook.themes.get(key="queue"), codebook.themes.get(key="wait")
    rude = survey.waves.get().responses.get(comment="Грубый персонал")
    tag(rude, queue, manual=True)  # set by hand: the matcher would not find it
    response = client_for("consultant").post(
        reverse("surveys:theme-merge", args=[queue.pk]), {"into": wait.pk}
    )
    assert response.status_code == 302
    wait.refresh_from_db()
    assert wait.phrase_list() == ("ждать", "очередь")
    assert not Theme.objects.filter(pk=queue.pk).exists()
    assert _tagged(codebook, "wait") == {
        "Долго ждали в очереди",
        "Дорого и долго ждали",
        "Грубый персонал",
    }
    assert ThemeTag.objects.get(response=rude, theme=wait).source == TagSource.MANUAL


def test_merging_into_a_theme_of_another_codebook_is_refused(client_for, codebook, company):
    other = services.codebook_create(survey=SurveyFactory(company=company), by=None)
    elsewhere = services.theme_create(codebook=other, key="x", name_ru="Икс")
    queue = codebook.themes.get(key="queue")
    response = client_for("consultant").post(
        reverse("surveys:theme-merge", args=[queue.pk]), {"into": elsewhere.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Theme.objects.filter(pk=queue.pk).exists()


def test_splitting_moves_the_chosen_phrases_to_a_new_theme(en, codebook):
    staff = codebook.themes.get(key="staff")
    url = reverse("surveys:theme-split", args=[staff.pk])
    response = en("consultant").post(
        url, {"phrases": ["дорого"], "key": "price", "name_ru": "Цена", "name_en": "Price"}
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.phrase_list() == ("грубый",)
    assert _tagged(codebook, "price") == {"Дорого и долго ждали"}
    assert _tagged(codebook, "staff") == {"Грубый персонал"}


def test_a_split_taking_every_phrase_is_refused_and_changes_nothing(en, codebook):
    staff = codebook.themes.get(key="staff")
    response = en("consultant").post(
        reverse("surveys:theme-split", args=[staff.pk]),
        {"phrases": ["грубый", "дорого"], "key": "price", "name_ru": "Цена"},
    )
    assert response.status_code == 200
    assert "not all of them" in response.content.decode()
    staff.refresh_from_db()
    assert staff.phrase_list() == ("грубый", "дорого")
    assert not codebook.themes.filter(key="price").exists()


def test_a_kept_codebook_is_the_consultancys_and_starts_another_survey(
    client_for, codebook, company, consultancy
):
    client = client_for("consultant")
    response = client.post(
        reverse("surveys:codebook-keep", args=[codebook.survey_id]), {"title": "Retail"}
    )
    assert response.status_code == 302
    kept = Codebook.objects.get(owner=consultancy)
    assert kept.title == "Retail"
    assert sorted(kept.themes.values_list("key", flat=True)) == ["queue", "staff", "wait"]
    listing = client.get(reverse("surveys:codebook-kept-list", args=[company.pk]))
    assert "Retail" in listing.content.decode()
    another = SurveyFactory(company=company)
    page = client.get(reverse("surveys:codebook-detail", args=[another.pk]))
    assert "Retail" in page.content.decode()  # offered as a start
    client.post(reverse("surveys:codebook-kept-delete", args=[company.pk, kept.pk]))
    assert not Codebook.objects.filter(pk=kept.pk).exists()
    assert codebook.themes.count() == 3  # the survey's own codebook stays


def test_another_consultancys_kept_codebook_is_404(client_for, company, other_company):
    kept = Codebook.objects.create(owner=other_company.parent, title="Theirs")
    response = client_for("consultant").post(
        reverse("surveys:codebook-kept-delete", args=[company.pk, kept.pk])
    )
    assert response.status_code == 404
    assert Codebook.objects.filter(pk=kept.pk).exists()
