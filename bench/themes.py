"""Suggested themes on 50,000 generated comments in a fresh process (goal: < 60 s and
< 500 MiB peak RSS, issue 16). The child makes the comments, times ``suggest`` and reports
its peak RSS (``ru_maxrss``, which includes the interpreter, the libraries and the texts);
exits 1 if a goal is missed.

    .venv/bin/python bench/themes.py [comments]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 60.0
GOAL_MIB = 500.0
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from tests.themes_corpus import corpus
from cxaudit.themes.suggest import suggest
texts = [c.text for c in corpus({n}, seed=50)]
wall, cpu = time.perf_counter(), time.process_time()
found = suggest(texts)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"wall": wall, "cpu": cpu, "mib": peak, "themes": len(found),
                   "top": [list(s.top_words[:4]) for s in found[:3]]}}))
"""


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), n=n)],
        env={**os.environ, **ONE_THREAD},
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{n:,} comments, {figures['themes']} suggested themes; largest: {figures['top']}")
    print(f"wall s: {figures['wall']:.2f}, CPU s: {figures['cpu']:.2f}")
    time_met = figures["wall"] < GOAL_SECONDS
    memory_met = figures["mib"] < GOAL_MIB
    print(
        f"time {figures['wall']:.2f} s, goal < {GOAL_SECONDS:.0f} s: "
        f"{'met' if time_met else 'MISSED'}"
    )
    print(
        f"peak RSS {figures['mib']:.0f} MiB, goal < {GOAL_MIB:.0f} MiB: "
        f"{'met' if memory_met else 'MISSED'}"
    )
    return 0 if time_met and memory_met else 1


if __name__ == "__main__":
    sys.exit(main())
