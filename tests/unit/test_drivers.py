"""Key drivers (cxaudit/stats/drivers.py, regression.py) against independent fits."""

import itertools
import math

import numpy as np
import pytest
import statsmodels.api as sm

from cxaudit import stats
from cxaudit.stats import regression
from cxaudit.stats.drivers import Rating, key_drivers

LIKERT = range(1, 6)
NPS = range(11)


def survey(n=400, seed=1, noise=1.0, missing=0.0):
    """Ratings a, b, c on 1–5 and NPS driven by 0.6·a + 0.3·b; c is irrelevant."""
    rng = np.random.default_rng(seed)
    ratings = rng.integers(1, 6, size=(n, 3)).astype(float)
    a, b = ratings[:, 0], ratings[:, 1]
    nps = np.clip(np.round(1.5 * (0.6 * a + 0.3 * b) + rng.normal(0, noise, n)), 0, 10)
    columns = [list(map(int, ratings[:, j])) for j in range(3)]
    outcome = list(map(int, nps))
    for column in [*columns, outcome]:
        for i in np.flatnonzero(rng.random(n) < missing):
            column[i] = None
    return outcome, [
        Rating(key, column, LIKERT) for key, column in zip("abc", columns, strict=True)
    ]


def analyse(outcome, ratings, **kw):
    kw.setdefault("replicates", 200)
    return key_drivers(outcome=outcome, outcome_scale=NPS, ratings=ratings, **kw)


def by_key(result):
    return {d.key: d for d in result.drivers}


def complete_rows(outcome, ratings):
    table = np.array([[r.answers[i] for r in ratings] + [outcome[i]] for i in range(len(outcome))])
    keep = [all(v is not None for v in row) for row in table]
    return table[keep].astype(float)


def ols_r2(x, y):
    """R² of y on x with an intercept, by statsmodels."""
    if x.shape[1] == 0:
        return 0.0
    return float(sm.OLS(y, sm.add_constant(x, has_constant="add")).fit().rsquared)


def lstsq_r2(x, y):
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ beta
    return 1 - residual @ residual / ((y - y.mean()) @ (y - y.mean()))


def brute_force_shapley(x, y, fit):
    """Mean marginal gain over every order of adding the columns, refitting each model."""
    k = x.shape[1]
    cache = {}

    def r2(cols):
        key = tuple(sorted(cols))
        if key not in cache:
            cache[key] = fit(x[:, list(key)], y) if key else 0.0
        return cache[key]

    values = np.zeros(k)
    orders = list(itertools.permutations(range(k)))
    for order in orders:
        for position, j in enumerate(order):
            values[j] += r2(order[: position + 1]) - r2(order[:position])
    return values / len(orders)


# --------------------------------------------------------------------------- known drivers


def test_the_known_ranking_is_found_and_the_irrelevant_rating_explains_almost_nothing():
    result = analyse(*survey())
    assert result.status == "ok"
    assert [d.key for d in result.drivers] == ["a", "b", "c"]
    assert [d.rank for d in result.drivers] == [1, 2, 3]
    drivers = by_key(result)
    assert drivers["a"].importance.value > 2 * drivers["b"].importance.value
    assert drivers["c"].importance.value < 1.0  # under one point of variance
    assert drivers["c"].importance.low < 0.5


def test_importances_sum_to_r2_and_shares_to_100():
    result = analyse(*survey())
    assert sum(d.importance.value for d in result.drivers) == pytest.approx(result.r2.value)
    assert sum(d.share.value for d in result.drivers) == pytest.approx(100)


def test_r2_equals_an_independent_statsmodels_fit():
    outcome, ratings = survey(missing=0.05)
    rows = complete_rows(outcome, ratings)
    result = analyse(outcome, ratings)
    assert result.n == len(rows)
    assert result.r2.value == pytest.approx(100 * ols_r2(rows[:, :-1], rows[:, -1]), abs=1e-9)


@pytest.mark.parametrize("fit", [ols_r2, lstsq_r2], ids=["statsmodels", "lstsq"])
def test_importance_equals_a_brute_force_shapley_refitting_every_subset(fit):
    rng = np.random.default_rng(7)
    n, k = 300, 4
    x = rng.integers(1, 6, size=(n, k)).astype(float)
    x[:, 3] = np.clip(np.round((x[:, 0] + x[:, 1]) / 2 + rng.normal(0, 0.7, n)), 1, 5)
    y = np.clip(np.round(0.8 * x[:, 0] + 0.4 * x[:, 3] + rng.normal(0, 1.5, n)), 0, 10)
    ratings = [Rating(f"r{j}", list(x[:, j]), LIKERT) for j in range(k)]
    result = analyse(list(y), ratings)
    expected = brute_force_shapley(x, y, fit)
    got = [by_key(result)[f"r{j}"].importance.value / 100 for j in range(k)]
    assert got == pytest.approx(expected, abs=1e-10)


# --------------------------------------------------------------------------- invariances


def test_importance_does_not_depend_on_the_scale_a_rating_is_asked_on():
    outcome, ratings = survey()
    doubled = Rating("a", [None if v is None else 2 * v for v in ratings[0].answers], NPS)
    base, rescaled = analyse(outcome, ratings), analyse(outcome, [doubled, *ratings[1:]])
    for one, other in zip(base.drivers, rescaled.drivers, strict=True):
        assert one.importance.value == pytest.approx(other.importance.value, abs=1e-9)
        assert one.importance.low == pytest.approx(other.importance.low, abs=1e-9)
    assert by_key(rescaled)["a"].mean.value == pytest.approx(2 * by_key(base)["a"].mean.value)


def test_reordering_the_ratings_only_reorders_the_result():
    outcome, ratings = survey()
    one = by_key(analyse(outcome, ratings))
    other = by_key(analyse(outcome, ratings[::-1]))
    for key in "abc":
        assert one[key].importance.value == pytest.approx(other[key].importance.value)
        assert one[key].quadrant == other[key].quadrant


def test_two_identical_ratings_share_their_importance_equally():
    outcome, ratings = survey()
    twin = Rating("a2", ratings[0].answers, LIKERT)
    result = by_key(analyse(outcome, [*ratings, twin]))
    alone = by_key(analyse(outcome, ratings))
    assert result["a"].importance.value == pytest.approx(result["a2"].importance.value)
    assert result["a"].importance.low == pytest.approx(result["a2"].importance.low)
    assert result["b"].importance.value == pytest.approx(alone["b"].importance.value, abs=0.5)
    corr = regression.correlations(complete_rows(outcome, [*ratings, twin]))
    weights = regression.relative_weights(corr)
    assert weights[0] == pytest.approx(weights[3])


# --------------------------------------------------------------------------- missing answers


def test_only_complete_cases_are_used_and_counted():
    outcome, ratings = survey(n=500, missing=0.1)
    result = analyse(outcome, ratings)
    assert result.n_total == 500
    assert result.n == len(complete_rows(outcome, ratings)) < 500
    rows = complete_rows(outcome, ratings)
    assert by_key(result)["a"].mean.value == pytest.approx(rows[:, 0].mean())


def test_numpy_arrays_with_nan_work_like_lists_with_none():
    outcome, ratings = survey(missing=0.1)
    as_arrays = [Rating(r.key, np.array(r.answers, dtype=float), r.scale) for r in ratings]
    one = analyse(outcome, ratings)
    other = analyse(np.array(outcome, dtype=float), as_arrays)
    assert one == other


# --------------------------------------------------------------------------- refusals


def test_fewer_than_50_complete_cases_are_refused_with_the_numbers():
    outcome, ratings = survey(n=49)
    result = analyse(outcome, ratings)
    assert (result.status, result.message) == (
        "too_few",
        ("too_few_cases", {"n": 49, "minimum": 50}),
    )
    assert result.n == 49 and result.drivers == () and result.reading is None
    assert analyse(*survey(n=50)).status == "ok"


def test_each_rating_needs_ten_complete_cases():
    assert stats.minimum_cases(2) == 50 and stats.minimum_cases(5) == 50
    assert stats.minimum_cases(6) == 60 and stats.minimum_cases(12) == 120
    rng = np.random.default_rng(5)
    ratings = [Rating(f"r{j}", list(rng.integers(1, 6, 59)), LIKERT) for j in range(6)]
    result = analyse(list(rng.integers(0, 11, 59)), ratings)
    assert result.status == "too_few" and result.message[1] == {"n": 59, "minimum": 60}


def test_missing_answers_can_push_a_wave_below_the_minimum():
    outcome, ratings = survey(n=60, missing=0.1)
    result = analyse(outcome, ratings)
    assert result.status == "too_few" and result.n < 50 and result.n_total == 60


def test_a_constant_rating_or_outcome_is_refused():
    outcome, ratings = survey()
    flat = Rating("flat", [3] * len(outcome), LIKERT)
    result = analyse(outcome, [*ratings, flat])
    assert (result.status, result.message) == ("no_variance", ("constant_rating", {"key": "flat"}))
    result = analyse([7] * len(outcome), ratings)
    assert (result.status, result.message) == ("no_variance", ("constant_outcome", {}))


def test_a_rating_constant_only_among_complete_cases_is_refused():
    outcome, ratings = survey(n=200)
    answers = [4 if v is not None else None for v in outcome]
    answers[0], outcome[0] = 1, None  # its only other value is in an incomplete case
    result = analyse(outcome, [*ratings, Rating("d", answers, LIKERT)])
    assert result.message == ("constant_rating", {"key": "d"})


def test_no_complete_case_is_no_data():
    _outcome, ratings = survey(n=80)
    result = analyse([None] * 80, ratings)
    assert (result.status, result.message) == ("no_data", ("no_responses", {}))


@pytest.mark.parametrize("count", [0, 1, 13])
def test_fewer_than_two_or_more_than_twelve_ratings_are_refused(count):
    rng = np.random.default_rng(2)
    ratings = [Rating(f"r{j}", list(rng.integers(1, 6, 200)), LIKERT) for j in range(count)]
    result = analyse(list(rng.integers(0, 11, 200)), ratings)
    assert result.status == "invalid"
    assert result.message[0] == ("too_few_ratings" if count < 2 else "too_many_ratings")


@pytest.mark.parametrize("bad", [6, 0, 2.5, float("inf")])
def test_answers_off_the_scale_are_refused_with_the_question_key(bad):
    outcome, ratings = survey()
    answers = list(ratings[1].answers)
    answers[3] = bad
    result = analyse(outcome, [ratings[0], Rating("b", answers, LIKERT), ratings[2]])
    assert (result.status, result.message) == ("invalid", ("invalid_answers", {"key": "b"}))
    outcome[5] = 11
    assert analyse(outcome, ratings).message == ("invalid_answers", {"key": "outcome"})


def test_caller_mistakes_raise():
    outcome, ratings = survey()
    with pytest.raises(ValueError, match="unique"):
        analyse(outcome, [ratings[0], ratings[0]])
    with pytest.raises(ValueError, match="one answer"):
        analyse(outcome[:-1], ratings)
    with pytest.raises(ValueError, match="replicates"):
        analyse(outcome, ratings, replicates=0)
    with pytest.raises(ValueError, match="scale"):
        analyse(outcome, [*ratings[:2], Rating("c", ratings[2].answers, range(1, 2))])


# --------------------------------------------------------------------------- bootstrap


def test_the_bootstrap_is_reproducible_with_its_seed_and_changes_with_another():
    outcome, ratings = survey()
    first, again = analyse(outcome, ratings, seed=3), analyse(outcome, ratings, seed=3)
    assert first == again
    other = analyse(outcome, ratings, seed=4)
    assert other.r2.value == first.r2.value and other.r2.low != first.r2.low
    default = key_drivers(outcome=outcome, outcome_scale=NPS, ratings=ratings)
    assert (default.replicates, default.seed) == (stats.BOOTSTRAP_REPLICATES, stats.BOOTSTRAP_SEED)


def test_intervals_hold_their_estimates():
    result = analyse(*survey())
    estimates = [result.r2] + [
        e for d in result.drivers for e in (d.importance, d.share, d.mean, d.performance)
    ]
    assert all(e.low <= e.value <= e.high for e in estimates)


# --------------------------------------------------------------------------- quadrants, reading


@pytest.mark.parametrize(
    ("share", "performance", "expected"),
    [
        (40.0, 30.0, stats.FIX_FIRST),
        (40.0, 70.0, stats.KEEP),
        (10.0, 30.0, stats.SECONDARY),
        (10.0, 70.0, stats.OVER_SERVED),
        (33.34, 50.04, stats.KEEP),  # both equal to their split once rounded: high
        (33.24, 49.94, stats.SECONDARY),  # 33.2 and 49.9: just below
    ],
)
def test_quadrants_split_at_the_mean_share_and_mean_performance(share, performance, expected):
    split = {"share_split": 100 / 3, "perf_split": 50.0}
    assert stats.quadrant(share=share, performance=performance, **split) == expected


def test_every_driver_sits_in_the_quadrant_of_its_share_and_performance():
    result = analyse(*survey())
    assert result.share_split == pytest.approx(100 / 3)
    perf = [d.performance.value for d in result.drivers]
    assert result.performance_split == pytest.approx(sum(perf) / 3)
    for d in result.drivers:
        important = d.share.value >= result.share_split
        performs = d.performance.value >= result.performance_split
        expected = {
            (True, False): "fix_first",
            (True, True): "keep",
            (False, False): "secondary",
            (False, True): "over_served",
        }
        assert d.quadrant == expected[(important, performs)]


def test_the_reading_names_the_driver_to_fix_first_and_the_strongest():
    outcome, ratings = survey(n=500, seed=4)
    # a drives NPS and is rated low: answers 1-3 instead of 1-5.
    low_a = Rating(
        "a", [None if v is None else 1 + (v - 1) // 2 for v in ratings[0].answers], LIKERT
    )
    result = analyse(outcome, [low_a, *ratings[1:]])
    reading = result.reading
    assert reading.strongest == "a" == reading.fix_first
    a = by_key(result)["a"]
    assert (reading.fix_first_share, reading.fix_first_performance) == (
        a.share.shown,
        a.performance.shown,
    )
    assert reading.r2 == result.r2.shown and reading.r2_band == stats.r2_band(result.r2.value)


def test_the_reading_has_no_driver_to_fix_first_when_the_important_ones_perform():
    outcome, ratings = survey(n=500, seed=4)
    high_a = Rating(
        "a", [None if v is None else 3 + (v - 1) // 2 for v in ratings[0].answers], LIKERT
    )
    result = analyse(outcome, [high_a, *ratings[1:]])
    assert result.reading.fix_first is None and result.reading.fix_first_share is None
    assert by_key(result)["a"].quadrant == stats.KEEP


@pytest.mark.parametrize(
    ("r2", "band"),
    [(0.0, "weak"), (29.94, "weak"), (29.95, "moderate"), (49.9, "moderate"), (50.0, "strong")],
)
def test_r2_bands_compare_the_rounded_percentage(r2, band):
    assert stats.r2_band(r2) == band


def test_performance_is_the_mean_normalised_to_0_100_and_numbers_display_rounded():
    outcome, ratings = survey()
    a = by_key(analyse(outcome, ratings))["a"]
    assert a.performance.value == pytest.approx(100 * (a.mean.value - 1) / 4)
    assert a.performance.high - a.performance.value == pytest.approx(
        100 * (a.mean.high - a.mean.value) / 4
    )
    values = np.array([v for v in ratings[0].answers], dtype=float)
    margin = 1.96 * values.std(ddof=1) / math.sqrt(len(values))
    assert a.mean.high == pytest.approx(a.mean.value + margin)
    assert a.mean.shown == float(stats.display(a.mean.value, 2))
    assert stats.Estimate(43.75, -0.04, 2.675, places=1).shown == 43.8
    assert str(stats.Estimate(1.0, -0.04, 2.675, places=2).low_shown) == "-0.04"
    assert str(stats.Estimate(1.0, -0.001, 2.675, places=2).low_shown) == "0.0"
    assert stats.Estimate(1.0, -0.04, 2.675, places=2).high_shown == 2.68
