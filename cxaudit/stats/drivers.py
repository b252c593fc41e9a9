"""Key drivers: which ratings move the outcome (NPS or CSAT), and how well each performs.

docs/methodology-drivers.md states the method and its reasons. The page, the PDF and the
recommendation engine read what ``key_drivers`` returns; the worker computes it for large
waves (100,000 responses × 10 ratings with the bootstrap: about 2 s of CPU).

**Importance shown: the Shapley decomposition of R²** (LMG, "general dominance"): each
rating's gain in explained variance averaged over every order of adding the ratings. It
is exact, sums to R², gives identical ratings equal shares and an irrelevant rating about
zero, and reads in one sentence ("on average, adding this rating explains 12 points more").
Its cost doubles with each rating, so it is capped at ``MAX_RATINGS``. Johnson's relative
weights (``regression.relative_weights``) approximate it in cubic time; the tests use them
as an independent cross-check, and they are not shown.

Input is one value per response (``None`` for a skip or N/A); only complete cases (the
outcome and every rating answered) are used, and ``n`` says how many. Like the other stats
functions it never raises for missing or bad data: it returns a status and a message key.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from cxaudit.rounding import rounded

from .common import MEAN_PLACES, PERCENT_PLACES, Z_95, Message
from .regression import (
    bootstrap_correlations,
    correlations,
    percentile_interval,
    shapley,
    subset_r2,
)

MIN_COMPLETE_CASES = 50
MIN_CASES_PER_RATING = 10
MIN_RATINGS = 2
MAX_RATINGS = 12  # 2¹² = 4,096 subsets per replicate
BOOTSTRAP_REPLICATES = 1000
BOOTSTRAP_SEED = 15
INTERVAL_LEVEL = 0.95

# R² bands, on R² in percent rounded to one decimal (house convention, see the doc).
R2_MODERATE_FROM = 30.0
R2_STRONG_FROM = 50.0

# Quadrant keys: (importance, performance) against the two splits.
FIX_FIRST = "fix_first"  # high importance, low performance
KEEP = "keep"  # high importance, high performance
SECONDARY = "secondary"  # low importance, low performance
OVER_SERVED = "over_served"  # low importance, high performance

OUTCOME = "outcome"  # the key invalid outcome answers are reported under

Answers = Sequence[float | None] | npt.NDArray[Any]


@dataclass(frozen=True)
class Rating:
    """One rating question's answers, one per response, aligned with the outcome's."""

    key: str
    answers: Answers
    scale: range  # range(1, 6) for 1–5, range(11) for 0–10


@dataclass(frozen=True)
class Estimate:
    """A value with its 95% interval; ``shown`` and friends are display-rounded (§1.3)."""

    value: float
    low: float
    high: float
    places: int = PERCENT_PLACES

    @property
    def shown(self) -> float:
        return _shown(self.value, self.places)

    @property
    def low_shown(self) -> float:
        return _shown(self.low, self.places)

    @property
    def high_shown(self) -> float:
        return _shown(self.high, self.places)


@dataclass(frozen=True)
class Driver:
    """One rating: its importance for the outcome and its performance.

    ``importance`` is its Shapley share of R² in points of the outcome's variance (0–100);
    ``share`` the same as a percentage of the explained variance (all shares sum to 100).
    ``mean`` is on the rating's own scale and ``performance`` the same mean normalised to
    0–100, both over the complete cases. ``rank`` 1 is the strongest.
    """

    key: str
    rank: int
    importance: Estimate
    share: Estimate
    mean: Estimate
    performance: Estimate
    quadrant: str


@dataclass(frozen=True)
class Reading:
    """The plain-words reading as keys and display-rounded numbers, for templates to word."""

    fix_first: str | None  # the key of the driver to fix first, if any is in that quadrant
    fix_first_share: float | None
    fix_first_performance: float | None
    strongest: str
    strongest_share: float
    r2: float  # percent of the outcome's variance the ratings explain
    r2_band: str  # weak, moderate or strong


@dataclass(frozen=True)
class DriversResult:
    """``status`` ok, no_data, too_few, no_variance or invalid, with ``message`` unless ok.

    ``n`` counts complete cases, ``n_total`` every response passed in; ``minimum`` is the
    n the analysis needs. Drivers come strongest first. ``share_split`` and
    ``performance_split`` are the quadrant lines (mean share, mean performance).
    """

    status: str
    n: int
    n_total: int
    minimum: int
    message: Message | None = None
    r2: Estimate | None = None
    r2_band: str | None = None
    drivers: tuple[Driver, ...] = ()
    share_split: float | None = None
    performance_split: float | None = None
    reading: Reading | None = None
    method: str = "shapley"
    replicates: int = BOOTSTRAP_REPLICATES
    seed: int = BOOTSTRAP_SEED


def minimum_cases(ratings: int) -> int:
    """50 complete cases, and at least 10 per rating in the model."""
    return max(MIN_COMPLETE_CASES, MIN_CASES_PER_RATING * ratings)


def r2_band(r2_percent: float) -> str:
    """weak < 30.0 ≤ moderate < 50.0 ≤ strong, on R² in percent rounded to one decimal."""
    shown = rounded(r2_percent, PERCENT_PLACES)
    if shown < R2_MODERATE_FROM:
        return "weak"
    return "moderate" if shown < R2_STRONG_FROM else "strong"


def quadrant(*, share: float, performance: float, share_split: float, perf_split: float) -> str:
    """The quadrant of a driver; compares display-rounded values, and a value equal to its
    split counts as high (the threshold rule, §1.3)."""
    important = rounded(share, PERCENT_PLACES) >= rounded(share_split, PERCENT_PLACES)
    performs = rounded(performance, PERCENT_PLACES) >= rounded(perf_split, PERCENT_PLACES)
    if important:
        return KEEP if performs else FIX_FIRST
    return OVER_SERVED if performs else SECONDARY


def key_drivers(
    *,
    outcome: Answers,
    outcome_scale: range,
    ratings: Sequence[Rating],
    replicates: int = BOOTSTRAP_REPLICATES,
    seed: int = BOOTSTRAP_SEED,
) -> DriversResult:
    """Importance (Shapley share of R², bootstrap percentile interval) and performance of
    each rating for the outcome (NPS 0–10 or CSAT 1–5 answers), with the quadrant of each
    and a reading. Raises ValueError only for caller mistakes: answer lists of different
    lengths, repeated keys, an empty scale or fewer than one replicate."""
    keys = [rating.key for rating in ratings]
    if len(set(keys)) != len(keys):
        raise ValueError("rating keys must be unique")
    if replicates < 1:
        raise ValueError("replicates must be at least 1")
    if any(len(scale) < 2 or scale.step != 1 for scale in [outcome_scale, *_scales(ratings)]):
        raise ValueError("a scale must be a range of at least two whole numbers, step 1")
    columns = [_column(rating.answers) for rating in ratings] + [_column(outcome)]
    n_total = len(columns[-1])
    if any(len(column) != n_total for column in columns):
        raise ValueError("every rating needs one answer (or None) per response")
    k = len(ratings)
    minimum = minimum_cases(k)

    def refused(status: str, reason: str, used: int = 0, **params: Any) -> DriversResult:
        return DriversResult(status, used, n_total, minimum, (reason, params), seed=seed)

    if k < MIN_RATINGS:
        return refused("invalid", "too_few_ratings", k=k, minimum=MIN_RATINGS)
    if k > MAX_RATINGS:
        return refused("invalid", "too_many_ratings", k=k, maximum=MAX_RATINGS)
    scales = [*_scales(ratings), outcome_scale]
    for key, column, scale in zip([*keys, OUTCOME], columns, scales, strict=True):
        if not _on_scale(column, scale):
            return refused("invalid", "invalid_answers", key=key)
    table = np.column_stack(columns)
    data = table[np.isfinite(table).all(axis=1)]
    n = len(data)
    if n == 0:
        return refused("no_data", "no_responses")
    if n < minimum:
        return refused("too_few", "too_few_cases", n, n=n, minimum=minimum)
    if np.ptp(data[:, -1]) == 0:
        return refused("no_variance", "constant_outcome", n)
    for key, column in zip(keys, data.T[:-1], strict=True):
        if np.ptp(column) == 0:
            return refused("no_variance", "constant_rating", n, key=key)
    return _analysis(data, ratings, n_total, minimum, replicates, seed)


# --------------------------------------------------------------------------- internals


def _analysis(
    data: npt.NDArray[np.float64],
    ratings: Sequence[Rating],
    n_total: int,
    minimum: int,
    replicates: int,
    seed: int,
) -> DriversResult:
    r2_all = subset_r2(correlations(data))
    phi = shapley(r2_all)
    r2 = float(r2_all[-1])
    boot_r2 = subset_r2(bootstrap_correlations(data, replicates=replicates, seed=seed))
    boot_phi = shapley(boot_r2)
    full = boot_r2[:, -1:]
    boot_share = np.divide(boot_phi, full, out=np.zeros_like(boot_phi), where=full > 0)
    phi_low, phi_high = percentile_interval(boot_phi, INTERVAL_LEVEL)
    share_low, share_high = percentile_interval(boot_share, INTERVAL_LEVEL)
    r2_low, r2_high = percentile_interval(boot_r2[:, -1], INTERVAL_LEVEL)
    shares = phi / r2 if r2 > 0 else np.zeros_like(phi)
    means = [
        _mean(column, rating.scale) for column, rating in zip(data.T[:-1], ratings, strict=True)
    ]
    share_split = 100 / len(ratings)
    perf_split = sum(performance.value for _on_scale, performance in means) / len(means)
    order = sorted(range(len(ratings)), key=lambda j: -phi[j])
    drivers = tuple(
        Driver(
            key=ratings[j].key,
            rank=rank,
            importance=_percent(phi[j], phi_low[j], phi_high[j]),
            share=_percent(shares[j], share_low[j], share_high[j]),
            mean=means[j][0],
            performance=means[j][1],
            quadrant=quadrant(
                share=100 * float(shares[j]),
                performance=means[j][1].value,
                share_split=share_split,
                perf_split=perf_split,
            ),
        )
        for rank, j in enumerate(order, start=1)
    )
    r2_estimate = _percent(r2, float(r2_low), float(r2_high))
    return DriversResult(
        status="ok",
        n=len(data),
        n_total=n_total,
        minimum=minimum,
        r2=r2_estimate,
        r2_band=r2_band(r2_estimate.value),
        drivers=drivers,
        share_split=share_split,
        performance_split=perf_split,
        reading=_reading(drivers, r2_estimate),
        replicates=replicates,
        seed=seed,
    )


def _reading(drivers: Sequence[Driver], r2: Estimate) -> Reading:
    """Fix first: the most important driver in the fix-first quadrant (drivers come
    strongest first, so the first one found)."""
    fix = next((d for d in drivers if d.quadrant == FIX_FIRST), None)
    strongest = drivers[0]
    return Reading(
        fix_first=None if fix is None else fix.key,
        fix_first_share=None if fix is None else fix.share.shown,
        fix_first_performance=None if fix is None else fix.performance.shown,
        strongest=strongest.key,
        strongest_share=strongest.share.shown,
        r2=r2.shown,
        r2_band=r2_band(r2.value),
    )


def _mean(column: npt.NDArray[np.float64], scale: range) -> tuple[Estimate, Estimate]:
    """The mean on the rating's scale (interval 1.96 s/√n, METHODOLOGY §3; n ≥ 50 here)
    and normalised to 0–100 (§7.1), each with its interval, clipped to the scale."""
    low, high = scale[0], scale[-1]
    mean = float(column.mean())
    margin = Z_95 * float(column.std(ddof=1)) / math.sqrt(len(column))
    bounds = (max(low, mean - margin), min(high, mean + margin))
    on_scale = Estimate(mean, *bounds, places=MEAN_PLACES)
    value, bottom, top = (100 * (x - low) / (high - low) for x in (mean, *bounds))
    return on_scale, Estimate(value, bottom, top)


def _percent(value: Any, low: Any, high: Any) -> Estimate:
    return Estimate(100 * float(value), 100 * float(low), 100 * float(high))


def _column(answers: Answers) -> npt.NDArray[np.float64]:
    """Answers as floats; numpy turns ``None`` into NaN."""
    return np.asarray(answers, dtype=np.float64)


def _scales(ratings: Sequence[Rating]) -> list[range]:
    return [rating.scale for rating in ratings]


def _on_scale(column: npt.NDArray[np.float64], scale: range) -> bool:
    """Every answer given is a whole number on the scale (NaN marks a missing answer)."""
    given = column[~np.isnan(column)]
    whole = np.all(given == np.round(given))
    return bool(whole and np.all((given >= scale[0]) & (given <= scale[-1])))


def _shown(value: float, places: int) -> float:
    shown = rounded(value, places)
    return 0.0 if shown == 0 else shown  # never −0.0
