"""The bands of §2–§5, compared on the value rounded to its display precision (§1.3)."""

from __future__ import annotations

from cxaudit import bands
from cxaudit.rounding import rounded

from .common import MEAN_PLACES, PERCENT_PLACES, Number

# --------------------------------------------------------------------------- bands


def nps_band(value: Number) -> str:
    """§2: critical < 0.0 ≤ problems < 30.0 ≤ good ≤ 50.0 < excellent (rounded to 1 dp)."""
    shown = rounded(value, PERCENT_PLACES)
    if shown < bands.NPS_PROBLEMS_FROM:
        return "critical"
    if shown < bands.NPS_GOOD_FROM:
        return "problems"
    if shown <= bands.NPS_GOOD_UP_TO:
        return "good"
    return "excellent"


def csat_band(t2b: Number) -> str:
    """§3, on T2B: weak < 70.0 ≤ acceptable < 85.0 ≤ strong."""
    shown = rounded(t2b, PERCENT_PLACES)
    if shown < bands.CSAT_ACCEPTABLE_FROM:
        return "weak"
    return "acceptable" if shown < bands.CSAT_STRONG_FROM else "strong"


def ces_band(agree: Number) -> str:
    """§4, on % agree: weak < 60.0 ≤ acceptable < 80.0 ≤ strong."""
    shown = rounded(agree, PERCENT_PLACES)
    if shown < bands.CES_ACCEPTABLE_FROM:
        return "weak"
    return "acceptable" if shown < bands.CES_STRONG_FROM else "strong"


def enps_band(value: Number) -> str:
    """§5: concern < 0.0 ≤ acceptable < 30.0 ≤ strong."""
    shown = rounded(value, PERCENT_PLACES)
    if shown < bands.ENPS_ACCEPTABLE_FROM:
        return "concern"
    return "acceptable" if shown < bands.ENPS_STRONG_FROM else "strong"


def state_at_work_band(mean: Number) -> str:
    """§5, on the mean: concern < 6.00 ≤ acceptable < 8.00 ≤ strong."""
    shown = rounded(mean, MEAN_PLACES)
    if shown < bands.STATE_AT_WORK_ACCEPTABLE_FROM:
        return "concern"
    return "acceptable" if shown < bands.STATE_AT_WORK_STRONG_FROM else "strong"
