"""The rule "top-detractor-theme": the theme detractors mention most, significantly more
often than promoters, in the period's latest wave."""

from decimal import Decimal
from fractions import Fraction

import pytest

from cxaudit.library import rule_catalogue
from cxaudit.recommendations import (
    TOP_DETRACTOR_THEME,
    AuditFacts,
    DetractorTheme,
    MetricFacts,
    RuleSpec,
    evaluate,
)

RULES = [RuleSpec(TOP_DETRACTOR_THEME, 2), RuleSpec("nps-low", 2)]


def theme(**changes):
    values = {
        "ref": "waiting",
        "name_ru": "Ожидание",
        "name_en": "Waiting",
        "detractor_share": Fraction(125, 2),
        "promoter_share": Fraction(10),
    }
    return DetractorTheme(**{**values, **changes})


def recommend(metrics):
    return evaluate(rules=RULES, facts=AuditFacts(instruments=set(), metrics=metrics))


def test_a_top_detractor_theme_proposes_working_on_it():
    (found,) = recommend(MetricFacts(detractor_theme=theme()))
    assert found.rule == TOP_DETRACTOR_THEME
    (trigger,) = found.triggers
    assert trigger.kind == "theme" and trigger.ref == "waiting"
    assert trigger.observed == Decimal("62.5") and trigger.threshold == Decimal("10.0")
    assert trigger.condition == ">"


def test_the_more_detractors_mention_it_the_higher_the_priority():
    (low,) = recommend(MetricFacts(detractor_theme=theme(detractor_share=30)))
    (high,) = recommend(MetricFacts(detractor_theme=theme(detractor_share=80)))
    assert high.priority > low.priority


def test_no_theme_proposes_nothing():
    assert recommend(MetricFacts()) == []


@pytest.mark.parametrize("field", ["detractor_share", "promoter_share"])
def test_theme_shares_must_lie_in_0_to_100(field):
    with pytest.raises(ValueError, match=field):
        theme(**{field: 101})


def test_the_rule_is_in_the_catalogue_in_both_languages():
    rule = rule_catalogue().get(TOP_DETRACTOR_THEME)
    assert rule.text.ru and rule.text.en
