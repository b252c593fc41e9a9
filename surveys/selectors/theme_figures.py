"""Stand-in for ``cxaudit.themes.figures`` (share, compare) until the pure core lands."""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054
MIN_N = 10  # a comparison needs at least this many per group
MIN_COUNT = 1


@dataclass(frozen=True)
class ShareFigure:
    count: int
    n: int
    percent: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Comparison:
    difference: float | None
    z: float | None
    significant: bool


def share(count: int, n: int) -> ShareFigure:
    """Percent with a Wilson 95% interval."""
    if n <= 0:
        return ShareFigure(count, n, None, None, None)
    p = count / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return ShareFigure(
        count, n, 100 * p, 100 * max(0.0, centre - half), 100 * min(1.0, centre + half)
    )


def compare(count_a: int, n_a: int, count_b: int, n_b: int) -> Comparison:
    """Two-proportion z-test of a against b."""
    if n_a < MIN_N or n_b < MIN_N:
        return Comparison(None, None, False)
    p_a, p_b = count_a / n_a, count_b / n_b
    pooled = (count_a + count_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    difference = 100 * (p_a - p_b)
    if se == 0:
        return Comparison(difference, None, False)
    z = (p_a - p_b) / se
    return Comparison(difference, z, abs(z) >= Z95 and count_a + count_b >= MIN_COUNT)
