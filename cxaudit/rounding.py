"""Display rounding shared by every pure module (METHODOLOGY §1.3).

Half away from zero on the shortest decimal form of the number, never Python's
banker's ``round()``: 43.75 -> 43.8, -12.25 -> -12.3, 2.675 -> 2.68.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | float | Fraction | Decimal


def round_half_up(value: Number, places: int = 1) -> Decimal:
    """Round for display; thresholds compare this rounded value (the threshold rule)."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        # A fraction has no shortest form; 28 significant digits are plenty for 1-2 places.
        decimal = exact
    elif isinstance(value, Decimal):
        decimal = value
    else:
        decimal = Decimal(repr(value))
    step = Decimal(1).scaleb(-places)
    return decimal.quantize(step, rounding=ROUND_HALF_UP)


def rounded(value: Number, places: int = 1) -> float:
    """The display-rounded value as a float, for comparisons against thresholds."""
    return float(round_half_up(value, places))
