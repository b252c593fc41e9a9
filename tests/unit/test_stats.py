"""cxaudit.stats against METHODOLOGY §1–§5 and §10: every worked example, band edges,
sample-size boundaries and invariants."""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit import stats
from cxaudit.stats import (
    Moments,
    NpsCounts,
    ProportionCounts,
    anonymity_threshold_valid,
    ces,
    csat,
    enps,
    mean_and_sd,
    mean_change,
    nps,
    nps_change,
    process_ease,
    proportion_change,
    response_rate,
    state_at_work,
    suppress,
    tally,
)


def d(value):
    return Decimal(value)


def shown(value, places=1):
    return stats.display(value, places)


# --------------------------------------------------------------------------- NPS §2


def test_nps_example_a():
    result = nps(promoters=130, passives=30, detractors=40)
    assert result.status == "ok"
    assert result.n == 200
    assert result.display == d("45.0")
    assert shown(result.promoters_pct) == d("65.0")
    assert shown(result.detractors_pct) == d("20.0")
    assert shown(result.passives_pct) == d("15.0")
    assert result.band == "good"
    assert result.indicative is False
    assert result.message is None
    assert result.interval_method == "wald"
    assert shown(result.margin) == d("11.2")
    assert shown(result.low) == d("33.8")
    assert shown(result.high) == d("56.2")


def test_nps_example_b_is_indicative_with_adjusted_wald_interval():
    result = nps(promoters=12, passives=5, detractors=3)
    assert result.display == d("45.0")  # the headline stays the raw NPS
    assert result.indicative is True
    assert result.message == ("indicative", {"n": 20})
    assert result.interval_method == "adjusted_wald"
    assert shown(result.margin) == d("30.7")
    assert shown(result.low) == d("8.4")
    assert shown(result.high) == d("69.8")


def test_nps_interval_b_is_centred_on_adjusted_nps():
    interval = stats.nps_interval(promoters=12, passives=5, detractors=3)
    assert shown(interval.centre) == d("39.1")


def test_nps_example_c_too_few():
    result = nps(promoters=2, passives=1, detractors=1)
    assert result.status == "too_few"
    assert result.value is None
    assert result.display is None
    assert result.band is None
    assert result.low is None and result.high is None and result.margin is None
    assert result.promoters_pct is None
    assert result.message == ("too_few", {"n": 4, "minimum": 5})


def test_nps_no_responses():
    result = nps(promoters=0, passives=0, detractors=0)
    assert result.status == "no_data"
    assert result.value is None
    assert result.message == ("no_responses", {})


@pytest.mark.parametrize(
    "counts",
    [(-1, 3, 3), (1.5, 3, 3), (True, 3, 3), ("3", 3, 3), (None, 3, 3)],
)
def test_nps_invalid_counts_never_raise(counts):
    promoters, passives, detractors = counts
    result = nps(promoters=promoters, passives=passives, detractors=detractors)
    assert result.status == "invalid"
    assert result.value is None
    assert result.message == ("invalid_counts", {})


@pytest.mark.parametrize(
    ("counts", "status", "indicative", "method"),
    [
        ((2, 1, 1), "too_few", False, None),  # n = 4
        ((3, 1, 1), "ok", True, "adjusted_wald"),  # n = 5
        ((15, 9, 5), "ok", True, "adjusted_wald"),  # n = 29
        ((15, 10, 5), "ok", False, "wald"),  # n = 30
    ],
)
def test_nps_sample_size_boundaries(counts, status, indicative, method):
    promoters, passives, detractors = counts
    result = nps(promoters=promoters, passives=passives, detractors=detractors)
    assert result.status == status
    assert result.indicative is indicative
    assert result.interval_method == method


def test_nps_with_zero_variance_uses_adjusted_interval_even_for_large_n():
    result = nps(promoters=40, passives=0, detractors=0)
    assert result.display == d("100.0")
    assert result.band == "excellent"
    assert result.interval_method == "adjusted_wald"
    assert result.margin > 0
    assert result.high == 100  # clipped
    assert result.low < 100


def test_nps_all_passives_has_an_interval_around_zero():
    result = nps(promoters=0, passives=50, detractors=0)
    assert result.value == 0
    assert result.interval_method == "adjusted_wald"
    assert result.low < 0 < result.high


def test_nps_interval_is_clipped_at_minus_100():
    result = nps(promoters=0, passives=0, detractors=6)
    assert result.display == d("-100.0")
    assert result.band == "critical"
    assert result.low == -100


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-100, "critical"),
        (-0.05, "critical"),  # shows -0.1
        (-0.04, "problems"),  # shows 0.0
        (0, "problems"),
        (29.94, "problems"),
        (29.95, "good"),  # shows 30.0
        (29.96, "good"),
        (50.0, "good"),
        (50.04, "good"),
        (50.05, "excellent"),  # shows 50.1
        (100, "excellent"),
    ],
)
def test_nps_band_uses_the_displayed_value(value, band):
    assert stats.nps_band(value) == band


def test_nps_band_at_an_exact_threshold_from_counts():
    # 100 × (6 − 3) / 10 = 30.0: good, and (2 − 2)/10 = 0.0: problems.
    assert nps(promoters=6, passives=1, detractors=3).band == "good"
    assert nps(promoters=2, passives=6, detractors=2).band == "problems"


def test_display_never_shows_negative_zero():
    assert str(stats.display(-0.04, 1)) == "0.0"


answers_0_10 = st.lists(st.integers(min_value=0, max_value=10), max_size=300)


def naive_nps(answers):
    promoters = len([a for a in answers if a >= 9])
    detractors = len([a for a in answers if a <= 6])
    return 100 * (promoters - detractors) / len(answers)


@given(answers_0_10)
def test_nps_equals_a_naive_reference_and_stays_in_range(answers):
    counts = tally(answers)
    result = nps(
        promoters=counts.get(9, 0) + counts.get(10, 0),
        passives=counts.get(7, 0) + counts.get(8, 0),
        detractors=sum(counts.get(v, 0) for v in range(7)),
    )
    assert result.n == len(answers)
    if len(answers) < 5:
        assert result.value is None
        return
    assert -100 <= result.value <= 100
    assert math.isclose(result.value, naive_nps(answers), abs_tol=1e-9)
    assert result.display == stats.display(naive_nps(answers), 1)
    assert math.isclose(
        result.promoters_pct + result.passives_pct + result.detractors_pct, 100, abs_tol=1e-9
    )


nps_counts = st.tuples(
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=500),
).filter(lambda c: sum(c) >= 5)


@given(nps_counts)
def test_nps_interval_is_ordered_clipped_and_contains_its_centre(counts):
    promoters, passives, detractors = counts
    result = nps(promoters=promoters, passives=passives, detractors=detractors)
    interval = stats.nps_interval(promoters=promoters, passives=passives, detractors=detractors)
    assert -100 <= result.low <= result.high <= 100
    assert result.low <= max(-100, min(100, interval.centre)) <= result.high
    assert result.margin > 0
    if result.interval_method == "wald":
        assert result.low <= result.value <= result.high
        assert result.n >= 30


@given(nps_counts)
def test_nps_interval_contains_the_raw_score(counts):
    promoters, passives, detractors = counts
    result = nps(promoters=promoters, passives=passives, detractors=detractors)
    assert result.low <= result.value <= result.high


# --------------------------------------------------------------------------- CSAT §3


def test_csat_example_a():
    result = csat(counts=tally([5, 3, 4, 5, 1]))
    assert result.n == 5
    assert result.mean_display == d("3.60")
    assert result.display == d("60.0")
    assert shown(result.margin) == d("42.9")
    assert shown(result.low) == d("17.1")
    assert shown(result.high) == d("100.0")
    assert shown(result.low_share) == d("20.0")
    assert result.indicative is True
    assert result.mean_margin is None  # n < 30


def test_csat_example_b():
    result = csat(counts={5: 54, 4: 36, 3: 14, 2: 9, 1: 7})
    assert result.n == 120
    assert result.mean_display == d("4.01")
    assert round(result.sd, 4) == 1.1846
    assert shown(result.mean_margin, 2) == d("0.21")
    assert result.display == d("75.0")
    assert shown(result.margin) == d("7.7")
    assert result.band == "acceptable"
    assert shown(result.low_share) == d("13.3")
    assert result.indicative is False
    assert result.scale_max == 5


def test_csat_example_c():
    result = csat(counts={5: 7, 4: 7, 3: 4, 1: 2})
    assert result.n == 20
    assert result.display == d("70.0")
    assert shown(result.margin) == d("20.1")
    assert result.indicative is True
    assert result.band == "acceptable"


def test_csat_example_d_uses_agresti_coull():
    result = csat(counts={5: 5, 4: 7})
    assert result.display == d("100.0")
    assert result.interval_method == "agresti_coull"
    assert shown(result.low) == d("71.8")
    assert shown(result.high) == d("100.0")


def test_csat_agresti_coull_when_nobody_is_satisfied():
    result = csat(counts={1: 10, 3: 2})
    assert result.value == 0
    assert result.interval_method == "agresti_coull"
    assert result.low == 0
    assert result.high > 0


def test_csat_distribution_covers_the_whole_scale():
    result = csat(counts={5: 3, 1: 1, 4: 1})
    assert [(s.value, s.count) for s in result.distribution] == [
        (1, 1),
        (2, 0),
        (3, 0),
        (4, 1),
        (5, 3),
    ]
    assert [shown(s.percent) for s in result.distribution] == [
        d("20.0"),
        d("0.0"),
        d("0.0"),
        d("20.0"),
        d("60.0"),
    ]


@pytest.mark.parametrize(("n", "has_margin"), [(29, False), (30, True)])
def test_csat_mean_margin_only_from_30_answers(n, has_margin):
    result = csat(counts={4: n - 1, 5: 1})
    assert (result.mean_margin is not None) is has_margin


def test_csat_too_few_and_no_data():
    assert csat(counts={5: 4}).status == "too_few"
    assert csat(counts={5: 4}).message == ("too_few", {"n": 4, "minimum": 5})
    assert csat(counts={5: 4}).mean is None
    assert csat(counts={}).status == "no_data"
    assert csat(counts={}).message == ("no_responses", {})


def test_csat_rejects_answers_off_the_scale():
    result = csat(counts={8: 1, 5: 10})
    assert result.status == "invalid"
    assert result.message == ("out_of_scale", {"low": 1, "high": 5})
    assert csat(counts={5: -1}).status == "invalid"
    # A zero count off the scale is harmless.
    assert csat(counts={0: 0, 5: 5}).status == "ok"


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0, "weak"),
        (69.94, "weak"),
        (69.95, "acceptable"),
        (70.0, "acceptable"),
        (84.94, "acceptable"),
        (84.95, "strong"),
        (100, "strong"),
    ],
)
def test_csat_band_edges(value, band):
    assert stats.csat_band(value) == band


answers_1_5 = st.lists(st.integers(min_value=1, max_value=5), max_size=300)


@given(answers_1_5)
def test_csat_t2b_in_range_and_matches_reference(answers):
    result = csat(counts=tally(answers))
    if len(answers) < 5:
        assert result.value is None
        return
    top = len([a for a in answers if a >= 4])
    assert 0 <= result.value <= 100
    assert math.isclose(result.value, 100 * top / len(answers))
    assert math.isclose(result.mean, sum(answers) / len(answers))
    assert 0 <= result.low <= result.value <= result.high <= 100
    assert 0 <= result.low_share <= 100 - result.value + 1e-9


# --------------------------------------------------------------------------- CES §4


def test_ces_example():
    result = ces(counts={7: 10, 6: 12, 5: 8, 4: 4, 3: 3, 2: 2, 1: 1})
    assert result.n == 40
    assert result.mean_display == d("5.30")
    assert result.scale_max == 7
    assert result.display == d("75.0")
    assert shown(result.margin) == d("13.4")
    assert result.band == "acceptable"
    assert shown(result.low_share) == d("15.0")


@pytest.mark.parametrize(
    ("value", "band"),
    [(59.94, "weak"), (59.95, "acceptable"), (79.94, "acceptable"), (79.95, "strong")],
)
def test_ces_band_edges(value, band):
    assert stats.ces_band(value) == band


def test_ces_rejects_answers_off_the_scale():
    assert ces(counts={8: 1, 7: 10}).status == "invalid"
    assert ces(counts={0: 3, 7: 10}).status == "invalid"


# --------------------------------------------------------------------------- means


def test_mean_and_sd_from_sql_sums():
    # CSAT example B: Σx = 481, Σx² = 2095.
    result = mean_and_sd(n=120, total=481, total_squares=2095)
    assert result.display == d("4.01")
    assert round(result.sd, 4) == 1.1846
    assert result.margin_display == d("0.21")


def test_mean_and_sd_edge_cases():
    assert mean_and_sd(n=0, total=0, total_squares=0).status == "no_data"
    one = mean_and_sd(n=1, total=4, total_squares=16)
    assert one.value == 4 and one.sd is None and one.margin is None
    # Σx² below (Σx)²/n is impossible.
    assert mean_and_sd(n=2, total=10, total_squares=10).status == "invalid"
    assert mean_and_sd(n=-1, total=0, total_squares=0).status == "invalid"


# --------------------------------------------------------------------------- employee §5


def test_enps_worked_example():
    result = enps(promoters=8, passives=7, detractors=5)
    assert result.display == d("15.0")
    assert result.band == "acceptable"
    assert result.n == 20
    assert not hasattr(result, "margin")


@pytest.mark.parametrize("n", [0, 4])
def test_enps_hidden_below_threshold_without_n(n):
    result = enps(promoters=n, passives=0, detractors=0)
    assert result.status == "too_few"
    assert result.value is None
    assert result.n is None
    assert result.message == ("hidden_below_threshold", {"k": 5})


def test_enps_threshold_is_configurable():
    assert enps(promoters=3, passives=0, detractors=0, threshold=3).status == "ok"
    assert enps(promoters=6, passives=0, detractors=0, threshold=7).status == "too_few"
    assert enps(promoters=9, passives=0, detractors=0, threshold=2).status == "invalid"
    assert enps(promoters=9, passives=0, detractors=0, threshold=2).message == (
        "invalid_threshold",
        {"minimum": 3, "maximum": 20},
    )
    assert enps(promoters=-1, passives=9, detractors=0).status == "invalid"


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (-0.05, "concern"),
        (-0.04, "acceptable"),
        (29.94, "acceptable"),
        (29.95, "strong"),
        (29.96, "strong"),
    ],
)
def test_enps_band_edges(value, band):
    assert stats.enps_band(value) == band


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (5.994, "concern"),
        (5.995, "acceptable"),  # shows 6.00
        (7.994, "acceptable"),
        (7.995, "strong"),  # shows 8.00
        (10, "strong"),
    ],
)
def test_state_at_work_band_edges(mean, band):
    assert stats.state_at_work_band(mean) == band


def test_state_at_work_mean_and_low_share():
    result = state_at_work(counts={3: 1, 6: 1, 7: 2, 9: 1, 10: 1})
    assert result.n == 6
    assert result.display == d("7.00")
    assert result.band == "acceptable"
    assert shown(result.low_share) == d("33.3")  # answers 0–6


def test_process_ease_has_no_band_and_is_hidden_below_threshold():
    result = process_ease(counts={8: 5})
    assert result.display == d("8.00")
    assert result.band is None
    assert result.low_share == 0
    hidden = process_ease(counts={8: 4})
    assert hidden.status == "too_few" and hidden.value is None and hidden.n is None
    assert process_ease(counts={11: 5}).status == "invalid"


def test_response_rate():
    assert response_rate(responses=20, invited=32).display == d("62.5")
    assert response_rate(responses=0, invited=0).status == "no_data"
    assert response_rate(responses=0, invited=0).message == ("no_invitations", {})
    assert response_rate(responses=5, invited=4).status == "invalid"
    assert response_rate(responses=-1, invited=4).status == "invalid"


# --------------------------------------------------------------------------- anonymity §5


@pytest.mark.parametrize(
    ("k", "valid"),
    [(2, False), (3, True), (5, True), (20, True), (21, False), (True, False), (5.0, False)],
)
def test_anonymity_threshold_valid(k, valid):
    assert anonymity_threshold_valid(k) is valid


def test_suppression_worked_example():
    result = suppress({"Sales": 9, "Support": 7, "Warehouse": 4}, 5)
    assert result.shown == {"Sales": True, "Support": False, "Warehouse": False}
    assert result.below_threshold == {"Warehouse"}
    assert result.complementary == {"Support"}
    assert result.hidden == {"Support", "Warehouse"}
    assert result.total_shown is True
    # The total is shown: P = 8, passives 7, D = 5.
    assert enps(promoters=8, passives=7, detractors=5).display == d("15.0")


def test_small_groups_hidden_together_need_no_complementary_suppression():
    result = suppress({"A": 3, "B": 2, "C": 10}, 5)
    assert result.shown == {"A": False, "B": False, "C": True}
    assert result.complementary == frozenset()


def test_single_group_hidden_alone_when_its_sum_reveals_nothing():
    # An empty group is hidden (A2) but a hidden sum of 0 reveals nothing (A3).
    result = suppress({"A": 0, "B": 6, "C": 8}, 5)
    assert result.shown == {"A": False, "B": True, "C": True}
    assert result.complementary == frozenset()


def test_single_group_hidden_alone_with_a_hidden_sum_of_at_least_k():
    # k = 3: the hidden group has 2 < 3, so one more goes; then 2 + 3 = 5 ≥ 3.
    result = suppress({"A": 2, "B": 3, "C": 4}, 3)
    assert result.hidden == {"A", "B"}
    assert sum(n for key, n in {"A": 2, "B": 3}.items() if key in result.hidden) >= 3


def test_complementary_suppression_ties_go_to_the_alphabetically_first_key():
    result = suppress({"Zeta": 6, "Alpha": 6, "Mid": 7, "Tiny": 1}, 5)
    assert result.complementary == {"Alpha"}


def test_all_groups_hidden_when_complementary_suppression_runs_out():
    result = suppress({"A": 4, "B": 6}, 5)
    assert result.shown == {"A": False, "B": False}
    assert result.total_shown is True  # 10 ≥ 5; "total minus visible" is the hidden sum


def test_total_below_threshold_hides_everything():
    result = suppress({"A": 2, "B": 1}, 5)
    assert result.shown == {"A": False, "B": False}
    assert result.total_shown is False


def test_suppression_fails_closed_on_an_invalid_threshold_or_count():
    result = suppress({"A": 50, "B": 60}, 2)
    assert result.status == "invalid"
    assert result.shown == {"A": False, "B": False}
    assert result.total_shown is False
    assert suppress({"A": 50, "B": -1}, 5).status == "invalid"


groups_strategy = st.dictionaries(
    st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    st.integers(min_value=0, max_value=40),
    max_size=8,
)


@given(groups_strategy, st.integers(min_value=3, max_value=20))
def test_suppression_never_reveals_a_small_group(groups, k):
    result = suppress(groups, k)
    hidden_sum = sum(n for key, n in groups.items() if not result.shown[key])
    assert set(result.shown) == set(groups)
    assert all(n >= k for key, n in groups.items() if result.shown[key])
    assert result.total_shown is (sum(groups.values()) >= k)
    if 0 < hidden_sum < k:
        # Only possible when everything, the total included, is hidden.
        assert not any(result.shown.values())
        assert result.total_shown is False
    # Complementary suppression hides no more than it must: at most one group.
    assert len(result.complementary) <= 1


# --------------------------------------------------------------------------- waves §10


def test_nps_change_not_significant():
    change = nps_change(NpsCounts(130, 30, 40), NpsCounts(87, 30, 33))
    assert change.delta_display == d("-9.0")
    assert change.se_display == d("8.8")
    assert change.z_display == d("-1.03")
    assert change.verdict == "not_significant"
    assert change.significant is False


def test_nps_change_significant_decline():
    change = nps_change((130, 30, 40), (150, 60, 90))
    assert change.delta_display == d("-25.0")
    assert change.se_display == d("7.6")
    assert change.z_display == d("-3.29")
    assert change.verdict == "significant_decline"


def test_nps_change_significant_increase_is_the_mirror():
    change = nps_change((150, 60, 90), (130, 30, 40))
    assert change.delta_display == d("25.0")
    assert change.verdict == "significant_increase"


def test_t2b_change_significant():
    change = proportion_change(ProportionCounts(90, 120), ProportionCounts(120, 140))
    assert change.delta_display == d("10.7")
    assert change.se_display == d("4.9")
    assert change.z_display == d("2.17")
    assert change.verdict == "significant_increase"


def test_significance_uses_z_rounded_to_two_decimals():
    # 6/33 → 13/33: z = 1.9575, shown as 1.96, so significant.
    change = proportion_change((6, 33), (13, 33))
    assert 1.955 <= change.z < 1.96
    assert change.z_display == d("1.96")
    assert change.verdict == "significant_increase"
    # 7/30 → 14/30: z = 1.9540, shown as 1.95, so not significant.
    change = proportion_change((7, 30), (14, 30))
    assert change.z_display == d("1.95")
    assert change.verdict == "not_significant"


@pytest.mark.parametrize(("n1", "n2"), [(29, 30), (30, 29)])
def test_wave_changes_need_30_responses_in_each_wave(n1, n2):
    change = proportion_change((n1 // 2, n1), (n2 // 2, n2))
    assert change.verdict == "too_few"
    assert change.message == ("too_few_to_test", {"minimum": 30})
    assert change.delta is not None
    assert change.se is None and change.z is None


def test_wave_change_hidden_when_a_score_is_hidden():
    change = nps_change((2, 1, 1), (30, 10, 10))
    assert change.verdict == "too_few"
    assert change.delta is None
    assert nps_change((0, 0, 0), (30, 10, 10)).verdict == "no_data"


def test_wave_change_with_no_spread():
    same = nps_change((40, 0, 0), (50, 0, 0))
    assert same.delta == 0 and same.verdict == "not_significant" and same.z is None
    flipped = nps_change((40, 0, 0), (0, 0, 50))
    assert flipped.delta == -200
    assert flipped.verdict == "significant_decline"


def test_wave_change_invalid_counts():
    assert nps_change((-1, 0, 40), (40, 0, 0)).verdict == "invalid"
    assert proportion_change((41, 40), (10, 40)).verdict == "invalid"


def test_mean_change():
    # Wave 1: 40 answers, 20 × 3 and 20 × 5 (mean 4, s² = 40/39);
    # wave 2: 40 answers, 10 × 3 and 30 × 5 (mean 4.5, s² = 30/39).
    change = mean_change(Moments(40, 160, 680), Moments(40, 180, 840))
    se = math.sqrt((40 / 39) / 40 + (30 / 39) / 40)
    assert change.delta == 0.5
    assert change.delta_display == d("0.50")
    assert math.isclose(change.se, se)
    assert change.z_display == stats.display(0.5 / se, 2)
    assert change.verdict == "significant_increase"  # z = 2.36
    assert change.places == 2


def test_mean_change_too_few_and_invalid():
    assert mean_change((29, 100, 400), (40, 160, 680)).verdict == "too_few"
    assert mean_change((40, 100, 1), (40, 160, 680)).verdict == "invalid"


@given(nps_counts, nps_counts)
def test_nps_change_is_antisymmetric(a, b):
    forward, backward = nps_change(a, b), nps_change(b, a)
    assert forward.verdict.replace("increase", "X").replace("decline", "Y") == (
        backward.verdict.replace("decline", "X").replace("increase", "Y")
    )
    if forward.delta is not None:
        assert math.isclose(forward.delta, -backward.delta, abs_tol=1e-9)
