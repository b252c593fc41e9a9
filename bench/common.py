"""What the measures of `make bench` share: the result record, the gunicorn layout, and
the helpers that interleave, load and check."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from bench import load

GUNICORN_WORKERS = 2
GUNICORN_THREADS = 4
QUICK = os.environ.get("BENCH_QUICK") == "1"  # a smoke run of the harness itself


@dataclass
class Measure:
    name: str
    unit: str
    goal: str
    ours: float | None = None
    baseline: float | None = None
    ratio: float | None = None
    value: float | None = None
    limit: float | None = None
    met: bool | None = None
    note: str = ""
    detail: dict = field(default_factory=dict)

    def judge(self, value: float, limit: float, *, at_least: bool = False) -> None:
        self.value, self.limit = round(value, 3), limit
        self.met = value >= limit if at_least else value <= limit

    def unavailable(self, reason: str) -> Measure:
        self.met, self.note = None, reason
        return self


def interleave(rounds: int, ours, baseline) -> None:
    """A, B, B, A, A, B… so neither side always runs first (warm caches, drifting load)."""
    for index in range(rounds):
        first, second = (ours, baseline) if index % 2 == 0 else (baseline, ours)
        first()
        second()


def session_client(port: int, session_key: str) -> load.Client:
    client = load.Client(port)
    client.cookies["sessionid"] = session_key
    return client


def warm(port: int, session_key: str, paths: list[str]) -> None:
    """First requests of each gunicorn worker thread import and compile templates: not timed."""
    for path in paths:
        load.run_load(
            lambda _t: session_client(port, session_key),
            lambda client, _n, path=path: client.request("GET", path),
            concurrency=GUNICORN_WORKERS * GUNICORN_THREADS,
            max_requests=4 * GUNICORN_WORKERS * GUNICORN_THREADS,
            max_seconds=60,
        )


def check_statuses(result: load.LoadResult, allowed: set[int], what: str) -> None:
    bad = {status: n for status, n in result.statuses.items() if status not in allowed}
    if bad:
        errors = "; ".join(sorted(set(result.errors))[:3])
        raise RuntimeError(f"{what}: unexpected answers {bad} {errors}")
