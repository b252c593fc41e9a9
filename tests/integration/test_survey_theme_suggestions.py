"""The worker's theme suggestions: claimed once, texts of examples stored, hidden comments
and waves below k kept out. The task is called directly; the clustering is stood in for
where a test is about what reaches it, and real where it is about what comes out."""

from dataclasses import dataclass

import pytest

from cxaudit.themes import suggest as clustering
from surveys import tasks
from surveys.models import Response, SuggestionStatus, ThemeSuggestion
from surveys.services.theme_suggestions import theme_suggestion_request, theme_suggestion_run
from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory
from tests.themes_corpus import corpus

pytestmark = pytest.mark.django_db


@dataclass
class FakeSuggestion:
    top_words: tuple
    phrases: tuple
    examples: tuple
    size: int


@pytest.fixture
def seen(monkeypatch):
    calls = []

    def suggest(texts, *, max_themes=10, seed=16, progress=None):
        calls.append(list(texts))
        if progress:
            progress(50)
        return [FakeSuggestion(("очередь",), ("очередь",), (0,), len(texts))]

    monkeypatch.setattr(clustering, "suggest", suggest)
    return calls


def test_the_worker_stores_suggestions_with_example_texts(seen, django_capture_on_commit_callbacks):
    wave = WaveFactory(survey=SurveyFactory(), closed=True)
    ResponseFactory(wave=wave, comment="Большая очередь")
    hidden = ResponseFactory(wave=wave, comment="Секрет", comment_hidden=True)
    with django_capture_on_commit_callbacks() as callbacks:
        job = theme_suggestion_request(wave=wave, by=None)
    assert len(callbacks) == 1
    tasks.theme_suggestion_run(job.pk)
    job.refresh_from_db()
    assert job.status == SuggestionStatus.DONE and job.progress == 100
    assert job.result[0]["examples"] == ["Большая очередь"]
    assert seen == [["Большая очередь"]]
    assert hidden.comment not in str(job.result)
    assert theme_suggestion_run(job_id=job.pk) is None  # a repeated delivery does nothing


def test_an_anonymous_wave_below_k_gives_nothing(seen):
    wave = WaveFactory(survey=SurveyFactory(employee=True), closed=True)
    ResponseFactory(wave=wave, comment="Мало нас", nps=None, enps=5)
    job = ThemeSuggestion.objects.create(wave=wave)
    theme_suggestion_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == SuggestionStatus.DONE and job.result == []
    assert seen == []


def test_the_real_clustering_proposes_planted_themes_with_their_examples():
    wave = WaveFactory(survey=SurveyFactory(), closed=True)
    comments = corpus(400, seed=3)
    Response.objects.bulk_create(
        Response(wave=wave, submitted_on=wave.opens_on, comment=comment.text)
        for comment in comments
    )
    job = ThemeSuggestion.objects.create(wave=wave)
    theme_suggestion_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == SuggestionStatus.DONE and job.result
    themes_of = {comment.text: comment.themes for comment in comments}

    def planted(suggestion) -> bool:
        """Most of its example comments carry one planted theme."""
        examples = suggestion["examples"]
        counts = {}
        for text in examples:
            for theme in themes_of[text]:
                counts[theme] = counts.get(theme, 0) + 1
        return bool(examples) and max(counts.values(), default=0) * 2 > len(examples)

    assert sum(planted(suggestion) for suggestion in job.result) >= 3
    assert all(suggestion["top_words"] for suggestion in job.result)


def test_a_comment_written_by_many_is_one_example(monkeypatch):
    def suggest(texts, *, max_themes=10, seed=16, progress=None):
        return [FakeSuggestion(("очередь",), ("очередь",), tuple(range(len(texts))), len(texts))]

    monkeypatch.setattr(clustering, "suggest", suggest)
    wave = WaveFactory(survey=SurveyFactory(), closed=True)
    for text in ["Очередь"] * 9 + ["Большая очередь"] * 9 + [f"Очередь {n}" for n in range(3)]:
        ResponseFactory(wave=wave, comment=text)
    job = ThemeSuggestion.objects.create(wave=wave)
    theme_suggestion_run(job_id=job.pk)
    job.refresh_from_db()
    examples = job.result[0]["examples"]  # 5 distinct of the 5 texts
    assert len(examples) == 5 and len(set(examples)) == 5
