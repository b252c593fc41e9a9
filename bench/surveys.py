"""The survey measures of `make bench`: the public submit against a bare insert, and the
results page of a wave of 1,000,000 responses against the same aggregates in raw SQL."""

from __future__ import annotations

import secrets
import statistics
import time

from bench import load, seed
from bench.common import QUICK, Measure, check_statuses, interleave, session_client

BIG_WAVE = 1_000_000
SUBMIT_RATIO, SUBMIT_RATE = 0.35, 300.0
RESULTS_RATIO, RESULTS_QUERIES = 1.5, 10

# ----------------------------------------------------------------------------- survey submit


def submit_available() -> str:
    """Empty when the public submit view is in the tree, else why not."""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("surveys:respond", args=["x" * 22])
    except NoReverseMatch:
        return "the surveys app has no public submit view (surveys:respond) yet"
    return ""


def measure_submit(port: int, site) -> list[Measure]:
    """Two judged measures of one load: the ratio to a bare insert and the absolute rate."""
    measure = Measure(
        name="Public survey submit req/s vs bare one-row insert",
        unit="req/s",
        goal=f"ratio ≥ {SUBMIT_RATIO}",
    )
    rate = Measure(
        name="Public survey submit req/s (2 gunicorn workers)",
        unit="req/s",
        goal=f"≥ {SUBMIT_RATE:.0f} req/s",
    )
    reason = submit_available()
    if reason:
        return [measure.unavailable(reason), rate.unavailable(reason)]
    respond = f"/s/{site.wave_token}/"
    concurrency = 8
    collected = {"ours": load.LoadResult(), "baseline": load.LoadResult()}

    def make_client(_thread: int) -> load.Client:
        client = load.Client(port)
        client.csrf = client.csrf_form_token(respond)[0]
        return client

    def send_ours(client: load.Client, n: int) -> load.Reply:
        return client.request(
            "POST",
            respond,
            form={
                "csrfmiddlewaretoken": client.csrf,
                "submission_token": secrets.token_urlsafe(24),
                "nps": n % 11,
                "csat": 1 + n % 5,
                "comment": "Быстро и вежливо" if n % 5 == 0 else "",
            },
        )

    def send_baseline(client: load.Client, n: int) -> load.Reply:
        return client.request(
            "POST",
            "/bench/insert/",
            form={
                "csrfmiddlewaretoken": client.csrf,
                "token": secrets.token_urlsafe(24),
                "value": n % 11,
            },
        )

    seconds = 1.5 if QUICK else 4.0

    def batch(side: str, send):
        def run() -> None:
            result = load.run_load(
                make_client, send, concurrency=concurrency, max_requests=5000, max_seconds=seconds
            )
            check_statuses(result, {302}, side)
            collected[side].merge(result)

        return run

    batch("ours", send_ours)()  # warm-up of both sides, not counted
    batch("baseline", send_baseline)()
    collected = {"ours": load.LoadResult(), "baseline": load.LoadResult()}
    interleave(2 if QUICK else 6, batch("ours", send_ours), batch("baseline", send_baseline))
    measure.ours = rate.ours = round(collected["ours"].rate, 1)
    measure.baseline = round(collected["baseline"].rate, 1)
    measure.ratio = round(measure.ours / measure.baseline, 3)
    measure.judge(measure.ratio, SUBMIT_RATIO, at_least=True)
    rate.judge(rate.ours, SUBMIT_RATE, at_least=True)
    measure.detail = {
        "requests": {k: v.requests for k, v in collected.items()},
        "p95_ms": {
            k: round(load.percentile(v.latencies, 0.95) * 1000, 2) for k, v in collected.items()
        },
        "concurrency": concurrency,
    }
    measure.note = f"{concurrency} keep-alive clients, closed loop"
    rate.note = "the same load as the ratio, ours alone"
    return [measure, rate]


# ----------------------------------------------------------------------------- survey results


def measure_results_pages(port: int, site) -> list[Measure]:
    """The big wave's results page, then the same page once its responses answer 20 own
    questions (seeded into the same wave, so 1,000,000 responses are seeded once)."""
    from bench.own_questions import measure_own_results_page

    wave: dict = {}
    plain = measure_results_page(port, site, keep=wave)
    own = measure_own_results_page(port, site, **wave)
    return [plain, own]


def measure_results_page(port: int, site, *, keep: dict | None = None) -> Measure:
    """The wave results page as a user gets it (GET through gunicorn, one client at a time)
    against running the page's aggregate in raw SQL here, plus the page's query count.
    ``keep`` receives the wave seeded, for the measure with own questions."""
    measure = Measure(
        name="Survey results page at 1,000,000 responses vs raw SQL aggregates",
        unit="ms",
        goal=f"ratio ≤ {RESULTS_RATIO}, ≤ {RESULTS_QUERIES} queries",
    )
    from django.db import connection

    from surveys import selectors
    from surveys.models import Survey

    responses = 50_000 if QUICK else BIG_WAVE
    started = time.perf_counter()
    survey_id, wave_id = seed.seed_big_wave(site, responses)
    seed.vacuum_analyze()
    seeded = time.perf_counter() - started
    survey = Survey.objects.get(pk=survey_id)
    raw_sql, params = raw_aggregate_sql(selectors.count_expressions(survey), wave_id)
    if keep is not None:
        keep.update(survey_id=survey_id, wave_id=wave_id, responses=responses, raw_sql=raw_sql)
    path = f"/surveys/{survey_id}/results/"
    queries = page_queries(site, path)
    client = session_client(port, site.session_key)
    times: dict[str, list[float]] = {"ours": [], "baseline": []}
    answers = {}

    def ours() -> None:
        started = time.perf_counter()
        reply = client.request("GET", path)
        times["ours"].append(time.perf_counter() - started)
        if reply.status != 200:
            raise RuntimeError(f"survey results page answered {reply.status}")
        answers["bytes"] = len(reply.body)

    def baseline() -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, params)
            row = cursor.fetchone()
        times["baseline"].append(time.perf_counter() - started)
        answers["n"] = row[0]

    ours()
    ours()  # warm-up: both gunicorn threads' templates, the table's pages in the cache
    baseline()
    times = {"ours": [], "baseline": []}
    interleave(3 if QUICK else 7, ours, baseline)
    client.close()
    if answers["n"] != responses:
        raise RuntimeError(f"the raw SQL counted {answers['n']} responses, not {responses}")
    measure.ours = round(statistics.median(times["ours"]) * 1000, 1)
    measure.baseline = round(statistics.median(times["baseline"]) * 1000, 1)
    measure.ratio = round(measure.ours / measure.baseline, 3)
    measure.judge(measure.ratio, RESULTS_RATIO)
    measure.met = measure.met and len(queries) <= RESULTS_QUERIES
    measure.detail = {
        "responses": responses,
        "seed_seconds": round(seeded, 1),
        "runs": len(times["ours"]),
        "queries": len(queries),
        "page_sql": queries,
        "raw_sql": raw_sql,
        "bytes": answers["bytes"],
        "runs_ms": {k: [round(v * 1000, 1) for v in t] for k, t in times.items()},
    }
    measure.note = (
        f"{responses:,} responses (NPS + CSAT survey, one closed wave); ours: GET of the "
        f"results page through gunicorn, {len(queries)} queries; baseline: the same "
        f"conditional counts in one hand-written SELECT; median of {len(times['ours'])} runs"
    )
    return measure


def page_queries(site, path: str) -> list[str]:
    """The SQL of one GET of ``path`` as the consultant, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = site.session_key
    with CaptureQueriesContext(connection) as captured:
        reply = client.get(path)
    if reply.status_code != 200:
        raise RuntimeError(f"survey results page answered {reply.status_code} to the test client")
    return [query["sql"] for query in captured]


def raw_aggregate_sql(expressions: dict, wave_id: int) -> tuple[str, list]:
    """The hand-written aggregate: every count the results page needs, for one wave."""
    from surveys.models import Response

    columns = []
    for alias, expression in expressions.items():
        if alias == "n":
            columns.append('COUNT(*) AS "n"')
            continue
        condition = expression.filter.children[0]
        if alias == "comments":
            columns.append(f"COUNT(*) FILTER (WHERE comment <> '') AS \"{alias}\"")
            continue
        column, value = condition
        literal = int(value) if isinstance(value, int) else "'" + str(value) + "'"
        columns.append(f'COUNT(*) FILTER (WHERE "{column}" = {literal}) AS "{alias}"')
    table = Response._meta.db_table
    sql = f"SELECT {', '.join(columns)} FROM {table} WHERE wave_id = %s"  # noqa: S608 - ours
    return sql, [wave_id]
