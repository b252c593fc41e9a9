"""`make bench`: our pages and jobs against baselines, side by side in one run.

It starts what it needs: a throwaway database (SQLite in a temporary folder, or a
``<name>_bench`` PostgreSQL database created and dropped here when DATABASE_URL is set),
gunicorn with production settings on a free 127.0.0.1 port, and a real ``celery worker``
(filesystem broker in the temporary folder, or REDIS_URL on its own queue). Each measure
interleaves batches of ours and the baseline, so both see the same machine state. It prints a
table and writes ``var/bench/latest.json``. Every load loop is bounded in count and time.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import traceback
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, reports, surveys  # noqa: E402
from bench.common import (  # noqa: E402
    GUNICORN_THREADS,
    GUNICORN_WORKERS,
    QUICK,
    Measure,
    check_statuses,
    interleave,
    session_client,
    warm,
)
from bench.harness import Environment, say, start_gunicorn  # noqa: E402

OUT = ROOT / "var" / "bench" / "latest.json"
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}


# ----------------------------------------------------------------------------- 1. audit results


def count_queries(session_key: str, path: str) -> int:
    """How many SQL queries a request of ``path`` runs, served in this process once warm
    (the first request also reads the instrument documents to parse them)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = session_key
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    if status != 200:
        raise RuntimeError(f"{path} answered {status} in process")
    return len(captured)


def measure_results_page(port: int, site) -> Measure:
    measure = Measure(
        name="Audit results page p95 vs hello world",
        unit="ms",
        goal="ratio ≤ 4",
    )
    results_path = f"/audits/{site.results_audit_id}/results/"
    paths = {"ours": results_path, "baseline": "/bench/hello/"}
    collected = {"ours": load.LoadResult(), "baseline": load.LoadResult()}
    probe = session_client(port, site.session_key)
    first = probe.request("GET", results_path)
    probe.close()
    if first.status != 200:
        raise RuntimeError(f"results page answered {first.status}")
    per_batch = 10 if QUICK else 50

    def batch(side: str):
        def run() -> None:
            result = load.run_load(
                lambda _t: session_client(port, site.session_key),
                lambda client, _n: client.request("GET", paths[side]),
                concurrency=1,
                max_requests=per_batch,
                max_seconds=30,
            )
            check_statuses(result, {200}, paths[side])
            collected[side].merge(result)

        return run

    warm(port, site.session_key, list(paths.values()))
    interleave(2 if QUICK else 6, batch("ours"), batch("baseline"))
    queries = count_queries(site.session_key, results_path)
    ours = load.percentile(collected["ours"].latencies, 0.95) * 1000
    base = load.percentile(collected["baseline"].latencies, 0.95) * 1000
    measure.ours, measure.baseline = round(ours, 2), round(base, 2)
    measure.ratio = round(ours / base, 2)
    measure.judge(measure.ratio, 4.0)
    measure.detail = {
        "requests": {k: v.requests for k, v in collected.items()},
        "median_ms": {
            k: round(statistics.median(v.latencies) * 1000, 2) for k, v in collected.items()
        },
        "concurrency": 1,
        "items": site.results_items,
        "participants": 30,
        "answers": site.results_answers,
        "bytes": len(first.body),
        "queries": queries,
    }
    measure.note = (
        f"{site.results_items} items × 30 participants, {queries} queries a request; p95 of "
        f"{collected['ours'].requests} sequential requests each"
    )
    return measure


# ----------------------------------------------------------------------------- output


def fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


def table(measures: list[Measure], header: str) -> str:
    lines = [
        header,
        "",
        "| measure | ours | baseline | unit | ratio / value | goal | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in measures:
        met = "—" if m.met is None else ("yes" if m.met else "**no**")
        shown = m.ratio if m.ratio is not None else m.value
        lines.append(
            f"| {m.name} | {fmt(m.ours)} | {fmt(m.baseline)} | {m.unit} | {fmt(shown)} "
            f"| {m.goal} | {met} |"
        )
    notes = [f"- {m.name}: {m.note}" for m in measures if m.note]
    return "\n".join([*lines, "", *notes])


def main() -> int:
    started = time.perf_counter()
    measures: list[Measure] = []
    with ExitStack() as stack:
        environment = Environment(stack)
        header = (
            f"make bench — {environment.database}, {environment.broker} broker, gunicorn "
            f"{GUNICORN_WORKERS} workers × {GUNICORN_THREADS} threads, "
            f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}"
        )
        say(header)
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        stack.callback(connections.close_all)
        say("Preparing: migrate, collectstatic, seed…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_instruments", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        from bench import seed

        seed.create_bench_table()
        site = seed.seed_site()
        say(f"  seeded in {time.perf_counter() - started:.0f} s; starting gunicorn")
        port = start_gunicorn(environment)
        steps = [
            ("results", "audit results page", lambda: [measure_results_page(port, site)]),
            ("submit", "survey submit", lambda: surveys.measure_submit(port, site)),
            (
                "survey-results",
                "survey results page",
                lambda: surveys.measure_results_pages(port, site),
            ),
            ("reports", "report render", lambda: reports.measure_reports(environment, port, site)),
        ]
        for key, title, step in steps:
            if ONLY and key not in ONLY:
                continue
            say(f"Measuring: {title}…")
            step_started = time.perf_counter()
            try:
                done = step()
            except Exception as error:
                traceback.print_exc()
                done = [
                    Measure(name=title, unit="", goal="").unavailable(
                        f"failed: {type(error).__name__}: {error}"
                    )
                ]
            for measure in done:
                verdict = {True: "met", False: "NOT met", None: measure.note}[measure.met]
                say(
                    f"  {measure.name}: {fmt(measure.ours)} vs {fmt(measure.baseline)} "
                    f"{measure.unit} → {fmt(measure.ratio or measure.value)} ({verdict})"
                )
            say(f"  ({time.perf_counter() - step_started:.0f} s)")
            measures.extend(done)
    elapsed = time.perf_counter() - started
    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = [asdict(m) for m in measures]
    OUT.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    say("")
    say(table(measures, header))
    say(f"\nWrote {OUT.relative_to(ROOT)} in {elapsed:.0f} s.")
    return 1 if any(m.note.startswith("failed:") for m in measures) else 0


if __name__ == "__main__":
    sys.exit(main())
