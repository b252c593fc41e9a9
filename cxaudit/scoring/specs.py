"""What the scoring engine reads: checklist items, sections and stored answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import lcm
from typing import Final

from .scales import (
    _RANGES,
    SCORED_SCALES,
    Scale,
    _check_scale,
    _positive_weight,
    normalise,
    valid_raw,
)

# --------------------------------------------------------------------------- specs and answers


@dataclass(frozen=True)
class ItemSpec:
    """One checklist item. ``plus`` items cannot be N/A: unticked means "no"."""

    key: str
    scale: Scale
    weight: Fraction | int | float = 1  # stored as an exact Fraction
    allow_na: bool = False

    def __post_init__(self) -> None:
        _check_scale(self.scale)
        object.__setattr__(self, "weight", _positive_weight(self.weight, f"item {self.key!r}"))
        if self.allow_na and self.scale == "plus":
            raise ValueError(f"item {self.key!r}: a plus item cannot allow N/A")

    @property
    def scored(self) -> bool:
        return self.scale in SCORED_SCALES


@dataclass(frozen=True)
class ScoredTerm:
    """A scored item on its section's common denominator D: an answer ``raw`` adds
    ``factor * (raw - low) / D`` to the weighted sum and the item's weight is ``share / D``,
    so the hot loops add integers and make one Fraction per section."""

    item: ItemSpec
    low: int
    high: int
    factor: int
    share: int


@dataclass(frozen=True)
class SectionSpec:
    """A domain: a positive weight and its items (keys unique within the section)."""

    key: str
    weight: Fraction | int | float = 1  # stored as an exact Fraction
    items: tuple[ItemSpec, ...] = ()
    terms: tuple[ScoredTerm, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _positive_weight(self.weight, f"section {self.key!r}"))
        items = tuple(self.items)
        keys = [item.key for item in items]
        if len(set(keys)) != len(keys):
            raise ValueError(f"section {self.key!r} has duplicate item keys")
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "terms", _terms(items))


def _terms(items: tuple[ItemSpec, ...]) -> tuple[ScoredTerm, ...]:
    scored = [(item, *_RANGES[item.scale], Fraction(item.weight)) for item in items if item.scored]
    denominator = lcm(1, *(w.denominator * (high - low) for _item, low, high, w in scored))
    terms = []
    for item, low, high, weight in scored:
        factor = weight.numerator * (denominator // (weight.denominator * (high - low)))
        terms.append(
            ScoredTerm(item=item, low=low, high=high, factor=factor, share=factor * (high - low))
        )
    return tuple(terms)


@dataclass(frozen=True)
class Answer:
    """A stored answer: the raw integer, or an explicit N/A. A skip has no Answer at all;
    ``Answer(None)`` means the same as a skip."""

    value: int | None = None
    is_na: bool = False

    def __post_init__(self) -> None:
        if self.is_na and self.value is not None:
            raise ValueError("an N/A answer carries no value")


_NA: Final = "na"


def raw_value(term: ScoredTerm, answer: Answer | None) -> int | str | None:
    """``_item_value`` as the raw integer answer: ``"na"``, None (not answered) or the
    validated raw value (0 for an unticked ``plus`` box, whose scale starts at 0)."""
    item = term.item
    if answer is None:
        raw = None
    elif answer.is_na:
        if item.allow_na:
            return _NA
        raw = None
    else:
        raw = answer.value
    if raw is None:
        return 0 if item.scale == "plus" else None
    if isinstance(raw, bool) or not isinstance(raw, int) or not term.low <= raw <= term.high:
        raise ValueError(f"item {item.key!r}: {raw!r} is not a valid {item.scale} answer")
    return raw


def _item_value(item: ItemSpec, answer: Answer | None) -> Fraction | str | None:
    """The normalised value of one scored item's answer, ``"na"`` or None (not answered).

    A missing ``plus`` answer is an unticked box (0). N/A on an item that does not
    allow it is treated as not answered: it never removes the item from the domain.
    """
    if answer is not None and answer.is_na and item.allow_na:
        return _NA
    raw = None if answer is None or answer.is_na else answer.value
    if raw is None:
        return Fraction(0) if item.scale == "plus" else None
    if not valid_raw(item.scale, raw):
        raise ValueError(f"item {item.key!r}: {raw!r} is not a valid {item.scale} answer")
    return normalise(item.scale, raw)
