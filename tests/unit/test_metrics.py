"""cxaudit.metrics.formulas against METHODOLOGY §6 and §10: the §6.3 worked example, every
§6.2 validation rule and undefined state, comparison, and invariants."""

import math
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit.metrics.formulas import (
    PeriodInputs,
    QaCategory,
    compare,
    compute,
    derive_missing_balance,
    duration_seconds,
    ltv,
    validate,
    years_from_annual_churn,
)


def d(value):
    return Decimal(value)


def minutes(*values):
    return tuple((value, "minutes") for value in values)


EXAMPLE = PeriodInputs(
    months=3,
    start=1000,
    won=150,
    lost=100,
    end=1050,
    cases=400,
    resolved=360,
    first_contact=260,
    support_cost=d("450000.00"),
    revenue=d("5000000.00"),
    frt_samples=minutes(2, 3, 4, 5, 46),
    handling_time=(8000, "minutes"),
    handled_contacts=1000,
    repeat_buyers=240,
    buyers=800,
    qa_categories=(QaCategory(1, 38, 40), QaCategory(3, 30, 40), QaCategory(2, 24, 40)),
    aov=d("2000.00"),
    margin_pct=30,
    orders_per_year=6,
    years=3,
    acquisition_spend=d("300000.00"),
)


def keys(issues, kind=None):
    return [issue.key for issue in issues if kind is None or issue.kind == kind]


# --------------------------------------------------------------------------- §6.3


@pytest.fixture(scope="module")
def example():
    return compute(EXAMPLE)


@pytest.mark.parametrize(
    ("name", "shown", "unit"),
    [
        ("retention", "90.0", "percent"),
        ("churn", "10.0", "percent"),
        ("monthly_churn", "3.5", "percent"),
        ("net_change", "50", "count"),
        ("resolution_rate", "90.0", "percent"),
        ("fcr", "65.0", "percent"),
        ("cost_share", "9.0", "percent"),
        ("cost_per_resolved", "1250.00", "money"),
        ("frt_median", "4.0", "minutes"),
        ("frt_mean", "12.0", "minutes"),
        ("aht", "8.0", "minutes"),
        ("repeat_purchase_rate", "30.0", "percent"),
        ("iqs", "73.3", "score"),
        ("ltv", "10800.00", "money"),
        ("cac", "2000.00", "money"),
        ("ltv_cac", "5.4", "ratio"),
    ],
)
def test_worked_example(example, name, shown, unit):
    metric = getattr(example, name)
    assert metric.status == "ok", metric
    assert metric.display == d(shown)
    assert str(metric.display) == shown
    assert metric.unit == unit


def test_worked_example_has_no_issues_and_nothing_derived(example):
    assert example.issues == ()
    assert example.derived is None
    assert validate(EXAMPLE) == []


def test_worked_example_cost_share_is_on_target(example):
    assert example.cost_share.band == "on_target"


def test_worked_example_ltv_is_margin_ltv_with_entered_years(example):
    assert example.ltv.flags == ()
    assert example.ltv_cac.flags == ()


def test_revenue_ltv_without_a_margin():
    result = compute(replace(EXAMPLE, margin_pct=None))
    assert result.ltv.display == d("36000.00")
    assert "revenue_ltv" in result.ltv.flags
    assert "revenue_ltv" in result.ltv_cac.flags
    assert ltv(aov=d("2000.00"), orders_per_year=6, years=3).display == d("36000.00")


def test_ltv_with_years_estimated_from_25_percent_annual_churn():
    assert years_from_annual_churn(25) == 4
    result = ltv(aov=d("2000.00"), margin_pct=30, orders_per_year=6, annual_churn_pct=25)
    assert result.display == d("14400.00")
    assert result.flags == ("years_estimated",)
    assert result.message == ("years_estimated", {"years": 4.0, "annual_churn": 25.0})


def test_compute_estimates_years_from_the_periods_churn():
    # c_m = 1 − 0.9^(1/3); c_y = 1 − 0.9^4 = 34.39%; T = 100/34.39.
    result = compute(replace(EXAMPLE, years=None))
    assert result.ltv.status == "ok"
    assert "years_estimated" in result.ltv.flags
    assert result.ltv.message[1]["annual_churn"] == pytest.approx(34.39)
    assert result.ltv.display == d("10468.16")  # 3,600 × 2.9078…
    assert "years_estimated" in result.ltv_cac.flags


def test_compute_estimates_years_for_a_month():
    # m = 1, churn 2%: c_y = 1 − 0.98^12.
    inputs = PeriodInputs(
        months=1, start=100, won=0, lost=2, aov=d("100"), orders_per_year=1, margin_pct=100
    )
    result = compute(inputs)
    annual = 1 - 0.98**12
    assert float(result.ltv.value) == pytest.approx(100 / annual)


def test_ltv_undefined_when_years_blank_and_churn_zero():
    result = compute(replace(EXAMPLE, years=None, lost=0, end=1150))
    assert result.ltv.status == "undefined"
    assert result.ltv.value is None
    assert result.ltv.message == ("years_not_estimable", {})
    assert result.ltv_cac.status == "undefined"
    assert ltv(aov=1, orders_per_year=1, annual_churn_pct=0).message == (
        "years_not_estimable",
        {},
    )


def test_ltv_no_data_when_years_blank_and_churn_unknown():
    result = compute(PeriodInputs(aov=d("2000.00"), margin_pct=30, orders_per_year=6))
    assert result.ltv.status == "no_data"
    assert result.ltv.missing == ("years",)
    assert result.ltv.message == ("missing_inputs", {"fields": ("years",)})


def test_monthly_churn_for_a_month_equals_churn():
    result = compute(PeriodInputs(months=1, start=400, lost=14))
    assert result.monthly_churn.value == result.churn.value == 3.5


# --------------------------------------------------------------------------- balance


@pytest.mark.parametrize(
    ("missing", "value"), [("start", 1000), ("end", 1050), ("won", 150), ("lost", 100)]
)
def test_derive_missing_balance_fills_the_fourth(missing, value):
    inputs = replace(EXAMPLE, **{missing: None})
    derivation = derive_missing_balance(inputs)
    assert derivation.derived == missing
    assert getattr(derivation.inputs, missing) == value
    result = compute(inputs)
    assert result.derived == missing
    assert result.retention.display == d("90.0")
    assert result.churn.display == d("10.0")


def test_derive_missing_balance_needs_exactly_three():
    two = PeriodInputs(start=10, end=12)
    assert derive_missing_balance(two).derived is None
    assert derive_missing_balance(EXAMPLE).derived is None


def test_derived_value_that_would_be_negative_is_an_error():
    # S = 10, N = 0, E = 20: L would be −10.
    inputs = PeriodInputs(start=10, won=0, end=20)
    assert derive_missing_balance(inputs).derived is None
    issues = validate(inputs)
    assert keys(issues) == ["balance_impossible"]
    assert issues[0].params == {"field": "lost", "value": -10}
    result = compute(inputs)
    assert result.retention.status == "invalid"
    assert result.retention.message == ("balance_impossible", {"field": "lost", "value": -10})


# --------------------------------------------------------------------------- §6.2 validation


@pytest.mark.parametrize("field", ["start", "end", "won", "lost", "cases", "buyers"])
@pytest.mark.parametrize("value", [-1, 2.5, d("1.5"), "7", True])
def test_negative_or_fractional_counts_are_errors(field, value):
    issues = validate(PeriodInputs(**{field: value}))
    assert [(i.kind, i.key, i.params) for i in issues] == [
        ("error", "count_or_amount_invalid", {"field": field})
    ]


def test_whole_floats_count_as_whole_numbers():
    assert validate(PeriodInputs(start=10.0, lost=d("2"))) == []


@pytest.mark.parametrize("field", ["support_cost", "revenue", "acquisition_spend"])
def test_negative_money_is_an_error(field):
    issues = validate(PeriodInputs(**{field: d("-0.01")}))
    assert keys(issues, "error") == ["count_or_amount_invalid"]
    assert validate(PeriodInputs(**{field: d("0.00")})) == []


def test_lost_cannot_exceed_start_plus_won():
    issues = validate(PeriodInputs(start=10, won=5, lost=16, end=0))
    assert keys(issues) == ["lost_exceeds_available"]
    assert issues[0].kind == "error"
    assert validate(PeriodInputs(start=10, won=5, lost=15, end=0)) == []


def test_unbalanced_counts_offer_the_computed_end():
    issues = validate(replace(EXAMPLE, end=1040))
    assert keys(issues) == ["balance_mismatch"]
    issue = issues[0]
    assert issue.kind == "error"
    assert issue.params == {"expected": 1050, "actual": 1040}
    assert issue.suggestion == {"end": 1050}
    result = compute(replace(EXAMPLE, end=1040))
    for name in ("retention", "churn", "monthly_churn", "net_change"):
        assert getattr(result, name).status == "invalid"
        assert getattr(result, name).message[0] == "balance_mismatch"
    assert result.resolution_rate.status == "ok"  # unrelated metrics still compute


def test_resolved_cannot_exceed_opened():
    issues = validate(PeriodInputs(cases=10, resolved=11))
    assert keys(issues, "error") == ["cases_inconsistent"]
    assert compute(PeriodInputs(cases=10, resolved=11)).resolution_rate.status == "invalid"


def test_first_contact_cannot_exceed_resolved():
    issues = validate(PeriodInputs(cases=10, resolved=5, first_contact=6))
    assert keys(issues, "error") == ["cases_inconsistent"]
    assert issues[0].fields == ("first_contact", "resolved")


def test_undefined_retention_and_churn_without_start_customers():
    result = compute(PeriodInputs(months=1, start=0, won=5, lost=0, end=5))
    for name in ("retention", "churn", "monthly_churn"):
        metric = getattr(result, name)
        assert metric.status == "undefined"
        assert metric.value is None
        assert metric.message == ("no_start_customers", {})
    assert result.net_change.display == d("5")


def test_undefined_retention_and_churn_when_more_lost_than_at_start():
    # Balanced: 10 + 20 − 15 = 15, but 15 lost > 10 at the start.
    inputs = PeriodInputs(months=3, start=10, won=20, lost=15, end=15)
    assert validate(inputs) == []
    result = compute(inputs)
    for name in ("retention", "churn", "monthly_churn"):
        assert getattr(result, name).status == "undefined"
        assert getattr(result, name).message == ("lost_exceed_start", {})
    assert result.net_change.value == 5


def test_undefined_case_rates_without_cases():
    result = compute(PeriodInputs(cases=0, resolved=0, first_contact=0, support_cost=d("5")))
    assert result.resolution_rate.message == ("no_cases", {})
    assert result.fcr.status == "undefined"
    assert result.cost_per_resolved.message == ("no_resolved_cases", {})


def test_undefined_cost_per_resolved_case_without_resolved_cases():
    result = compute(PeriodInputs(cases=5, resolved=0, support_cost=d("100.00")))
    assert result.resolution_rate.display == d("0.0")
    assert result.cost_per_resolved.status == "undefined"
    assert result.cost_per_resolved.value is None


def test_undefined_cac_without_customers_won():
    result = compute(replace(EXAMPLE, won=0, end=900))
    assert result.cac.status == "undefined"
    assert result.cac.message == ("no_customers_won", {})
    assert result.ltv_cac.status == "undefined"
    assert result.ltv_cac.message == ("no_customers_won", {})


def test_undefined_ltv_cac_with_free_acquisition():
    result = compute(replace(EXAMPLE, acquisition_spend=d("0.00")))
    assert result.cac.display == d("0.00")
    assert result.ltv_cac.message == ("cac_zero", {})


def test_undefined_cost_share_without_revenue_and_a_warning():
    inputs = PeriodInputs(support_cost=d("10.00"), revenue=d("0.00"))
    assert keys(validate(inputs), "warning") == ["cost_exceeds_revenue"]
    result = compute(inputs)
    assert result.cost_share.status == "undefined"
    assert result.cost_share.message == ("no_revenue", {})


def test_cost_above_revenue_is_a_warning_and_still_computes():
    inputs = PeriodInputs(support_cost=d("120.00"), revenue=d("100.00"))
    issues = validate(inputs)
    assert [(i.kind, i.key) for i in issues] == [("warning", "cost_exceeds_revenue")]
    result = compute(inputs)
    assert result.cost_share.display == d("120.0")
    assert result.cost_share.band == "above_target"
    assert result.issues == tuple(issues)


@pytest.mark.parametrize(
    ("cost", "band", "shown"),
    [
        ("9.94", "on_target", "9.9"),
        ("9.95", "above_target", "10.0"),  # shows 10.0: not below 10%
        ("9.96", "above_target", "10.0"),
        ("10.00", "above_target", "10.0"),
    ],
)
def test_cost_share_target_uses_the_displayed_value(cost, band, shown):
    result = compute(PeriodInputs(support_cost=d(cost), revenue=d("100.00")))
    assert result.cost_share.display == d(shown)
    assert result.cost_share.band == band


@pytest.mark.parametrize(
    "duration",
    [(5, None), (5, ""), (5, "weeks"), (-1, "minutes"), ("5", "minutes"), 5, (5,)],
)
def test_durations_need_a_unit_and_cannot_be_negative(duration):
    issues = validate(PeriodInputs(frt_median=duration))
    assert [(i.kind, i.key, i.params) for i in issues] == [
        ("error", "duration_invalid", {"field": "frt_median"})
    ]
    assert compute(PeriodInputs(frt_median=duration)).frt_median.status == "invalid"


def test_a_bad_sample_invalidates_the_sample_list():
    inputs = PeriodInputs(frt_samples=((5, "minutes"), (3, None)))
    assert keys(validate(inputs)) == ["duration_invalid"]
    assert compute(inputs).frt_median.status == "invalid"
    assert compute(inputs).frt_mean.status == "invalid"


def test_durations_over_30_days_are_a_warning():
    assert validate(PeriodInputs(frt_median=(30, "days"))) == []
    long = PeriodInputs(frt_median=(30 * 24 * 60 + 1, "minutes"))
    assert [(i.kind, i.key) for i in validate(long)] == [("warning", "duration_long")]
    samples = PeriodInputs(handling_samples=((5, "minutes"), (31, "days")))
    assert keys(validate(samples), "warning") == ["duration_long"]
    assert compute(long).frt_median.display == d("43201.0")


def test_a_periods_total_handling_time_may_exceed_30_days():
    inputs = PeriodInputs(handling_time=(1000, "hours"), handled_contacts=2000)
    assert validate(inputs) == []
    assert compute(inputs).aht.display == d("30.0")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("aov", d("0")),
        ("aov", d("-5")),
        ("orders_per_year", 0),
        ("years", -1),
        ("years", 0),
        ("margin_pct", 0),
        ("margin_pct", d("100.01")),
        ("margin_pct", -3),
    ],
)
def test_ltv_inputs_must_be_positive_and_margin_at_most_100(field, value):
    inputs = replace(EXAMPLE, **{field: value})
    issues = validate(inputs)
    assert [(i.kind, i.key, i.params) for i in issues] == [
        ("error", "ltv_inputs_invalid", {"field": field})
    ]
    result = compute(inputs)
    assert result.ltv.status == "invalid"
    assert result.ltv_cac.status == "invalid"
    assert result.cac.status == "ok"


def test_margin_of_100_percent_is_allowed():
    result = compute(replace(EXAMPLE, margin_pct=100))
    assert result.ltv.display == d("36000.00")
    assert result.ltv.flags == ()


def test_qa_passed_cannot_exceed_checked():
    inputs = PeriodInputs(qa_categories=(QaCategory(1, 5, 5), QaCategory(2, 6, 5)))
    issues = validate(inputs)
    assert [(i.key, i.params) for i in issues] == [
        ("part_exceeds_whole", {"field": "qa_categories", "index": 1})
    ]
    assert compute(inputs).iqs.status == "invalid"


@pytest.mark.parametrize(
    "categories", [((-1, 1, 2),), ((1, 1.5, 2),), ((1, 1),), "x", ((1, -1, 2),)]
)
def test_malformed_qa_categories_are_errors(categories):
    inputs = PeriodInputs(qa_categories=categories)
    assert keys(validate(inputs)) == ["count_or_amount_invalid"]
    assert compute(inputs).iqs.status == "invalid"


def test_repeat_buyers_cannot_exceed_buyers():
    issues = validate(PeriodInputs(repeat_buyers=9, buyers=8))
    assert keys(issues, "error") == ["part_exceeds_whole"]
    assert compute(PeriodInputs(repeat_buyers=9, buyers=8)).repeat_purchase_rate.status == (
        "invalid"
    )


@pytest.mark.parametrize("months", [0, 2, 12])
def test_period_length_must_be_a_month_or_a_quarter(months):
    assert keys(validate(PeriodInputs(months=months))) == ["period_months_invalid"]
    result = compute(PeriodInputs(months=months, start=10, lost=1))
    assert result.monthly_churn.status == "invalid"
    assert result.churn.status == "ok"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("revenue", d("1E+16")),
        ("start", 10**16),
        ("years", 1e300),
        ("frt_median", (1e12, "days")),
        ("handling_samples", ((1, "minutes"), (1e300, "hours"))),
        ("qa_categories", ((1e20, 1, 2),)),
    ],
)
def test_absurdly_large_inputs_are_errors(field, value):
    issues = validate(PeriodInputs(**{field: value}))
    assert [(i.key, i.params) for i in issues if i.key == "value_too_large"] == [
        ("value_too_large", {"field": field, "maximum": 10**15})
    ]


def test_money_is_taken_to_whole_cents():
    result = compute(PeriodInputs(support_cost=d("1.00"), revenue=d("0.001")))
    assert result.cost_share.message == ("no_revenue", {})


# --------------------------------------------------------------------------- other states


def test_missing_inputs_give_no_data_with_their_names():
    result = compute(PeriodInputs())
    for name, metric in result.metrics().items():
        assert metric.status == "no_data", name
        assert metric.value is None
        assert metric.missing
        assert metric.message == ("missing_inputs", {"fields": metric.missing})
    partial = compute(PeriodInputs(start=10))
    assert partial.churn.missing == ("lost",)
    assert partial.retention.missing == ("end", "won")
    assert partial.monthly_churn.missing == ("lost", "months")
    assert partial.cost_share.missing == ("support_cost", "revenue")
    assert partial.frt_median.missing == ("frt_median",)


def test_frt_from_reported_median_and_mean():
    inputs = PeriodInputs(frt_median=(1.5, "hours"), frt_mean=(5400, "seconds"))
    result = compute(inputs)
    assert result.frt_median.display == d("90.0")
    assert result.frt_mean.display == d("90.0")
    assert result.frt_median.flags == ()


def test_frt_business_hours_is_flagged():
    result = compute(replace(EXAMPLE, frt_business_hours=True))
    assert result.frt_median.flags == ("business_hours",)
    assert result.frt_business_hours is True


def test_frt_with_no_samples_is_undefined():
    result = compute(PeriodInputs(frt_samples=()))
    assert result.frt_median.status == "undefined"
    assert result.frt_median.message == ("no_samples", {})


def test_aht_from_case_level_samples():
    result = compute(PeriodInputs(handling_samples=minutes(4, 6, 20)))
    assert result.aht.display == d("10.0")
    assert result.aht_median.display == d("6.0")


def test_aht_undefined_without_contacts():
    result = compute(PeriodInputs(handling_time=(0, "minutes"), handled_contacts=0))
    assert result.aht.message == ("no_contacts", {})


def test_iqs_undefined_without_checks():
    assert compute(PeriodInputs(qa_categories=())).iqs.message == ("no_checks", {})
    assert compute(PeriodInputs(qa_categories=((0, 3, 5),))).iqs.status == "undefined"


def test_repeat_purchase_rate_undefined_without_buyers():
    result = compute(PeriodInputs(repeat_buyers=0, buyers=0))
    assert result.repeat_purchase_rate.message == ("no_buyers", {})


@pytest.mark.parametrize(
    ("value", "unit", "seconds"),
    [
        (90, "seconds", 90),
        (1.5, "minutes", 90),
        (d("2.5"), "hours", 9000),
        (1, "days", 86400),
        (0.5, "seconds", 1),  # half up
        (1.5, "seconds", 2),
        (2.5, "seconds", 3),
        (0.4, "seconds", 0),
    ],
)
def test_duration_seconds(value, unit, seconds):
    assert duration_seconds(value, unit) == seconds


@pytest.mark.parametrize(("value", "unit"), [(5, None), (5, "weeks"), (-1, "seconds")])
def test_duration_seconds_rejects_bad_input(value, unit):
    with pytest.raises(ValueError):
        duration_seconds(value, unit)


def test_display_never_shows_negative_zero():
    result = compute(PeriodInputs(won=3, lost=3))
    assert str(result.net_change.display) == "0"


# --------------------------------------------------------------------------- compare §10


def test_compare_same_length_periods():
    previous = compute(EXAMPLE)
    current = compute(
        replace(
            EXAMPLE,
            start=1050,
            lost=84,
            won=100,
            end=1066,
            resolved=380,
            support_cost=d("500000.00"),
            repeat_buyers=200,
        )
    )
    comparison = compare(previous, current)
    assert comparison.same_length is True
    assert comparison.churn_basis == "churn"
    changes = comparison.changes
    assert changes["churn"].unit == "points"
    assert changes["churn"].display == d("-2.0")  # 10.0 → 8.0
    assert changes["net_change"].display == d("-34")  # +50 → +16
    assert changes["resolution_rate"].display == d("5.0")  # 90.0 → 95.0
    # Money in %: 1,250.00 → 1,315.79 per resolved case.
    assert changes["cost_per_resolved"].unit == "percent"
    assert changes["cost_per_resolved"].display == d("5.3")
    assert changes["cac"].display == d("50.0")  # 2,000 → 3,000
    assert changes["repeat_purchase_rate"].display == d("-5.0")
    assert changes["iqs"].display == d("0.0")
    assert changes["aht_median"].status == "no_data"  # no case-level handling times
    assert all(c.status == "ok" for name, c in changes.items() if name != "aht_median")


def test_compare_month_with_quarter_uses_monthly_equivalent_churn():
    quarter = compute(EXAMPLE)
    month = compute(PeriodInputs(months=1, start=1000, won=20, lost=30, end=990))
    comparison = compare(quarter, month)
    assert comparison.same_length is False
    assert comparison.churn_basis == "monthly_churn"
    changes = comparison.changes
    for name in ("churn", "retention", "net_change"):
        assert changes[name].status == "not_comparable"
        assert changes[name].message == ("period_lengths_differ", {})
        assert changes[name].delta is None
    assert changes["monthly_churn"].status == "ok"
    assert changes["monthly_churn"].display == d("-0.5")  # 3.5 → 3.0


def test_compare_flags_business_hours_and_ltv_variants():
    previous = compute(EXAMPLE)
    current = compute(replace(EXAMPLE, frt_business_hours=True, margin_pct=None))
    changes = compare(previous, current).changes
    assert changes["frt_median"].message == ("business_hours_mismatch", {})
    assert changes["ltv"].message == ("ltv_variant_mismatch", {})
    assert changes["ltv_cac"].status == "not_comparable"
    assert changes["aht"].status == "ok"


def test_compare_missing_and_zero_previous_money():
    previous = compute(replace(EXAMPLE, acquisition_spend=d("0.00"), cases=None))
    changes = compare(previous, compute(EXAMPLE)).changes
    assert changes["cac"].status == "undefined"
    assert changes["cac"].message == ("previous_zero", {})
    assert changes["resolution_rate"].status == "no_data"


# --------------------------------------------------------------------------- properties


@st.composite
def balanced(draw):
    start = draw(st.integers(min_value=1, max_value=10_000))
    won = draw(st.integers(min_value=0, max_value=10_000))
    lost = draw(st.integers(min_value=0, max_value=start))
    months = draw(st.sampled_from([1, 3]))
    return PeriodInputs(months=months, start=start, won=won, lost=lost, end=start + won - lost)


@given(balanced())
def test_retention_and_churn_are_percentages_that_add_up_to_100(inputs):
    assert validate(inputs) == []
    result = compute(inputs)
    assert 0 <= result.retention.value <= 100
    assert 0 <= result.churn.value <= 100
    assert math.isclose(result.retention.value + result.churn.value, 100, abs_tol=1e-9)
    assert 0 <= result.monthly_churn.value <= result.churn.value + 1e-9
    assert result.net_change.value == inputs.won - inputs.lost


@given(balanced(), st.sampled_from(["start", "end", "won", "lost"]))
def test_derived_balance_reproduces_the_missing_count(inputs, field):
    derivation = derive_missing_balance(replace(inputs, **{field: None}))
    assert derivation.derived == field
    assert derivation.inputs == inputs


@given(
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=0, max_value=1000),
)
def test_case_rates_are_percentages_for_consistent_counts(a, b, c):
    first, resolved, cases = sorted((a, b, c))
    inputs = PeriodInputs(cases=cases, resolved=resolved, first_contact=first)
    assert validate(inputs) == []
    result = compute(inputs)
    if cases == 0:
        assert result.resolution_rate.status == "undefined"
    else:
        assert 0 <= result.fcr.value <= result.resolution_rate.value <= 100


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=5),
            st.integers(min_value=0, max_value=50),
            st.integers(min_value=0, max_value=50),
        ),
        max_size=6,
    )
)
def test_iqs_is_a_score_from_0_to_100(rows):
    categories = tuple(QaCategory(w, min(p, c), max(p, c)) for w, p, c in rows)
    result = compute(PeriodInputs(qa_categories=categories))
    if result.iqs.ok:
        assert 0 <= result.iqs.value <= 100
    else:
        assert result.iqs.message == ("no_checks", {})


junk = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=50),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
    st.booleans(),
    st.tuples(
        st.one_of(st.integers(min_value=-5, max_value=50), st.floats(), st.decimals()),
        st.sampled_from(["days", "seconds", None, "x"]),
    ),
    st.lists(st.tuples(st.floats(), st.sampled_from(["days", "minutes"])), max_size=3),
    st.lists(st.tuples(st.floats(), st.integers(), st.integers()), max_size=3),
)
INPUT_NAMES = [name for name in PeriodInputs.__dataclass_fields__ if name != "frt_business_hours"]


@given(st.fixed_dictionaries({}, optional=dict.fromkeys(INPUT_NAMES, junk)))
def test_validate_and_compute_never_raise(values):
    inputs = PeriodInputs(**values)
    issues = validate(inputs)
    result = compute(inputs)
    errors = {field for issue in issues if issue.kind == "error" for field in issue.fields}
    for metric in result.metrics().values():
        assert metric.status in ("ok", "no_data", "undefined", "invalid")
        assert (metric.value is None) is (metric.status != "ok")
    if not errors:
        assert all(m.status != "invalid" for m in result.metrics().values())
