"""Maturity scoring and self-assessment gaps (METHODOLOGY §7, §8, §10).

Pure Python, no Django: the selectors read answers from the database and pass
plain dataclasses in; everything here is exact arithmetic with ``Fraction``.
Rounding happens only for display and for threshold comparisons (the threshold
rule of §1.3), always through ``cxaudit.rounding``.

Keys are opaque: a caller may namespace section keys (``"golding-cx-framework:strategy"``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
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
class SectionSpec:
    """A domain: a positive weight and its items (keys unique within the section)."""

    key: str
    weight: Fraction | int | float = 1  # stored as an exact Fraction
    items: tuple[ItemSpec, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _positive_weight(self.weight, f"section {self.key!r}"))
        items = tuple(self.items)
        keys = [item.key for item in items]
        if len(set(keys)) != len(keys):
            raise ValueError(f"section {self.key!r} has duplicate item keys")
        object.__setattr__(self, "items", items)


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


# --------------------------------------------------------------------------- levels


def validate_thresholds(thresholds: Sequence[Exact]) -> tuple[Fraction, ...]:
    """Four strictly rising values in (0, 100); returned as exact fractions."""
    values = tuple(as_fraction(t) for t in thresholds)
    if len(values) != 4:
        raise ValueError("maturity thresholds must be four values")
    if not all(0 < t < 100 for t in values):
        raise ValueError("maturity thresholds must lie strictly between 0 and 100")
    if not all(a < b for a, b in pairwise(values)):
        raise ValueError("maturity thresholds must rise strictly")
    return values


def level_for(score: Exact, thresholds: Sequence[Exact] = DEFAULT_THRESHOLDS) -> int:
    """Maturity level 1-5 of a 0-100 score, judged on the score rounded to 1 decimal.

    Bands include their lower bound; level 5 includes 100 (19.96 shows 20.0: level 2).
    """
    bounds = validate_thresholds(thresholds)
    exact = as_fraction(score)
    if not 0 <= exact <= 100:
        raise ValueError(f"a maturity score lies in [0, 100], got {score}")
    shown = _rounded(exact, 1)
    return 1 + sum(1 for bound in bounds if shown >= bound)


# --------------------------------------------------------------------------- domain scores


@dataclass(frozen=True, kw_only=True)
class SectionScore:
    key: str
    weight: Fraction
    status: SectionStatus
    score: Fraction | None  # exact, 0..100; None unless scored
    applicable: int
    answered: int
    level: int | None

    @property
    def display(self) -> Decimal | None:
        return display(self.score, 1)


def score_section(
    section: SectionSpec,
    answers: Mapping[str, Answer],
    *,
    thresholds: Sequence[Exact] = DEFAULT_THRESHOLDS,
) -> SectionScore:
    """Score one domain (§7.2): not applicable, insufficient evidence, or 100 × Σws/Σw."""
    applicable = answered = 0
    weighted = total_weight = Fraction(0)
    for item in section.items:
        if not item.scored:
            continue
        value = _item_value(item, answers.get(item.key))
        if isinstance(value, str):  # N/A
            continue
        applicable += 1
        if value is None:
            continue
        answered += 1
        weight = as_fraction(item.weight)
        weighted += weight * value
        total_weight += weight
    status: SectionStatus
    if applicable == 0:
        status, score = "not_applicable", None
    elif 2 * answered < applicable:
        status, score = "insufficient", None
    else:
        status, score = "scored", _HUNDRED * weighted / total_weight
    return SectionScore(
        key=section.key,
        weight=as_fraction(section.weight),
        status=status,
        score=score,
        applicable=applicable,
        answered=answered,
        level=None if score is None else level_for(score, thresholds),
    )


# --------------------------------------------------------------------------- overall


@dataclass(frozen=True, kw_only=True)
class MaturityResult:
    domains: tuple[SectionScore, ...]  # in the instrument's order
    status: SectionStatus  # "insufficient" when fewer than half the domains are scored
    score: Fraction | None  # weighted mean of scored domains
    partial: bool  # overall computed while some applicable domain is unscored
    missing: tuple[str, ...]  # applicable domains without a score
    band_level: int | None  # level of the overall score alone
    level: int | None  # after the weakest-link cap
    capped_by: str | None  # the weakest domain, when the cap lowered the level
    strongest: SectionScore | None
    weakest: SectionScore | None

    @property
    def display(self) -> Decimal | None:
        return display(self.score, 1)

    @property
    def capped(self) -> bool:
        return self.capped_by is not None

    def domain(self, key: str) -> SectionScore:
        for result in self.domains:
            if result.key == key:
                return result
        raise KeyError(key)

    def ranked(self) -> tuple[SectionScore, ...]:
        """Scored domains, strongest first (exact scores; ties by key)."""
        pairs = sorted((-d.score, d.key, d) for d in self.domains if d.score is not None)
        return tuple(d for _, _, d in pairs)

    @property
    def scored_domains(self) -> tuple[SectionScore, ...]:
        return tuple(d for d in self.domains if d.score is not None)


def score_audit(
    sections: Sequence[SectionSpec],
    answers: Mapping[str, Mapping[str, Answer]],
    *,
    thresholds: Sequence[Exact] = DEFAULT_THRESHOLDS,
) -> MaturityResult:
    """Score every domain and the audit as a whole (§7.2, §7.3).

    ``answers`` maps a section key to that section's answers by item key.
    """
    validate_thresholds(thresholds)
    keys = [section.key for section in sections]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate section keys")
    domains = tuple(
        score_section(section, answers.get(section.key, {}), thresholds=thresholds)
        for section in sections
    )
    applicable = [d for d in domains if d.status != "not_applicable"]
    scored = [(d.score, d) for d in applicable if d.score is not None]
    missing = tuple(d.key for d in applicable if d.score is None)
    # Strongest: highest exact score; weakest: lowest. Ties go to the first key.
    strongest = min(scored, key=lambda p: (-p[0], p[1].key))[1] if scored else None
    weakest = min(scored, key=lambda p: (p[0], p[1].key))[1] if scored else None

    status: SectionStatus
    score: Fraction | None = None
    band_level: int | None = None
    level: int | None = None
    capped_by: str | None = None
    if not applicable:
        status = "not_applicable"
    elif 2 * len(scored) < len(applicable) or weakest is None:
        status = "insufficient"
    else:
        status = "scored"
        total_weight = sum((d.weight for _, d in scored), Fraction(0))
        score = sum((d.weight * value for value, d in scored), Fraction(0)) / total_weight
        band_level = level_for(score, thresholds)
        # Weakest link: the lowest domain level is the weakest domain's level.
        cap = 1 + (weakest.level or 1)
        level = min(band_level, cap)
        if cap < band_level:
            capped_by = weakest.key
    return MaturityResult(
        domains=domains,
        status=status,
        score=score,
        partial=score is not None and bool(missing),
        missing=missing,
        band_level=band_level,
        level=level,
        capped_by=capped_by,
        strongest=strongest,
        weakest=weakest,
    )


# --------------------------------------------------------------------------- self-assessment gaps


def staff_item_value(
    values: Sequence[Fraction],
    *,
    consensus: bool = False,
    min_staff: int = MIN_STAFF,
) -> Fraction | None:
    """Mean of the staff's normalised answers (N/A and skips already left out).

    Needs at least ``min_staff`` answers, or exactly one answer marked consensus.
    """
    if consensus:
        if len(values) > 1:
            raise ValueError("a consensus is one answer")
        return Fraction(values[0]) if values else None
    if not values or len(values) < min_staff:
        return None
    return sum((Fraction(v) for v in values), Fraction(0)) / len(values)


def _gap_flag(gap: Fraction | None, threshold: Fraction) -> GapFlag | None:
    if gap is None:
        return None
    shown = _rounded(gap, 1)
    if shown >= threshold:
        return "blind_spot"
    if shown <= -threshold:
        return "hidden_strength"
    return None


@dataclass(frozen=True, kw_only=True)
class ItemGap:
    key: str
    staff: Fraction | None  # normalised staff value, 0..1
    consultant: Fraction | None  # normalised consultant value, 0..1
    staff_count: int  # staff answers behind the staff value (1 for a consensus)
    gap: Fraction | None  # (staff − consultant) × 100, in points
    flag: GapFlag | None

    @property
    def display(self) -> Decimal | None:
        return display(self.gap, 1)


def item_gap(
    staff: Fraction | None,
    consultant: Fraction | None,
    *,
    key: str = "",
    staff_count: int = 0,
    threshold: Exact = DEFAULT_ITEM_GAP_THRESHOLD,
) -> ItemGap:
    """Staff minus consultant in points; blind spot at ≥ +threshold, hidden strength
    at ≤ −threshold, judged on the gap rounded to 1 decimal (§8)."""
    limit = as_fraction(threshold)
    gap = None if staff is None or consultant is None else _HUNDRED * (staff - consultant)
    return ItemGap(
        key=key,
        staff=staff,
        consultant=consultant,
        staff_count=staff_count,
        gap=gap,
        flag=_gap_flag(gap, limit),
    )


@dataclass(frozen=True, kw_only=True)
class DomainGap:
    key: str
    items: tuple[ItemGap, ...]  # every scored item, compared or not
    compared: int  # items with both a staff value and a consultant answer
    staff_count: int  # staff who answered at least one compared item
    staff_score: Fraction | None  # 0..100 over compared items
    consultant_score: Fraction | None  # 0..100 over the same items, same weights
    gap: Fraction | None  # staff_score − consultant_score, points, from exact scores
    flag: GapFlag | None

    @property
    def display(self) -> Decimal | None:
        return display(self.gap, 1)


def _person_value(item: ItemSpec, answer: Answer | None) -> Fraction | None:
    value = _item_value(item, answer)
    return None if isinstance(value, str) else value


@dataclass(frozen=True)
class StaffTally:
    """The staff's answers to one item as the database sums them: N/A and skips left out."""

    count: int
    total: int  # sum of the raw answers


def staff_value_from_tally(
    scale: str, tally: StaffTally | None, *, consensus: bool = False, min_staff: int = MIN_STAFF
) -> Fraction | None:
    """The §8 staff value from a count and a sum: every scale's normalisation is linear,
    so the mean of normalised answers is the normalised mean of raw answers."""
    if tally is None or tally.count == 0 or not is_scored(scale):
        return None
    if consensus and tally.count > 1:
        raise ValueError("a consensus is one answer")
    if not consensus and tally.count < min_staff:
        return None
    low, high = scale_min(scale), scale_max(scale)
    if low is None or high is None:
        return None
    return (Fraction(tally.total, tally.count) - low) / (high - low)


def _domain_gap(
    section: SectionSpec,
    staff: Mapping[str, tuple[Fraction | None, int, frozenset[int] | None]],
    consultant_answers: Mapping[str, Answer],
    *,
    item_threshold: Exact,
    threshold: Exact,
) -> DomainGap:
    """``staff`` maps item key → (staff value, answers behind it, who answered if known)."""
    gaps: list[ItemGap] = []
    staff_sum = consultant_sum = total_weight = Fraction(0)
    contributors: set[int] = set()
    largest_count = 0
    for item in section.items:
        if not item.scored:
            continue
        value, count, people = staff.get(item.key, (None, 0, None))
        consultant = _person_value(item, consultant_answers.get(item.key))
        result = item_gap(
            value, consultant, key=item.key, staff_count=count, threshold=item_threshold
        )
        gaps.append(result)
        if value is None or consultant is None:
            continue
        if people is not None:
            contributors.update(people)
        largest_count = max(largest_count, count)
        weight = as_fraction(item.weight)
        staff_sum += weight * value
        consultant_sum += weight * consultant
        total_weight += weight
    compared = sum(1 for g in gaps if g.gap is not None)
    staff_score: Fraction | None = None
    consultant_score: Fraction | None = None
    gap: Fraction | None = None
    if compared:
        staff_score = _HUNDRED * staff_sum / total_weight
        consultant_score = _HUNDRED * consultant_sum / total_weight
        gap = staff_score - consultant_score
    return DomainGap(
        key=section.key,
        items=tuple(gaps),
        compared=compared,
        staff_count=len(contributors) if contributors else largest_count,
        staff_score=staff_score,
        consultant_score=consultant_score,
        gap=gap,
        flag=_gap_flag(gap, as_fraction(threshold)),
    )


def domain_gap(
    section: SectionSpec,
    staff_answers_by_person: Sequence[Mapping[str, Answer]],
    consultant_answers: Mapping[str, Answer],
    *,
    consensus: bool = False,
    min_staff: int = MIN_STAFF,
    item_threshold: Exact = DEFAULT_ITEM_GAP_THRESHOLD,
    threshold: Exact = DEFAULT_DOMAIN_GAP_THRESHOLD,
) -> DomainGap:
    """Compare the staff self-assessment of one domain with the consultant's (§8).

    Each element of ``staff_answers_by_person`` is one person's answers; with
    ``consensus`` there is a single, workshop-agreed set of answers.
    """
    if consensus and len(staff_answers_by_person) > 1:
        raise ValueError("a consensus is one set of answers")
    staff: dict[str, tuple[Fraction | None, int, frozenset[int] | None]] = {}
    for item in section.items:
        if not item.scored:
            continue
        answered_by = {
            index: value
            for index, person in enumerate(staff_answers_by_person)
            if (value := _person_value(item, person.get(item.key))) is not None
        }
        value = staff_item_value(
            list(answered_by.values()), consensus=consensus, min_staff=min_staff
        )
        staff[item.key] = (value, len(answered_by), frozenset(answered_by))
    return _domain_gap(
        section,
        staff,
        consultant_answers,
        item_threshold=item_threshold,
        threshold=threshold,
    )


def domain_gap_from_tallies(
    section: SectionSpec,
    tallies: Mapping[str, StaffTally],
    consultant_answers: Mapping[str, Answer],
    *,
    consensus: bool = False,
    min_staff: int = MIN_STAFF,
    item_threshold: Exact = DEFAULT_ITEM_GAP_THRESHOLD,
    threshold: Exact = DEFAULT_DOMAIN_GAP_THRESHOLD,
) -> DomainGap:
    """``domain_gap`` from per-item counts and sums computed in SQL.

    The domain's staff count is then the largest number of staff behind one item.
    """
    staff = {
        item.key: (
            staff_value_from_tally(
                item.scale, tallies.get(item.key), consensus=consensus, min_staff=min_staff
            ),
            tallies[item.key].count if item.key in tallies else 0,
            None,
        )
        for item in section.items
        if item.scored
    }
    return _domain_gap(
        section,
        staff,
        consultant_answers,
        item_threshold=item_threshold,
        threshold=threshold,
    )


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
