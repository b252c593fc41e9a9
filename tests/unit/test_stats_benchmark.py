"""cxaudit.stats.benchmark: a company's standing among the consultancy's other companies.

The attack tests come first: an attacker who reads the panel under every filter combination
it offers (and who, to be safe, is assumed to see each filtered pool's count and mean, hence
its sum) must never obtain the value, or any linear combination, of 1 to 4 companies.
"""

import statistics
from fractions import Fraction
from itertools import combinations
from math import isclose

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxaudit.stats.benchmark import (
    ALL,
    MIN_PEERS,
    Filter,
    Peer,
    benchmark_filters,
    benchmark_summary,
    percentile_cont,
    percentile_rank,
)

INDUSTRIES = ("", "bank", "retail", "telecom")
BANDS = ("", "s", "m", "l")

peers_strategy = st.lists(
    st.builds(
        Peer,
        industry=st.sampled_from(INDUSTRIES),
        size_band=st.sampled_from(BANDS),
        value=st.floats(min_value=0, max_value=100, allow_nan=False),
    ),
    max_size=14,
)


def _members(peers, f):
    return [i for i, peer in enumerate(peers) if f.matches(peer)]


def _rank(rows):
    """The rank of a matrix of small integers, exactly (Gaussian elimination on fractions)."""

    matrix = [[Fraction(x) for x in row] for row in rows]
    rank, columns = 0, len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def _isolable_groups(peers, filters):
    """Every group of 1..4 companies some linear combination of the offered pools' sums
    (and counts) pins down: a combination of the pools' indicator rows that vanishes outside
    the group but not inside it exists iff dropping the group's columns lowers the rank."""
    rows = [[1 if i in set(_members(peers, f)) else 0 for i in range(len(peers))] for f in filters]
    if not rows:
        return []
    full = _rank(rows)
    found = []
    for size in range(1, MIN_PEERS):
        for group in combinations(range(len(peers)), size):
            rest = [[row[i] for i in range(len(peers)) if i not in group] for row in rows]
            if _rank(rest) < full:
                found.append(group)
    return found


@settings(max_examples=150, deadline=None)
@given(peers_strategy)
def test_no_group_of_1_to_4_companies_is_isolable_from_the_offered_filters(peers):
    filters = benchmark_filters(peers)
    assert _isolable_groups(peers, filters) == []


@settings(max_examples=300, deadline=None)
@given(peers_strategy)
def test_every_offered_pool_has_k_members_and_a_complement_of_0_or_k(peers):
    for f in benchmark_filters(peers):
        members = _members(peers, f)
        assert len(members) >= MIN_PEERS
        assert len(peers) - len(members) == 0 or len(peers) - len(members) >= MIN_PEERS


@settings(max_examples=300, deadline=None)
@given(peers_strategy)
def test_the_summary_is_shown_exactly_for_the_offered_filters(peers):
    offered = set(benchmark_filters(peers))
    for industry in (*INDUSTRIES, None):
        for band in (*BANDS, None):
            f = Filter(industry=industry, size_band=band)
            shown = benchmark_summary(peers=peers, value=50.0, where=f)
            assert (shown is not None) == (f in offered)


def test_the_attack_the_rule_stops_nested_filters_revealing_four_companies():
    # Pairwise rule alone (pool 20, bank 10, bank·s 6) would offer both bank and bank·s,
    # whose difference is the 4 bank companies of another band.
    peers = (
        [Peer("bank", "s", 1.0)] * 6
        + [Peer("bank", "m", 2.0)] * 4
        + [Peer("retail", "s", 3.0)] * 10
    )
    filters = benchmark_filters(peers)
    assert ALL in filters
    assert Filter(industry="bank", size_band=None) in filters
    assert Filter(industry="bank", size_band="s") not in filters
    assert _isolable_groups(peers, filters) == []


def test_the_whole_pool_is_offered_from_five_other_companies():
    assert benchmark_filters([Peer("a", "s", 1.0)] * 5)[0] == ALL
    assert benchmark_filters([Peer("a", "s", 1.0)] * 4) == []
    assert benchmark_summary(peers=[Peer("a", "s", 1.0)] * 4, value=1.0) is None


def test_a_filter_equal_to_the_whole_pool_is_offered():
    peers = [Peer("bank", "s", float(i)) for i in range(5)]
    filters = benchmark_filters(peers)
    assert Filter(industry="bank", size_band=None) in filters
    assert Filter(industry="bank", size_band="s") in filters


def test_a_filter_leaving_fewer_than_five_outside_is_refused():
    peers = [Peer("bank", "s", float(i)) for i in range(7)] + [Peer("retail", "s", 0.0)]
    filters = benchmark_filters(peers)
    assert filters == [ALL, Filter(industry=None, size_band="s")]


def test_companies_without_industry_are_their_own_group_not_matched_by_a_filter():
    peers = [Peer("", "s", 1.0)] * 5 + [Peer("bank", "s", 1.0)] * 5
    filters = benchmark_filters(peers)
    assert Filter(industry="bank", size_band=None) in filters
    assert Filter(industry="", size_band=None) not in filters  # "unset" is not a choice


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([1.0], 0.5, 1.0),
        ([1.0, 2.0], 0.5, 1.5),
        ([1.0, 2.0, 3.0, 4.0], 0.25, 1.75),
        ([1.0, 2.0, 3.0, 4.0], 0.75, 3.25),
        ([3.0, 1.0, 2.0], 0.0, 1.0),
        ([3.0, 1.0, 2.0], 1.0, 3.0),
    ],
)
def test_percentile_cont_interpolates_linearly(values, p, expected):
    assert percentile_cont(values, p) == pytest.approx(expected)


def test_percentile_cont_refuses_an_empty_pool_and_a_fraction_outside_0_1():
    with pytest.raises(ValueError):
        percentile_cont([], 0.5)
    with pytest.raises(ValueError):
        percentile_cont([1.0], 1.5)


@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=40),
    st.floats(min_value=0, max_value=1),
)
def test_percentile_cont_equals_numpy_linear(values, p):
    expected = float(numpy.percentile(values, 100 * p, method="linear"))
    assert isclose(percentile_cont(values, p), expected, rel_tol=1e-9, abs_tol=1e-6)


@given(st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=2, max_size=40))
def test_quartiles_equal_statistics_inclusive(values):
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    for p, expected in ((0.25, q1), (0.5, q2), (0.75, q3)):
        assert isclose(percentile_cont(values, p), expected, abs_tol=1e-9)


def test_percentile_rank_counts_below_plus_half_the_ties():
    assert percentile_rank([1.0, 2.0, 3.0, 4.0], 2.5) == 50.0
    assert percentile_rank([1.0, 2.0, 2.0, 4.0], 2.0) == 50.0
    assert percentile_rank([1.0, 2.0, 3.0, 4.0], 0.0) == 0.0
    assert percentile_rank([1.0, 2.0, 3.0, 4.0], 9.0) == 100.0
    assert percentile_rank([5.0] * 5, 5.0) == 50.0


@given(
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=40),
    st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_percentile_rank_lies_in_0_100_and_matches_its_definition(values, value):
    rank = percentile_rank(values, value)
    assert 0 <= rank <= 100
    below = sum(v < value for v in values)
    ties = sum(v == value for v in values)
    assert rank == pytest.approx(100 * (below + ties / 2) / len(values))


def test_percentile_rank_refuses_an_empty_pool():
    with pytest.raises(ValueError):
        percentile_rank([], 1.0)


def test_the_summary_reports_n_median_quartiles_and_rank():
    peers = [Peer("bank", "s", v) for v in (10.0, 20.0, 30.0, 40.0, 50.0)]
    summary = benchmark_summary(peers=peers, value=35.0)
    assert summary is not None
    assert summary.n == 5
    assert (summary.q1, summary.median, summary.q3) == (20.0, 30.0, 40.0)
    assert summary.rank == 60.0


def test_the_summary_without_the_companys_own_value_has_no_rank():
    peers = [Peer("bank", "s", float(v)) for v in range(5)]
    summary = benchmark_summary(peers=peers, value=None)
    assert summary is not None and summary.rank is None and summary.median == 2.0


def test_the_summary_of_a_filtered_pool_uses_only_its_members():
    peers = [Peer("bank", "s", 10.0)] * 5 + [Peer("retail", "s", 90.0)] * 5
    summary = benchmark_summary(peers=peers, value=50.0, where=Filter("bank", None))
    assert summary is not None and summary.n == 5 and summary.median == 10.0
    assert summary.rank == 100.0


def test_a_filter_matches_its_industry_and_band():
    assert Filter("bank", "s").matches(Peer("bank", "s", 1.0))
    assert not Filter("bank", "s").matches(Peer("bank", "m", 1.0))
    assert Filter(None, "m").matches(Peer("bank", "m", 1.0))
    assert ALL.matches(Peer("", "", 1.0))
