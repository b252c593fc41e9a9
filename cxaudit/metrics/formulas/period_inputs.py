"""What a consultant enters for one period, and the conversions of numbers and durations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

Message = tuple[str, dict[str, Any]]
Number = int | float | Fraction | Decimal
Duration = tuple[Number, str | None]
Value = float | int | Decimal

SECONDS_PER_UNIT: dict[str, int] = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
LONG_DURATION_SECONDS = 30 * 86400
MAX_INPUT = 10**15  # larger counts, amounts or seconds are typing errors
PERIOD_MONTHS = (1, 3)
COST_SHARE_TARGET = 10  # percent: below 10.0 is on target (§6.1)

RATE_PLACES = 1  # percentages, minutes, LTV:CAC
MONEY_PLACES = 2

# MetricValue units.
PERCENT = "percent"
SCORE = "score"  # IQS 0–100, shown without a % sign
COUNT = "count"
MONEY = "money"
MINUTES = "minutes"
RATIO = "ratio"


# --------------------------------------------------------------------------- inputs


class QaCategory(NamedTuple):
    """One QA scorecard category over the period."""

    weight: Number
    passed: int
    checked: int


@dataclass(frozen=True, kw_only=True)
class PeriodInputs:
    """What a consultant enters for one period; every field is optional."""

    months: int | None = None  # m: 1 (month) or 3 (quarter)
    start: int | None = None  # S
    end: int | None = None  # E
    won: int | None = None  # N
    lost: int | None = None  # L
    cases: int | None = None  # C
    resolved: int | None = None  # R
    first_contact: int | None = None  # F
    support_cost: Decimal | None = None  # K
    revenue: Decimal | None = None  # V
    aov: Decimal | None = None
    margin_pct: Number | None = None
    orders_per_year: Number | None = None  # O
    years: Number | None = None  # T
    acquisition_spend: Decimal | None = None
    repeat_buyers: int | None = None
    buyers: int | None = None
    frt_samples: Sequence[Duration] | None = None  # case-level first response times
    frt_median: Duration | None = None  # as reported by the help desk
    frt_mean: Duration | None = None
    frt_business_hours: bool = False  # the system counts business hours only
    handling_time: Duration | None = None  # total active + hold + after-contact work
    handled_contacts: int | None = None
    handling_samples: Sequence[Duration] | None = None  # case-level handling times
    qa_categories: Sequence[QaCategory] | None = None


COUNT_FIELDS = (
    "months",
    "start",
    "end",
    "won",
    "lost",
    "cases",
    "resolved",
    "first_contact",
    "repeat_buyers",
    "buyers",
    "handled_contacts",
)
MONEY_FIELDS = ("support_cost", "revenue", "acquisition_spend")
LTV_FIELDS = ("aov", "orders_per_year", "years")  # > 0; margin_pct separately
BALANCE_FIELDS = ("start", "end", "won", "lost")
DURATION_FIELDS = ("handling_time", "frt_median", "frt_mean")
SAMPLE_FIELDS = ("frt_samples", "handling_samples")


def _number(value: object) -> Fraction | None:
    """The exact value of a finite int, float, Fraction or Decimal; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction | Decimal):
        return None
    try:
        return Fraction(value)
    except (ValueError, OverflowError):  # nan, inf
        return None


def _is_whole(value: object) -> bool:
    """A count: a whole number ≥ 0 (2.0 is whole, 2.5 is not)."""
    number = _number(value)
    return number is not None and number >= 0 and number.denominator == 1


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def duration_seconds(value: Number, unit: str | None) -> int:
    """Whole seconds (half up) for a duration entered with its unit.

    Raises ValueError for a missing or unknown unit or a negative value; ``validate``
    reports those as ``duration_invalid`` first.
    """
    number = _number(value)
    if unit not in SECONDS_PER_UNIT:
        raise ValueError(f"unknown duration unit: {unit!r}")
    if number is None or number < 0:
        raise ValueError(f"invalid duration: {value!r}")
    return int(number * SECONDS_PER_UNIT[unit] + Fraction(1, 2))  # floor(x + ½): half up


def _durations(value: object, *, many: bool) -> list[int] | None:
    """Seconds for one duration or a sequence of them; None if any is malformed."""
    items = value if many else [value]
    if not isinstance(items, list | tuple):
        return None
    seconds: list[int] = []
    for item in items:
        if not isinstance(item, list | tuple) or len(item) != 2:
            return None
        try:
            seconds.append(duration_seconds(item[0], item[1]))
        except ValueError:
            return None
    return seconds
