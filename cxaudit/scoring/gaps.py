"""Self-assessment gaps between staff and consultant, per item and per domain (§8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm

from .scales import (
    DEFAULT_DOMAIN_GAP_THRESHOLD,
    DEFAULT_ITEM_GAP_THRESHOLD,
    MIN_STAFF,
    Exact,
    GapFlag,
    _rounded,
    as_fraction,
    display,
    is_scored,
    scale_max,
    scale_min,
)
from .specs import Answer, ItemSpec, SectionSpec, _item_value, raw_value

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
    n, d, t, u = gap.numerator, gap.denominator, threshold.numerator, threshold.denominator
    # More than 0.1 from ±threshold, rounding to 0.1 cannot cross it: the gap itself decides.
    far = t > 0 and abs(10 * (abs(n) * u - t * d)) > d * u
    shown = gap if far else _rounded(gap, 1)
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
    return _item_gap(staff, consultant, key, staff_count, as_fraction(threshold))


def _item_gap(
    staff: Fraction | None, consultant: Fraction | None, key: str, staff_count: int, limit: Fraction
) -> ItemGap:
    gap = None
    if staff is not None and consultant is not None:  # 100 × (staff − consultant)
        s, c = staff.denominator, consultant.denominator
        gap = Fraction(100 * (staff.numerator * c - consultant.numerator * s), s * c)
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
    return Fraction(tally.total - low * tally.count, tally.count * (high - low))


def _domain_gap(
    section: SectionSpec,
    staff: Mapping[str, tuple[Fraction | None, int, frozenset[int] | None]],
    consultant_answers: Mapping[str, Answer],
    *,
    item_threshold: Exact,
    threshold: Exact,
) -> DomainGap:
    """``staff`` maps item key → (staff value, answers behind it, who answered if known).

    Sums are kept on the section's common denominator D (see ``ScoredTerm``): the consultant's
    Σ factor·(raw − low) as an integer, the staff's Σ share·value as ``staff_num / staff_den``."""
    item_limit = as_fraction(item_threshold)
    gaps: list[ItemGap] = []
    staff_num, staff_den = 0, 1
    consultant_sum = total_share = compared = largest_count = 0
    contributors: set[int] = set()
    for term in section.terms:
        key = term.item.key
        value, count, people = staff.get(key, (None, 0, None))
        raw = raw_value(term, consultant_answers.get(key))
        consultant = None
        if raw is not None and not isinstance(raw, str):
            consultant = Fraction(raw - term.low, term.high - term.low)
        gaps.append(_item_gap(value, consultant, key, count, item_limit))
        if value is None or raw is None or isinstance(raw, str):
            continue
        compared += 1
        if people is not None:
            contributors.update(people)
        largest_count = max(largest_count, count)
        n, d = value.numerator, value.denominator
        if staff_den % d:
            common = lcm(staff_den, d)
            staff_num *= common // staff_den
            staff_den = common
        staff_num += term.share * n * (staff_den // d)
        consultant_sum += term.factor * (raw - term.low)
        total_share += term.share
    staff_score: Fraction | None = None
    consultant_score: Fraction | None = None
    gap: Fraction | None = None
    if compared:
        staff_score = Fraction(100 * staff_num, staff_den * total_share)
        consultant_score = Fraction(100 * consultant_sum, total_share)
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
