"""The §6.2 errors and warnings of a period's inputs, and the derived customer balance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .period_inputs import (
    BALANCE_FIELDS,
    COUNT_FIELDS,
    DURATION_FIELDS,
    LONG_DURATION_SECONDS,
    LTV_FIELDS,
    MAX_INPUT,
    MONEY_FIELDS,
    PERIOD_MONTHS,
    SAMPLE_FIELDS,
    PeriodInputs,
    _durations,
    _is_whole,
    _number,
)

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
    filled: dict[str, Any] = {missing: value}  # start, end, won or lost: all int | None
    return BalanceDerivation(replace(inputs, **filled), missing)
