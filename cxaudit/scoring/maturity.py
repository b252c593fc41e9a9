"""Maturity levels, domain scores and the overall score with the weakest-link cap (§7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from .scales import (
    DEFAULT_THRESHOLDS,
    Exact,
    SectionStatus,
    _rounded,
    as_fraction,
    display,
)
from .specs import Answer, SectionSpec, raw_value

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
    return _level(bounds, exact)


def _level(bounds: tuple[Fraction, ...], exact: Fraction) -> int:
    """The level of a score in [0, 100] (a weighted mean of normalised answers), bounds checked."""
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
    return _score_section(section, answers, validate_thresholds(thresholds))


def _score_section(
    section: SectionSpec, answers: Mapping[str, Answer], bounds: tuple[Fraction, ...]
) -> SectionScore:
    applicable = answered = weighted = total_weight = 0  # over the section's denominator
    for term in section.terms:
        raw = raw_value(term, answers.get(term.item.key))
        if isinstance(raw, str):  # N/A
            continue
        applicable += 1
        if raw is None:
            continue
        answered += 1
        weighted += term.factor * (raw - term.low)
        total_weight += term.share
    status: SectionStatus
    score: Fraction | None
    if applicable == 0:
        status, score = "not_applicable", None
    elif 2 * answered < applicable:
        status, score = "insufficient", None
    else:
        status, score = "scored", Fraction(100 * weighted, total_weight)
    return SectionScore(
        key=section.key,
        weight=as_fraction(section.weight),
        status=status,
        score=score,
        applicable=applicable,
        answered=answered,
        level=None if score is None else _level(bounds, score),
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
    bounds = validate_thresholds(thresholds)
    keys = [section.key for section in sections]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate section keys")
    domains = tuple(
        _score_section(section, answers.get(section.key, {}), bounds) for section in sections
    )
    return maturity_from_domains(domains, thresholds=thresholds)


def maturity_from_domains(
    domains: Sequence[SectionScore], *, thresholds: Sequence[Exact] = DEFAULT_THRESHOLDS
) -> MaturityResult:
    """The overall result (§7.3) of domains already scored: ``score_audit`` over a subset of
    its sections equals this over the same subset of its domains, so a caller scores each
    section once and combines the results as often as it needs."""
    bounds = validate_thresholds(thresholds)
    domains = tuple(domains)
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
        band_level = _level(bounds, score)
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
