"""Figures of own questions from grouped counts, against a computation from raw answers."""

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit import questions as q
from cxaudit.stats.questions import choice_result, rating_result


def test_a_rating_from_counts():
    result = rating_result({1: 2, 4: 5, 5: 3}, scale=range(1, 6), top=q.TOP_BOX[q.RATING_5])
    answers = [1] * 2 + [4] * 5 + [5] * 3
    assert result.n == 10
    assert result.mean.value == pytest.approx(statistics.mean(answers))
    assert result.mean.sd == pytest.approx(statistics.stdev(answers))
    assert result.mean.margin is None  # fewer than 30: no normal interval
    assert result.top_box == 8
    assert result.top_box_share.centre == pytest.approx(80.0)
    assert [item.count for item in result.distribution.items] == [2, 0, 0, 5, 3]


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=30, max_size=300))
def test_rating_figures_equal_the_raw_computation(answers):
    counts = {value: answers.count(value) for value in set(answers)}
    result = rating_result(counts, scale=range(11), top=q.TOP_BOX[q.RATING_11])
    n = len(answers)
    assert result.n == n
    assert result.mean.value == pytest.approx(statistics.fmean(answers))
    sd = statistics.stdev(answers)
    assert result.mean.sd == pytest.approx(sd)
    assert result.mean.margin == pytest.approx(1.96 * sd / math.sqrt(n))
    top = sum(1 for a in answers if a >= 9)
    assert result.top_box == top
    share = result.top_box_share
    assert share.low <= share.centre <= share.high
    if 0 < top < n:
        p = top / n
        assert share.centre == pytest.approx(100 * p)
        assert share.margin == pytest.approx(100 * 1.96 * math.sqrt(p * (1 - p) / n))


def test_counts_off_the_scale_give_nothing():
    assert rating_result({6: 1}, scale=range(1, 6), top=frozenset({4, 5})) is None
    assert rating_result({3: -1}, scale=range(1, 6), top=frozenset({4, 5})) is None


def test_no_answers():
    result = rating_result({}, scale=range(1, 6), top=frozenset({4, 5}))
    assert result.n == 0 and result.mean.value is None and result.top_box_share is None


def test_yes_no_is_the_share_of_yes():
    result = rating_result({1: 30, 0: 10}, scale=q.SCALES[q.YES_NO], top=q.TOP_BOX[q.YES_NO])
    assert result.top_box == 30
    assert result.top_box_share.centre == pytest.approx(75.0)


def test_choices_are_shares_of_the_people_who_answered():
    result = choice_result(
        {"web": 30, "shop": 25}, respondents=40, choices=("web", "shop", "phone")
    )
    assert result.n == 40
    assert [(s.key, s.count) for s in result.shares] == [("web", 30), ("shop", 25), ("phone", 0)]
    assert result.shares[0].share.centre == pytest.approx(75.0)
    assert sum(s.share.centre for s in result.shares[:2]) > 100  # several choices each
    assert result.shares[2].share.low == 0  # none picked: an interval above zero still


def test_choices_with_nobody_answering():
    result = choice_result({}, respondents=0, choices=("a", "b"))
    assert all(s.share is None for s in result.shares)


def test_a_count_above_the_respondents_has_no_share():
    result = choice_result({"a": 5}, respondents=3, choices=("a",))
    assert result.shares[0].share is None
