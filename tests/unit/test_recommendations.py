"""Recommendation rules, health and priority (METHODOLOGY §9)."""

import itertools
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxaudit import bands, stats
from cxaudit.recommendations import (
    METRIC_RULE_IDS,
    AuditFacts,
    DomainTrigger,
    ItemTrigger,
    MetricFacts,
    Recommendation,
    RuleSpec,
    Touchpoint,
    evaluate,
    sort_key,
)

# The §9 catalogue: ids and severities.
CATALOGUE = [
    RuleSpec("nps-negative", 3),
    RuleSpec("nps-low", 2),
    RuleSpec("nps-imprecise", 1),
    RuleSpec("csat-low", 2),
    RuleSpec("csat-very-poor", 2),
    RuleSpec("ces-low", 2),
    RuleSpec("enps-negative", 3),
    RuleSpec("wellbeing-low", 2),
    RuleSpec("regular-survey", 3),
    RuleSpec("churn-high", 3),
    RuleSpec("lost-unheard", 2),
    RuleSpec("net-loss", 3),
    RuleSpec("numbers-untracked", 2),
    RuleSpec("repeat-drop", 2),
    RuleSpec("frt-slow", 2),
    RuleSpec("fcr-low", 2),
    RuleSpec("iqs-low", 2),
    RuleSpec("cost-high", 2),
    RuleSpec("economics-unknown", 2),
    RuleSpec("standards-missing", 2),
    RuleSpec("leader-distant", 2),
    RuleSpec("strategy-weak", 3),
    RuleSpec("canvas-empty", 2),
    RuleSpec("measurement-weak", 3),
    RuleSpec("empowerment-missing", 2),
    RuleSpec("mystery-shopping", 1),
    RuleSpec("journey-unmapped", 2),
    RuleSpec("touchpoint-pain", 2),
    RuleSpec("complaints-open-loop", 2),
    RuleSpec("fans-unheard", 1),
    RuleSpec("competitors-ignored", 1),
    RuleSpec("promises-unkept", 2),
    RuleSpec("expectations-unmanaged", 1),
    RuleSpec("metrics-unreviewed", 1),
    RuleSpec("self-view-gap", 1),
    RuleSpec("driver-fix-first", 2),
    RuleSpec("top-detractor-theme", 2),
]
SEVERITY = {rule.id: rule.severity for rule in CATALOGUE}

# Library triggers as the instrument YAML would declare them.
ITEM_TRIGGERS = [
    ItemTrigger("regular-survey", "ten-ways:listening.questionnaires", "yes-partial-no", 1),
    ItemTrigger("lost-unheard", "ten-ways:listening.lost-customers", "yes-partial-no", 0),
    ItemTrigger("numbers-untracked", "ten-ways:numbers.won-minus-lost", "yes-partial-no", 0),
    ItemTrigger("economics-unknown", "service-sales-level:economics.cac-known", "plus", 0),
    ItemTrigger("economics-unknown", "service-sales-level:economics.ltv-known", "plus", 0),
    ItemTrigger("standards-missing", "service-sales-level:people.service-standards", "plus", 0),
    ItemTrigger("standards-missing", "service-elements:communication.scripts", "likert-5", 2),
    ItemTrigger("measurement-weak", "golding-cx-framework:measurement.customer-view", "yes-no", 0),
    ItemTrigger("canvas-empty", "strategy-canvas:canvas.mission", "text", blank=True),
    ItemTrigger("canvas-empty", "strategy-canvas:canvas.principles", "text", blank=True),
    ItemTrigger("promises-unkept", "service-elements:deadlines.response-promise", "likert-5", 3),
    ItemTrigger("metrics-unreviewed", "metric-practice:use.monthly-review", "yes-partial-no", 1),
    ItemTrigger("fans-unheard", "ten-ways:listening.fans", "yes-partial-no", 0),
    ItemTrigger("fans-unheard", "cx-understanding:function.loyal-feedback", "yes-no", 0),
]
DOMAIN_TRIGGERS = [
    DomainTrigger("measurement-weak", "golding-cx-framework:measurement", 40),
    DomainTrigger("strategy-weak", "golding-cx-framework:strategy", 40),
]
ALL_INSTRUMENTS = frozenset(
    {
        "ten-ways",
        "service-sales-level",
        "service-elements",
        "golding-cx-framework",
        "strategy-canvas",
        "metric-practice",
        "cx-understanding",
    }
)
# Answers under which no library trigger fires.
HEALTHY_ANSWERS = {
    "ten-ways:listening.questionnaires": 2,
    "ten-ways:listening.lost-customers": 1,
    "ten-ways:numbers.won-minus-lost": 2,
    "ten-ways:listening.fans": 2,
    "service-sales-level:economics.cac-known": 1,
    "service-sales-level:economics.ltv-known": 1,
    "service-sales-level:people.service-standards": 1,
    "service-elements:communication.scripts": 4,
    "service-elements:deadlines.response-promise": 5,
    "golding-cx-framework:measurement.customer-view": 1,
    "strategy-canvas:canvas.mission": "Make ordering easy",
    "strategy-canvas:canvas.principles": "Answer the same day",
    "metric-practice:use.monthly-review": 2,
    "cx-understanding:function.loyal-feedback": 1,
}


def run(
    *,
    answers=None,
    domains=None,
    metrics=None,
    touchpoints=(),
    blind_spots=(),
    instruments=ALL_INSTRUMENTS,
    rules=CATALOGUE,
    item_triggers=ITEM_TRIGGERS,
    domain_triggers=DOMAIN_TRIGGERS,
) -> list[Recommendation]:
    facts = AuditFacts(
        instruments=instruments,
        item_answers={**HEALTHY_ANSWERS, **(answers or {})},
        domain_scores=domains or {},
        metrics=metrics or MetricFacts(),
        touchpoints=touchpoints,
        blind_spots=blind_spots,
    )
    return evaluate(
        rules=rules,
        facts=facts,
        item_triggers=item_triggers,
        domain_triggers=domain_triggers,
    )


def fired(recommendations: list[Recommendation]) -> dict[str, Recommendation]:
    return {r.rule: r for r in recommendations}


def only(recommendations: list[Recommendation], rule: str) -> Recommendation:
    matches = [r for r in recommendations if r.rule == rule]
    assert len(matches) == 1, [r.rule for r in recommendations]
    return matches[0]


# --------------------------------------------------------------------------- §9 priority example


def test_section_9_priority_example():
    recommendations = run(
        answers={"ten-ways:listening.questionnaires": 0},
        domains={"golding-cx-framework:measurement": Fraction(28)},
        # §6.3: monthly-equivalent churn 1 − 0.9^(1/3) = 3.4511 %.
        metrics=MetricFacts(nps=12.0, monthly_churn=100 * (1 - 0.9 ** (1 / 3))),
    )
    assert [(r.rule, r.priority_display) for r in recommendations] == [
        ("regular-survey", Decimal("3.00")),
        ("measurement-weak", Decimal("2.16")),
        ("churn-high", Decimal("1.73")),
        ("nps-low", Decimal("0.88")),
    ]
    regular, measurement, churn, nps = recommendations
    assert regular.health == 0
    assert measurement.health == Fraction(28, 100)
    assert measurement.priority == Fraction(216, 100)
    assert round(float(churn.health), 4) == 0.4248
    assert nps.health == Fraction(56, 100)
    assert nps.priority == Fraction(88, 100)


def test_churn_priority_with_a_two_decimal_figure():
    recommendation = only(run(metrics=MetricFacts(monthly_churn=3.45)), "churn-high")
    assert recommendation.priority == Fraction(1725, 1000)
    assert recommendation.priority_display == Decimal("1.73")


def test_nothing_fires_on_a_healthy_audit():
    assert run() == []


# --------------------------------------------------------------------------- metric boundaries


@pytest.mark.parametrize(
    ("metrics", "rule", "fires"),
    [
        (MetricFacts(nps=-0.05), "nps-negative", True),  # shows −0.1
        (MetricFacts(nps=-0.04), "nps-negative", False),  # shows −0.0
        (MetricFacts(nps=-0.04), "nps-low", True),
        (MetricFacts(nps=-0.05), "nps-low", False),
        (MetricFacts(nps=0), "nps-low", True),
        (MetricFacts(nps=0), "nps-negative", False),
        (MetricFacts(nps=29.94), "nps-low", True),
        (MetricFacts(nps=29.96), "nps-low", False),  # shows 30.0: good
        (MetricFacts(nps=29.95), "nps-low", False),
        (MetricFacts(nps=30), "nps-low", False),
        (MetricFacts(nps=45, nps_margin=10.04), "nps-imprecise", False),
        (MetricFacts(nps=45, nps_margin=10.05), "nps-imprecise", True),  # shows 10.1
        (MetricFacts(nps=45, nps_margin=10), "nps-imprecise", False),
        (MetricFacts(nps_margin=30.7), "nps-imprecise", False),  # NPS hidden
        (MetricFacts(csat_t2b=69.94), "csat-low", True),
        (MetricFacts(csat_t2b=69.95), "csat-low", False),
        (MetricFacts(csat_t2b=70), "csat-low", False),
        (MetricFacts(csat_b2b=14.95), "csat-very-poor", True),  # shows 15.0
        (MetricFacts(csat_b2b=14.94), "csat-very-poor", False),
        (MetricFacts(csat_b2b=15), "csat-very-poor", True),
        (MetricFacts(ces_agree=59.94), "ces-low", True),
        (MetricFacts(ces_agree=59.95), "ces-low", False),
        (MetricFacts(enps=-0.05), "enps-negative", True),
        (MetricFacts(enps=-0.04), "enps-negative", False),
        (MetricFacts(enps=0), "enps-negative", False),
        (MetricFacts(wellbeing_mean=5.994), "wellbeing-low", True),
        (MetricFacts(wellbeing_mean=5.995), "wellbeing-low", False),  # shows 6.00
        (MetricFacts(wellbeing_mean=6), "wellbeing-low", False),
        (MetricFacts(monthly_churn=3.04), "churn-high", False),  # shows 3.0
        (MetricFacts(monthly_churn=3.05), "churn-high", True),  # shows 3.1
        (MetricFacts(monthly_churn=3), "churn-high", False),
        (MetricFacts(monthly_churn=2.55, churn_target=2.5), "churn-high", True),
        (MetricFacts(monthly_churn=2.54, churn_target=2.5), "churn-high", False),
        (MetricFacts(net_change=-1), "net-loss", True),
        (MetricFacts(net_change=0), "net-loss", False),
        (MetricFacts(net_change=50), "net-loss", False),
        (MetricFacts(repeat_rate_drop=4.95), "repeat-drop", True),  # shows 5.0
        (MetricFacts(repeat_rate_drop=4.94), "repeat-drop", False),
        (MetricFacts(repeat_rate_drop=-8), "repeat-drop", False),  # a rise
        (MetricFacts(frt_median_minutes=60.04), "frt-slow", False),
        (MetricFacts(frt_median_minutes=60.05), "frt-slow", True),
        (MetricFacts(frt_median_minutes=31, frt_target=30), "frt-slow", True),
        (MetricFacts(fcr=69.94), "fcr-low", True),
        (MetricFacts(fcr=69.95), "fcr-low", False),
        (MetricFacts(iqs=79.94), "iqs-low", True),
        (MetricFacts(iqs=79.95), "iqs-low", False),
        (MetricFacts(iqs=Fraction(220, 3)), "iqs-low", True),  # §6.3: 73.3
        (MetricFacts(cost_share=9.95), "cost-high", True),  # shows 10.0
        (MetricFacts(cost_share=9.94), "cost-high", False),
        (MetricFacts(cost_share=9), "cost-high", False),  # §6.3: on target
        (MetricFacts(surveys_in_use=True, days_since_customer_wave=183), "regular-survey", False),
        (MetricFacts(surveys_in_use=True, days_since_customer_wave=184), "regular-survey", True),
        (MetricFacts(surveys_in_use=True, days_since_customer_wave=None), "regular-survey", True),
        (MetricFacts(surveys_in_use=False, days_since_customer_wave=None), "regular-survey", False),
        (MetricFacts(surveys_in_use=False, days_since_customer_wave=400), "regular-survey", False),
    ],
)
def test_metric_rule_boundaries_use_displayed_values(metrics, rule, fires):
    assert (rule in fired(run(metrics=metrics))) is fires


def test_hidden_metrics_trigger_nothing():
    assert run(metrics=MetricFacts()) == []
    assert run(metrics=MetricFacts(nps=None, nps_margin=25, nps_indicative=True)) == []


@pytest.mark.parametrize(
    ("metrics", "rule", "health"),
    [
        (MetricFacts(nps=-40), "nps-negative", Fraction(3, 10)),  # (x + 100)/200
        (MetricFacts(enps=-100), "enps-negative", Fraction(0)),
        (MetricFacts(csat_t2b=60), "csat-low", Fraction(3, 5)),  # x/100
        (MetricFacts(ces_agree=45.5), "ces-low", Fraction(455, 1000)),
        (MetricFacts(fcr=65), "fcr-low", Fraction(65, 100)),
        (MetricFacts(iqs=50), "iqs-low", Fraction(1, 2)),
        (MetricFacts(wellbeing_mean=5.5), "wellbeing-low", Fraction(55, 100)),  # x/10
        (MetricFacts(monthly_churn=4.5), "churn-high", Fraction(1, 4)),  # 1 − x/(2T)
        (MetricFacts(monthly_churn=9), "churn-high", Fraction(0)),  # max(0, …)
        (MetricFacts(frt_median_minutes=90), "frt-slow", Fraction(1, 4)),
        (MetricFacts(frt_median_minutes=600), "frt-slow", Fraction(0)),
        (MetricFacts(cost_share=15), "cost-high", Fraction(1, 4)),
        (MetricFacts(csat_b2b=20), "csat-very-poor", Fraction(1, 3)),
        (MetricFacts(repeat_rate_drop=6), "repeat-drop", Fraction(2, 5)),
        (MetricFacts(nps=40, nps_margin=15), "nps-imprecise", Fraction(1, 4)),
        (MetricFacts(net_change=-20), "net-loss", Fraction(0)),
        (MetricFacts(surveys_in_use=True), "regular-survey", Fraction(0)),
    ],
)
def test_metric_health_follows_the_s_table(metrics, rule, health):
    recommendation = only(run(metrics=metrics), rule)
    assert recommendation.health == health
    assert recommendation.priority == SEVERITY[rule] * (1 - health)


def test_metric_triggers_explain_themselves():
    recommendation = only(run(metrics=MetricFacts(nps=12.04)), "nps-low")
    (trigger,) = recommendation.triggers
    assert trigger.kind == "metric"
    assert trigger.ref == "nps"
    assert trigger.observed == Decimal("12.0")
    assert trigger.condition == "<"
    assert trigger.threshold == Decimal("30.0")
    wellbeing = only(run(metrics=MetricFacts(wellbeing_mean=5.5)), "wellbeing-low")
    assert wellbeing.triggers[0].threshold == Decimal("6.00")
    survey = only(run(metrics=MetricFacts(surveys_in_use=True)), "regular-survey")
    assert survey.triggers[0].observed is None
    assert survey.triggers[0].condition == "never"


def test_indicative_metrics_mark_the_recommendation():
    recommendations = fired(
        run(
            metrics=MetricFacts(
                nps=20,
                nps_margin=30.7,
                nps_indicative=True,
                csat_t2b=60,
                csat_indicative=True,
                ces_agree=50,
                fcr=50,
            )
        )
    )
    assert recommendations["nps-low"].indicative
    assert recommendations["nps-imprecise"].indicative
    assert recommendations["csat-low"].indicative
    assert not recommendations["ces-low"].indicative
    assert not recommendations["fcr-low"].indicative


def test_an_indicative_metric_with_a_firm_trigger_is_not_indicative():
    triggers = [ItemTrigger("nps-low", "metric-practice:measured.nps", "yes-no", 0)]
    recommendation = only(
        run(
            answers={"metric-practice:measured.nps": 0},
            metrics=MetricFacts(nps=20, nps_indicative=True),
            item_triggers=triggers,
        ),
        "nps-low",
    )
    assert len(recommendation.triggers) == 2
    assert not recommendation.indicative


# --------------------------------------------------------------------------- item triggers


@pytest.mark.parametrize(
    ("ref", "raw", "fires", "health"),
    [
        ("ten-ways:listening.questionnaires", 0, True, Fraction(0)),
        ("ten-ways:listening.questionnaires", 1, True, Fraction(1, 2)),  # partly ≠ yes
        ("ten-ways:listening.questionnaires", 2, False, None),
        ("ten-ways:listening.lost-customers", 0, True, Fraction(0)),
        ("ten-ways:listening.lost-customers", 1, False, None),
        ("service-elements:communication.scripts", 2, True, Fraction(1, 4)),
        ("service-elements:communication.scripts", 1, True, Fraction(0)),
        ("service-elements:communication.scripts", 3, False, None),
        ("service-elements:deadlines.response-promise", 3, True, Fraction(1, 2)),
        ("service-elements:deadlines.response-promise", 4, False, None),
        ("service-sales-level:people.service-standards", 0, True, Fraction(0)),
        ("golding-cx-framework:measurement.customer-view", 0, True, Fraction(0)),
        ("golding-cx-framework:measurement.customer-view", 1, False, None),
    ],
)
def test_item_triggers_fire_at_or_below_at_most(ref, raw, fires, health):
    rule = next(t.rule for t in ITEM_TRIGGERS if t.ref == ref)
    recommendations = fired(run(answers={ref: raw}))
    assert (rule in recommendations) is fires
    if fires:
        recommendation = recommendations[rule]
        assert recommendation.health == health
        (trigger,) = recommendation.triggers
        assert (trigger.kind, trigger.ref, trigger.observed) == ("item", ref, raw)
        assert trigger.condition == "<="


def test_a_0_10_item_trigger_uses_raw_over_10():
    trigger = ItemTrigger("fcr-low", "metric-practice:use.score", "0-10", 6)
    recommendation = only(
        run(answers={"metric-practice:use.score": 4}, item_triggers=[trigger]), "fcr-low"
    )
    assert recommendation.health == Fraction(2, 5)


def test_a_missing_plus_answer_is_unticked_and_fires():
    answers = dict(HEALTHY_ANSWERS)
    del answers["service-sales-level:economics.cac-known"]
    facts = AuditFacts(instruments=ALL_INSTRUMENTS, item_answers=answers)
    recommendation = only(
        evaluate(rules=CATALOGUE, facts=facts, item_triggers=ITEM_TRIGGERS), "economics-unknown"
    )
    assert recommendation.triggers[0].observed == 0
    assert recommendation.priority == 2


@pytest.mark.parametrize(
    "ref",
    [
        "ten-ways:listening.questionnaires",
        "golding-cx-framework:measurement.customer-view",
        "service-elements:communication.scripts",
    ],
)
def test_missing_or_na_answers_on_other_scales_never_fire(ref):
    answers = {k: v for k, v in HEALTHY_ANSWERS.items() if k != ref}
    facts = AuditFacts(instruments=ALL_INSTRUMENTS, item_answers=answers)
    assert evaluate(rules=CATALOGUE, facts=facts, item_triggers=ITEM_TRIGGERS) == []
    assert run(answers={ref: None}) == []  # N/A is passed as None


@pytest.mark.parametrize("text", [None, "", "   \n"])
def test_blank_text_fires_with_health_0(text):
    recommendation = only(run(answers={"strategy-canvas:canvas.mission": text}), "canvas-empty")
    assert recommendation.health == 0
    assert recommendation.priority == 2
    (trigger,) = recommendation.triggers
    assert (trigger.kind, trigger.condition, trigger.observed) == ("item", "blank", None)


def test_triggers_of_instruments_not_in_the_audit_are_skipped():
    instruments = ALL_INSTRUMENTS - {"service-sales-level", "strategy-canvas"}
    facts = AuditFacts(instruments=instruments)  # no answers at all
    rules = fired(
        evaluate(
            rules=CATALOGUE,
            facts=facts,
            item_triggers=ITEM_TRIGGERS,
            domain_triggers=DOMAIN_TRIGGERS,
        )
    )
    assert "economics-unknown" not in rules
    assert "canvas-empty" not in rules
    assert rules == {}


def test_domain_triggers_of_instruments_not_in_the_audit_are_skipped():
    recommendations = run(
        domains={"golding-cx-framework:strategy": 10},
        instruments=ALL_INSTRUMENTS - {"golding-cx-framework"},
    )
    assert recommendations == []


def test_invalid_answers_are_refused():
    with pytest.raises(ValueError):
        run(answers={"ten-ways:listening.questionnaires": 3})
    with pytest.raises(ValueError):
        run(answers={"ten-ways:listening.questionnaires": "yes"})
    with pytest.raises(ValueError):
        run(answers={"strategy-canvas:canvas.mission": 1})


# --------------------------------------------------------------------------- domain triggers


@pytest.mark.parametrize(
    ("score", "fires"),
    [
        (Fraction(3994, 100), True),
        (Fraction(3995, 100), False),  # shows 40.0
        (39.96, False),
        (40, False),
        (0, True),
        (None, False),
    ],
)
def test_domain_triggers_compare_the_rounded_score(score, fires):
    recommendations = fired(run(domains={"golding-cx-framework:strategy": score}))
    assert ("strategy-weak" in recommendations) is fires


def test_domain_trigger_explains_itself():
    recommendation = only(
        run(domains={"golding-cx-framework:strategy": Fraction(200, 6)}), "strategy-weak"
    )
    (trigger,) = recommendation.triggers
    assert trigger.kind == "domain"
    assert trigger.observed == Decimal("33.3")
    assert trigger.threshold == Decimal("40.0")
    assert recommendation.health == Fraction(1, 3)
    assert recommendation.priority == 2


def test_unscored_or_absent_domains_never_fire():
    assert run(domains={"golding-cx-framework:measurement": None}) == []
    assert run(domains={}) == []


# --------------------------------------------------------------------------- once per rule


def test_a_rule_fires_once_with_the_lowest_health():
    recommendations = run(
        answers={"golding-cx-framework:measurement.customer-view": 0},
        domains={"golding-cx-framework:measurement": Fraction(28)},
    )
    recommendation = only(recommendations, "measurement-weak")
    assert recommendation.health == 0
    assert recommendation.priority == 3
    assert [t.kind for t in recommendation.triggers] == ["item", "domain"]


def test_the_lowest_health_trigger_comes_first():
    recommendation = only(
        run(
            answers={
                "service-sales-level:people.service-standards": 1,
                "service-elements:communication.scripts": 2,
            }
        ),
        "standards-missing",
    )
    assert recommendation.health == Fraction(1, 4)
    recommendation = only(
        run(
            answers={
                "service-sales-level:people.service-standards": 0,
                "service-elements:communication.scripts": 2,
            }
        ),
        "standards-missing",
    )
    assert recommendation.health == 0
    assert [t.health for t in recommendation.triggers] == [0, Fraction(1, 4)]


def test_blind_spots_fire_self_view_gap_once():
    recommendations = run(
        blind_spots=["golding-cx-framework:measurement", "golding-cx-framework:strategy"]
    )
    recommendation = only(recommendations, "self-view-gap")
    assert recommendation.priority == 1
    assert [t.ref for t in recommendation.triggers] == [
        "golding-cx-framework:measurement",
        "golding-cx-framework:strategy",
    ]
    assert all(t.kind == "gap" for t in recommendation.triggers)
    assert run(blind_spots=[]) == []


def test_touchpoint_pain_fires_once_per_painful_touchpoint():
    touchpoints = [
        Touchpoint("order", "Placing an order", 3),
        Touchpoint("delivery", "Delivery", 1),
        Touchpoint("support", "Calling support", 2),
        Touchpoint("invoice", "Invoice", 5),
    ]
    recommendations = run(touchpoints=touchpoints)
    assert [(r.rule, r.touchpoint, r.priority_display) for r in recommendations] == [
        ("touchpoint-pain", "delivery", Decimal("2.00")),
        ("touchpoint-pain", "support", Decimal("1.50")),
    ]
    assert recommendations[0].touchpoint_title == "Delivery"
    (trigger,) = recommendations[1].triggers
    assert (trigger.kind, trigger.ref, trigger.observed, trigger.threshold) == (
        "touchpoint",
        "support",
        2,
        2,
    )


def test_touchpoints_with_equal_priority_sort_by_key():
    touchpoints = [Touchpoint("b", "B", 2), Touchpoint("a", "A", 2)]
    assert [r.touchpoint for r in run(touchpoints=touchpoints)] == ["a", "b"]


# --------------------------------------------------------------------------- catalogue


def test_only_catalogue_rules_are_emitted():
    rules = [rule for rule in CATALOGUE if rule.id not in {"nps-low", "touchpoint-pain"}]
    recommendations = run(
        rules=rules,
        metrics=MetricFacts(nps=12, fcr=50),
        touchpoints=[Touchpoint("t", "T", 1)],
    )
    assert [r.rule for r in recommendations] == ["fcr-low"]


def test_a_library_trigger_with_an_unknown_rule_is_an_error():
    trigger = ItemTrigger("no-such-rule", "ten-ways:listening.nps", "yes-partial-no", 0)
    with pytest.raises(ValueError, match="no-such-rule"):
        run(item_triggers=[*ITEM_TRIGGERS, trigger])  # even though it would not fire
    with pytest.raises(ValueError):
        run(domain_triggers=[DomainTrigger("no-such-rule", "ten-ways:listening", 40)])


def test_the_catalogue_may_be_a_mapping_and_must_not_repeat_ids():
    mapping = {rule.id: rule for rule in CATALOGUE}
    assert run(rules=mapping, metrics=MetricFacts(fcr=50))[0].rule == "fcr-low"
    with pytest.raises(ValueError):
        run(rules=[*CATALOGUE, RuleSpec("fcr-low", 1)])


def test_severity_comes_from_the_catalogue():
    rules = [RuleSpec("fcr-low", 3)]
    recommendations = run(
        rules=rules, item_triggers=[], domain_triggers=[], metrics=MetricFacts(fcr=50)
    )
    recommendation = only(recommendations, "fcr-low")
    assert recommendation.severity == 3
    assert recommendation.priority == Fraction(3, 2)


def test_metric_rule_ids_are_the_section_9_ids():
    assert set(METRIC_RULE_IDS) <= set(SEVERITY)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize("severity", [0, 4, True, 2.0])
def test_rule_severity_must_be_1_2_or_3(severity):
    with pytest.raises(ValueError):
        RuleSpec("x", severity)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("r", "ten-ways:listening", "yes-no", 0), {}),  # no item
        (("r", "listening.nps", "yes-no", 0), {}),  # no instrument
        (("r", "i:s.x", "yes-no", 2), {}),  # beyond the scale
        (("r", "i:s.x", "likert-5", 0), {}),
        (("r", "i:s.x", "yes-no", None), {}),
        (("r", "i:s.x", "yes-no", 0), {"blank": True}),
        (("r", "i:s.x", "text", 0), {}),
        (("r", "i:s.x", "text", None), {"blank": False}),
        (("r", "i:s.x", "number", 3), {}),
        (("r", "i:s.x", "stars", 3), {}),
    ],
)
def test_item_triggers_are_validated(args, kwargs):
    with pytest.raises(ValueError):
        ItemTrigger(*args, **kwargs)


@pytest.mark.parametrize(("ref", "below"), [("nosection", 40), ("i:s", 0), ("i:s", 101)])
def test_domain_triggers_are_validated(ref, below):
    with pytest.raises(ValueError):
        DomainTrigger("r", ref, below)


def test_domain_trigger_thresholds_become_exact():
    assert DomainTrigger("r", "i:s", 39.5).below == Fraction(79, 2)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"nps": 101},
        {"enps": -100.5},
        {"csat_t2b": -1},
        {"fcr": 100.1},
        {"wellbeing_mean": 11},
        {"monthly_churn": -0.1},
        {"churn_target": 0},
        {"frt_target": -5},
        {"net_change": 1.5},
        {"days_since_customer_wave": -1},
        {"nps": float("nan")},
    ],
)
def test_metric_facts_are_validated(kwargs):
    with pytest.raises(ValueError):
        MetricFacts(**kwargs)


@pytest.mark.parametrize("emotion", [0, 6, 2.5])
def test_touchpoint_emotion_is_1_to_5(emotion):
    with pytest.raises(ValueError):
        Touchpoint("t", "T", emotion)


def test_touchpoint_keys_are_unique():
    with pytest.raises(ValueError):
        AuditFacts(instruments=frozenset(), touchpoints=[Touchpoint("t", "A", 1)] * 2)


# --------------------------------------------------------------------------- ordering


def test_ties_sort_by_severity_then_id():
    recommendations = run(
        metrics=MetricFacts(fcr=0, iqs=0, net_change=-1),
        answers={"ten-ways:listening.fans": 0},
    )
    assert [(r.rule, r.priority) for r in recommendations] == [
        ("net-loss", 3),
        ("fcr-low", 2),
        ("iqs-low", 2),
        ("fans-unheard", 1),
    ]
    # Equal priority 1.5: severity 3 with s 0.5 before severity 2 with s 0.25.
    recommendations = run(
        domains={"golding-cx-framework:strategy": 35},
        metrics=MetricFacts(fcr=25, iqs=25),
    )
    assert [(r.rule, r.priority) for r in recommendations] == [
        ("strategy-weak", Fraction(39, 20)),
        ("fcr-low", Fraction(3, 2)),
        ("iqs-low", Fraction(3, 2)),
    ]


def test_equal_priority_higher_severity_first():
    recommendations = run(
        domains={"golding-cx-framework:strategy": 0},  # 3 × 1 = 3.00
        metrics=MetricFacts(surveys_in_use=True),  # 3 × 1 = 3.00
        touchpoints=[Touchpoint("t", "T", 1)],  # 2 × 1 = 2.00
        answers={"ten-ways:listening.lost-customers": 0},  # 2 × 1 = 2.00
    )
    assert [r.rule for r in recommendations] == [
        "regular-survey",
        "strategy-weak",
        "lost-unheard",
        "touchpoint-pain",
    ]
    fans = run(answers={"ten-ways:listening.fans": 0}, metrics=MetricFacts(cost_share=20))
    # cost-high: 2 × (1 − 0) = 2.00; fans-unheard: 1 × 1 = 1.00.
    assert [r.rule for r in fans] == ["cost-high", "fans-unheard"]
    # Same priority 1.00, severities 2 and 1: severity 2 first.
    mixed = run(answers={"ten-ways:listening.fans": 0}, metrics=MetricFacts(fcr=50))
    assert [r.rule for r in mixed] == ["fcr-low", "fans-unheard"]


# --------------------------------------------------------------------------- properties

percent = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))
score_or_none = st.one_of(st.none(), st.fractions(0, 100))

metric_facts = st.builds(
    MetricFacts,
    nps=st.one_of(st.none(), st.floats(-100, 100)),
    nps_margin=st.one_of(st.none(), st.floats(0, 60)),
    nps_indicative=st.booleans(),
    csat_t2b=percent,
    csat_b2b=percent,
    csat_indicative=st.booleans(),
    ces_agree=percent,
    ces_indicative=st.booleans(),
    enps=st.one_of(st.none(), st.floats(-100, 100)),
    wellbeing_mean=st.one_of(st.none(), st.floats(0, 10)),
    monthly_churn=percent,
    churn_target=st.floats(0.5, 20),
    net_change=st.one_of(st.none(), st.integers(-500, 500)),
    repeat_rate_drop=st.one_of(st.none(), st.floats(-50, 50)),
    frt_median_minutes=st.one_of(st.none(), st.floats(0, 10_000)),
    frt_target=st.floats(1, 600),
    fcr=percent,
    iqs=percent,
    cost_share=st.one_of(st.none(), st.floats(0, 300)),
    surveys_in_use=st.booleans(),
    days_since_customer_wave=st.one_of(st.none(), st.integers(0, 1000)),
)


def _answer_strategy(trigger: ItemTrigger):
    if trigger.scale == "text":
        return st.one_of(st.none(), st.sampled_from(["", "  ", "Mission text"]))
    high = {"yes-no": 1, "plus": 1, "yes-partial-no": 2, "likert-5": 5, "0-10": 10}[trigger.scale]
    low = 1 if trigger.scale == "likert-5" else 0
    return st.one_of(st.none(), st.integers(low, high))


@st.composite
def audit_facts(draw):
    answers = {t.ref: draw(_answer_strategy(t)) for t in ITEM_TRIGGERS}
    domains = {t.ref: draw(score_or_none) for t in DOMAIN_TRIGGERS}
    touchpoints = [
        Touchpoint(f"t{index}", f"Touchpoint {index}", draw(st.integers(1, 5)))
        for index in range(draw(st.integers(0, 4)))
    ]
    blind_spots = draw(st.lists(st.sampled_from([t.ref for t in DOMAIN_TRIGGERS]), max_size=2))
    instruments = draw(st.sets(st.sampled_from(sorted(ALL_INSTRUMENTS))))
    return AuditFacts(
        instruments=frozenset(instruments),
        item_answers=answers,
        domain_scores=domains,
        metrics=draw(metric_facts),
        touchpoints=touchpoints,
        blind_spots=blind_spots,
    )


@given(audit_facts())
def test_priorities_lie_between_0_and_3(facts):
    for recommendation in evaluate(
        rules=CATALOGUE, facts=facts, item_triggers=ITEM_TRIGGERS, domain_triggers=DOMAIN_TRIGGERS
    ):
        assert 0 <= recommendation.health <= 1
        assert 0 <= recommendation.priority <= recommendation.severity <= 3
        assert recommendation.priority == recommendation.severity * (1 - recommendation.health)
        assert recommendation.health == min(t.health for t in recommendation.triggers)
        assert Decimal("0.00") <= recommendation.priority_display <= Decimal("3.00")


@given(audit_facts(), st.randoms(use_true_random=False))
def test_output_is_sorted_and_independent_of_input_order(facts, rnd: random.Random):
    def once(rules, item_triggers, domain_triggers):
        return evaluate(
            rules=rules,
            facts=facts,
            item_triggers=item_triggers,
            domain_triggers=domain_triggers,
        )

    expected = once(CATALOGUE, ITEM_TRIGGERS, DOMAIN_TRIGGERS)
    assert expected == sorted(expected, key=sort_key)
    keys = [(r.rule, r.touchpoint) for r in expected]
    assert len(keys) == len(set(keys))  # once per rule (per touchpoint)
    assert all(r.touchpoint is None for r in expected if r.rule != "touchpoint-pain")
    for previous, current in itertools.pairwise(expected):
        assert (previous.priority, previous.severity) >= (current.priority, current.severity)
    shuffled = [list(CATALOGUE), list(ITEM_TRIGGERS), list(DOMAIN_TRIGGERS)]
    for items in shuffled:
        rnd.shuffle(items)
    assert once(*shuffled) == expected


@pytest.mark.parametrize(
    ("priority", "level"),
    [
        (Decimal("3.00"), "high"),
        (Decimal("2.00"), "high"),
        (Fraction(1996, 1000), "high"),  # shows as 2.00, so it reads as high (§1.3)
        (Decimal("1.99"), "medium"),
        (Decimal("1.00"), "medium"),
        (0.994, "low"),
        (Decimal("0"), "low"),
    ],
)
def test_a_priority_reads_as_a_word(priority, level):
    from cxaudit.recommendations import priority_level

    assert priority_level(priority) == level


@pytest.mark.parametrize(
    ("rule", "field", "bound", "band", "below", "at"),
    [
        ("nps-negative", "nps", bands.NPS_PROBLEMS_FROM, stats.nps_band, "critical", "problems"),
        ("nps-low", "nps", bands.NPS_GOOD_FROM, stats.nps_band, "problems", "good"),
        ("csat-low", "csat_t2b", bands.CSAT_ACCEPTABLE_FROM, stats.csat_band, "weak", "acceptable"),
        ("ces-low", "ces_agree", bands.CES_ACCEPTABLE_FROM, stats.ces_band, "weak", "acceptable"),
        (
            "enps-negative",
            "enps",
            bands.ENPS_ACCEPTABLE_FROM,
            stats.enps_band,
            "concern",
            "acceptable",
        ),
        (
            "wellbeing-low",
            "wellbeing_mean",
            bands.STATE_AT_WORK_ACCEPTABLE_FROM,
            stats.state_at_work_band,
            "concern",
            "acceptable",
        ),
    ],
)
def test_metric_rules_fire_exactly_below_the_survey_band(rule, field, bound, band, below, at):
    """One constant in ``cxaudit.bands`` is both the rule's threshold and the band's edge."""
    just_below = Fraction(bound) - Fraction(1, 10)
    recommendation = only(run(metrics=MetricFacts(**{field: just_below})), rule)
    assert recommendation.triggers[0].threshold == bound
    assert band(just_below) == below
    assert band(bound) == at
    assert rule not in fired(run(metrics=MetricFacts(**{field: bound})))


def test_the_band_constants_are_the_methodology_numbers():
    assert (bands.NPS_PROBLEMS_FROM, bands.NPS_GOOD_FROM, bands.NPS_GOOD_UP_TO) == (0, 30, 50)
    assert (bands.CSAT_ACCEPTABLE_FROM, bands.CSAT_STRONG_FROM) == (70, 85)
    assert (bands.CES_ACCEPTABLE_FROM, bands.CES_STRONG_FROM) == (60, 80)
    assert (bands.ENPS_ACCEPTABLE_FROM, bands.ENPS_STRONG_FROM) == (0, 30)
    assert (bands.STATE_AT_WORK_ACCEPTABLE_FROM, bands.STATE_AT_WORK_STRONG_FROM) == (6, 8)
    assert stats.nps_band(bands.NPS_GOOD_UP_TO) == "good"
    assert stats.csat_band(bands.CSAT_STRONG_FROM) == "strong"
    assert stats.ces_band(bands.CES_STRONG_FROM) == "strong"
    assert stats.enps_band(bands.ENPS_STRONG_FROM) == "strong"
    assert stats.state_at_work_band(bands.STATE_AT_WORK_STRONG_FROM) == "strong"
