from decimal import Decimal
from fractions import Fraction

import pytest

from cxaudit.rounding import round_half_up, rounded


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (43.75, 1, "43.8"),
        (-12.25, 1, "-12.3"),
        (2.675, 2, "2.68"),
        (29.96, 1, "30.0"),
        (19.96, 1, "20.0"),
        (Fraction(175, 4), 1, "43.8"),
        (Fraction(-49, 4), 1, "-12.3"),
        (Decimal("1250.005"), 2, "1250.01"),
        (7, 2, "7.00"),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(value, places, expected):
    assert round_half_up(value, places) == Decimal(expected)


def test_rounded_returns_float_for_threshold_checks():
    assert rounded(29.96) == 30.0
