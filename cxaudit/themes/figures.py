"""How often a theme is mentioned, and whether two groups differ (detractors vs promoters)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cxaudit.stats import Interval, proportion_interval

Z_CRITICAL = 1.96
MIN_GROUP_N = 30
MIN_EXPECTED = 5

TOO_FEW = "themes_compare_too_few"
TOO_FEW_EXPECTED = "themes_compare_too_few_expected"
NO_VARIATION = "themes_compare_no_variation"


@dataclass(frozen=True)
class Share:
    """The percentage of comments with a theme; both None when there are no comments."""

    percent: float | None
    interval: Interval | None


@dataclass(frozen=True)
class Comparison:
    """Group A minus group B, in percentage points; ``reason`` says why it was not tested."""

    difference: float | None
    z: float | None
    significant: bool
    reason: str | None


def share(count: int, n: int) -> Share:
    """The share of ``n`` comments that mention a theme, in percent, with its 95% interval."""
    interval = proportion_interval(successes=count, n=n)
    return Share(percent=None if interval is None else 100 * count / n, interval=interval)


def compare(count_a: int, n_a: int, count_b: int, n_b: int) -> Comparison:
    """Two-proportion z-test, pooled variance; tested only with n ≥ 30 and expected counts ≥ 5."""
    if n_a <= 0 or n_b <= 0 or not (0 <= count_a <= n_a and 0 <= count_b <= n_b):
        return Comparison(None, None, False, TOO_FEW)
    difference = 100 * (count_a / n_a - count_b / n_b)
    if min(n_a, n_b) < MIN_GROUP_N:
        return Comparison(difference, None, False, TOO_FEW)
    pooled = (count_a + count_b) / (n_a + n_b)
    expected = [n * p for n in (n_a, n_b) for p in (pooled, 1 - pooled)]
    if min(expected) < MIN_EXPECTED:
        return Comparison(difference, None, False, TOO_FEW_EXPECTED)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if spread == 0:
        return Comparison(difference, None, False, NO_VARIATION)
    z = (count_a / n_a - count_b / n_b) / spread
    return Comparison(difference, z, abs(z) >= Z_CRITICAL, None)
