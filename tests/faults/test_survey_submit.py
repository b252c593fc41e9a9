"""Public survey submit under concurrent load, against gunicorn + PostgreSQL.

Every accepted answer is stored exactly once, nothing answers 5xx, and rejected submissions
get a clear 4xx page. These tests depend on the feature, not on the environment: they run
wherever the public submit view exists (and, like the rest of the service tier, need
PostgreSQL and Redis, which CI has).
"""

import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import NoReverseMatch, reverse

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CLIENTS = 490  # ordinary respondents, 20 posts each…
POSTS = 20
INVALID_AT, RETRY_AT = 7, 13  # …of which one invalid and one a retry of the post before
ABUSERS = 5  # and a few clients over the limit: 40 posts each, 30 allowed
ABUSER_POSTS = 40
CONCURRENCY = 16
MAX_SECONDS = 240


def _submit_view() -> str:
    try:
        return reverse("surveys:respond", args=["x" * 22]).replace("x" * 22, "{token}")
    except NoReverseMatch:
        pytest.skip("the surveys app has no public submit view (surveys:respond) yet")


@pytest.fixture
def open_wave(company):
    from tests.survey_factories import WaveFactory

    return WaveFactory(survey__company=company, survey__blocks=["nps"])


def _form(csrf: str, token: str, nps, comment: str) -> dict:
    return {
        "csrfmiddlewaretoken": csrf,
        "submission_token": token,
        "nps": nps,
        "comment": comment,
    }


def test_ten_thousand_concurrent_submissions_are_stored_exactly_once(
    gunicorn_server, open_wave, settings
):
    from surveys.models import Response, Submission

    path = _submit_view().format(token=open_wave.token)
    limit = getattr(settings, "SURVEY_RATE_LIMIT", 30)
    plans = []  # (client number, [(kind, token, comment, nps), …])
    for n in range(CLIENTS + ABUSERS):
        posts = []
        count = POSTS if n < CLIENTS else ABUSER_POSTS
        for k in range(count):
            comment = f"fault-{n}-{k}"
            if n < CLIENTS and k == INVALID_AT:
                posts.append(("invalid", secrets.token_urlsafe(24), comment, 11))
            elif n < CLIENTS and k == RETRY_AT:
                previous = posts[-1]
                posts.append(("retry", previous[1], previous[2], previous[3]))
            else:
                posts.append(("new", secrets.token_urlsafe(24), comment, (n + k) % 11))
        plans.append((n, posts))
    assert sum(len(posts) for _n, posts in plans) == 10_000

    outcomes = []  # (kind, comment, status, body excerpt)
    lock = threading.Lock()
    deadline = time.monotonic() + MAX_SECONDS

    def respondent(plan) -> None:
        n, posts = plan
        client = gunicorn_server.client(gunicorn_server.address(n))
        try:
            csrf, _page = client.csrf_form_token(path)
            local = []
            for kind, token, comment, nps in posts:
                if time.monotonic() > deadline:
                    break
                reply = client.request("POST", path, form=_form(csrf, token, nps, comment))
                local.append((kind, comment, reply.status, reply.body[:20000]))
        finally:
            client.close()
        with lock:
            outcomes.extend(local)

    started = time.monotonic()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        list(pool.map(respondent, plans))
    elapsed = time.monotonic() - started
    gunicorn_server.alive()
    assert len(outcomes) == 10_000, f"only {len(outcomes)} posts in {elapsed:.0f} s"

    statuses = Counter(status for _kind, _comment, status, _body in outcomes)
    assert not [s for s in statuses if s >= 500], statuses
    assert set(statuses) <= {302, 400, 429}, statuses
    for kind, _comment, status, body in outcomes:
        if status == 400:
            assert kind == "invalid"
            assert b'id="survey-form"' in body and b"invalid-feedback" in body
        elif status == 429:
            assert "Too many answers" in body.decode() or "Слишком много" in body.decode()
    assert statuses[429] == ABUSERS * (ABUSER_POSTS - limit)
    assert statuses[400] == CLIENTS

    accepted = {c for kind, c, status, _b in outcomes if kind == "new" and status == 302}
    rejected = {c for kind, c, status, _b in outcomes if status != 302}
    stored = Counter(Response.objects.filter(wave=open_wave).values_list("comment", flat=True))
    assert not {c: n for c, n in stored.items() if n > 1}, "a response was stored twice"
    assert set(stored) == accepted
    assert not rejected & set(stored)
    assert len(accepted) == CLIENTS * (POSTS - 2) + ABUSERS * limit
    assert Submission.objects.filter(wave=open_wave).count() == len(accepted)


def test_the_same_token_sent_50_times_concurrently_stores_one_response(gunicorn_server, open_wave):
    from surveys.models import Response, Submission

    path = _submit_view().format(token=open_wave.token)
    token = secrets.token_urlsafe(24)
    clients, forms = [], []
    for n in range(50):
        # Fifty tabs, retries and proxies: each with its own connection and address.
        client = gunicorn_server.client(gunicorn_server.address(10_000 + n))
        csrf, _page = client.csrf_form_token(path)
        clients.append(client)
        forms.append(_form(csrf, token, 9, "double click"))
    barrier = threading.Barrier(50)

    def send(index: int) -> int:
        barrier.wait(timeout=30)
        try:
            return clients[index].request("POST", path, form=forms[index]).status
        finally:
            clients[index].close()

    with ThreadPoolExecutor(50) as pool:
        statuses = Counter(pool.map(send, range(50)))
    gunicorn_server.alive()
    assert statuses == {302: 50}, statuses
    assert Response.objects.filter(wave=open_wave).count() == 1
    assert Submission.objects.filter(token=token).count() == 1
