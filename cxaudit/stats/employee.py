"""Employee surveys (§5): eNPS, 0–10 items behind the anonymity threshold, response rate."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .banding import enps_band, state_at_work_band
from .common import (
    DEFAULT_ANONYMITY_THRESHOLD,
    EMPLOYEE_SCALE,
    INVALID_COUNTS,
    MAX_ANONYMITY_THRESHOLD,
    MEAN_PLACES,
    MIN_ANONYMITY_THRESHOLD,
    PERCENT_PLACES,
    Message,
    Number,
    _is_count,
    _percent,
    counts_distribution,
    display,
)

# --------------------------------------------------------------------------- employee survey


def anonymity_threshold_valid(k: object) -> bool:
    """A1: a whole number from 3 to 20."""
    return (
        isinstance(k, int)
        and not isinstance(k, bool)
        and MIN_ANONYMITY_THRESHOLD <= k <= MAX_ANONYMITY_THRESHOLD
    )


INVALID_THRESHOLD: Message = (
    "invalid_threshold",
    {"minimum": MIN_ANONYMITY_THRESHOLD, "maximum": MAX_ANONYMITY_THRESHOLD},
)


def _hidden(k: int) -> Message:
    # A2: no exact n in the message.
    return ("hidden_below_threshold", {"k": k})


@dataclass(frozen=True)
class EmployeeResult:
    """eNPS (value = eNPS) or a 0–10 item (value = mean, low_share = share of answers 0–6).

    Hidden results (n < k, zero included) carry no n at all (A2).
    """

    value: float | None
    status: str
    n: int | None
    band: str | None = None
    promoters_pct: float | None = None
    passives_pct: float | None = None
    detractors_pct: float | None = None
    low_share: float | None = None
    message: Message | None = None
    places: int = PERCENT_PLACES

    @property
    def display(self) -> Decimal | None:
        return display(self.value, self.places)


def enps(
    *,
    promoters: int,
    passives: int,
    detractors: int,
    threshold: int = DEFAULT_ANONYMITY_THRESHOLD,
) -> EmployeeResult:
    """§5: the §2 formula without a margin, hidden below the anonymity threshold."""
    if not anonymity_threshold_valid(threshold):
        return EmployeeResult(None, "invalid", None, message=INVALID_THRESHOLD)
    if not all(_is_count(c) for c in (promoters, passives, detractors)):
        return EmployeeResult(None, "invalid", None, message=INVALID_COUNTS)
    n = promoters + passives + detractors
    if n < threshold:
        return EmployeeResult(None, "too_few", None, message=_hidden(threshold))
    value = 100 * (promoters - detractors) / n
    return EmployeeResult(
        value=value,
        status="ok",
        n=n,
        band=enps_band(value),
        promoters_pct=_percent(promoters, n),
        passives_pct=_percent(passives, n),
        detractors_pct=_percent(detractors, n),
    )


def _employee_scale(
    counts: Mapping[int, int], threshold: int, band: Callable[[Number], str] | None
) -> EmployeeResult:
    if not anonymity_threshold_valid(threshold):
        return EmployeeResult(None, "invalid", None, message=INVALID_THRESHOLD, places=MEAN_PLACES)
    dist = counts_distribution(counts, scale=EMPLOYEE_SCALE)
    if dist is None:
        message = ("out_of_scale", {"low": 0, "high": 10})
        return EmployeeResult(None, "invalid", None, message=message, places=MEAN_PLACES)
    if dist.n < threshold:
        return EmployeeResult(None, "too_few", None, message=_hidden(threshold), places=MEAN_PLACES)
    mean = dist.total / dist.n
    return EmployeeResult(
        value=mean,
        status="ok",
        n=dist.n,
        band=band(mean) if band else None,
        low_share=_percent(dist.count(range(7)), dist.n),
        places=MEAN_PLACES,
    )


def state_at_work(
    *, counts: Mapping[int, int], threshold: int = DEFAULT_ANONYMITY_THRESHOLD
) -> EmployeeResult:
    """§5: mean (banded) and share of answers 0–6, counts per answer 0–10."""
    return _employee_scale(counts, threshold, state_at_work_band)


def process_ease(
    *, counts: Mapping[int, int], threshold: int = DEFAULT_ANONYMITY_THRESHOLD
) -> EmployeeResult:
    """§5: mean and share of answers 0–6 (no bands in the methodology)."""
    return _employee_scale(counts, threshold, None)


@dataclass(frozen=True)
class RateResult:
    value: float | None
    status: str
    message: Message | None = None
    places: int = PERCENT_PLACES

    @property
    def display(self) -> Decimal | None:
        return display(self.value, self.places)


def response_rate(*, responses: int, invited: int) -> RateResult:
    """§5: responses ÷ invited, in percent."""
    if not (_is_count(responses) and _is_count(invited)):
        return RateResult(None, "invalid", INVALID_COUNTS)
    if invited == 0:
        return RateResult(None, "no_data", ("no_invitations", {}))
    if responses > invited:
        return RateResult(None, "invalid", ("responses_exceed_invited", {}))
    return RateResult(_percent(responses, invited), "ok")
