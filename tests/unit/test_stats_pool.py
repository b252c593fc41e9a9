"""cxaudit.stats.pool: a pooled figure (the audit period's survey figures) counts only the
waves shown on their own, so subtracting the shown waves from it reveals nothing."""

from hypothesis import given
from hypothesis import strategies as st

from cxaudit.stats import Pool, PoolPart, pool


def test_a_wave_below_its_k_is_left_out_and_the_others_pooled():
    result = pool({1: PoolPart(n=10, k=5), 2: PoolPart(n=3, k=5), 3: PoolPart(n=2, k=None)})
    assert result == Pool(members=frozenset({1, 3}), left_out=frozenset({2}), k=5)


def test_two_hidden_waves_are_not_pooled_into_a_shown_figure():
    result = pool({1: PoolPart(n=4, k=5), 2: PoolPart(n=4, k=5)})
    assert result.members == frozenset() and result.left_out == frozenset({1, 2})
    assert result.k is None


def test_each_wave_is_judged_by_its_own_k_and_the_pool_keeps_the_strictest():
    result = pool({1: PoolPart(n=6, k=5), 2: PoolPart(n=6, k=7), 3: PoolPart(n=7, k=7)})
    assert result.members == frozenset({1, 3}) and result.left_out == frozenset({2})
    assert result.k == 7


def test_a_wave_at_exactly_k_is_shown():
    assert pool({1: PoolPart(n=5, k=5)}).members == frozenset({1})


def test_a_wave_without_answers_is_neither_pooled_nor_left_out():
    result = pool({1: PoolPart(n=0, k=5), 2: PoolPart(n=0, k=None)})
    assert result == Pool(members=frozenset(), left_out=frozenset(), k=None)


def test_non_anonymous_waves_are_pooled_whatever_their_size():
    result = pool({1: PoolPart(n=1, k=None), 2: PoolPart(n=2, k=None)})
    assert result.members == frozenset({1, 2}) and result.k is None


def test_invalid_thresholds_and_counts_fail_closed():
    result = pool({1: PoolPart(n=10, k=2), 2: PoolPart(n=-1, k=None), 3: PoolPart(n=9, k=None)})
    assert result.members == frozenset({3}) and result.left_out == frozenset({1, 2})


parts = st.dictionaries(
    st.integers(0, 30),
    st.builds(PoolPart, n=st.integers(0, 40), k=st.one_of(st.none(), st.integers(3, 20))),
    max_size=12,
)


@given(parts)
def test_pool_minus_the_shown_waves_reveals_no_hidden_wave(waves):
    """Every pooled wave is shown on its own, so the pool is the sum of shown waves and
    "pool minus shown" is zero; a hidden wave is never pooled."""
    result = pool(waves)
    shown = {key for key, part in waves.items() if part.n and (part.k is None or part.n >= part.k)}
    assert result.members == shown
    assert sum(waves[key].n for key in result.members) - sum(waves[key].n for key in shown) == 0
    assert all(waves[key].k is not None and waves[key].n < waves[key].k for key in result.left_out)
    assert not result.members & result.left_out


@given(parts)
def test_a_shown_pool_reaches_the_k_of_every_anonymous_member(waves):
    result = pool(waves)
    total = sum(waves[key].n for key in result.members)
    if result.k is not None:
        assert total >= result.k
        assert all(waves[key].k is None or waves[key].k <= result.k for key in result.members)
