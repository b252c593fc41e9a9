"""Shared pieces of the survey statistics: constants, display rounding, message keys and
answer distributions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from cxaudit.rounding import round_half_up

Message = tuple[str, dict[str, Any]]
Number = int | float | Fraction | Decimal

Z_95 = 1.96
MIN_SHOWN_N = 5  # customer metrics: fewer responses are hidden (§1.4)
NORMAL_N = 30  # customer metrics: fewer responses are "indicative"; waves need both ≥ 30
DEFAULT_ANONYMITY_THRESHOLD = 5
MIN_ANONYMITY_THRESHOLD = 3
MAX_ANONYMITY_THRESHOLD = 20

PERCENT_PLACES = 1  # NPS, eNPS, percentages, margins
MEAN_PLACES = 2  # means and z

CSAT_SCALE = range(1, 6)
CES_SCALE = range(1, 8)
EMPLOYEE_SCALE = range(11)  # state at work, process ease (0–10)

# Interval methods.
WALD = "wald"
ADJUSTED_WALD = "adjusted_wald"
AGRESTI_COULL = "agresti_coull"


# --------------------------------------------------------------------------- helpers


def display(value: Number | None, places: int) -> Decimal | None:
    """The display-rounded value, never a negative zero (−0.04 shows 0.0)."""
    if value is None:
        return None
    shown = round_half_up(value, places)
    return abs(shown) if shown == 0 else shown


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _sample_message(n: int) -> tuple[str, Message | None, bool]:
    """Status, message and indicative flag for a customer metric with n ≥ 0 answers."""
    if n == 0:
        return "no_data", ("no_responses", {}), False
    if n < MIN_SHOWN_N:
        return "too_few", ("too_few", {"n": n, "minimum": MIN_SHOWN_N}), False
    if n < NORMAL_N:
        return "ok", ("indicative", {"n": n}), True
    return "ok", None, False


INVALID_COUNTS: Message = ("invalid_counts", {})

# --------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class Share:
    """One answer value of a distribution."""

    value: int
    count: int
    percent: float


@dataclass(frozen=True)
class Distribution:
    """Counts per answer value over a whole scale, with their moments."""

    n: int
    items: tuple[Share, ...]
    total: int  # Σx
    total_squares: int  # Σx²

    def count(self, values: Iterable[int]) -> int:
        wanted = set(values)
        return sum(item.count for item in self.items if item.value in wanted)


def tally(answers: Iterable[int]) -> dict[int, int]:
    """Counts per answer value (for imports and tests; production counts come from SQL)."""
    counts: dict[int, int] = {}
    for answer in answers:
        counts[answer] = counts.get(answer, 0) + 1
    return counts


def counts_distribution(counts: Mapping[int, int], *, scale: range) -> Distribution | None:
    """Normalise ``{answer: count}`` over ``scale``; None if a key is off the scale with a
    non-zero count or a count is not a whole number ≥ 0."""
    for key, count in counts.items():
        if not _is_count(count):
            return None
        if count and (not isinstance(key, int) or isinstance(key, bool) or key not in scale):
            return None
    n = sum(counts.values())
    items = tuple(
        Share(value, counts.get(value, 0), _percent(counts.get(value, 0), n) if n else 0.0)
        for value in scale
    )
    total = sum(item.value * item.count for item in items)
    squares = sum(item.value * item.value * item.count for item in items)
    return Distribution(n=n, items=items, total=total, total_squares=squares)
