"""Change of a maturity score between two rounds (§10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .maturity import level_for
from .scales import DEFAULT_THRESHOLDS, STABLE_CHANGE, Exact, Trend, _rounded, as_fraction, display

# --------------------------------------------------------------------------- rounds


@dataclass(frozen=True, kw_only=True)
class RoundChange:
    previous: Fraction | None
    current: Fraction | None
    delta: Fraction | None  # current − previous, points; None unless both scored
    trend: Trend | None  # "stable" when |delta| shows below 5.0
    previous_level: int | None
    current_level: int | None
    level_change: int | None  # current − previous level

    @property
    def display(self) -> Decimal | None:
        return display(self.delta, 1)


def change_between_rounds(
    previous: Exact | None,
    current: Exact | None,
    *,
    previous_level: int | None = None,
    current_level: int | None = None,
    thresholds: Sequence[Exact] = DEFAULT_THRESHOLDS,
) -> RoundChange:
    """Change of a maturity score between two rounds (§10): points and level.

    Levels default to the band level of each score; pass the capped overall
    levels to compare overall levels after the weakest-link rule.
    """
    before = None if previous is None else as_fraction(previous)
    after = None if current is None else as_fraction(current)
    if previous_level is None and before is not None:
        previous_level = level_for(before, thresholds)
    if current_level is None and after is not None:
        current_level = level_for(after, thresholds)
    delta: Fraction | None = None
    trend: Trend | None = None
    if before is not None and after is not None:
        delta = after - before
        shown = _rounded(delta, 1)
        trend = "stable" if abs(shown) < STABLE_CHANGE else ("up" if shown > 0 else "down")
    level_change = (
        None if previous_level is None or current_level is None else current_level - previous_level
    )
    return RoundChange(
        previous=before,
        current=after,
        delta=delta,
        trend=trend,
        previous_level=previous_level,
        current_level=current_level,
        level_change=level_change,
    )
