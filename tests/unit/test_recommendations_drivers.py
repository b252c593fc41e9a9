"""The rule "driver-fix-first": the driver to fix first of the period's latest wave."""

from decimal import Decimal
from fractions import Fraction

import pytest

from cxaudit.library import rule_catalogue
from cxaudit.recommendations import (
    DRIVER_FIX_FIRST,
    AuditFacts,
    FixFirstDriver,
    MetricFacts,
    RuleSpec,
    evaluate,
)

RULES = [RuleSpec(DRIVER_FIX_FIRST, 2), RuleSpec("nps-low", 2)]


def driver(**changes):
    values = {
        "ref": "17",
        "title_ru": "Как быстро мы ответили?",
        "title_en": "How quickly did we reply?",
        "outcome": "nps",
        "share": Fraction(6123, 100),
        "share_split": Fraction(100, 3),
        "performance": Fraction(3875, 100),
    }
    return FixFirstDriver(**{**values, **changes})


def recommend(metrics):
    return evaluate(rules=RULES, facts=AuditFacts(instruments=set(), metrics=metrics))


def test_a_driver_to_fix_first_proposes_improving_it():
    (found,) = recommend(MetricFacts(driver_fix_first=driver()))
    assert found.rule == DRIVER_FIX_FIRST
    (trigger,) = found.triggers
    assert trigger.kind == "driver" and trigger.ref == "17"
    assert trigger.observed == Decimal("61.2")  # the share, display-rounded (61.23)
    assert trigger.threshold == Decimal("33.3") and trigger.condition == ">="
    assert found.health == Fraction(3875, 10000)  # the driver's performance
    assert found.priority == 2 * (1 - Fraction(3875, 10000))


def test_the_worse_the_driver_performs_the_higher_the_priority():
    (low,) = recommend(MetricFacts(driver_fix_first=driver(performance=20)))
    (high,) = recommend(MetricFacts(driver_fix_first=driver(performance=60)))
    assert low.priority > high.priority


def test_no_driver_to_fix_first_proposes_nothing():
    assert recommend(MetricFacts()) == []


@pytest.mark.parametrize("field", ["share", "share_split", "performance"])
def test_driver_figures_must_lie_in_0_to_100(field):
    with pytest.raises(ValueError):
        driver(**{field: 101})


def test_the_rule_is_in_the_catalogue_with_texts_in_both_languages():
    rule = rule_catalogue().get(DRIVER_FIX_FIRST)
    assert rule.severity == 2
    assert "fix first" in rule.text.en and "исправить в первую очередь" in rule.text.ru
