"""What the engine returns: recommendations, the triggers that held, priority words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

from cxaudit.rounding import round_half_up

from .catalogue import Condition, TriggerKind

# --------------------------------------------------------------------------- output


@dataclass(frozen=True, kw_only=True)
class Trigger:
    """One condition that held, so the UI can say why a recommendation appears.

    ``ref`` is the item or domain reference, the metric name (``"nps"``,
    ``"monthly_churn"``, ``"days_since_customer_wave"`` …), the touchpoint key or,
    for a gap, the domain reference. ``observed`` is the raw answer (items,
    touchpoints), the display-rounded value (domains, metrics, a driver's share) or None (blank
    text, a survey never run, a blind spot). ``threshold`` is the bound compared with.
    """

    kind: TriggerKind
    ref: str
    observed: int | str | Decimal | None
    condition: Condition
    threshold: int | Decimal | None
    health: Fraction  # s of this trigger, 0..1
    indicative: bool = False


@dataclass(frozen=True, kw_only=True)
class Recommendation:
    rule: str
    severity: int
    health: Fraction  # s: the lowest health of the triggers that held
    priority: Fraction  # severity × (1 − s), 0..3
    triggers: tuple[Trigger, ...]  # the deciding (lowest-s) trigger first
    indicative: bool  # every trigger that held is an indicative metric
    touchpoint: str | None = None  # touchpoint key, for touchpoint-pain only
    touchpoint_title: str | None = None

    @property
    def priority_display(self) -> Decimal:
        return round_half_up(self.priority, 2)


PRIORITY_HIGH: Final = Decimal("2.00")
PRIORITY_MEDIUM: Final = Decimal("1.00")


def priority_level(priority: Decimal | Fraction | float) -> Literal["high", "medium", "low"]:
    """The word a reader sees for a priority (severity × (1 − s), §9, from 0 to 3).

    High from 2.00: a critical rule at most a third healthy, or an important one with the
    practice missing; medium from 1.00; low below. Like every label, it reads the value
    rounded to its display precision (§1.3), so 1.996 shows as 2.00 and is high.
    """
    shown = round_half_up(priority, 2)
    if shown >= PRIORITY_HIGH:
        return "high"
    return "medium" if shown >= PRIORITY_MEDIUM else "low"
