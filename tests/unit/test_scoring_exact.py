"""Exact arithmetic of the scoring hot paths (METHODOLOGY §1.3, §7.2, §8): the integer sums
over a common denominator, the gap flags judged without rounding when far from a threshold,
and per-instrument results combined from the audit's domain scores."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit.scoring import (
    ItemSpec,
    SectionSpec,
    display,
    item_gap,
    maturity_from_domains,
    normalise,
    score_audit,
    score_section,
)

from .test_scoring import sections_with_answers


@given(sections_with_answers(), st.lists(st.fractions(Fraction(1, 12), 7), min_size=8, max_size=8))
def test_domain_score_is_the_exact_weighted_mean_of_normalised_answers(case, weights):
    section, answers = case
    items = tuple(
        ItemSpec(item.key, item.scale, weight, item.allow_na)
        for item, weight in zip(section.items, weights, strict=False)
    )
    weighted = total = Fraction(0)
    for item in items:
        answer = answers.get(item.key)
        if answer is not None and answer.is_na:
            continue
        raw = 0 if answer is None and item.scale == "plus" else getattr(answer, "value", None)
        if raw is not None:
            weighted += item.weight * normalise(item.scale, raw)
            total += item.weight
    result = score_section(SectionSpec("s", 1, items), answers)
    if result.score is not None:
        assert result.score == 100 * weighted / total


@given(
    st.fractions(0, 1, max_denominator=60),
    st.fractions(0, 1, max_denominator=60),
    st.fractions(Fraction(1, 20), 100, max_denominator=40),
)
def test_item_gap_flag_judges_the_displayed_gap(staff, consultant, threshold):
    result = item_gap(staff, consultant, threshold=threshold)
    assert result.gap == 100 * (staff - consultant)
    shown = display(result.gap)
    expected = None
    if shown >= threshold:
        expected = "blind_spot"
    elif shown <= -threshold:
        expected = "hidden_strength"
    assert result.flag == expected


@given(st.lists(sections_with_answers(), min_size=2, max_size=5), st.integers(1, 4))
def test_overall_of_some_scored_domains_equals_scoring_those_sections_alone(cases, cut):
    sections = [
        SectionSpec(f"d{index}", section.weight, section.items)
        for index, (section, _) in enumerate(cases)
    ]
    answers = {f"d{index}": a for index, (_, a) in enumerate(cases)}
    whole = score_audit(sections, answers)
    part = maturity_from_domains(whole.domains[:cut])
    assert part == score_audit(sections[:cut], answers)


@pytest.mark.parametrize(
    ("gap", "flag"),
    [
        (Fraction(3995, 100), "blind_spot"),  # shows 40.0
        (Fraction(39949, 1000), None),  # shows 39.9
        (Fraction(-7991, 200), "hidden_strength"),  # -39.955 shows -40.0
        (Fraction(-3994, 100), None),
        (Fraction(4001, 100), "blind_spot"),
    ],
)
def test_item_gap_flag_near_the_threshold_follows_the_displayed_gap(gap, flag):
    assert item_gap(gap / 100, Fraction(0)).flag == flag
