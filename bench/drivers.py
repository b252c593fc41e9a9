"""Key-driver analysis on 100,000 responses × 10 ratings with the default bootstrap, on one
core (goal: < 10 s, issue 15). Prints wall and CPU time of ``stats.key_drivers`` over three
runs after one warm-up, and exits 1 if the best wall time misses the goal.

    .venv/bin/python bench/drivers.py [responses] [ratings]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cxaudit.stats.drivers import Rating, key_drivers

ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
GOAL_SECONDS = 10.0
RUNS = 3


def generated(responses: int, ratings: int) -> tuple[list[int | None], list[Rating]]:
    """NPS answers driven by the first three ratings; 0.1% of each rating skipped."""
    rng = np.random.default_rng(2026)
    latent = rng.normal(size=(responses, 1))
    raw = 0.6 * latent + rng.normal(size=(responses, ratings))
    answers = np.clip(np.round(3 + 1.2 * raw), 1, 5)
    weights = np.zeros(ratings)
    weights[:3] = (0.6, 0.3, 0.15)
    nps = np.clip(np.round(7 + 1.5 * (answers - 3) @ weights + rng.normal(size=responses)), 0, 10)
    columns = []
    for j in range(ratings):
        column: list[int | None] = [int(a) for a in answers[:, j]]
        for i in rng.choice(responses, size=responses // 1000, replace=False):
            column[i] = None
        columns.append(Rating(key=f"q{j + 1}", answers=column, scale=range(1, 6)))
    return [int(v) for v in nps], columns


def main() -> int:
    if any(os.environ.get(name) != "1" for name in ONE_THREAD):
        # BLAS reads its thread count when numpy loads: start again on one thread.
        env = {**os.environ, **ONE_THREAD}
        os.execve(sys.executable, [sys.executable, *sys.argv], env)  # noqa: S606 - ourselves
    responses = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    ratings = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    outcome, columns = generated(responses, ratings)
    walls, cpus = [], []
    for _ in range(RUNS + 1):  # the first run warms up and is not counted
        wall, cpu = time.perf_counter(), time.process_time()
        result = key_drivers(outcome=outcome, outcome_scale=range(11), ratings=columns)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    walls, cpus = walls[1:], cpus[1:]
    print(f"{responses:,} responses × {ratings} ratings, {result.replicates} replicates")
    print(f"status {result.status}, n used {result.n:,}, R² {result.r2 and result.r2.shown}%")
    print("wall s: " + ", ".join(f"{w:.2f}" for w in walls))
    print("CPU s:  " + ", ".join(f"{c:.2f}" for c in cpus))
    best = min(walls)
    met = best < GOAL_SECONDS
    print(f"best {best:.2f} s, goal < {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
