"""Business metrics per period: validation, derived balance, metrics and comparison.

Implements METHODOLOGY §6 and the business-metric part of §10. Pure: no Django imports.
Counts are whole numbers, money is ``Decimal``, durations are ``(value, unit)`` pairs
stored in whole seconds. Nothing raises for missing or bad data: every metric is a
``MetricValue`` with a status (``ok``, ``no_data``, ``undefined``, ``invalid``) and an
untranslated message key with parameters. Values are exact; ``display`` rounds them
(§1.3) and every band or flag compares the displayed value.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any, NamedTuple

from cxaudit.rounding import round_half_up

Message = tuple[str, dict[str, Any]]
Number = int | float | Fraction | Decimal
Duration = tuple[Number, str | None]
Value = float | int | Decimal

SECONDS_PER_UNIT: dict[str, int] = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
LONG_DURATION_SECONDS = 30 * 86400
MAX_INPUT = 10**15  # larger counts, amounts or seconds are typing errors
PERIOD_MONTHS = (1, 3)
COST_SHARE_TARGET = 10  # percent: below 10.0 is on target (§6.1)

RATE_PLACES = 1  # percentages, minutes, LTV:CAC
MONEY_PLACES = 2

# MetricValue units.
PERCENT = "percent"
SCORE = "score"  # IQS 0–100, shown without a % sign
COUNT = "count"
MONEY = "money"
MINUTES = "minutes"
RATIO = "ratio"


# --------------------------------------------------------------------------- inputs


class QaCategory(NamedTuple):
    """One QA scorecard category over the period."""

    weight: Number
    passed: int
    checked: int


@dataclass(frozen=True, kw_only=True)
class PeriodInputs:
    """What a consultant enters for one period; every field is optional."""

    months: int | None = None  # m: 1 (month) or 3 (quarter)
    start: int | None = None  # S
    end: int | None = None  # E
    won: int | None = None  # N
    lost: int | None = None  # L
    cases: int | None = None  # C
    resolved: int | None = None  # R
    first_contact: int | None = None  # F
    support_cost: Decimal | None = None  # K
    revenue: Decimal | None = None  # V
    aov: Decimal | None = None
    margin_pct: Number | None = None
    orders_per_year: Number | None = None  # O
    years: Number | None = None  # T
    acquisition_spend: Decimal | None = None
    repeat_buyers: int | None = None
    buyers: int | None = None
    frt_samples: Sequence[Duration] | None = None  # case-level first response times
    frt_median: Duration | None = None  # as reported by the help desk
    frt_mean: Duration | None = None
    frt_business_hours: bool = False  # the system counts business hours only
    handling_time: Duration | None = None  # total active + hold + after-contact work
    handled_contacts: int | None = None
    handling_samples: Sequence[Duration] | None = None  # case-level handling times
    qa_categories: Sequence[QaCategory] | None = None


COUNT_FIELDS = (
    "months",
    "start",
    "end",
    "won",
    "lost",
    "cases",
    "resolved",
    "first_contact",
    "repeat_buyers",
    "buyers",
    "handled_contacts",
)
MONEY_FIELDS = ("support_cost", "revenue", "acquisition_spend")
LTV_FIELDS = ("aov", "orders_per_year", "years")  # > 0; margin_pct separately
BALANCE_FIELDS = ("start", "end", "won", "lost")
DURATION_FIELDS = ("handling_time", "frt_median", "frt_mean")
SAMPLE_FIELDS = ("frt_samples", "handling_samples")


def _number(value: object) -> Fraction | None:
    """The exact value of a finite int, float, Fraction or Decimal; None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction | Decimal):
        return None
    try:
        return Fraction(value)
    except (ValueError, OverflowError):  # nan, inf
        return None


def _is_whole(value: object) -> bool:
    """A count: a whole number ≥ 0 (2.0 is whole, 2.5 is not)."""
    number = _number(value)
    return number is not None and number >= 0 and number.denominator == 1


def _decimal(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def duration_seconds(value: Number, unit: str | None) -> int:
    """Whole seconds (half up) for a duration entered with its unit.

    Raises ValueError for a missing or unknown unit or a negative value; ``validate``
    reports those as ``duration_invalid`` first.
    """
    number = _number(value)
    if unit not in SECONDS_PER_UNIT:
        raise ValueError(f"unknown duration unit: {unit!r}")
    if number is None or number < 0:
        raise ValueError(f"invalid duration: {value!r}")
    return int(number * SECONDS_PER_UNIT[unit] + Fraction(1, 2))  # floor(x + ½): half up


def _durations(value: object, *, many: bool) -> list[int] | None:
    """Seconds for one duration or a sequence of them; None if any is malformed."""
    items = value if many else [value]
    if not isinstance(items, list | tuple):
        return None
    seconds: list[int] = []
    for item in items:
        if not isinstance(item, list | tuple) or len(item) != 2:
            return None
        try:
            seconds.append(duration_seconds(item[0], item[1]))
        except ValueError:
            return None
    return seconds


# --------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class Issue:
    """A §6.2 finding. Errors store nothing; warnings store with a visible note."""

    kind: str  # "error" | "warning"
    key: str
    fields: tuple[str, ...]
    params: dict[str, Any]
    suggestion: dict[str, int] | None = None  # a value the form offers to fill in


def _error(key: str, fields_: tuple[str, ...], **params: Any) -> Issue:
    return Issue("error", key, fields_, params)


def _counts(inputs: PeriodInputs, names: Sequence[str]) -> dict[str, int] | None:
    """The named counts as ints when every one is given and valid, else None."""
    values = [getattr(inputs, name) for name in names]
    if not all(_is_whole(value) for value in values):
        return None
    return {name: int(value) for name, value in zip(names, values, strict=True)}


def _fourth(given: dict[str, int]) -> tuple[str, int]:
    """From three of S, E, N, L: the missing name and its value from E = S + N − L."""
    (missing,) = (name for name in BALANCE_FIELDS if name not in given)
    s, e, n, lost = (given.get(name, 0) for name in BALANCE_FIELDS)
    value = {"start": e - n + lost, "end": s + n - lost, "won": e - s + lost, "lost": s + n - e}
    return missing, value[missing]


def _balance_issues(x: PeriodInputs) -> list[Issue]:
    present = [name for name in BALANCE_FIELDS if getattr(x, name) is not None]
    given = _counts(x, present)
    if given is None:
        return []  # a bad count is reported on its own
    if {"start", "won", "lost"} <= given.keys() and given["lost"] > given["start"] + given["won"]:
        return [_error("lost_exceeds_available", ("lost", "start", "won"))]
    if len(given) == 4:
        expected = given["start"] + given["won"] - given["lost"]
        if expected != given["end"]:
            issue = _error(
                "balance_mismatch", BALANCE_FIELDS, expected=expected, actual=given["end"]
            )
            return [replace(issue, suggestion={"end": expected})]
    if len(given) == 3:
        missing, value = _fourth(given)
        if value < 0:
            return [_error("balance_impossible", BALANCE_FIELDS, field=missing, value=value)]
    return []


def validate(inputs: PeriodInputs) -> list[Issue]:
    """Every §6.2 error and warning for these inputs, in a stable order."""
    x = inputs
    issues: list[Issue] = []

    for name in COUNT_FIELDS:
        value = getattr(x, name)
        if value is not None and not _is_whole(value):
            issues.append(_error("count_or_amount_invalid", (name,), field=name))
    if _is_whole(x.months) and x.months not in PERIOD_MONTHS:
        issues.append(_error("period_months_invalid", ("months",), allowed=PERIOD_MONTHS))
    for name in MONEY_FIELDS:
        value = getattr(x, name)
        number = _number(value)
        if value is not None and (number is None or number < 0):
            issues.append(_error("count_or_amount_invalid", (name,), field=name))

    issues.extend(_balance_issues(x))

    cases = _counts(x, ("cases", "resolved"))
    if cases and cases["resolved"] > cases["cases"]:
        issues.append(_error("cases_inconsistent", ("resolved", "cases")))
    resolved = _counts(x, ("resolved", "first_contact"))
    if resolved and resolved["first_contact"] > resolved["resolved"]:
        issues.append(_error("cases_inconsistent", ("first_contact", "resolved")))

    cost, revenue = _number(x.support_cost), _number(x.revenue)
    if cost is not None and revenue is not None and cost > revenue >= 0:
        issues.append(Issue("warning", "cost_exceeds_revenue", ("support_cost", "revenue"), {}))

    for name in (*DURATION_FIELDS, *SAMPLE_FIELDS):
        value = getattr(x, name)
        if value is None:
            continue
        seconds = _durations(value, many=name in SAMPLE_FIELDS)
        if seconds is None:
            issues.append(_error("duration_invalid", (name,), field=name))
        elif name != "handling_time" and any(s > LONG_DURATION_SECONDS for s in seconds):
            # Per-case times only: a period's total handling time is legitimately long.
            issues.append(Issue("warning", "duration_long", (name,), {"field": name}))

    for name in LTV_FIELDS:
        value = getattr(x, name)
        number = _number(value)
        if value is not None and (number is None or number <= 0):
            issues.append(_error("ltv_inputs_invalid", (name,), field=name))
    margin = _number(x.margin_pct)
    if x.margin_pct is not None and (margin is None or not 0 < margin <= 100):
        issues.append(_error("ltv_inputs_invalid", ("margin_pct",), field="margin_pct"))

    issues.extend(_qa_issues(x.qa_categories))
    buyers = _counts(x, ("repeat_buyers", "buyers"))
    if buyers and buyers["repeat_buyers"] > buyers["buyers"]:
        issues.append(
            _error("part_exceeds_whole", ("repeat_buyers", "buyers"), field="repeat_buyers")
        )
    issues.extend(
        _error("value_too_large", (name,), field=name, maximum=MAX_INPUT) for name in _too_large(x)
    )
    return issues


def _too_large(x: PeriodInputs) -> list[str]:
    """Fields holding a number (or duration in seconds) above MAX_INPUT."""
    names: list[str] = []
    for name in (*COUNT_FIELDS, *MONEY_FIELDS, *LTV_FIELDS, "qa_categories"):
        value = getattr(x, name)
        parts = value if name == "qa_categories" and isinstance(value, list | tuple) else [value]
        flat = [v for part in parts for v in (part if isinstance(part, list | tuple) else [part])]
        if any((n := _number(v)) is not None and abs(n) > MAX_INPUT for v in flat):
            names.append(name)
    for name in (*DURATION_FIELDS, *SAMPLE_FIELDS):
        seconds = _durations(getattr(x, name), many=name in SAMPLE_FIELDS)
        if seconds and max(seconds) > MAX_INPUT:
            names.append(name)
    return names


def _qa_issues(categories: object) -> list[Issue]:
    if categories is None:
        return []
    name = ("qa_categories",)
    if not isinstance(categories, list | tuple):
        return [_error("count_or_amount_invalid", name, field="qa_categories")]
    issues: list[Issue] = []
    for index, category in enumerate(categories):
        if not isinstance(category, list | tuple) or len(category) != 3:
            issues.append(_error("count_or_amount_invalid", name, field=name[0], index=index))
            continue
        weight, passed, checked = (_number(v) for v in category)
        if weight is None or weight < 0 or not (_is_whole(category[1]) and _is_whole(category[2])):
            issues.append(_error("count_or_amount_invalid", name, field=name[0], index=index))
        elif passed is not None and checked is not None and passed > checked:
            issues.append(_error("part_exceeds_whole", name, field=name[0], index=index))
    return issues


@dataclass(frozen=True)
class BalanceDerivation:
    inputs: PeriodInputs
    derived: str | None  # the balance field filled in, shown as "derived"


def derive_missing_balance(inputs: PeriodInputs) -> BalanceDerivation:
    """Exactly three of S, E, N, L given: fill the fourth from E = S + N − L, unless it
    would be negative (``validate`` reports that as ``balance_impossible``)."""
    present = [name for name in BALANCE_FIELDS if getattr(inputs, name) is not None]
    given = _counts(inputs, present) if len(present) == 3 else None
    if not given:
        return BalanceDerivation(inputs, None)
    missing, value = _fourth(given)
    if value < 0:
        return BalanceDerivation(inputs, None)
    return BalanceDerivation(replace(inputs, **{missing: value}), missing)


# --------------------------------------------------------------------------- metric values


@dataclass(frozen=True)
class MetricValue:
    """One metric: its exact ``value`` or None with the reason."""

    value: Value | None
    status: str  # ok | no_data | undefined | invalid
    unit: str
    places: int
    message: Message | None = None
    missing: tuple[str, ...] = ()  # input names, for no_data
    flags: tuple[str, ...] = ()  # "revenue_ltv", "years_estimated", "business_hours"
    band: str | None = None  # cost share: "on_target" | "above_target"

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def display(self) -> Decimal | None:
        return None if self.value is None else _shown(self.value, self.places)


def _shown(value: Value, places: int) -> Decimal:
    """Display rounding (§1.3) with room for any magnitude, never a negative zero."""
    with localcontext(prec=400):
        shown = round_half_up(value, places)
    return abs(shown) if shown == 0 else shown


def _undefined(unit: str, places: int, key: str) -> MetricValue:
    return MetricValue(None, "undefined", unit, places, (key, {}))


def _no_data(unit: str, places: int, missing: tuple[str, ...]) -> MetricValue:
    return MetricValue(
        None, "no_data", unit, places, ("missing_inputs", {"fields": missing}), missing=missing
    )


def _percent(value: Value) -> MetricValue:
    return MetricValue(value, "ok", PERCENT, RATE_PLACES)


def _minutes(seconds: Number) -> MetricValue:
    return MetricValue(float(Fraction(seconds) / 60), "ok", MINUTES, RATE_PLACES)


def _money(value: Decimal) -> MetricValue:
    return MetricValue(value, "ok", MONEY, MONEY_PLACES)


def years_from_annual_churn(annual_churn_pct: Number) -> float | None:
    """§6.1: T = 1/c_y (c_y as a fraction); None when annual churn is not in (0, 100]."""
    years = _years(annual_churn_pct)
    return None if years is None else float(years)


def _years(annual_churn_pct: Number) -> Fraction | None:
    churn = _number(annual_churn_pct)
    if churn is None or not 0 < churn <= 100:
        return None
    return 100 / churn


def ltv(
    *,
    aov: Number,
    orders_per_year: Number,
    years: Number | None = None,
    margin_pct: Number | None = None,
    annual_churn_pct: Number | None = None,
) -> MetricValue:
    """LTV = AOV × margin/100 × O × T; without a margin, Revenue LTV (flag ``revenue_ltv``).

    With T blank, T = 100 / annual churn in percent (flag ``years_estimated``); zero churn
    leaves LTV undefined.
    """
    flags: list[str] = []
    message: Message | None = None
    if years is None:
        if annual_churn_pct is None:
            return _no_data(MONEY, MONEY_PLACES, ("years",))
        estimated = _years(annual_churn_pct)
        if estimated is None:
            return _undefined(MONEY, MONEY_PLACES, "years_not_estimable")
        years = estimated
        flags.append("years_estimated")
        params = {"years": float(estimated), "annual_churn": float(annual_churn_pct)}
        message = ("years_estimated", params)
    value = _decimal(aov) * _decimal(orders_per_year) * _decimal(years)
    if margin_pct is None:
        flags.append("revenue_ltv")
    else:
        value = value * _decimal(margin_pct) / 100
    return MetricValue(value, "ok", MONEY, MONEY_PLACES, message, flags=tuple(flags))


# --------------------------------------------------------------------------- compute


@dataclass(frozen=True)
class PeriodMetrics:
    months: int | None
    derived: str | None  # balance field filled by derive_missing_balance
    issues: tuple[Issue, ...]
    frt_business_hours: bool
    retention: MetricValue
    churn: MetricValue
    monthly_churn: MetricValue
    net_change: MetricValue
    ltv: MetricValue
    cac: MetricValue
    ltv_cac: MetricValue
    frt_median: MetricValue
    frt_mean: MetricValue
    aht: MetricValue
    aht_median: MetricValue
    resolution_rate: MetricValue
    fcr: MetricValue
    iqs: MetricValue
    cost_share: MetricValue
    cost_per_resolved: MetricValue
    repeat_purchase_rate: MetricValue

    def metrics(self) -> dict[str, MetricValue]:
        return {
            f.name: value
            for f in fields(self)
            if isinstance(value := getattr(self, f.name), MetricValue)
        }


class _Inputs:
    """Valid, converted inputs for one compute() call, with the shared precedence:
    an error on any input used makes a metric ``invalid``, then a missing required
    input makes it ``no_data``; only then does the metric itself run."""

    def __init__(self, inputs: PeriodInputs, issues: Sequence[Issue]) -> None:
        self.raw = inputs
        self.errors = [issue for issue in issues if issue.kind == "error"]

    def get(self, name: str) -> Any:
        """The input converted: counts to int, amounts to Decimal, durations to seconds."""
        value = getattr(self.raw, name)
        if value is None:
            return None
        if name in COUNT_FIELDS:
            return int(value)
        if name in DURATION_FIELDS:
            return duration_seconds(*value)
        if name in SAMPLE_FIELDS:
            return [duration_seconds(*item) for item in value]
        if name == "qa_categories":
            return [(Fraction(w), int(p), int(c)) for w, p, c in value]
        if name in MONEY_FIELDS or name == "aov":
            return round_half_up(_decimal(value), MONEY_PLACES)  # money has 2 places (§1.3)
        return _decimal(value)

    def metric(
        self,
        unit: str,
        places: int,
        needs: tuple[str, ...],
        compute: Callable[..., MetricValue],
        optional: tuple[str, ...] = (),
    ) -> MetricValue:
        """``compute`` gets the needed inputs positionally and the optional ones by name."""
        used = {*needs, *optional}
        for issue in self.errors:
            if used & set(issue.fields):
                return MetricValue(None, "invalid", unit, places, (issue.key, issue.params))
        missing = tuple(name for name in needs if getattr(self.raw, name) is None)
        if missing:
            return _no_data(unit, places, missing)
        args = [self.get(name) for name in needs]
        return compute(*args, **{name: self.get(name) for name in optional})


def _survival(start: int, lost: int, months: int) -> float:
    """(1 − L/S)^(1/m): the share of customers kept per month."""
    return float(1 - Fraction(lost, start)) ** (1 / months)


def _customer_rates_undefined(unit: str, start: int, lost: int | None) -> MetricValue | None:
    if start == 0:
        return _undefined(unit, RATE_PLACES, "no_start_customers")
    if lost is not None and lost > start:
        return _undefined(unit, RATE_PLACES, "lost_exceed_start")
    return None


def _mean(samples: list[int]) -> Fraction:
    return Fraction(sum(samples), len(samples))


def compute(inputs: PeriodInputs) -> PeriodMetrics:
    """Derive the balance, validate, then compute every §6.1 metric."""
    derivation = derive_missing_balance(inputs)
    issues = validate(derivation.inputs)
    x = _Inputs(derivation.inputs, issues)
    lost_known = x.get("lost") if _is_whole(derivation.inputs.lost) else None

    # Customers.
    def retention(start: int, end: int, won: int) -> MetricValue:
        # With the balance, E − N = S − L, so it is negative exactly when L > S.
        undefined = _customer_rates_undefined(PERCENT, start, lost_known)
        return undefined or _percent(100 * (end - won) / start)

    def churn(start: int, lost: int) -> MetricValue:
        return _customer_rates_undefined(PERCENT, start, lost) or _percent(100 * lost / start)

    def monthly_churn(start: int, lost: int, months: int) -> MetricValue:
        if undefined := _customer_rates_undefined(PERCENT, start, lost):
            return undefined
        if months == 1:
            return _percent(100 * lost / start)
        return _percent((1 - _survival(start, lost, months)) * 100)

    retention_v = x.metric(PERCENT, RATE_PLACES, ("start", "end", "won"), retention)
    churn_v = x.metric(PERCENT, RATE_PLACES, ("start", "lost"), churn)
    monthly_v = x.metric(PERCENT, RATE_PLACES, ("start", "lost", "months"), monthly_churn)
    net_v = x.metric(
        COUNT, 0, ("won", "lost"), lambda won, lost: MetricValue(won - lost, "ok", COUNT, 0)
    )

    # LTV, CAC, LTV:CAC.
    def ltv_metric(
        aov: Decimal, orders: Decimal, margin_pct: Decimal | None, years: Decimal | None
    ) -> MetricValue:
        annual: Fraction | None = None
        if years is None and monthly_v.ok:
            # c_y = 1 − (1 − c_m)^12 = 1 − (1 − L/S)^(12/m), exact since m divides 12.
            kept = 1 - Fraction(x.get("lost"), x.get("start"))
            annual = 100 * (1 - kept ** (12 // x.get("months")))
        return ltv(
            aov=aov,
            orders_per_year=orders,
            years=years,
            margin_pct=margin_pct,
            annual_churn_pct=annual,
        )

    ltv_v = x.metric(
        MONEY, MONEY_PLACES, ("aov", "orders_per_year"), ltv_metric, ("margin_pct", "years")
    )

    def cac(spend: Decimal, won: int) -> MetricValue:
        if won == 0:
            return _undefined(MONEY, MONEY_PLACES, "no_customers_won")
        return _money(spend / won)

    cac_v = x.metric(MONEY, MONEY_PLACES, ("acquisition_spend", "won"), cac)
    ltv_cac_v = _ltv_cac(ltv_v, cac_v)

    # Response and handling times.
    frt_flags = ("business_hours",) if derivation.inputs.frt_business_hours else ()

    def from_samples(statistic: Callable[[list[int]], Number]) -> Callable[..., MetricValue]:
        def run(samples: list[int]) -> MetricValue:
            return (
                _minutes(statistic(samples))
                if samples
                else _undefined(MINUTES, RATE_PLACES, "no_samples")
            )

        return run

    def frt(reported: str, statistic: Callable[[list[int]], Number]) -> MetricValue:
        if derivation.inputs.frt_samples is not None:
            value = x.metric(MINUTES, RATE_PLACES, ("frt_samples",), from_samples(statistic))
        else:
            value = x.metric(MINUTES, RATE_PLACES, (reported,), _minutes)
        return replace(value, flags=value.flags + frt_flags)

    def aht(total: int, contacts: int) -> MetricValue:
        if contacts == 0:
            return _undefined(MINUTES, RATE_PLACES, "no_contacts")
        return _minutes(Fraction(total, contacts))

    if derivation.inputs.handling_time is None and derivation.inputs.handling_samples is not None:
        aht_v = x.metric(MINUTES, RATE_PLACES, ("handling_samples",), from_samples(_mean))
    else:
        aht_v = x.metric(MINUTES, RATE_PLACES, ("handling_time", "handled_contacts"), aht)
    aht_median_v = x.metric(
        MINUTES, RATE_PLACES, ("handling_samples",), from_samples(statistics.median)
    )

    # Support cases, quality, cost.
    def case_rate(part: int, cases: int) -> MetricValue:
        if cases == 0:
            return _undefined(PERCENT, RATE_PLACES, "no_cases")
        return _percent(100 * part / cases)

    def iqs(categories: list[tuple[Fraction, int, int]]) -> MetricValue:
        checked = sum(weight * checks for weight, _, checks in categories)
        if checked == 0:
            return _undefined(SCORE, RATE_PLACES, "no_checks")
        passed = sum(weight * passes for weight, passes, _ in categories)
        return MetricValue(float(100 * passed / checked), "ok", SCORE, RATE_PLACES)

    def cost_share(cost: Decimal, revenue: Decimal) -> MetricValue:
        if revenue == 0:
            return _undefined(PERCENT, RATE_PLACES, "no_revenue")
        share = float(cost * 100 / revenue)
        band = "on_target" if _shown(share, RATE_PLACES) < COST_SHARE_TARGET else "above_target"
        return replace(_percent(share), band=band)

    def cost_per_resolved(cost: Decimal, resolved: int) -> MetricValue:
        if resolved == 0:
            return _undefined(MONEY, MONEY_PLACES, "no_resolved_cases")
        return _money(cost / resolved)

    def repeat_rate(repeat: int, buyers: int) -> MetricValue:
        if buyers == 0:
            return _undefined(PERCENT, RATE_PLACES, "no_buyers")
        return _percent(100 * repeat / buyers)

    return PeriodMetrics(
        months=derivation.inputs.months,
        derived=derivation.derived,
        issues=tuple(issues),
        frt_business_hours=derivation.inputs.frt_business_hours,
        retention=retention_v,
        churn=churn_v,
        monthly_churn=monthly_v,
        net_change=net_v,
        ltv=ltv_v,
        cac=cac_v,
        ltv_cac=ltv_cac_v,
        frt_median=frt("frt_median", statistics.median),
        frt_mean=frt("frt_mean", _mean),
        aht=aht_v,
        aht_median=aht_median_v,
        resolution_rate=x.metric(PERCENT, RATE_PLACES, ("resolved", "cases"), case_rate),
        fcr=x.metric(PERCENT, RATE_PLACES, ("first_contact", "cases"), case_rate),
        iqs=x.metric(SCORE, RATE_PLACES, ("qa_categories",), iqs),
        cost_share=x.metric(PERCENT, RATE_PLACES, ("support_cost", "revenue"), cost_share),
        cost_per_resolved=x.metric(
            MONEY, MONEY_PLACES, ("support_cost", "resolved"), cost_per_resolved
        ),
        repeat_purchase_rate=x.metric(
            PERCENT, RATE_PLACES, ("repeat_buyers", "buyers"), repeat_rate
        ),
    )


def _exact(metric: MetricValue) -> Decimal:
    """The value of an ``ok`` metric as a Decimal (floats by their shortest form)."""
    if metric.value is None:
        raise ValueError("only ok metrics have a value")
    return _decimal(metric.value)


def _ltv_cac(ltv_v: MetricValue, cac_v: MetricValue) -> MetricValue:
    for part in (ltv_v, cac_v):
        if not part.ok:
            return replace(part, unit=RATIO, places=RATE_PLACES, flags=())
    if cac_v.value == 0:
        return _undefined(RATIO, RATE_PLACES, "cac_zero")
    ratio = float(_exact(ltv_v) / _exact(cac_v))
    return MetricValue(ratio, "ok", RATIO, RATE_PLACES, flags=ltv_v.flags)


# --------------------------------------------------------------------------- compare


@dataclass(frozen=True)
class MetricChange:
    """Current minus previous: rates in points, money in %, times in minutes."""

    name: str
    previous: Value | None
    current: Value | None
    delta: float | int | None
    unit: str  # "points" | "percent" | "minutes" | "count" | "ratio"
    places: int
    status: str  # ok | no_data | not_comparable | undefined
    message: Message | None = None

    @property
    def display(self) -> Decimal | None:
        return None if self.delta is None else _shown(self.delta, self.places)


@dataclass(frozen=True)
class PeriodComparison:
    same_length: bool
    churn_basis: str  # "churn" when the periods are equally long, else "monthly_churn"
    changes: dict[str, MetricChange]


CHANGE_UNITS: dict[str, str] = {
    "retention": "points",
    "churn": "points",
    "monthly_churn": "points",
    "net_change": "count",
    "ltv": "percent",
    "cac": "percent",
    "ltv_cac": "ratio",
    "frt_median": "minutes",
    "frt_mean": "minutes",
    "aht": "minutes",
    "aht_median": "minutes",
    "resolution_rate": "points",
    "fcr": "points",
    "iqs": "points",
    "cost_share": "points",
    "cost_per_resolved": "percent",
    "repeat_purchase_rate": "points",
}
LENGTH_DEPENDENT = ("retention", "churn", "net_change")
FRT_METRICS = ("frt_median", "frt_mean")
LTV_METRICS = ("ltv", "ltv_cac")


def compare(previous: PeriodMetrics, current: PeriodMetrics) -> PeriodComparison:
    """§10: each metric's change from the previous (or year-earlier) period."""
    same_length = previous.months is not None and previous.months == current.months
    before, after = previous.metrics(), current.metrics()
    changes: dict[str, MetricChange] = {}
    for name, unit in CHANGE_UNITS.items():
        old, new = before[name], after[name]
        places = 0 if unit == "count" else RATE_PLACES
        change = MetricChange(name, old.value, new.value, None, unit, places, "ok")
        reason: str | None = None
        if not (old.ok and new.ok):
            change = replace(change, status="no_data", message=("not_available", {}))
        elif name in LENGTH_DEPENDENT and not same_length:
            reason = "period_lengths_differ"
        elif name in FRT_METRICS and previous.frt_business_hours != current.frt_business_hours:
            reason = "business_hours_mismatch"
        elif name in LTV_METRICS and ("revenue_ltv" in old.flags) != ("revenue_ltv" in new.flags):
            reason = "ltv_variant_mismatch"
        elif unit == "percent":
            if old.value == 0:
                change = replace(change, status="undefined", message=("previous_zero", {}))
            else:
                delta = (_exact(new) - _exact(old)) * 100 / _exact(old)
                change = replace(change, delta=float(delta))
        elif unit == "count":
            change = replace(change, delta=int(_exact(new) - _exact(old)))
        else:
            change = replace(change, delta=float(_exact(new) - _exact(old)))
        if reason:
            change = replace(change, status="not_comparable", message=(reason, {}))
        changes[name] = change
    return PeriodComparison(
        same_length=same_length,
        churn_basis="churn" if same_length else "monthly_churn",
        changes=changes,
    )
