"""All-subset R², Shapley values, relative weights and the bootstrap (stats/regression.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cxaudit.stats import regression
from tests.unit.test_drivers import complete_rows, ols_r2, survey


def test_relative_weights_sum_to_r2_and_rank_the_ratings_as_shapley_does():
    outcome, ratings = survey(n=600, seed=3)
    corr = regression.correlations(complete_rows(outcome, ratings))
    r2 = regression.subset_r2(corr)
    shapley = regression.shapley(r2)
    weights = regression.relative_weights(corr)
    assert weights.sum() == pytest.approx(r2[-1], abs=1e-12)
    assert shapley.sum() == pytest.approx(r2[-1], abs=1e-12)
    assert list(np.argsort(weights)) == list(np.argsort(shapley))
    assert weights == pytest.approx(shapley, abs=0.01)


def test_subset_r2_matches_statsmodels_for_every_subset():
    outcome, ratings = survey(n=250, seed=11)
    rows = complete_rows(outcome, ratings)
    r2 = regression.subset_r2(regression.correlations(rows))
    for mask in range(8):
        cols = [j for j in range(3) if mask >> j & 1]
        assert r2[mask] == pytest.approx(ols_r2(rows[:, cols], rows[:, -1]), abs=1e-10)


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.float64, (60, 4), elements=st.floats(-5, 5, allow_subnormal=False)),
    st.floats(0.1, 50),
    st.floats(-100, 100),
)
def test_shapley_is_invariant_to_affine_changes_of_any_column(data, factor, shift):
    if (data.std(axis=0) < 0.1).any():
        return
    before = regression.shapley(regression.subset_r2(regression.correlations(data)))
    changed = data.copy()
    changed[:, 1] = shift - factor * changed[:, 1]
    changed[:, -1] = factor * changed[:, -1] + shift
    after = regression.shapley(regression.subset_r2(regression.correlations(changed)))
    assert after == pytest.approx(before, abs=1e-8)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (40, 5), elements=st.floats(-5, 5, allow_subnormal=False)))
def test_shapley_values_are_between_zero_and_r2_and_sum_to_it(data):
    if (data.std(axis=0) < 0.1).any():
        return
    r2 = regression.subset_r2(regression.correlations(data))
    values = regression.shapley(r2)
    assert (values >= -1e-12).all() and (values <= r2[-1] + 1e-12).all()
    assert values.sum() == pytest.approx(r2[-1], abs=1e-10)
    assert regression.relative_weights(regression.correlations(data)).sum() == pytest.approx(
        r2[-1], abs=1e-8
    )


def test_the_blocked_bootstrap_equals_plain_resampling_of_rows(monkeypatch):
    monkeypatch.setattr(regression, "_ROWS", 64)  # several row blocks
    monkeypatch.setattr(regression, "_CELLS", 1000)  # several batches of replicates
    data = complete_rows(*survey(n=300))
    got = regression.bootstrap_correlations(data, replicates=12, seed=9)
    rng = np.random.default_rng(9)
    for replicate in got:
        expected = np.corrcoef(data[rng.integers(0, len(data), len(data))].T)
        assert replicate == pytest.approx(expected, abs=1e-10)


def test_bootstrap_intervals_cover_the_true_values_about_95_percent_of_the_time():
    """y = 0.6a + 0.3b + e with independent standard normals: R² = 0.45/1.45 and a's
    Shapley value 0.36/1.45 exactly. 150 seeded samples of 300 rows."""
    true_r2, true_a = 0.45 / 1.45, 0.36 / 1.45
    hits = np.zeros(2)
    samples = 150
    for seed in range(samples):
        rng = np.random.default_rng(1000 + seed)
        x = rng.normal(size=(300, 3))
        data = np.column_stack([x, 0.6 * x[:, 0] + 0.3 * x[:, 1] + rng.normal(size=300)])
        r2 = regression.subset_r2(
            regression.bootstrap_correlations(data, replicates=400, seed=seed)
        )
        low, high = regression.percentile_interval(
            np.column_stack([r2[:, -1], regression.shapley(r2)[:, 0]])
        )
        hits += (low <= [true_r2, true_a]) & ([true_r2, true_a] <= high)
    coverage = hits / samples
    assert ((coverage >= 0.88) & (coverage <= 0.99)).all(), coverage
