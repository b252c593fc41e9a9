"""Maturity scoring, self-assessment gaps and round-to-round change (METHODOLOGY §7, §8, §10)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit.scoring import (
    DEFAULT_THRESHOLDS,
    Answer,
    ItemSpec,
    SectionSpec,
    change_between_rounds,
    display,
    domain_gap,
    item_gap,
    level_for,
    normalise,
    scale_max,
    scale_min,
    score_audit,
    score_section,
    staff_item_value,
    valid_raw,
)

YES, NO, NA = Answer(1), Answer(0), Answer(None, is_na=True)


def d(text: str) -> Decimal:
    return Decimal(text)


# --------------------------------------------------------------------------- scales


@pytest.mark.parametrize(
    ("scale", "raw", "expected"),
    [
        ("yes-no", 0, Fraction(0)),
        ("yes-no", 1, Fraction(1)),
        ("plus", 0, Fraction(0)),
        ("plus", 1, Fraction(1)),
        ("yes-partial-no", 0, Fraction(0)),
        ("yes-partial-no", 1, Fraction(1, 2)),
        ("yes-partial-no", 2, Fraction(1)),
        ("likert-5", 1, Fraction(0)),
        ("likert-5", 2, Fraction(1, 4)),
        ("likert-5", 4, Fraction(3, 4)),
        ("likert-5", 5, Fraction(1)),
        ("0-10", 0, Fraction(0)),
        ("0-10", 7, Fraction(7, 10)),
        ("0-10", 10, Fraction(1)),
    ],
)
def test_normalise_follows_the_scale_table(scale, raw, expected):
    assert normalise(scale, raw) == expected
    assert isinstance(normalise(scale, raw), Fraction)


@pytest.mark.parametrize("scale", ["number", "text"])
def test_unscored_scales_normalise_to_none(scale):
    assert normalise(scale, 3) is None
    assert scale_max(scale) is None
    assert scale_min(scale) is None


@pytest.mark.parametrize(
    ("scale", "raw"),
    [("yes-no", 2), ("plus", -1), ("yes-partial-no", 3), ("likert-5", 0), ("0-10", 11)],
)
def test_normalise_rejects_answers_outside_the_scale(scale, raw):
    with pytest.raises(ValueError):
        normalise(scale, raw)


@pytest.mark.parametrize(
    ("scale", "low", "high"),
    [
        ("yes-no", 0, 1),
        ("plus", 0, 1),
        ("yes-partial-no", 0, 2),
        ("likert-5", 1, 5),
        ("0-10", 0, 10),
    ],
)
def test_scale_bounds(scale, low, high):
    assert scale_min(scale) == low
    assert scale_max(scale) == high
    assert valid_raw(scale, low)
    assert valid_raw(scale, high)
    assert not valid_raw(scale, low - 1)
    assert not valid_raw(scale, high + 1)


@pytest.mark.parametrize(
    ("scale", "raw", "valid"),
    [
        ("yes-no", True, False),
        ("yes-no", 1.0, False),
        ("likert-5", "3", False),
        ("likert-5", None, False),
        ("0-10", 5, True),
        ("number", 3.5, True),
        ("number", float("nan"), False),
        ("number", Decimal("12.50"), True),
        ("number", "12", False),
        ("text", "anything", True),
        ("text", "", True),
        ("text", 3, False),
    ],
)
def test_valid_raw_accepts_whole_numbers_in_range_only(scale, raw, valid):
    assert valid_raw(scale, raw) is valid


def test_unknown_scale_is_refused():
    with pytest.raises(ValueError):
        normalise("stars", 3)
    with pytest.raises(ValueError):
        valid_raw("stars", 3)
    with pytest.raises(ValueError):
        scale_max("stars")
    with pytest.raises(ValueError):
        ItemSpec("a", "stars")


# --------------------------------------------------------------------------- specs


def test_plus_items_cannot_allow_na():
    with pytest.raises(ValueError):
        ItemSpec("a", "plus", allow_na=True)


@pytest.mark.parametrize("weight", [0, -1, Fraction(-1, 2)])
def test_weights_must_be_positive(weight):
    with pytest.raises(ValueError):
        ItemSpec("a", "yes-no", weight)
    with pytest.raises(ValueError):
        SectionSpec("s", weight, ())


def test_weights_become_exact_fractions():
    assert ItemSpec("a", "yes-no", 0.1).weight == Fraction(1, 10)
    assert ItemSpec("a", "yes-no", Decimal("1.5")).weight == Fraction(3, 2)
    assert SectionSpec("s", 2, [ItemSpec("a", "yes-no")]).items == (ItemSpec("a", "yes-no"),)


def test_duplicate_item_keys_are_refused():
    with pytest.raises(ValueError):
        SectionSpec("s", 1, (ItemSpec("a", "yes-no"), ItemSpec("a", "plus")))


def test_an_na_answer_carries_no_value():
    with pytest.raises(ValueError):
        Answer(1, is_na=True)


# --------------------------------------------------------------------------- levels


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, 1),
        (Fraction(1994, 100), 1),
        (19.94, 1),
        (19.95, 2),  # shows 20.0
        (19.96, 2),  # §7.5: 19.96 displays as 20.0 and is level 2
        (Fraction(499, 25), 2),
        (20, 2),
        (39.94, 2),
        (39.95, 3),
        (40, 3),
        (59.9, 3),
        (60, 4),
        (79.94, 4),
        (79.95, 5),
        (80, 5),
        (99.99, 5),
        (100, 5),
    ],
)
def test_level_bands_include_their_lower_bound_on_the_rounded_score(score, level):
    assert level_for(score) == level


def test_custom_thresholds_are_used():
    assert level_for(45, (10, 30, 50, 70)) == 3
    assert level_for(Fraction(2499, 50), (10, 30, 50, 70)) == 4  # 49.98 shows 50.0
    assert level_for(9.9, (10, 30, 50, 70)) == 1


@pytest.mark.parametrize(
    "thresholds",
    [
        (20, 40, 60),
        (20, 40, 60, 80, 90),
        (0, 40, 60, 80),
        (20, 40, 60, 100),
        (20, 40, 40, 80),
        (40, 20, 60, 80),
        (-5, 40, 60, 80),
    ],
)
def test_thresholds_must_be_four_strictly_rising_values_inside_0_100(thresholds):
    with pytest.raises(ValueError):
        level_for(50, thresholds)
    with pytest.raises(ValueError):
        score_audit([], {}, thresholds=thresholds)


@pytest.mark.parametrize("score", [-0.1, Fraction(10001, 100)])
def test_level_for_refuses_scores_outside_0_100(score):
    with pytest.raises(ValueError):
        level_for(score)


# ----------------------------------------------------------------- worked example 1 (§7.5)

STRATEGY = SectionSpec(
    "strategy",
    1,
    (
        ItemSpec("know-customers", "yes-no"),
        ItemSpec("roles", "yes-partial-no", 2),
        ItemSpec("needs", "likert-5"),
        ItemSpec("nps", "0-10", allow_na=True),
    ),
)
MEASUREMENT = SectionSpec(
    "measurement",
    1,
    (
        ItemSpec("plan", "plus"),
        ItemSpec("customer-view", "plus"),
        ItemSpec("priorities", "plus"),
        ItemSpec("coverage", "0-10", 2),
    ),
)
EMPLOYEES = SectionSpec(
    "employees",
    1,
    (
        ItemSpec("understood", "yes-no"),
        ItemSpec("ambassadors", "likert-5"),
        ItemSpec("empowered", "0-10", 2),
        ItemSpec("trained", "yes-no"),
    ),
)
EXAMPLE_1 = {
    "strategy": {
        "know-customers": YES,
        "roles": Answer(2),
        "needs": Answer(4),
        "nps": NA,
    },
    # Unticked boxes have no answer row at all.
    "measurement": {"plan": Answer(1), "coverage": Answer(2)},
    "employees": {"understood": YES, "ambassadors": Answer(5), "empowered": Answer(7)},
}


def test_example_1_strategy_scores_93_8():
    result = score_section(STRATEGY, EXAMPLE_1["strategy"])
    assert result.status == "scored"
    assert result.score == Fraction(375, 4)  # 3.75/4 = 93.75
    assert result.display == d("93.8")
    assert (result.applicable, result.answered, result.level) == (3, 3, 5)


def test_example_1_measurement_scores_28_0_with_unticked_boxes_as_no():
    result = score_section(MEASUREMENT, EXAMPLE_1["measurement"])
    assert result.status == "scored"
    assert result.score == Fraction(28)
    assert result.display == d("28.0")
    assert (result.applicable, result.answered, result.level) == (4, 4, 2)


def test_example_1_employees_scores_85_0_with_three_of_four_answered():
    result = score_section(EMPLOYEES, EXAMPLE_1["employees"])
    assert result.status == "scored"
    assert result.score == Fraction(85)
    assert (result.applicable, result.answered, result.level) == (4, 3, 5)


def test_example_1_overall_is_68_9_level_3_capped_by_measurement():
    result = score_audit([STRATEGY, MEASUREMENT, EMPLOYEES], EXAMPLE_1)
    assert result.status == "scored"
    assert result.score == (Fraction(375, 4) + 28 + 85) / 3
    assert result.display == d("68.9")
    assert result.band_level == 4
    assert result.level == 3
    assert result.capped_by == "measurement"
    assert result.capped
    assert not result.partial
    assert result.missing == ()
    assert result.strongest is not None and result.strongest.key == "strategy"
    assert result.weakest is not None and result.weakest.key == "measurement"
    assert [r.key for r in result.ranked()] == ["strategy", "employees", "measurement"]
    assert result.domain("employees").score == 85


def test_example_1_with_domain_weights_2_1_1_is_75_1_still_level_3():
    sections = [
        SectionSpec("strategy", 2, STRATEGY.items),
        MEASUREMENT,
        EMPLOYEES,
    ]
    result = score_audit(sections, EXAMPLE_1)
    assert result.score == Fraction(3005, 40)  # 300.5/4
    assert result.display == d("75.1")
    assert (result.band_level, result.level, result.capped_by) == (4, 3, "measurement")


def test_example_1_with_insufficient_employees_is_partial_60_9():
    answers = {**EXAMPLE_1, "employees": {"understood": YES}}
    result = score_audit([STRATEGY, MEASUREMENT, EMPLOYEES], answers)
    employees = result.domain("employees")
    assert employees.status == "insufficient"
    assert employees.score is None and employees.level is None
    assert (employees.applicable, employees.answered) == (4, 1)
    assert result.score == (Fraction(375, 4) + 28) / 2
    assert result.display == d("60.9")
    assert result.partial
    assert result.missing == ("employees",)
    assert result.level == 3
    assert result.capped_by == "measurement"


# ----------------------------------------------------------------- worked example 2 (§7.6)


def test_example_2_overall_is_47_2_level_2_capped():
    yes_no = [ItemSpec(k, "yes-no", allow_na=True) for k in ("a", "b", "c")]
    likert = [ItemSpec(k, "likert-5") for k in ("a", "b", "c")]
    sections = [
        SectionSpec("strategy", 1, yes_no),
        SectionSpec("measurement", 1, yes_no),
        SectionSpec("employees", 1, likert),
    ]
    answers = {
        "strategy": {"a": YES, "b": YES, "c": NO},
        "measurement": {"a": NO, "b": NO, "c": NA},
        "employees": {"a": Answer(5), "b": Answer(4), "c": Answer(3)},
    }
    result = score_audit(sections, answers)
    strategy, measurement, employees = result.domains
    assert strategy.display == d("66.7") and strategy.level == 4
    assert measurement.score == 0 and measurement.display == d("0.0") and measurement.level == 1
    assert (measurement.applicable, measurement.answered) == (2, 2)
    assert employees.score == 75 and employees.level == 4
    assert result.score == (Fraction(200, 3) + 0 + 75) / 3
    assert result.display == d("47.2")
    assert result.band_level == 3
    assert result.level == 2
    assert result.capped_by == "measurement"


# --------------------------------------------------------------------------- evidence rules

FOUR = SectionSpec("s", 1, tuple(ItemSpec(k, "yes-no", allow_na=True) for k in "abcd"))


def test_exactly_half_answered_is_enough():
    result = score_section(FOUR, {"a": YES, "b": NO})
    assert result.status == "scored"
    assert result.score == 50
    assert (result.applicable, result.answered) == (4, 2)


def test_fewer_than_half_answered_is_insufficient():
    result = score_section(FOUR, {"a": YES})
    assert result.status == "insufficient"
    assert result.score is None
    assert result.level is None
    assert result.display is None


def test_na_items_leave_the_applicable_count():
    # 1 answered of 2 applicable (two N/A) is exactly half: scored.
    result = score_section(FOUR, {"a": YES, "b": NA, "c": NA})
    assert result.status == "scored"
    assert result.score == 100
    assert (result.applicable, result.answered) == (2, 1)


def test_na_never_counts_as_no():
    with_na = score_section(FOUR, {"a": YES, "b": YES, "c": YES, "d": NA})
    with_no = score_section(FOUR, {"a": YES, "b": YES, "c": YES, "d": NO})
    assert with_na.score == 100
    assert with_no.score == 75


def test_na_on_an_item_that_does_not_allow_it_counts_as_unanswered():
    section = SectionSpec("s", 1, (ItemSpec("a", "yes-no"), ItemSpec("b", "yes-no")))
    result = score_section(section, {"a": YES, "b": NA})
    assert (result.applicable, result.answered) == (2, 1)
    assert result.score == 100


def test_a_skip_is_not_a_no():
    section = SectionSpec("s", 1, (ItemSpec("a", "yes-no"), ItemSpec("b", "yes-no")))
    assert score_section(section, {"a": YES}).score == 100
    assert score_section(section, {"a": YES, "b": Answer(None)}).score == 100


def test_missing_plus_answers_count_as_unticked():
    section = SectionSpec("s", 1, tuple(ItemSpec(k, "plus") for k in "abc"))
    result = score_section(section, {})
    assert result.status == "scored"
    assert result.score == 0
    assert (result.applicable, result.answered) == (3, 3)


def test_all_na_domain_is_not_applicable():
    result = score_section(FOUR, {k: NA for k in "abcd"})
    assert result.status == "not_applicable"
    assert result.score is None and result.level is None
    assert (result.applicable, result.answered) == (0, 0)


def test_a_domain_of_unscored_items_is_not_applicable():
    section = SectionSpec("canvas", 1, (ItemSpec("mission", "text"), ItemSpec("n", "number")))
    assert score_section(section, {}).status == "not_applicable"
    assert score_section(SectionSpec("empty"), {}).status == "not_applicable"


def test_unscored_items_do_not_count_towards_evidence():
    section = SectionSpec(
        "s", 1, (ItemSpec("a", "yes-partial-no"), ItemSpec("when", "text"), ItemSpec("n", "number"))
    )
    result = score_section(section, {"a": Answer(1)})
    assert (result.applicable, result.answered) == (1, 1)
    assert result.score == 50


def test_invalid_stored_answers_are_refused():
    with pytest.raises(ValueError):
        score_section(FOUR, {"a": Answer(2)})


def test_answers_for_unknown_items_are_ignored():
    assert score_section(FOUR, {"a": YES, "b": YES, "zzz": NO}).score == 100


def test_item_weights_weigh_the_domain_score():
    section = SectionSpec("s", 1, (ItemSpec("a", "yes-no", 3), ItemSpec("b", "yes-no")))
    assert score_section(section, {"a": YES, "b": NO}).score == 75


# --------------------------------------------------------------------------- overall


def _scored(key: str, value: int, weight: int = 1) -> tuple[SectionSpec, dict[str, Answer]]:
    """A one-item 0-10 domain scoring ``value × 10``."""
    return SectionSpec(key, weight, (ItemSpec("x", "0-10"),)), {"x": Answer(value)}


def _audit(*domains: tuple[SectionSpec, dict[str, Answer]]):
    return score_audit([s for s, _ in domains], {s.key: a for s, a in domains})


def test_overall_needs_half_of_the_applicable_domains():
    a, b, c = _scored("a", 5), _scored("b", 5), _scored("c", 5)
    insufficient = (SectionSpec("d", 1, FOUR.items), {})
    # 2 scored of 3 applicable: enough, partial.
    result = _audit(a, b, insufficient)
    assert result.status == "scored" and result.partial and result.missing == ("d",)
    # 1 scored of 2 applicable: exactly half, enough.
    assert _audit(a, insufficient).status == "scored"
    # 1 scored of 3 applicable: not enough.
    other = (SectionSpec("e", 1, FOUR.items), {})
    result = _audit(a, insufficient, other)
    assert result.status == "insufficient"
    assert result.score is None and result.level is None and result.band_level is None
    assert not result.partial
    assert result.missing == ("d", "e")
    assert result.strongest is not None  # domains are still ranked
    del b, c


def test_not_applicable_domains_are_left_out_of_the_overall():
    na = (SectionSpec("na", 1, FOUR.items), {k: NA for k in "abcd"})
    result = _audit(_scored("a", 4), na)
    assert result.status == "scored"
    assert result.score == 40
    assert not result.partial
    assert result.missing == ()


def test_an_audit_with_nothing_applicable_is_not_applicable():
    result = score_audit([SectionSpec("canvas", 1, (ItemSpec("m", "text"),))], {})
    assert result.status == "not_applicable"
    assert result.score is None and result.level is None
    assert result.strongest is None and result.weakest is None
    assert score_audit([], {}).status == "not_applicable"


def test_cap_equal_to_band_is_not_reported_as_capping():
    # Overall 50.0 (level 3); lowest domain 30 (level 2) caps at 3 = band.
    result = _audit(_scored("a", 7), _scored("b", 3))
    assert (result.band_level, result.level, result.capped_by) == (3, 3, None)
    assert not result.capped


def test_cap_binds_on_a_level_1_domain():
    result = _audit(_scored("a", 10), _scored("b", 10), _scored("c", 10), _scored("z", 1))
    assert result.display == d("77.5")
    assert (result.band_level, result.level, result.capped_by) == (4, 2, "z")


def test_strongest_and_weakest_break_ties_by_key():
    result = _audit(_scored("m", 5), _scored("b", 5), _scored("x", 5))
    assert result.strongest is not None and result.strongest.key == "b"
    assert result.weakest is not None and result.weakest.key == "b"
    assert [r.key for r in result.ranked()] == ["b", "m", "x"]


def test_ranking_uses_exact_scores_not_rounded_ones():
    close_a = SectionSpec("a", 1, (ItemSpec("x", "0-10"), ItemSpec("y", "0-10", 2000)))
    close_b = SectionSpec("b", 1, (ItemSpec("x", "0-10"), ItemSpec("y", "0-10", 2001)))
    answers = {"a": {"x": Answer(0), "y": Answer(5)}, "b": {"x": Answer(0), "y": Answer(5)}}
    result = score_audit([close_a, close_b], answers)
    assert result.domain("a").display == result.domain("b").display
    assert result.strongest is not None and result.strongest.key == "b"


def test_namespaced_section_keys_are_opaque():
    key = "golding-cx-framework:strategy"
    section = SectionSpec(key, 1, (ItemSpec("know-customers", "yes-no"),))
    result = score_audit([section], {key: {"know-customers": YES}})
    assert result.domain(key).score == 100
    assert result.strongest is not None and result.strongest.key == key


def test_duplicate_section_keys_are_refused():
    with pytest.raises(ValueError):
        score_audit([FOUR, FOUR], {})


def test_custom_thresholds_reach_domain_levels():
    result = _audit(_scored("a", 5))
    assert result.domain("a").level == 3
    result = score_audit(
        [SectionSpec("a", 1, (ItemSpec("x", "0-10"),))],
        {"a": {"x": Answer(5)}},
        thresholds=(10, 20, 30, 40),
    )
    assert result.domain("a").level == 5
    assert result.level == 5


# --------------------------------------------------------------------------- §8 gaps

GAP_SECTION = SectionSpec(
    "measurement",
    1,
    (
        ItemSpec("m1", "yes-no"),
        ItemSpec("m2", "likert-5"),
        ItemSpec("m3", "0-10"),
        ItemSpec("m4", "yes-partial-no"),
    ),
)
STAFF = [
    {"m1": YES, "m2": Answer(4), "m3": Answer(6), "m4": Answer(0)},
    {"m1": YES, "m2": Answer(5), "m3": Answer(7), "m4": Answer(1)},
    {"m1": YES, "m2": Answer(3), "m3": Answer(8), "m4": Answer(0)},
]
CONSULTANT = {"m1": NO, "m2": Answer(2), "m3": Answer(5), "m4": Answer(2)}


def test_section_8_worked_example():
    result = domain_gap(GAP_SECTION, STAFF, CONSULTANT)
    assert result.staff_score is not None and result.consultant_score is not None
    assert display(result.staff_score) == d("65.4")
    assert result.consultant_score == Fraction(175, 4)  # 43.75
    assert display(result.consultant_score) == d("43.8")
    assert result.gap == result.staff_score - result.consultant_score
    assert result.display == d("21.7")  # from the exact scores, not 65.4 − 43.8
    assert result.flag == "blind_spot"
    assert result.compared == 4
    assert result.staff_count == 3
    items = {g.key: g for g in result.items}
    assert [items[k].display for k in ("m1", "m2", "m3", "m4")] == [
        d("100.0"),
        d("50.0"),
        d("20.0"),
        d("-83.3"),
    ]
    assert [items[k].flag for k in ("m1", "m2", "m3", "m4")] == [
        "blind_spot",
        "blind_spot",
        None,
        "hidden_strength",
    ]
    assert items["m2"].staff == Fraction(3, 4)
    assert items["m4"].staff == Fraction(1, 6)
    assert all(g.staff_count == 3 for g in result.items)


def test_staff_value_needs_three_answers():
    assert staff_item_value([Fraction(1), Fraction(0)]) is None
    assert staff_item_value([]) is None
    assert staff_item_value([Fraction(1), Fraction(0), Fraction(1, 2)]) == Fraction(1, 2)
    assert staff_item_value([Fraction(1), Fraction(0)], min_staff=2) == Fraction(1, 2)


def test_one_consensus_answer_is_enough():
    assert staff_item_value([Fraction(3, 4)], consensus=True) == Fraction(3, 4)
    assert staff_item_value([], consensus=True) is None
    with pytest.raises(ValueError):
        staff_item_value([Fraction(1), Fraction(0)], consensus=True)


@pytest.mark.parametrize(
    ("staff", "consultant", "flag"),
    [
        (Fraction(1), Fraction(3, 5), "blind_spot"),  # +40.0
        (Fraction(9996, 10000), Fraction(6, 10), "blind_spot"),  # +39.96 shows 40.0
        (Fraction(9994, 10000), Fraction(6, 10), None),  # +39.94
        (Fraction(6, 10), Fraction(9996, 10000), "hidden_strength"),
        (Fraction(6, 10), Fraction(9994, 10000), None),
        (Fraction(1, 2), Fraction(1, 2), None),
    ],
)
def test_item_gap_flags_use_the_rounded_gap(staff, consultant, flag):
    assert item_gap(staff, consultant).flag == flag


def test_item_gap_needs_both_values_and_takes_a_threshold():
    assert item_gap(None, Fraction(1)).gap is None
    assert item_gap(Fraction(1), None).flag is None
    assert item_gap(Fraction(1), Fraction(7, 10), threshold=30).flag == "blind_spot"
    assert item_gap(Fraction(1), Fraction(7, 10)).flag is None


def test_domain_gap_compares_only_items_both_answered():
    consultant = {**CONSULTANT, "m4": Answer(None)}
    result = domain_gap(GAP_SECTION, STAFF, consultant)
    assert result.compared == 3
    # Staff (1 + 0.75 + 0.7)/3, consultant (0 + 0.25 + 0.5)/3.
    assert result.staff_score == Fraction(245, 3)
    assert result.consultant_score == 25
    assert [g.key for g in result.items if g.gap is None] == ["m4"]


def test_domain_gap_skips_items_with_too_few_staff_answers():
    staff = [dict(person) for person in STAFF]
    staff[0]["m1"] = NA
    staff[1]["m1"] = Answer(None)
    result = domain_gap(GAP_SECTION, staff, CONSULTANT)
    m1 = result.items[0]
    assert m1.staff is None and m1.staff_count == 1 and m1.gap is None
    assert result.compared == 3


def test_domain_gap_counts_staff_behind_the_figure():
    staff = [*STAFF, {"m1": YES}]  # the fourth person answered only m1
    result = domain_gap(GAP_SECTION, staff, CONSULTANT)
    assert result.staff_count == 4
    assert result.items[0].staff_count == 4
    assert result.items[1].staff_count == 3


def test_domain_gap_with_nothing_compared_has_no_score():
    result = domain_gap(GAP_SECTION, STAFF[:2], CONSULTANT)
    assert result.compared == 0
    assert result.staff_score is None and result.gap is None and result.flag is None


def test_domain_gap_with_a_consensus_answer():
    result = domain_gap(GAP_SECTION, [STAFF[0]], CONSULTANT, consensus=True)
    assert result.compared == 4
    assert result.staff_count == 1
    with pytest.raises(ValueError):
        domain_gap(GAP_SECTION, STAFF, CONSULTANT, consensus=True)


@pytest.mark.parametrize(
    ("consultant_m3", "flag"),
    [(Answer(5), "blind_spot"), (Answer(9), None)],
)
def test_domain_gap_threshold_is_configurable(consultant_m3, flag):
    result = domain_gap(GAP_SECTION, STAFF, {**CONSULTANT, "m3": consultant_m3})
    assert result.flag == flag
    assert domain_gap(GAP_SECTION, STAFF, CONSULTANT, threshold=25).flag is None


def test_domain_gap_flags_hidden_strength():
    lowest = {"m1": NO, "m2": Answer(1), "m3": Answer(0), "m4": Answer(0)}
    result = domain_gap(GAP_SECTION, [lowest] * 3, CONSULTANT)
    assert result.gap == Fraction(-175, 4)
    assert result.flag == "hidden_strength"


def test_domain_gap_uses_item_weights_and_plus_defaults():
    section = SectionSpec("s", 1, (ItemSpec("a", "plus", 3), ItemSpec("b", "yes-no")))
    staff = [{"a": YES, "b": YES}] * 3
    result = domain_gap(section, staff, {"b": YES})  # consultant left "a" unticked
    assert result.compared == 2
    assert result.consultant_score == 25
    assert result.staff_score == 100
    assert result.display == d("75.0")


# --------------------------------------------------------------------------- rounds (§10)


@pytest.mark.parametrize(
    ("previous", "current", "trend"),
    [
        (40, 44, "stable"),
        (40, Fraction(4494, 100), "stable"),  # +4.94
        (40, Fraction(4495, 100), "up"),  # +4.95 shows 5.0
        (40, 45, "up"),
        (45, 40, "down"),
        (40, Fraction(3505, 100), "down"),  # −4.95 shows −5.0
        (40, Fraction(3506, 100), "stable"),
        (40, 40, "stable"),
    ],
)
def test_changes_under_5_points_are_stable(previous, current, trend):
    assert change_between_rounds(previous, current).trend == trend


def test_change_reports_delta_and_levels():
    change = change_between_rounds(Fraction(375, 10), Fraction(613, 10))
    assert change.delta == Fraction(238, 10)
    assert change.display == d("23.8")
    assert (change.previous_level, change.current_level, change.level_change) == (2, 4, 2)


def test_change_takes_capped_levels_from_the_caller():
    change = change_between_rounds(50, 70, previous_level=2, current_level=2)
    assert change.level_change == 0
    assert change.trend == "up"


def test_change_without_both_scores_has_no_delta():
    change = change_between_rounds(None, 50)
    assert change.delta is None and change.trend is None
    assert change.current_level == 3 and change.previous_level is None
    assert change.level_change is None
    assert change_between_rounds(50, None).delta is None


# --------------------------------------------------------------------------- properties

SCORED = ["yes-no", "plus", "yes-partial-no", "likert-5", "0-10"]


@st.composite
def item_specs(draw):
    scale = draw(st.sampled_from(SCORED))
    allow_na = scale != "plus" and draw(st.booleans())
    return scale, draw(st.integers(1, 5)), allow_na


@st.composite
def sections_with_answers(draw, min_items=1):
    specs = draw(st.lists(item_specs(), min_size=min_items, max_size=8))
    items = tuple(
        ItemSpec(f"i{index}", scale, weight, allow_na)
        for index, (scale, weight, allow_na) in enumerate(specs)
    )
    answers = {}
    for item in items:
        low, high = scale_min(item.scale), scale_max(item.scale)
        options = [st.just("skip"), st.integers(low, high)]
        if item.allow_na:
            options.append(st.just("na"))
        choice = draw(st.one_of(*options))
        if choice == "na":
            answers[item.key] = NA
        elif choice != "skip":
            answers[item.key] = Answer(choice)
    return SectionSpec("s", draw(st.integers(1, 3)), items), answers


@given(sections_with_answers())
def test_domain_scores_stay_within_0_100(case):
    section, answers = case
    result = score_section(section, answers)
    if result.score is not None:
        assert 0 <= result.score <= 100
        assert result.level in range(1, 6)
        assert result.answered * 2 >= result.applicable > 0
    assert result.answered <= result.applicable <= len(section.items)


@given(sections_with_answers(), st.data())
def test_raising_an_answer_never_lowers_the_domain_score(case, data):
    section, answers = case
    item = data.draw(st.sampled_from(section.items))
    current = answers.get(item.key)
    if current is not None and current.value is not None:
        start = current.value
    elif item.scale == "plus":
        start = 0  # an unticked box
    else:
        return  # unanswered or N/A: nothing to raise
    raised = data.draw(st.integers(start, scale_max(item.scale)))
    before = score_section(section, answers)
    after = score_section(section, {**answers, item.key: Answer(raised)})
    assert before.status == after.status
    if before.score is not None and after.score is not None:
        assert after.score >= before.score


@given(sections_with_answers(), st.data())
def test_adding_a_yes_never_lowers_the_domain_score(case, data):
    section, answers = case
    item = data.draw(st.sampled_from(section.items))
    before = score_section(section, {k: v for k, v in answers.items() if k != item.key})
    after = score_section(section, {**answers, item.key: Answer(scale_max(item.scale))})
    if before.score is not None:
        assert after.score is not None
        assert after.score >= before.score


@given(sections_with_answers(), st.data())
def test_na_never_lowers_a_score_as_no_would(case, data):
    section, answers = case
    candidates = [i for i in section.items if i.allow_na]
    if not candidates:
        return
    item = data.draw(st.sampled_from(candidates))
    as_na = score_section(section, {**answers, item.key: NA})
    as_no = score_section(section, {**answers, item.key: Answer(scale_min(item.scale))})
    if as_na.score is not None and as_no.score is not None:
        assert as_na.score >= as_no.score
    assert as_na.applicable == as_no.applicable - 1


@given(st.lists(sections_with_answers(), min_size=1, max_size=5))
def test_overall_is_a_mean_of_domain_scores_and_the_cap_holds(cases):
    sections = [
        SectionSpec(f"d{index}", section.weight, section.items)
        for index, (section, _) in enumerate(cases)
    ]
    answers = {f"d{index}": a for index, (_, a) in enumerate(cases)}
    result = score_audit(sections, answers)
    scores = [r.score for r in result.domains if r.score is not None]
    if result.score is None:
        assert result.level is None
        return
    assert min(scores) <= result.score <= max(scores)
    assert 0 <= result.score <= 100
    assert result.level is not None and result.band_level is not None
    assert 1 <= result.level <= result.band_level <= 5
    lowest = min(r.level for r in result.domains if r.level is not None)
    assert result.level == min(result.band_level, lowest + 1)
    assert (result.capped_by is not None) == (result.level < result.band_level)
    assert result.partial == bool(result.missing)


@given(st.fractions(min_value=0, max_value=100))
def test_level_matches_the_band_of_the_displayed_score(score):
    shown = display(score)
    assert shown is not None
    level = level_for(score)
    bounds = [Decimal(t) for t in DEFAULT_THRESHOLDS]
    assert level == 1 + sum(shown >= b for b in bounds)


def test_domain_gap_from_tallies_matches_the_per_person_worked_example():
    from cxaudit.scoring import StaffTally, domain_gap_from_tallies

    section = SectionSpec(
        key="m",
        items=(
            ItemSpec(key="m1", scale="yes-no"),
            ItemSpec(key="m2", scale="likert-5"),
            ItemSpec(key="m3", scale="0-10"),
            ItemSpec(key="m4", scale="yes-partial-no"),
        ),
    )
    tallies = {
        "m1": StaffTally(count=3, total=3),
        "m2": StaffTally(count=3, total=12),
        "m3": StaffTally(count=3, total=21),
        "m4": StaffTally(count=3, total=1),
    }
    consultant = {"m1": Answer(0), "m2": Answer(2), "m3": Answer(5), "m4": Answer(2)}
    result = domain_gap_from_tallies(section, tallies, consultant)
    assert display(result.staff_score) == Decimal("65.4")
    assert display(result.consultant_score) == Decimal("43.8")
    assert display(result.gap) == Decimal("21.7")
    assert result.flag == "blind_spot"
    assert result.staff_count == 3
    assert [display(g.gap) for g in result.items] == [
        Decimal("100.0"),
        Decimal("50.0"),
        Decimal("20.0"),
        Decimal("-83.3"),
    ]


def test_staff_value_from_tally_needs_three_staff_unless_consensus():
    from cxaudit.scoring import StaffTally, staff_value_from_tally

    assert staff_value_from_tally("yes-no", StaffTally(2, 2)) is None
    assert staff_value_from_tally("yes-no", StaffTally(1, 1), consensus=True) == 1
    assert staff_value_from_tally("likert-5", StaffTally(3, 12)) == Fraction(3, 4)
    assert staff_value_from_tally("text", StaffTally(3, 0)) is None
