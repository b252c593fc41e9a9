"""The rule catalogue and the library's item and domain triggers (§9)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal, TypeAlias

from cxaudit.rounding import round_half_up
from cxaudit.scoring import SCORED_SCALES, Scale, as_fraction, scale_max, scale_min

TriggerKind: TypeAlias = Literal["item", "domain", "metric", "touchpoint", "gap", "driver", "theme"]
Condition: TypeAlias = Literal["<", "<=", ">", ">=", "blank", "never", "blind_spot"]
ItemValue: TypeAlias = int | str | None

SEVERITIES: Final = (1, 2, 3)
TOUCHPOINT_PAIN: Final = "touchpoint-pain"
SELF_VIEW_GAP: Final = "self-view-gap"
REGULAR_SURVEY: Final = "regular-survey"
DRIVER_FIX_FIRST: Final = "driver-fix-first"
TOP_DETRACTOR_THEME: Final = "top-detractor-theme"
# Rules whose conditions are fixed in code (§9); all others come from the library.
METRIC_RULE_IDS: Final[frozenset[str]] = frozenset(
    {
        "nps-negative",
        "nps-low",
        "nps-imprecise",
        "csat-low",
        "csat-very-poor",
        "ces-low",
        "enps-negative",
        "wellbeing-low",
        REGULAR_SURVEY,
        "churn-high",
        "net-loss",
        "repeat-drop",
        "frt-slow",
        "fcr-low",
        "iqs-low",
        "cost-high",
        SELF_VIEW_GAP,
        TOUCHPOINT_PAIN,
        DRIVER_FIX_FIRST,
        TOP_DETRACTOR_THEME,
    }
)
SURVEY_MAX_AGE_DAYS: Final = 183
PAINFUL_EMOTION: Final = 2

_ZERO: Final = Fraction(0)
_ONE: Final = Fraction(1)
_KIND_ORDER: Final[dict[str, int]] = {
    "item": 0,
    "domain": 1,
    "metric": 2,
    "touchpoint": 3,
    "gap": 4,
    "driver": 5,
    "theme": 6,
}
_COMPARE: Final[dict[str, Callable[[Fraction, Fraction], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def _clamp(value: Fraction) -> Fraction:
    return min(_ONE, max(_ZERO, value))


def _shown(value: Fraction, places: int) -> Fraction:
    return Fraction(round_half_up(value, places))


def _split_ref(ref: str, *, item: bool) -> tuple[str, str]:
    instrument, sep, rest = ref.partition(":")
    if not sep or not instrument or not rest:
        raise ValueError(f"reference {ref!r} must look like 'instrument:section'")
    if item:
        section, dot, key = rest.partition(".")
        if not dot or not section or not key:
            raise ValueError(f"item reference {ref!r} must look like 'instrument:section.item'")
    return instrument, rest


# --------------------------------------------------------------------------- catalogue and triggers


@dataclass(frozen=True)
class RuleSpec:
    """A catalogue entry: the rule id and its severity (3 critical, 2 important, 1 advisory)."""

    id: str
    severity: int

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("a rule needs an id")
        severity = self.severity
        if (
            isinstance(severity, bool)
            or not isinstance(severity, int)
            or severity not in SEVERITIES
        ):
            raise ValueError(f"rule {self.id!r}: severity must be 1, 2 or 3")


@dataclass(frozen=True)
class ItemTrigger:
    """Fires when the raw answer at ``ref`` ("instrument:section.item") is ≤ ``at_most``,
    or, for a text item (``blank=True``), when the text is blank or missing.

    A missing ``plus`` answer is an unticked box (0) and can fire; for other scored
    scales a missing or N/A answer never fires.
    """

    rule: str
    ref: str
    scale: Scale
    at_most: int | None = None
    blank: bool = False

    def __post_init__(self) -> None:
        _split_ref(self.ref, item=True)
        if self.scale == "text":
            if not self.blank or self.at_most is not None:
                raise ValueError(f"{self.ref}: a text trigger fires on blank text only")
        elif self.scale in SCORED_SCALES:
            low, high = scale_min(self.scale), scale_max(self.scale)
            if (
                self.blank
                or not isinstance(self.at_most, int)
                or isinstance(self.at_most, bool)
                or low is None
                or high is None
                or not low <= self.at_most <= high
            ):
                raise ValueError(f"{self.ref}: at_most must be an answer on the {self.scale} scale")
        else:
            raise ValueError(f"{self.ref}: {self.scale!r} items cannot trigger rules")

    @property
    def instrument(self) -> str:
        return _split_ref(self.ref, item=True)[0]


@dataclass(frozen=True)
class DomainTrigger:
    """Fires when the score of domain ``ref`` ("instrument:section"), rounded to
    1 decimal, is below ``below``. An unscored domain never fires."""

    rule: str
    ref: str
    below: Fraction | int  # always a Fraction after construction

    def __post_init__(self) -> None:
        _split_ref(self.ref, item=False)
        bound = as_fraction(self.below)
        if not 0 < bound <= 100:
            raise ValueError(f"{self.ref}: the domain threshold must lie in (0, 100]")
        object.__setattr__(self, "below", bound)

    @property
    def instrument(self) -> str:
        return _split_ref(self.ref, item=False)[0]
