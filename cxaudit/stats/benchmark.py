"""A company's standing among the consultancy's other companies (issue 19).

Definitions:

- ``percentile_cont(values, p)``: PostgreSQL's ``percentile_cont``, i.e. linear interpolation
  between the order statistics at position ``p·(n − 1)`` (numpy's ``method="linear"``).
- ``percentile_rank(values, value)``: the share of the other companies strictly below the
  company plus half of those tied with it, in percent (0 = below everyone, 100 = above all).
- The k rule: figures are shown only when at least ``MIN_PEERS`` other companies contribute.
- The filters (industry, size band, both) are offered by a stronger form of the complementary
  rule: every offered pool has ≥ k members and "the whole pool minus it" holds 0 or ≥ k
  companies; moreover the offered pools together split the companies into atoms (companies
  no offered pool tells apart) of ≥ k each. Then no sum, count or mean of any combination of
  offered pools (nested ones included: "bank" minus "bank, small") can concern fewer than k
  companies, even though medians and quartiles, which are what is shown, do not subtract.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import floor

MIN_PEERS = 5


@dataclass(frozen=True)
class Peer:
    """One other company's latest closed audit: its industry and size band ("" when the
    consultant has not set them) and its score."""

    industry: str
    size_band: str
    value: float


@dataclass(frozen=True)
class Filter:
    """``None`` matches every company; a string matches that industry (or band)."""

    industry: str | None
    size_band: str | None

    def matches(self, peer: Peer) -> bool:
        return (self.industry is None or peer.industry == self.industry) and (
            self.size_band is None or peer.size_band == self.size_band
        )


ALL = Filter(industry=None, size_band=None)


@dataclass(frozen=True)
class Summary:
    n: int
    q1: float
    median: float
    q3: float
    rank: float | None  # None when the company itself has no value


def percentile_cont(values: Iterable[float], p: float) -> float:
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY value)``."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of an empty pool")
    if not 0 <= p <= 1:
        raise ValueError("the fraction must lie in [0, 1]")
    position = p * (len(ordered) - 1)
    low = floor(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    return ordered[low] + (ordered[high] - ordered[low]) * fraction


def percentile_rank(values: Sequence[float], value: float) -> float:
    """The share (in %) of ``values`` strictly below ``value`` plus half of those equal."""
    if not values:
        raise ValueError("rank within an empty pool")
    below = sum(1 for v in values if v < value)
    ties = sum(1 for v in values if v == value)
    return 100 * (below + ties / 2) / len(values)


def _candidates(peers: Sequence[Peer]) -> list[Filter]:
    industries = sorted({p.industry for p in peers if p.industry})
    bands = sorted({p.size_band for p in peers if p.size_band})
    return (
        [ALL]
        + [Filter(industry=i, size_band=None) for i in industries]
        + [Filter(industry=None, size_band=b) for b in bands]
        + [Filter(industry=i, size_band=b) for i in industries for b in bands]
    )


def benchmark_filters(peers: Sequence[Peer], k: int = MIN_PEERS) -> list[Filter]:
    """The filter combinations offered, in a fixed order (the whole pool, industries, bands,
    then both). Each candidate is accepted only if it has ≥ k members and, with the pools
    already accepted, leaves every atom with ≥ k companies (see the module docstring)."""
    # Companies of one (industry, band) cell are alike to every filter: count cells, not peers.
    cells = Counter((peer.industry, peer.size_band) for peer in peers)
    sample = {cell: Peer(industry=cell[0], size_band=cell[1], value=0.0) for cell in cells}
    accepted: list[Filter] = []
    signatures: dict[tuple[str, str], tuple[bool, ...]] = dict.fromkeys(cells, ())
    for candidate in _candidates(peers):
        marks = {cell: candidate.matches(sample[cell]) for cell in cells}
        if sum(n for cell, n in cells.items() if marks[cell]) < k:
            continue
        trial = {cell: (*signature, marks[cell]) for cell, signature in signatures.items()}
        atoms: Counter[tuple[bool, ...]] = Counter()
        for cell, signature in trial.items():
            atoms[signature] += cells[cell]
        if min(atoms.values()) < k:
            continue
        accepted.append(candidate)
        signatures = trial
    return accepted


def benchmark_summary(
    *, peers: Sequence[Peer], value: float | None, where: Filter = ALL, k: int = MIN_PEERS
) -> Summary | None:
    """Median, quartiles and the company's rank within the pool ``where`` selects, or
    ``None`` when that pool is not offered (fewer than k companies, or a filter that would
    isolate fewer than k)."""
    if where not in benchmark_filters(peers, k):
        return None
    values = sorted(p.value for p in peers if where.matches(p))
    return Summary(
        n=len(values),
        q1=percentile_cont(values, 0.25),
        median=percentile_cont(values, 0.5),
        q3=percentile_cont(values, 0.75),
        rank=None if value is None else percentile_rank(values, value),
    )
