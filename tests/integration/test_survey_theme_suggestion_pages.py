"""The suggestions page: asked for once at a time, progress polled until done, then each
suggestion accepted (renamed, reworded; twice for a split), joined to a theme or
dismissed; never for comments the reader may not read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from surveys.models import Codebook, SuggestionStatus, Theme, ThemeSuggestion
from surveys.selectors import survey_results
from surveys.services import themes as services
from surveys.services.theme_suggestions import wave_comment_texts
from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

RESULT = [
    {
        "top_words": ["queue", "wait"],
        "phrases": ["очередь", "ждать", "долго"],
        "examples": ["Большая очередь", "Долго ждали"],
        "size": 12,
    },
    {"top_words": ["грубый"], "phrases": ["грубый"], "examples": ["Грубо"], "size": 7},
]


@pytest.fixture
def wave(company):
    wave = WaveFactory(survey=SurveyFactory(company=company, title="Guests"), closed=True)
    for text in ("Большая очередь", "Долго ждали", "Грубо ответили"):
        ResponseFactory(wave=wave, comment=text)
    return wave


@pytest.fixture
def job(wave):
    return ThemeSuggestion.objects.create(
        wave=wave, status=SuggestionStatus.DONE, progress=100, result=RESULT
    )


def _url(name, *args):
    return reverse(f"surveys:{name}", args=args)


def test_asking_queues_one_run_and_the_page_polls_it(
    client_for, wave, django_capture_on_commit_callbacks
):
    client = client_for("consultant")
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(_url("theme-suggestions", wave.pk))
        client.post(_url("theme-suggestions", wave.pk))  # still running: not again
    assert ThemeSuggestion.objects.filter(wave=wave).count() == 1
    assert len(callbacks) == 1
    job = ThemeSuggestion.objects.get(wave=wave)
    page = client.get(_url("theme-suggestions", wave.pk)).content.decode()
    assert _url("theme-suggestion-status", job.pk) in page and 'hx-trigger="every 2s"' in page
    status = client.get(_url("theme-suggestion-status", job.pk), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in status
    ThemeSuggestion.objects.filter(pk=job.pk).update(status=SuggestionStatus.DONE, result=RESULT)
    status = client.get(_url("theme-suggestion-status", job.pk), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    page = client.get(_url("theme-suggestions", wave.pk)).content.decode()
    assert "Большая очередь" in page and "every 2s" not in page


def test_a_run_that_lost_its_worker_can_be_asked_for_again(client_for, wave):
    stale = ThemeSuggestion.objects.create(wave=wave, status=SuggestionStatus.RUNNING)
    ThemeSuggestion.objects.filter(pk=stale.pk).update(
        requested_at=timezone.now() - timedelta(hours=1)
    )
    client_for("manager").post(_url("theme-suggestions", wave.pk))
    assert ThemeSuggestion.objects.filter(wave=wave).count() == 2


def test_accepting_makes_the_codebook_and_a_theme_named_by_the_consultant(client_for, job, wave):
    client = client_for("consultant")
    form = client.get(_url("theme-suggestion-accept", job.pk, 0))
    assert form.context["form"]["key"].value() == "queue"
    assert form.context["form"]["phrases"].value() == "очередь\nждать\nдолго"
    response = client.post(
        _url("theme-suggestion-accept", job.pk, 0),
        {"key": "waiting", "name_ru": "Ожидание", "name_en": "Waiting", "phrases": "ждать\nдолго"},
    )
    assert response.status_code == 302
    theme = Codebook.objects.get(survey=wave.survey).themes.get()
    assert (theme.key, theme.name_en, theme.phrase_list()) == (
        "waiting",
        "Waiting",
        ("ждать", "долго"),
    )
    assert set(theme.tags.values_list("response__comment", flat=True)) == {"Долго ждали"}
    # The rest of the same suggestion as a second theme: a split.
    client.post(
        _url("theme-suggestion-accept", job.pk, 0),
        {"key": "queue", "name_ru": "Очередь", "phrases": "очередь"},
    )
    job.refresh_from_db()
    assert job.result[0]["taken"] == ["waiting", "queue"]
    assert Theme.objects.filter(codebook__survey=wave.survey).count() == 2


def test_accepting_a_key_the_codebook_has_keeps_the_form(en, job, wave):
    codebook = services.codebook_create(survey=wave.survey, by=None)
    services.theme_create(codebook=codebook, key="queue", name_ru="Очередь")
    response = en("consultant").post(
        _url("theme-suggestion-accept", job.pk, 0),
        {"key": "queue", "name_ru": "Очередь 2", "phrases": "очередь"},
    )
    assert response.status_code == 200
    assert "already has a theme with this key" in response.content.decode()
    assert response.context["form"]["name_ru"].value() == "Очередь 2"
    assert codebook.themes.count() == 1


def test_joining_a_suggestion_to_a_theme_adds_its_new_phrases(client_for, job, wave):
    codebook = services.codebook_create(survey=wave.survey, by=None)
    theme = services.theme_create(
        codebook=codebook, key="wait", name_ru="Ожидание", phrases="ждать"
    )
    client_for("consultant").post(_url("theme-suggestion-merge", job.pk, 0), {"into": theme.pk})
    theme.refresh_from_db()
    assert theme.phrase_list() == ("ждать", "очередь", "долго")
    assert set(theme.tags.values_list("response__comment", flat=True)) == {
        "Большая очередь",
        "Долго ждали",
    }
    job.refresh_from_db()
    assert job.result[0]["taken"] == ["wait"]


def test_joining_to_another_surveys_theme_is_refused(client_for, job, company):
    other = services.codebook_create(survey=SurveyFactory(company=company), by=None)
    theme = services.theme_create(codebook=other, key="wait", name_ru="Ожидание", phrases="ждать")
    client_for("consultant").post(_url("theme-suggestion-merge", job.pk, 0), {"into": theme.pk})
    theme.refresh_from_db()
    assert theme.phrase_list() == ("ждать",)


def test_dismissing_and_bringing_back(client_for, job):
    client = client_for("manager")
    client.post(_url("theme-suggestion-dismiss", job.pk, 1))
    job.refresh_from_db()
    assert job.result[1]["dismissed"] is True
    client.post(_url("theme-suggestion-dismiss", job.pk, 1), {"dismissed": "0"})
    job.refresh_from_db()
    assert job.result[1]["dismissed"] is False


def test_a_suggestion_that_is_not_there_is_404(client_for, job):
    assert (
        client_for("consultant").get(_url("theme-suggestion-accept", job.pk, 5)).status_code == 404
    )


def test_another_consultancy_sees_nothing(client_for, other_company):
    wave = WaveFactory(survey=SurveyFactory(company=other_company), closed=True)
    job = ThemeSuggestion.objects.create(wave=wave, status=SuggestionStatus.DONE, result=RESULT)
    client = client_for("consultant")
    assert client.get(_url("theme-suggestions", wave.pk)).status_code == 404
    assert client.get(_url("theme-suggestion-status", job.pk)).status_code == 404
    assert client.post(_url("theme-suggestion-dismiss", job.pk, 0)).status_code == 404
    job.refresh_from_db()
    assert "dismissed" not in job.result[0]


def test_an_open_anonymous_wave_has_no_suggestions(client_for, company):
    wave = WaveFactory(survey=SurveyFactory(company=company, anonymous=True))
    assert client_for("consultant").get(_url("theme-suggestions", wave.pk)).status_code == 404


def test_held_employee_comments_are_the_consultants_alone(client_for, company):
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True)
    for n in range(6):
        ResponseFactory(wave=wave, nps=None, enps=5, comment=f"Устали {n}")
    manager = client_for("manager")
    page = manager.get(_url("theme-suggestions", wave.pk)).content.decode()
    assert "Устали" not in page
    manager.post(_url("theme-suggestions", wave.pk))
    assert not ThemeSuggestion.objects.filter(wave=wave).exists()
    client_for("consultant").post(_url("theme-suggestions", wave.pk))
    assert ThemeSuggestion.objects.filter(wave=wave).count() == 1
    job = ThemeSuggestion.objects.get(wave=wave)
    ThemeSuggestion.objects.filter(pk=job.pk).update(status=SuggestionStatus.DONE, result=RESULT)
    assert manager.get(_url("theme-suggestion-accept", job.pk, 0)).status_code == 404


@pytest.mark.parametrize("beta", [1, 2, 6])
def test_the_texts_are_the_comments_the_results_page_lists(company, beta):
    """An anonymous survey's example comments are those its results page lists: never a
    comment of a team any breakdown hides (A6), whatever the sizes of the teams."""
    survey = SurveyFactory(company=company, employee=True, teams=["Alpha", "Beta", "Gamma"])
    wave = WaveFactory(survey=survey, closed=True)
    sizes = {"Alpha": 6, "Beta": beta, "Gamma": 7}
    for team, size in sizes.items():
        for n in range(size):
            ResponseFactory(wave=wave, nps=None, enps=8, team=team, comment=f"{team} {n}")
    listed = survey_results(survey=survey, can_manage=True, wave_number=wave.number, moderator=True)
    texts = wave_comment_texts(wave=wave)
    assert set(texts) == {row["comment"] for row in listed["comments"]}
    assert any(text.startswith("Beta") for text in texts) == (beta >= 5)


def test_the_pages_run_a_bounded_number_of_queries(
    client_for, wave, job, django_assert_max_num_queries
):
    codebook = services.codebook_create(survey=wave.survey, by=None)
    for n in range(10):
        services.theme_create(codebook=codebook, key=f"t{n}", name_ru=f"Тема {n}")
    ThemeSuggestion.objects.filter(pk=job.pk).update(result=RESULT * 5)
    client = client_for("consultant")
    with django_assert_max_num_queries(12):
        assert client.get(_url("theme-suggestions", wave.pk)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(_url("codebook-kept-list", wave.survey.company_id)).status_code == 200


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_suggests_the_planted_themes_and_the_page_shows_them(
    celery_worker_process, real_broker, client_for, company
):
    """Asked for on the page, clustered by a real Celery worker process, polled to the end."""
    from tests.themes_corpus import corpus

    survey = SurveyFactory(company=company, title="Guests")
    wave = WaveFactory(survey=survey, closed=True)
    comments = corpus(400, seed=16)
    for comment in comments:
        ResponseFactory(wave=wave, comment=comment.text)
    client = client_for("consultant")
    client.post(_url("theme-suggestions", wave.pk))
    job = ThemeSuggestion.objects.get(wave=wave)

    def finished():
        return ThemeSuggestion.objects.filter(
            pk=job.pk, status__in=[SuggestionStatus.DONE, SuggestionStatus.FAILED]
        ).exists()

    celery_worker_process.wait_for(finished, timeout=120)
    job.refresh_from_db()
    assert job.status == SuggestionStatus.DONE and job.progress == 100
    assert job.result, "the planted corpus gives suggestions"
    texts = {comment.text for comment in comments}
    for item in job.result:
        assert set(item["examples"]) <= texts
        assert item["size"] >= 3
    status = client.get(_url("theme-suggestion-status", job.pk), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    page = client.get(_url("theme-suggestions", wave.pk)).content.decode()
    assert escape(job.result[0]["examples"][0]) in page
