"""Scales, exact numbers and display rounding shared by the scoring modules (§1.1, §1.3)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal, TypeAlias

from cxaudit.rounding import round_half_up

Scale: TypeAlias = Literal["yes-no", "plus", "yes-partial-no", "likert-5", "0-10", "number", "text"]
SectionStatus: TypeAlias = Literal["scored", "insufficient", "not_applicable"]
GapFlag: TypeAlias = Literal["blind_spot", "hidden_strength"]
BLIND_SPOT: Final = "blind_spot"
HIDDEN_STRENGTH: Final = "hidden_strength"
Trend: TypeAlias = Literal["up", "down", "stable"]
Exact: TypeAlias = int | Fraction | Decimal | float

# Inclusive raw ranges of the scored scales (§1.1); number and text are never scored.
_RANGES: Final[dict[str, tuple[int, int]]] = {
    "yes-no": (0, 1),
    "plus": (0, 1),
    "yes-partial-no": (0, 2),
    "likert-5": (1, 5),
    "0-10": (0, 10),
}
SCORED_SCALES: Final[frozenset[str]] = frozenset(_RANGES)
UNSCORED_SCALES: Final[frozenset[str]] = frozenset({"number", "text"})
SCALES: Final[frozenset[str]] = SCORED_SCALES | UNSCORED_SCALES

DEFAULT_THRESHOLDS: Final[tuple[int, int, int, int]] = (20, 40, 60, 80)
LEVEL_KEYS: Final[dict[int, str]] = {
    1: "reactive",
    2: "emerging",
    3: "defined",
    4: "managed",
    5: "customer-led",
}
MIN_STAFF: Final = 3
DEFAULT_ITEM_GAP_THRESHOLD: Final = Fraction(40)
DEFAULT_DOMAIN_GAP_THRESHOLD: Final = Fraction(20)
STABLE_CHANGE: Final = Fraction(5)

_HUNDRED: Final = Fraction(100)


# --------------------------------------------------------------------------- helpers


def as_fraction(value: Exact) -> Fraction:
    """An exact value; floats go through their shortest decimal form (0.1 -> 1/10)."""
    if isinstance(value, bool):
        raise TypeError("expected a number, not a bool")
    if isinstance(value, Fraction | int | Decimal):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"expected a finite number, got {value}")
        return Fraction(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"expected a finite number, got {value}")
        return Fraction(repr(value))
    raise TypeError(f"expected a number, got {type(value).__name__}")


def display(value: Exact | None, places: int = 1) -> Decimal | None:
    """The display value (half away from zero), or None; the Django layer formats it."""
    return None if value is None else round_half_up(as_fraction(value), places)


def _rounded(value: Exact, places: int = 1) -> Fraction:
    """The display-rounded value as an exact number, for threshold comparisons."""
    return Fraction(round_half_up(as_fraction(value), places))


def _check_scale(scale: str) -> None:
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")


def _positive_weight(value: Exact, what: str) -> Fraction:
    weight = as_fraction(value)
    if weight <= 0:
        raise ValueError(f"{what} weight must be positive, got {value}")
    return weight


# --------------------------------------------------------------------------- scales


def scale_min(scale: str) -> int | None:
    """Lowest raw answer of a scored scale; None for number and text."""
    _check_scale(scale)
    bounds = _RANGES.get(scale)
    return None if bounds is None else bounds[0]


def scale_max(scale: str) -> int | None:
    """Highest raw answer of a scored scale; None for number and text."""
    _check_scale(scale)
    bounds = _RANGES.get(scale)
    return None if bounds is None else bounds[1]


def is_scored(scale: str) -> bool:
    _check_scale(scale)
    return scale in SCORED_SCALES


def valid_raw(scale: str, raw: object) -> bool:
    """Whether ``raw`` may be stored for ``scale``.

    Scored scales take whole numbers in their range (bools are refused);
    ``number`` takes any finite int, float or Decimal; ``text`` takes a string.
    """
    _check_scale(scale)
    if scale == "text":
        return isinstance(raw, str)
    if isinstance(raw, bool):
        return False
    if scale == "number":
        if isinstance(raw, int | Fraction):
            return True
        if isinstance(raw, Decimal):
            return raw.is_finite()
        return isinstance(raw, float) and raw == raw and abs(raw) != float("inf")
    low, high = _RANGES[scale]
    return isinstance(raw, int) and low <= raw <= high


def normalise(scale: str, raw: int) -> Fraction | None:
    """The normalised value s in [0, 1] of a raw answer (§7.1); None when unscored.

    Raises ValueError for a raw value outside a scored scale.
    """
    _check_scale(scale)
    if scale not in SCORED_SCALES:
        return None
    if not valid_raw(scale, raw):
        raise ValueError(f"{raw!r} is not a valid answer on the {scale} scale")
    if scale == "likert-5":
        return Fraction(raw - 1, 4)
    return Fraction(raw, _RANGES[scale][1])
