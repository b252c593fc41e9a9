"""95% intervals of NPS and shares (§2, §3) and the mean with its spread."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .common import (
    ADJUSTED_WALD,
    AGRESTI_COULL,
    INVALID_COUNTS,
    MEAN_PLACES,
    NORMAL_N,
    WALD,
    Z_95,
    Message,
    Number,
    _clip,
    _is_count,
    display,
)

# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    """A 95% interval in display units, already clipped; ``margin`` is the unclipped half-width."""

    low: float
    high: float
    margin: float
    method: str
    centre: float


def _nps_variance(promoters: Fraction, detractors: Fraction, n: Fraction) -> Fraction:
    p, d = promoters / n, detractors / n
    return p + d - (p - d) ** 2


def nps_interval(*, promoters: int, passives: int, detractors: int) -> Interval | None:
    """§2: Wald for n ≥ 30 with v > 0; otherwise adjusted-Wald (centred on NPS′). None if n = 0."""
    n = promoters + passives + detractors
    if n == 0:
        return None
    return _nps_interval(promoters, detractors, n)


def _nps_interval(promoters: int, detractors: int, n: int) -> Interval:
    variance = _nps_variance(Fraction(promoters), Fraction(detractors), Fraction(n))
    if n >= NORMAL_N and variance > 0:
        centre = 100 * (promoters - detractors) / n
        margin = Z_95 * math.sqrt(variance / n) * 100
        method = WALD
    else:
        n_adj = Fraction(n) + 3
        p_adj = (promoters + Fraction(3, 4)) / n_adj
        d_adj = (detractors + Fraction(3, 4)) / n_adj
        centre = float(100 * (p_adj - d_adj))
        v_adj = p_adj + d_adj - (p_adj - d_adj) ** 2
        margin = Z_95 * math.sqrt(v_adj / n_adj) * 100
        method = ADJUSTED_WALD
    return Interval(
        low=_clip(centre - margin, -100, 100),
        high=_clip(centre + margin, -100, 100),
        margin=margin,
        method=method,
        centre=centre,
    )


def proportion_interval(*, successes: int, n: int) -> Interval | None:
    """§3: Wald interval for a share in percent; Agresti–Coull when the share is 0 or 1."""
    if n <= 0 or not 0 <= successes <= n:
        return None
    return _proportion_interval(successes, n)


def _proportion_interval(successes: int, n: int) -> Interval:
    if 0 < successes < n:
        t = successes / n
        centre = 100 * successes / n
        margin = Z_95 * math.sqrt(t * (1 - t) / n) * 100
        method = WALD
    else:
        z2 = Z_95 * Z_95
        n_adj = n + z2
        t_adj = (successes + z2 / 2) / n_adj
        centre = 100 * t_adj
        margin = Z_95 * math.sqrt(t_adj * (1 - t_adj) / n_adj) * 100
        method = AGRESTI_COULL
    return Interval(
        low=_clip(centre - margin, 0, 100),
        high=_clip(centre + margin, 0, 100),
        margin=margin,
        method=method,
        centre=centre,
    )


# --------------------------------------------------------------------------- means


@dataclass(frozen=True)
class MeanResult:
    """Mean of answers from n, Σx and Σx² (what SQL's COUNT, SUM(x), SUM(x*x) give)."""

    value: float | None
    status: str
    n: int
    sd: float | None  # sample standard deviation (n − 1), for n ≥ 2
    margin: float | None  # 1.96 s/√n, only for n ≥ 30
    message: Message | None = None
    places: int = MEAN_PLACES

    @property
    def display(self) -> Decimal | None:
        return display(self.value, self.places)

    @property
    def margin_display(self) -> Decimal | None:
        return display(self.margin, self.places)


def _spread(n: int, total: Number, total_squares: Number) -> Fraction:
    """n·Σx² − (Σx)² = n(n − 1)s², exact for integer (or decimal) sums."""
    total_f = Fraction(total)
    return n * Fraction(total_squares) - total_f * total_f


def mean_and_sd(*, n: int, total: Number, total_squares: Number) -> MeanResult:
    if not _is_count(n):
        return MeanResult(None, "invalid", 0, None, None, INVALID_COUNTS)
    if n == 0:
        return MeanResult(None, "no_data", 0, None, None, ("no_responses", {}))
    spread = _spread(n, total, total_squares)
    if spread < 0:
        return MeanResult(None, "invalid", n, None, None, INVALID_COUNTS)
    mean = float(Fraction(total) / n)
    sd = math.sqrt(spread / (n * (n - 1))) if n >= 2 else None
    margin = Z_95 * sd / math.sqrt(n) if sd is not None and n >= NORMAL_N else None
    return MeanResult(mean, "ok", n, sd, margin)
