"""cxaudit.themes.figures against statsmodels and an independent count by group."""

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportions_ztest

from cxaudit.themes.codebook import Matcher
from cxaudit.themes.figures import TOO_FEW, TOO_FEW_EXPECTED, compare, share
from tests.themes_corpus import CODEBOOK, corpus


def test_share():
    assert share(25, 100).percent == 25
    interval = share(25, 100).interval
    assert interval.low == pytest.approx(25 - 1.96 * (0.25 * 0.75 / 100) ** 0.5 * 100)
    assert share(0, 0) == share(0, 0).__class__(None, None)
    assert share(0, 10).interval.low == 0


@given(st.integers(30, 400), st.integers(30, 400), st.floats(0.05, 0.95), st.floats(0.05, 0.95))
def test_compare_equals_statsmodels(n_a, n_b, p_a, p_b):
    count_a, count_b = round(n_a * p_a), round(n_b * p_b)
    result = compare(count_a, n_a, count_b, n_b)
    if result.reason is not None:
        return
    z, _ = proportions_ztest([count_a, count_b], [n_a, n_b])
    assert result.z == pytest.approx(z)
    assert result.significant == (abs(z) >= 1.96)
    assert result.difference == pytest.approx(100 * (count_a / n_a - count_b / n_b))


def test_compare_minimums():
    assert compare(10, 29, 5, 100).reason == TOO_FEW
    assert compare(10, 29, 5, 100).significant is False
    assert compare(1, 100, 2, 100).reason == TOO_FEW_EXPECTED
    assert compare(0, 0, 1, 10).difference is None
    assert compare(40, 100, 20, 100).significant is True


def test_figures_by_group_equal_an_independent_count():
    comments = corpus(2000, seed=3)
    rng = random.Random(5)
    groups = [rng.choice(("detractor", "promoter")) for _ in comments]
    tags = Matcher(CODEBOOK).match_many(c.text for c in comments)
    # Independent count: one pass over (group, theme) pairs, with no matcher-side grouping.
    mentions = Counter((g, k) for g, t in zip(groups, tags, strict=True) for k in t)
    sizes = Counter(groups)
    for theme in (spec.key for spec in CODEBOOK):
        counts = {}
        for group in ("detractor", "promoter"):
            members = [i for i, g in enumerate(groups) if g == group]
            counts[group] = (sum(theme in tags[i] for i in members), len(members))
            assert counts[group] == (mentions[group, theme], sizes[group])
            assert share(*counts[group]).percent == pytest.approx(
                100 * mentions[group, theme] / sizes[group]
            )
        result = compare(*counts["detractor"], *counts["promoter"])
        z, _ = proportions_ztest(
            [counts["detractor"][0], counts["promoter"][0]],
            [counts["detractor"][1], counts["promoter"][1]],
        )
        assert result.z == pytest.approx(z)
        assert result.significant == (abs(z) >= 1.96)
