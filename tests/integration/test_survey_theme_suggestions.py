"""The worker's theme suggestions: claimed once, texts of examples stored, hidden comments
and waves below k kept out. The task is called directly (cxaudit.themes.suggest is faked
until the clustering core lands)."""

import sys
import types
from dataclasses import dataclass

import pytest

from surveys import tasks
from surveys.models import SuggestionStatus, ThemeSuggestion
from surveys.services.theme_suggestions import theme_suggestion_request, theme_suggestion_run
from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory

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

    module = types.ModuleType("cxaudit.themes.suggest")
    module.suggest = suggest
    monkeypatch.setitem(sys.modules, "cxaudit.themes.suggest", module)
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
