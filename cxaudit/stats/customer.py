"""Customer metrics: NPS (§2), CSAT (§3) and CES 2.0 (§4)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .banding import ces_band, csat_band, nps_band
from .common import (
    CES_SCALE,
    CSAT_SCALE,
    INVALID_COUNTS,
    MEAN_PLACES,
    PERCENT_PLACES,
    Message,
    Number,
    Share,
    _is_count,
    _percent,
    _sample_message,
    counts_distribution,
    display,
)
from .intervals import _nps_interval, _proportion_interval, mean_and_sd

# --------------------------------------------------------------------------- NPS


@dataclass(frozen=True)
class NpsResult:
    """Customer NPS (§2). ``value`` is the raw NPS; the interval may be centred elsewhere."""

    value: float | None
    status: str
    n: int
    promoters_pct: float | None = None
    passives_pct: float | None = None
    detractors_pct: float | None = None
    indicative: bool = False
    margin: float | None = None
    low: float | None = None
    high: float | None = None
    interval_method: str | None = None
    band: str | None = None
    message: Message | None = None
    places: int = PERCENT_PLACES

    @property
    def display(self) -> Decimal | None:
        return display(self.value, self.places)


class NpsCounts(NamedTuple):
    promoters: int
    passives: int
    detractors: int


def nps(*, promoters: int, passives: int, detractors: int) -> NpsResult:
    if not all(_is_count(c) for c in (promoters, passives, detractors)):
        return NpsResult(None, "invalid", 0, message=INVALID_COUNTS)
    n = promoters + passives + detractors
    status, message, indicative = _sample_message(n)
    if status != "ok":
        return NpsResult(None, status, n, message=message)
    value = 100 * (promoters - detractors) / n
    interval = _nps_interval(promoters, detractors, n)
    return NpsResult(
        value=value,
        status="ok",
        n=n,
        promoters_pct=_percent(promoters, n),
        passives_pct=_percent(passives, n),
        detractors_pct=_percent(detractors, n),
        indicative=indicative,
        margin=interval.margin,
        low=interval.low,
        high=interval.high,
        interval_method=interval.method,
        band=nps_band(value),
        message=message,
    )


# --------------------------------------------------------------------------- CSAT and CES


@dataclass(frozen=True)
class ShareResult:
    """CSAT (value = T2B, low_share = B2B) or CES 2.0 (value = % agree, low_share = % disagree)."""

    value: float | None
    status: str
    n: int
    indicative: bool = False
    margin: float | None = None
    low: float | None = None
    high: float | None = None
    interval_method: str | None = None
    band: str | None = None
    low_share: float | None = None
    mean: float | None = None
    mean_margin: float | None = None  # only for n ≥ 30
    sd: float | None = None
    distribution: tuple[Share, ...] = ()
    scale_max: int = 5
    message: Message | None = None
    places: int = PERCENT_PLACES

    @property
    def display(self) -> Decimal | None:
        return display(self.value, self.places)

    @property
    def mean_display(self) -> Decimal | None:
        return display(self.mean, MEAN_PLACES)


def _share_result(
    counts: Mapping[int, int],
    *,
    scale: range,
    high_values: range,
    low_values: range,
    band: Callable[[Number], str],
) -> ShareResult:
    dist = counts_distribution(counts, scale=scale)
    if dist is None:
        out_of_scale: Message = ("out_of_scale", {"low": scale[0], "high": scale[-1]})
        return ShareResult(None, "invalid", 0, scale_max=scale[-1], message=out_of_scale)
    status, message, indicative = _sample_message(dist.n)
    if status != "ok":
        return ShareResult(None, status, dist.n, scale_max=scale[-1], message=message)
    high = dist.count(high_values)
    value = _percent(high, dist.n)
    interval = _proportion_interval(high, dist.n)
    mean = mean_and_sd(n=dist.n, total=dist.total, total_squares=dist.total_squares)
    return ShareResult(
        value=value,
        status="ok",
        n=dist.n,
        indicative=indicative,
        margin=interval.margin,
        low=interval.low,
        high=interval.high,
        interval_method=interval.method,
        band=band(value),
        low_share=_percent(dist.count(low_values), dist.n),
        mean=mean.value,
        mean_margin=mean.margin,
        sd=mean.sd,
        distribution=dist.items,
        scale_max=scale[-1],
        message=message,
    )


def csat(*, counts: Mapping[int, int]) -> ShareResult:
    """§3: counts per star 1–5. value = T2B (4–5), low_share = B2B (1–2), mean on 1–5."""
    return _share_result(
        counts, scale=CSAT_SCALE, high_values=range(4, 6), low_values=range(1, 3), band=csat_band
    )


def ces(*, counts: Mapping[int, int]) -> ShareResult:
    """§4 CES 2.0: counts per answer 1–7. value = % agree (5–7), low_share = % disagree (1–3)."""
    return _share_result(
        counts, scale=CES_SCALE, high_values=range(5, 8), low_values=range(1, 4), band=ces_band
    )
