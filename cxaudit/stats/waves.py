"""Changes between two waves (§10): difference, standard error and verdict."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from cxaudit.rounding import rounded

from .common import (
    INVALID_COUNTS,
    MEAN_PLACES,
    MIN_SHOWN_N,
    NORMAL_N,
    PERCENT_PLACES,
    Z_95,
    Message,
    Number,
    _is_count,
    display,
)
from .customer import NpsCounts
from .intervals import _nps_variance, _spread, mean_and_sd

# --------------------------------------------------------------------------- waves (§10)


class ProportionCounts(NamedTuple):
    successes: int
    n: int


class Moments(NamedTuple):
    n: int
    total: Number  # Σx
    total_squares: Number  # Σx²


@dataclass(frozen=True)
class Change:
    """A change between two waves. ``delta`` is exact (wave 2 − wave 1); the verdict uses
    |z| rounded to 2 decimals ≥ 1.96."""

    delta: float | None
    se: float | None
    z: float | None
    verdict: str  # significant_increase | significant_decline | not_significant | too_few
    #               | no_data | invalid
    n1: int
    n2: int
    message: Message | None = None
    places: int = PERCENT_PLACES  # of delta and SE; z always shows 2

    @property
    def delta_display(self) -> Decimal | None:
        return display(self.delta, self.places)

    @property
    def se_display(self) -> Decimal | None:
        return display(self.se, self.places)

    @property
    def z_display(self) -> Decimal | None:
        return display(self.z, MEAN_PLACES)

    @property
    def significant(self) -> bool:
        return self.verdict in ("significant_increase", "significant_decline")


def _verdict(delta: float, se: float) -> tuple[float | None, str, Message | None]:
    if se == 0:
        # Both waves without any spread: z is undefined; any difference is real.
        if delta == 0:
            return None, "not_significant", ("zero_variance", {})
        verdict = "significant_increase" if delta > 0 else "significant_decline"
        return None, verdict, ("zero_variance", {})
    z = delta / se
    if abs(rounded(z, MEAN_PLACES)) >= Z_95:
        return z, ("significant_increase" if z > 0 else "significant_decline"), None
    return z, "not_significant", None


def _change(
    n1: int,
    n2: int,
    delta: Callable[[], float],
    se: Callable[[], float],
    *,
    places: int = PERCENT_PLACES,
) -> Change:
    """Shared gatekeeping: ``delta``/``se`` are callables evaluated only when allowed."""
    if min(n1, n2) == 0:
        return Change(None, None, None, "no_data", n1, n2, ("no_responses", {}), places)
    if min(n1, n2) < MIN_SHOWN_N:
        too_few: Message = ("too_few", {"n": min(n1, n2), "minimum": MIN_SHOWN_N})
        return Change(None, None, None, "too_few", n1, n2, too_few, places)
    if min(n1, n2) < NORMAL_N:
        untested: Message = ("too_few_to_test", {"minimum": NORMAL_N})
        return Change(delta(), None, None, "too_few", n1, n2, untested, places)
    d, s = delta(), se()
    z, verdict, message = _verdict(d, s)
    return Change(d, s, z, verdict, n1, n2, message, places)


def nps_change(wave1: NpsCounts, wave2: NpsCounts) -> Change:
    """§10: Δ = NPS₂ − NPS₁, SE = 100 √(v₁/n₁ + v₂/n₂), z = Δ/SE."""
    w1, w2 = NpsCounts(*wave1), NpsCounts(*wave2)
    if not all(_is_count(c) for c in (*w1, *w2)):
        return Change(None, None, None, "invalid", 0, 0, INVALID_COUNTS)
    n1, n2 = sum(w1), sum(w2)

    def delta() -> float:
        nps1 = Fraction(100 * (w1.promoters - w1.detractors), n1)
        return float(Fraction(100 * (w2.promoters - w2.detractors), n2) - nps1)

    def se() -> float:
        v1 = _nps_variance(Fraction(w1.promoters), Fraction(w1.detractors), Fraction(n1))
        v2 = _nps_variance(Fraction(w2.promoters), Fraction(w2.detractors), Fraction(n2))
        return 100 * math.sqrt(v1 / n1 + v2 / n2)

    return _change(n1, n2, delta, se)


def proportion_change(wave1: ProportionCounts, wave2: ProportionCounts) -> Change:
    """§10, CSAT T2B or CES % agree: unpooled SE = 100 √(t₁(1−t₁)/n₁ + t₂(1−t₂)/n₂)."""
    w1, w2 = ProportionCounts(*wave1), ProportionCounts(*wave2)
    if not all(_is_count(c) for c in (*w1, *w2)) or w1.successes > w1.n or w2.successes > w2.n:
        return Change(None, None, None, "invalid", 0, 0, INVALID_COUNTS)

    def delta() -> float:
        return float(Fraction(100 * w2.successes, w2.n) - Fraction(100 * w1.successes, w1.n))

    def se() -> float:
        t1, t2 = Fraction(w1.successes, w1.n), Fraction(w2.successes, w2.n)
        return 100 * math.sqrt(t1 * (1 - t1) / w1.n + t2 * (1 - t2) / w2.n)

    return _change(w1.n, w2.n, delta, se)


def mean_change(wave1: Moments, wave2: Moments) -> Change:
    """§10, means: SE = √(s₁²/n₁ + s₂²/n₂) with sample variances; Δ and SE show 2 decimals."""
    w1, w2 = Moments(*wave1), Moments(*wave2)
    checks = (mean_and_sd(n=w.n, total=w.total, total_squares=w.total_squares) for w in (w1, w2))
    if any(check.status == "invalid" for check in checks):
        return Change(None, None, None, "invalid", 0, 0, INVALID_COUNTS, MEAN_PLACES)

    def delta() -> float:
        return float(Fraction(w2.total) / w2.n - Fraction(w1.total) / w1.n)

    def se() -> float:
        # s²/n = spread / (n²(n − 1)); n ≥ 30 here.
        terms = (_spread(*w) / (w.n * w.n * (w.n - 1)) for w in (w1, w2))
        return math.sqrt(sum(terms))

    return _change(w1.n, w2.n, delta, se, places=MEAN_PLACES)
