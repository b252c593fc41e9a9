"""Survey statistics: NPS, CSAT, CES 2.0, employee surveys, anonymity, waves.

Implements METHODOLOGY §1–§5 and §10. Pure: no Django imports. Functions take counts that
the database aggregates in one query (STYLE 14), return frozen dataclasses with the exact
value, a status (``ok``, ``no_data``, ``too_few``, ``invalid``) and untranslated message
keys with parameters; they never raise for missing or bad data. Bands always compare the
value rounded to its display precision (the threshold rule, §1.3).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

from cxaudit import bands
from cxaudit.rounding import round_half_up, rounded

Message = tuple[str, dict[str, Any]]
Number = int | float | Fraction | Decimal

Z_95 = 1.96
MIN_SHOWN_N = 5  # customer metrics: fewer responses are hidden (§1.4)
NORMAL_N = 30  # customer metrics: fewer responses are "indicative"; waves need both ≥ 30
DEFAULT_ANONYMITY_THRESHOLD = 5
MIN_ANONYMITY_THRESHOLD = 3
MAX_ANONYMITY_THRESHOLD = 20

PERCENT_PLACES = 1  # NPS, eNPS, percentages, margins
MEAN_PLACES = 2  # means and z

CSAT_SCALE = range(1, 6)
CES_SCALE = range(1, 8)
EMPLOYEE_SCALE = range(11)  # state at work, process ease (0–10)

# Interval methods.
WALD = "wald"
ADJUSTED_WALD = "adjusted_wald"
AGRESTI_COULL = "agresti_coull"


# --------------------------------------------------------------------------- helpers


def display(value: Number | None, places: int) -> Decimal | None:
    """The display-rounded value, never a negative zero (−0.04 shows 0.0)."""
    if value is None:
        return None
    shown = round_half_up(value, places)
    return abs(shown) if shown == 0 else shown


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def _sample_message(n: int) -> tuple[str, Message | None, bool]:
    """Status, message and indicative flag for a customer metric with n ≥ 0 answers."""
    if n == 0:
        return "no_data", ("no_responses", {}), False
    if n < MIN_SHOWN_N:
        return "too_few", ("too_few", {"n": n, "minimum": MIN_SHOWN_N}), False
    if n < NORMAL_N:
        return "ok", ("indicative", {"n": n}), True
    return "ok", None, False


INVALID_COUNTS: Message = ("invalid_counts", {})


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


# --------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class Share:
    """One answer value of a distribution."""

    value: int
    count: int
    percent: float


@dataclass(frozen=True)
class Distribution:
    """Counts per answer value over a whole scale, with their moments."""

    n: int
    items: tuple[Share, ...]
    total: int  # Σx
    total_squares: int  # Σx²

    def count(self, values: Iterable[int]) -> int:
        wanted = set(values)
        return sum(item.count for item in self.items if item.value in wanted)


def tally(answers: Iterable[int]) -> dict[int, int]:
    """Counts per answer value (for imports and tests; production counts come from SQL)."""
    counts: dict[int, int] = {}
    for answer in answers:
        counts[answer] = counts.get(answer, 0) + 1
    return counts


def counts_distribution(counts: Mapping[int, int], *, scale: range) -> Distribution | None:
    """Normalise ``{answer: count}`` over ``scale``; None if a key is off the scale with a
    non-zero count or a count is not a whole number ≥ 0."""
    for key, count in counts.items():
        if not _is_count(count):
            return None
        if count and (not isinstance(key, int) or isinstance(key, bool) or key not in scale):
            return None
    n = sum(counts.values())
    items = tuple(
        Share(value, counts.get(value, 0), _percent(counts.get(value, 0), n) if n else 0.0)
        for value in scale
    )
    total = sum(item.value * item.count for item in items)
    squares = sum(item.value * item.value * item.count for item in items)
    return Distribution(n=n, items=items, total=total, total_squares=squares)


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Interval:
    """A 95% interval in display units, already clipped; ``margin`` is the unclipped half-width."""

    low: float
    high: float
    margin: float
    method: str
    centre: float


def _nps_variance(promoters: Fraction, detractors: Fraction, n: Fraction) -> Fraction:
    p, d = promoters / n, detractors / n
    return p + d - (p - d) ** 2


def nps_interval(*, promoters: int, passives: int, detractors: int) -> Interval | None:
    """§2: Wald for n ≥ 30 with v > 0; otherwise adjusted-Wald (centred on NPS′). None if n = 0."""
    n = promoters + passives + detractors
    if n == 0:
        return None
    return _nps_interval(promoters, detractors, n)


def _nps_interval(promoters: int, detractors: int, n: int) -> Interval:
    variance = _nps_variance(Fraction(promoters), Fraction(detractors), Fraction(n))
    if n >= NORMAL_N and variance > 0:
        centre = 100 * (promoters - detractors) / n
        margin = Z_95 * math.sqrt(variance / n) * 100
        method = WALD
    else:
        n_adj = Fraction(n) + 3
        p_adj = (promoters + Fraction(3, 4)) / n_adj
        d_adj = (detractors + Fraction(3, 4)) / n_adj
        centre = float(100 * (p_adj - d_adj))
        v_adj = p_adj + d_adj - (p_adj - d_adj) ** 2
        margin = Z_95 * math.sqrt(v_adj / n_adj) * 100
        method = ADJUSTED_WALD
    return Interval(
        low=_clip(centre - margin, -100, 100),
        high=_clip(centre + margin, -100, 100),
        margin=margin,
        method=method,
        centre=centre,
    )


def proportion_interval(*, successes: int, n: int) -> Interval | None:
    """§3: Wald interval for a share in percent; Agresti–Coull when the share is 0 or 1."""
    if n <= 0 or not 0 <= successes <= n:
        return None
    return _proportion_interval(successes, n)


def _proportion_interval(successes: int, n: int) -> Interval:
    if 0 < successes < n:
        t = successes / n
        centre = 100 * successes / n
        margin = Z_95 * math.sqrt(t * (1 - t) / n) * 100
        method = WALD
    else:
        z2 = Z_95 * Z_95
        n_adj = n + z2
        t_adj = (successes + z2 / 2) / n_adj
        centre = 100 * t_adj
        margin = Z_95 * math.sqrt(t_adj * (1 - t_adj) / n_adj) * 100
        method = AGRESTI_COULL
    return Interval(
        low=_clip(centre - margin, 0, 100),
        high=_clip(centre + margin, 0, 100),
        margin=margin,
        method=method,
        centre=centre,
    )


# --------------------------------------------------------------------------- means


@dataclass(frozen=True)
class MeanResult:
    """Mean of answers from n, Σx and Σx² (what SQL's COUNT, SUM(x), SUM(x*x) give)."""

    value: float | None
    status: str
    n: int
    sd: float | None  # sample standard deviation (n − 1), for n ≥ 2
    margin: float | None  # 1.96 s/√n, only for n ≥ 30
    message: Message | None = None
    places: int = MEAN_PLACES

    @property
    def display(self) -> Decimal | None:
        return display(self.value, self.places)

    @property
    def margin_display(self) -> Decimal | None:
        return display(self.margin, self.places)


def _spread(n: int, total: Number, total_squares: Number) -> Fraction:
    """n·Σx² − (Σx)² = n(n − 1)s², exact for integer (or decimal) sums."""
    total_f = Fraction(total)
    return n * Fraction(total_squares) - total_f * total_f


def mean_and_sd(*, n: int, total: Number, total_squares: Number) -> MeanResult:
    if not _is_count(n):
        return MeanResult(None, "invalid", 0, None, None, INVALID_COUNTS)
    if n == 0:
        return MeanResult(None, "no_data", 0, None, None, ("no_responses", {}))
    spread = _spread(n, total, total_squares)
    if spread < 0:
        return MeanResult(None, "invalid", n, None, None, INVALID_COUNTS)
    mean = float(Fraction(total) / n)
    sd = math.sqrt(spread / (n * (n - 1))) if n >= 2 else None
    margin = Z_95 * sd / math.sqrt(n) if sd is not None and n >= NORMAL_N else None
    return MeanResult(mean, "ok", n, sd, margin)


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
        message = ("out_of_scale", {"low": scale[0], "high": scale[-1]})
        return ShareResult(None, "invalid", 0, scale_max=scale[-1], message=message)
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


# --------------------------------------------------------------------------- anonymity


@dataclass(frozen=True)
class Suppression:
    """A2 + A3 over one breakdown. ``shown`` maps every group key to whether it is shown."""

    k: int
    shown: dict[str, bool]
    total_shown: bool
    below_threshold: frozenset[str]  # hidden by A2
    complementary: frozenset[str]  # hidden by A3
    status: str = "ok"
    message: Message | None = None

    @property
    def hidden(self) -> frozenset[str]:
        return self.below_threshold | self.complementary


def suppress(groups: Mapping[str, int], k: int = DEFAULT_ANONYMITY_THRESHOLD) -> Suppression:
    """Hide groups with n < k (A2), then, while 0 < Σ hidden n < k, the smallest visible group
    (ties: alphabetically first key) (A3). The total is shown when total n ≥ k.

    An invalid threshold or count hides everything (status ``invalid``): failing closed.
    """
    if not anonymity_threshold_valid(k) or not all(_is_count(n) for n in groups.values()):
        message = INVALID_THRESHOLD if not anonymity_threshold_valid(k) else INVALID_COUNTS
        return Suppression(
            k=k,
            shown=dict.fromkeys(groups, False),
            total_shown=False,
            below_threshold=frozenset(groups),
            complementary=frozenset(),
            status="invalid",
            message=message,
        )
    below = {key for key, n in groups.items() if n < k}
    complementary: set[str] = set()
    hidden_sum = sum(groups[key] for key in below)
    while 0 < hidden_sum < k:
        visible = [key for key in groups if key not in below and key not in complementary]
        if not visible:
            break  # everything is hidden; the total is then below k as well
        smallest = min(visible, key=lambda key: (groups[key], key))
        complementary.add(smallest)
        hidden_sum += groups[smallest]
    hidden = below | complementary
    return Suppression(
        k=k,
        shown={key: key not in hidden for key in groups},
        total_shown=sum(groups.values()) >= k,
        below_threshold=frozenset(below),
        complementary=frozenset(complementary),
    )


class PoolPart(NamedTuple):
    """One wave (or group) offered to a pooled figure: its n for the pooled question, and
    its own k when its figures are anonymous (``None`` when its page shows them anyway)."""

    n: int
    k: int | None


@dataclass(frozen=True)
class Pool:
    """Which parts a pooled figure may count (``members``) and which it must leave out."""

    members: frozenset[Hashable]
    left_out: frozenset[Hashable]  # hidden on their own page: never counted
    k: int | None  # the strictest k among the anonymous members; None if there are none


def pool(parts: Mapping[Hashable, PoolPart]) -> Pool:
    """A pooled figure counts only parts that are shown on their own (A2 per part): then
    "pool minus the shown parts" is zero and reveals no hidden part, however many parts are
    pooled or subtracted. A part with an invalid k or count is left out (failing closed);
    a part with no answers is neither counted nor left out."""
    members: set[Hashable] = set()
    left_out: set[Hashable] = set()
    for key, part in parts.items():
        if not _is_count(part.n) or (part.k is not None and not anonymity_threshold_valid(part.k)):
            left_out.add(key)
        elif part.n == 0:
            continue
        elif part.k is None or part.n >= part.k:
            members.add(key)
        else:
            left_out.add(key)
    thresholds = [k for key in members if (k := parts[key].k) is not None]
    return Pool(
        members=frozenset(members),
        left_out=frozenset(left_out),
        k=max(thresholds) if thresholds else None,
    )


# --------------------------------------------------------------------------- waves (§10)


class ProportionCounts(NamedTuple):
    successes: int
    n: int


class Moments(NamedTuple):
    n: int
    total: Number  # Σx
    total_squares: Number  # Σx²


@dataclass(frozen=True)
class Change:
    """A change between two waves. ``delta`` is exact (wave 2 − wave 1); the verdict uses
    |z| rounded to 2 decimals ≥ 1.96."""

    delta: float | None
    se: float | None
    z: float | None
    verdict: str  # significant_increase | significant_decline | not_significant | too_few
    #               | no_data | invalid
    n1: int
    n2: int
    message: Message | None = None
    places: int = PERCENT_PLACES  # of delta and SE; z always shows 2

    @property
    def delta_display(self) -> Decimal | None:
        return display(self.delta, self.places)

    @property
    def se_display(self) -> Decimal | None:
        return display(self.se, self.places)

    @property
    def z_display(self) -> Decimal | None:
        return display(self.z, MEAN_PLACES)

    @property
    def significant(self) -> bool:
        return self.verdict in ("significant_increase", "significant_decline")


def _verdict(delta: float, se: float) -> tuple[float | None, str, Message | None]:
    if se == 0:
        # Both waves without any spread: z is undefined; any difference is real.
        if delta == 0:
            return None, "not_significant", ("zero_variance", {})
        verdict = "significant_increase" if delta > 0 else "significant_decline"
        return None, verdict, ("zero_variance", {})
    z = delta / se
    if abs(rounded(z, MEAN_PLACES)) >= Z_95:
        return z, ("significant_increase" if z > 0 else "significant_decline"), None
    return z, "not_significant", None


def _change(
    n1: int,
    n2: int,
    delta: Callable[[], float],
    se: Callable[[], float],
    *,
    places: int = PERCENT_PLACES,
) -> Change:
    """Shared gatekeeping: ``delta``/``se`` are callables evaluated only when allowed."""
    if min(n1, n2) == 0:
        return Change(None, None, None, "no_data", n1, n2, ("no_responses", {}), places)
    if min(n1, n2) < MIN_SHOWN_N:
        message = ("too_few", {"n": min(n1, n2), "minimum": MIN_SHOWN_N})
        return Change(None, None, None, "too_few", n1, n2, message, places)
    if min(n1, n2) < NORMAL_N:
        message = ("too_few_to_test", {"minimum": NORMAL_N})
        return Change(delta(), None, None, "too_few", n1, n2, message, places)
    d, s = delta(), se()
    z, verdict, message = _verdict(d, s)
    return Change(d, s, z, verdict, n1, n2, message, places)


def nps_change(wave1: NpsCounts, wave2: NpsCounts) -> Change:
    """§10: Δ = NPS₂ − NPS₁, SE = 100 √(v₁/n₁ + v₂/n₂), z = Δ/SE."""
    w1, w2 = NpsCounts(*wave1), NpsCounts(*wave2)
    if not all(_is_count(c) for c in (*w1, *w2)):
        return Change(None, None, None, "invalid", 0, 0, INVALID_COUNTS)
    n1, n2 = sum(w1), sum(w2)

    def delta() -> float:
        nps1 = Fraction(100 * (w1.promoters - w1.detractors), n1)
        return float(Fraction(100 * (w2.promoters - w2.detractors), n2) - nps1)

    def se() -> float:
        v1 = _nps_variance(Fraction(w1.promoters), Fraction(w1.detractors), Fraction(n1))
        v2 = _nps_variance(Fraction(w2.promoters), Fraction(w2.detractors), Fraction(n2))
        return 100 * math.sqrt(v1 / n1 + v2 / n2)

    return _change(n1, n2, delta, se)


def proportion_change(wave1: ProportionCounts, wave2: ProportionCounts) -> Change:
    """§10, CSAT T2B or CES % agree: unpooled SE = 100 √(t₁(1−t₁)/n₁ + t₂(1−t₂)/n₂)."""
    w1, w2 = ProportionCounts(*wave1), ProportionCounts(*wave2)
    if not all(_is_count(c) for c in (*w1, *w2)) or w1.successes > w1.n or w2.successes > w2.n:
        return Change(None, None, None, "invalid", 0, 0, INVALID_COUNTS)

    def delta() -> float:
        return float(Fraction(100 * w2.successes, w2.n) - Fraction(100 * w1.successes, w1.n))

    def se() -> float:
        t1, t2 = Fraction(w1.successes, w1.n), Fraction(w2.successes, w2.n)
        return 100 * math.sqrt(t1 * (1 - t1) / w1.n + t2 * (1 - t2) / w2.n)

    return _change(w1.n, w2.n, delta, se)


def mean_change(wave1: Moments, wave2: Moments) -> Change:
    """§10, means: SE = √(s₁²/n₁ + s₂²/n₂) with sample variances; Δ and SE show 2 decimals."""
    w1, w2 = Moments(*wave1), Moments(*wave2)
    checks = (mean_and_sd(n=w.n, total=w.total, total_squares=w.total_squares) for w in (w1, w2))
    if any(check.status == "invalid" for check in checks):
        return Change(None, None, None, "invalid", 0, 0, INVALID_COUNTS, MEAN_PLACES)

    def delta() -> float:
        return float(Fraction(w2.total) / w2.n - Fraction(w1.total) / w1.n)

    def se() -> float:
        # s²/n = spread / (n²(n − 1)); n ≥ 30 here.
        terms = (_spread(*w) / (w.n * w.n * (w.n - 1)) for w in (w1, w2))
        return math.sqrt(sum(terms))

    return _change(w1.n, w2.n, delta, se, places=MEAN_PLACES)
