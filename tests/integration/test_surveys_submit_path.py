"""The public submit's hot path: the wave lookup cached per process, the answer stored in one
transaction that also checks the wave is open, exactly once per submission token, and the
form's fields built once per survey and language."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from surveys import selectors, services
from surveys.forms import ResponseForm
from surveys.models import Response, Submission, Wave
from surveys.selectors import access
from tests.conftest import only_on
from tests.survey_factories import SurveyFactory, WaveFactory, form_token, respond_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_wave_cache():
    selectors.wave_cache_clear()
    with translation.override("en"):
        yield
    selectors.wave_cache_clear()


@pytest.fixture
def survey(company):
    return SurveyFactory(
        company=company, title="Гости кофейни", blocks=["nps", "csat"], intro="Добрый день!"
    )


@pytest.fixture
def wave(survey):
    return WaveFactory(survey=survey, number=1)


def wave_queries(queries) -> list[str]:
    """The lookups of the wave by its token among ``queries`` (the store reads it by id)."""
    return [q["sql"] for q in queries if '"surveys_wave"."token" =' in q["sql"]]


# --------------------------------------------------------------------------- the lookup


def test_lookup_brings_the_wave_survey_and_company(wave, company):
    Wave.objects.filter(pk=wave.pk).update(closed_at=timezone.now())
    expected = Wave.objects.select_related("survey__company").get(pk=wave.pk)
    found = selectors.wave_for_token_uncached(wave.token)
    for ours, theirs in (
        (found, expected),
        (found.survey, expected.survey),
        (found.survey.company, expected.survey.company),
    ):
        for field in type(theirs)._meta.concrete_fields:
            mine, orm = getattr(ours, field.attname), getattr(theirs, field.attname)
            assert (mine, type(mine)) == (orm, type(orm)), field.name
        assert ours._state.adding is False and ours._state.db == "default"
    assert found.survey.blocks == ["nps", "csat"]
    assert found.closed_at.tzinfo is not None


def test_unknown_token_finds_nothing(db):
    assert selectors.wave_for_token("no-such-token") is None
    assert selectors.wave_for_token_uncached("no-such-token") is None


def test_public_page_reads_the_wave_once_per_period(client, wave):
    url = respond_url(wave)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert len(wave_queries(first)) == 1
    assert wave_queries(second) == []
    later = time.monotonic() + selectors.WAVE_CACHE_SECONDS
    with (
        mock.patch.object(access.time, "monotonic", return_value=later),
        CaptureQueriesContext(connection) as third,
    ):
        assert client.get(url).status_code == 200
    assert len(wave_queries(third)) == 1


def test_editing_the_survey_shows_at_once(client, wave, survey):
    url = respond_url(wave)
    assert "Добрый день!" in client.get(url).content.decode()
    services.survey_update(survey=survey, title=survey.title, blocks=survey.blocks, intro="Привет")
    page = client.get(url).content.decode()
    assert "Привет" in page and "Добрый день!" not in page


def test_closing_the_wave_shows_at_once(client, wave):
    url = respond_url(wave)
    assert client.get(url).status_code == 200
    services.wave_close(wave=wave)
    Wave.objects.filter(pk=wave.pk).update(closes_on=wave.opens_on)
    assert client.get(url).status_code == 410


# --------------------------------------------------------------------------- the store


def test_wave_closed_by_another_process_takes_no_answer(client, wave):
    """Another process closed the wave: this one's copy still says open for a few seconds,
    but the insert checks the wave itself."""
    url = respond_url(wave)
    token = form_token(client, url)
    Wave.objects.filter(pk=wave.pk).update(closed_at=timezone.now())
    response = client.post(url, {"submission_token": token, "nps": 9, "csat": 5})
    assert response.status_code == 410
    assert not Response.objects.exists()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda today: {"closed_at": timezone.now()},
        lambda today: {"closes_on": today - timedelta(days=1)},
        lambda today: {"opens_on": today + timedelta(days=1), "closes_on": today},
    ],
    ids=["closed-early", "ended", "not-started"],
)
def test_service_refuses_a_stale_copy_of_a_wave_not_open(wave, change):
    # The dates are taken when the test runs, in the site's time zone (at collection they
    # could fall on another day: Moscow's day starts at 21:00 UTC).
    change = change(timezone.localdate())
    stale = selectors.wave_for_token(wave.token)
    if "opens_on" in change:
        change["closes_on"] = change["opens_on"]
    Wave.objects.filter(pk=wave.pk).update(**change)
    with pytest.raises(services.WaveNotOpen):
        services.response_submit(wave=stale, submission_token="s" * 24, answers={"nps": 7})
    assert not Response.objects.exists() and not Submission.objects.exists()


def test_repeated_token_is_a_duplicate_not_a_closed_wave(wave):
    assert services.response_submit(wave=wave, submission_token="d" * 24, answers={"nps": 7})
    assert not services.response_submit(wave=wave, submission_token="d" * 24, answers={"nps": 1})
    stored = Response.objects.get()
    assert stored.nps == 7 and stored.submitted_on == timezone.localdate()


def test_store_writes_every_field(wave, survey):
    channel = survey.channels.create(name="Касса")
    answers = {
        "nps": 0,
        "csat": 5,
        "ces": 7,
        "exit_reason": "price",
        "exit_where": "competitor",
        "comment": "Всё <b>хорошо</b>",
    }
    assert services.response_submit(
        wave=wave, submission_token="f" * 24, answers=answers, channel=channel
    )
    stored = Response.objects.values().get()
    assert {key: stored[key] for key in answers} == answers
    assert stored["channel_id"] == channel.pk and stored["source"] == "web"
    assert stored["enps"] is None and stored["team"] == ""


def test_submit_with_a_warm_cache_stores_in_one_transaction(client, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"submission_token": token, "nps": 9, "csat": 5})
    assert response.status_code == 302
    assert not wave_queries(queries)
    sql = [q["sql"] for q in queries]
    # The test's transaction makes the service's atomic block a savepoint.
    assert sql[0].startswith("SAVEPOINT") and sql[-1].startswith("RELEASE")
    inner = [s.split(" (")[0].split(" WHERE")[0] for s in sql[1:-1]]
    assert inner[0].startswith('SELECT "surveys_wave"."id"')  # read again: open today?
    assert inner[1:] == ['INSERT INTO "surveys_submission"', 'INSERT INTO "surveys_response"']
    assert Response.objects.count() == 1 and Submission.objects.count() == 1


def test_a_failed_answer_insert_leaves_no_token(wave, monkeypatch):
    """The token and the answer commit together: a failure after the token's insert keeps
    neither, so the respondent can send the same form again."""

    def broken(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(Response, "save", broken)
        with pytest.raises(RuntimeError):
            services.response_submit(wave=wave, submission_token="b" * 24, answers={"nps": 7})
    assert not Submission.objects.exists() and not Response.objects.exists()
    assert services.response_submit(wave=wave, submission_token="b" * 24, answers={"nps": 7})


@pytest.mark.django_db(transaction=True)
def test_the_same_token_sent_concurrently_stores_one_response(wave):
    """Double submit on PostgreSQL: concurrent transactions claim the same token; the
    token's primary key lets one commit and the others see IntegrityError."""
    only_on("postgresql")
    barrier = threading.Barrier(8)

    def send(n: int) -> bool:
        try:
            barrier.wait(timeout=10)
            return services.response_submit(
                wave=wave, submission_token="c" * 24, answers={"nps": n}
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        stored = list(pool.map(send, range(8)))
    assert sorted(stored) == [False] * 7 + [True]
    assert Response.objects.count() == 1 and Submission.objects.count() == 1


# --------------------------------------------------------------------------- the form


def test_forms_of_one_survey_share_no_widget_state(survey):
    first, second = ResponseForm(survey=survey), ResponseForm(survey=survey)
    assert first.fields["nps"] is not second.fields["nps"]
    first.fields["nps"].widget.attrs["class"] = "is-invalid"
    assert "class" not in second.fields["nps"].widget.attrs
    assert list(first.fields["nps"].choices) == list(second.fields["nps"].choices)
    assert [value for value, _label in second.fields["nps"].choices] == list(range(11))


def test_an_invalid_answer_leaves_no_trace_on_the_next_form(client, wave):
    url = respond_url(wave)
    token = form_token(client, url)
    refused = client.post(url, {"submission_token": token, "csat": 4})
    assert refused.status_code == 400 and "is-invalid" in refused.content.decode()
    assert "is-invalid" not in client.get(url).content.decode()


def test_form_fields_follow_the_language(survey):
    with translation.override("ru"):
        russian = ResponseForm(survey=survey).fields["nps"].label
    with translation.override("en"):
        english = ResponseForm(survey=survey).fields["nps"].label
    assert russian != english and "recommend" in english


def test_form_fields_follow_the_teams(company):
    employees = SurveyFactory(company=company, employee=True, teams=["Sales"])
    assert [v for v, _l in ResponseForm(survey=employees).fields["team"].choices] == ["Sales"]
    employees.teams = ["Sales", "Support"]
    choices = ResponseForm(survey=employees).fields["team"].choices
    assert [v for v, _l in choices] == ["Sales", "Support"]
