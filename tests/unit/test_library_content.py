"""The built-in instrument library: METHODOLOGY §7.4 keys, §9 rules, texts and round trips."""

import re
from functools import cache
from pathlib import Path

import pytest

from cxaudit.instrument_schema import (
    RULES_FILENAME,
    Library,
    content_hash,
    dump_instrument,
    load_library,
    parse_instrument,
)

LIBRARY_DIR = Path(__file__).resolve().parents[2] / "cxaudit" / "library"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")

# METHODOLOGY §9: every rule id with its severity.
METHODOLOGY_RULES = {
    "nps-negative": 3,
    "nps-low": 2,
    "nps-imprecise": 1,
    "csat-low": 2,
    "csat-very-poor": 2,
    "ces-low": 2,
    "enps-negative": 3,
    "wellbeing-low": 2,
    "regular-survey": 3,
    "churn-high": 3,
    "lost-unheard": 2,
    "net-loss": 3,
    "numbers-untracked": 2,
    "repeat-drop": 2,
    "frt-slow": 2,
    "fcr-low": 2,
    "iqs-low": 2,
    "cost-high": 2,
    "economics-unknown": 2,
    "standards-missing": 2,
    "leader-distant": 2,
    "strategy-weak": 3,
    "canvas-empty": 2,
    "measurement-weak": 3,
    "empowerment-missing": 2,
    "mystery-shopping": 1,
    "journey-unmapped": 2,
    "touchpoint-pain": 2,
    "complaints-open-loop": 2,
    "fans-unheard": 1,
    "competitors-ignored": 1,
    "promises-unkept": 2,
    "expectations-unmanaged": 1,
    "metrics-unreviewed": 1,
    "self-view-gap": 1,
}

# Rules triggered by metrics, surveys, journey-map touchpoints or gaps, not by an item.
ENGINE_RULES = {
    "nps-negative",
    "nps-low",
    "nps-imprecise",
    "csat-low",
    "csat-very-poor",
    "ces-low",
    "enps-negative",
    "wellbeing-low",
    "churn-high",
    "net-loss",
    "repeat-drop",
    "frt-slow",
    "fcr-low",
    "iqs-low",
    "cost-high",
    "touchpoint-pain",
    "self-view-gap",
    "driver-fix-first",
    "top-detractor-theme",
}

# METHODOLOGY §7.4: section keys and item keys fixed for the source checklists.
FIXED_KEYS = {
    "service-sales-level": {
        "economics": ["cac-known", "ltv-known", "loyalty-level-known", "loyalty-metrics-known"],
        "strategy": [
            "product-fit",
            "all-departments",
            "leader-involved",
            "strategy-owner",
            "competitors-studied",
        ],
        "people": [
            "service-standards",
            "staff-engagement-known",
            "interest-balance",
            "staff-authority",
        ],
    },
    "cx-understanding": {
        "emotions": ["mystery-shopping", "touchpoint-emotions", "staff-wellbeing-tracked"],
        "accessibility": ["journey-walked", "easy-to-deal", "pain-stages-known"],
        "function": ["return-and-recommend", "loyal-feedback", "expectations-managed"],
    },
    "golding-cx-framework": {
        "strategy": ["know-customers", "know-needs", "roles-understood"],
        "measurement": ["execution-plan", "customer-view", "priorities-known"],
        "employees": ["strategy-understood", "ambassadors", "empowered"],
    },
}
FIXED_SCALES = {
    "service-sales-level": "plus",
    "cx-understanding": "yes-no",
    "golding-cx-framework": "yes-no",
}
TEN_WAYS = {
    "listening": ["complaints", "questionnaires", "fans", "lost-customers", "nps"],
    "checking": ["mystery-shopper", "manager-front-line", "touchpoint-map"],
    "numbers": ["won-minus-lost", "competitors"],
}
MEASURED = ["nps", "csat", "ces", "iqs", "clv", "churn", "retention", "response-time", "resolution"]

# METHODOLOGY §9 item conditions: (instrument, section.item, rule, fires when raw <= this).
ITEM_TRIGGERS = [
    ("ten-ways", "listening.questionnaires", "regular-survey", 1),
    ("ten-ways", "listening.lost-customers", "lost-unheard", 0),
    ("ten-ways", "numbers.won-minus-lost", "numbers-untracked", 0),
    ("service-sales-level", "economics.cac-known", "economics-unknown", 0),
    ("service-sales-level", "economics.ltv-known", "economics-unknown", 0),
    ("service-sales-level", "people.service-standards", "standards-missing", 0),
    ("service-elements", "communication.scripts", "standards-missing", 2),
    ("service-sales-level", "strategy.leader-involved", "leader-distant", 0),
    ("ten-ways", "checking.manager-front-line", "leader-distant", 1),
    ("golding-cx-framework", "measurement.customer-view", "measurement-weak", 0),
    ("golding-cx-framework", "employees.empowered", "empowerment-missing", 0),
    ("service-sales-level", "people.staff-authority", "empowerment-missing", 0),
    ("cx-understanding", "emotions.mystery-shopping", "mystery-shopping", 0),
    ("ten-ways", "checking.mystery-shopper", "mystery-shopping", 0),
    ("cx-understanding", "accessibility.journey-walked", "journey-unmapped", 0),
    ("ten-ways", "checking.touchpoint-map", "journey-unmapped", 1),
    ("ten-ways", "listening.complaints", "complaints-open-loop", 1),
    ("service-elements", "feedback.loop-closed", "complaints-open-loop", 2),
    ("ten-ways", "listening.fans", "fans-unheard", 0),
    ("cx-understanding", "function.loyal-feedback", "fans-unheard", 0),
    ("service-sales-level", "strategy.competitors-studied", "competitors-ignored", 0),
    ("ten-ways", "numbers.competitors", "competitors-ignored", 0),
    ("service-elements", "deadlines.response-promise", "promises-unkept", 3),
    ("cx-understanding", "function.expectations-managed", "expectations-unmanaged", 0),
    ("metric-practice", "use.monthly-review", "metrics-unreviewed", 1),
]
SECTION_TRIGGERS = [
    ("golding-cx-framework", "strategy", "strategy-weak", 40),
    ("golding-cx-framework", "measurement", "measurement-weak", 40),
]


@cache
def library() -> Library:
    return load_library(LIBRARY_DIR)


def instrument_files() -> list[Path]:
    return sorted(p for p in LIBRARY_DIR.glob("*.yaml") if p.name != RULES_FILENAME)


def all_items():
    for instrument in library().instruments.values():
        for section, item in instrument.items():
            yield instrument, section, item


def all_texts():
    for instrument in library().instruments.values():
        yield f"{instrument.key}.title", instrument.title
        yield f"{instrument.key}.description", instrument.description
        for section in instrument.sections:
            yield f"{instrument.key}.{section.key}.title", section.title
            if section.description is not None:
                yield f"{instrument.key}.{section.key}.description", section.description
            for item in section.items:
                yield f"{instrument.key}.{item.key}.text", item.text
                if item.guidance is not None:
                    yield f"{instrument.key}.{item.key}.guidance", item.guidance
                for name, label in (item.options or {}).items():
                    yield f"{instrument.key}.{item.key}.options.{name}", label
    for rule in library().rules.rules:
        yield f"rules.{rule.id}", rule.text


def test_the_whole_library_loads():
    assert set(library().instruments) == {
        "service-sales-level",
        "cx-understanding",
        "golding-cx-framework",
        "service-elements",
        "ten-ways",
        "metric-practice",
        "strategy-canvas",
        "journey-map",
        "full-cx-audit",
        "quick-self-check",
    }


def test_files_are_named_after_their_keys():
    assert {path.stem for path in instrument_files()} == set(library().instruments)
    assert all(library().filenames[key] == f"{key}.yaml" for key in library().instruments)


def test_every_text_is_written_in_russian_and_english():
    for where, text in all_texts():
        assert text.ru.strip(), where
        assert text.en.strip(), where
        assert CYRILLIC.search(text.ru), f"{where}: the Russian text has no Cyrillic"
        assert not CYRILLIC.search(text.en), f"{where}: the English text contains Cyrillic"


def test_every_scored_item_has_guidance_and_a_rule():
    scored = [(i, s, item) for i, s, item in all_items() if item.is_scored]

    assert len(scored) == 13 + 9 + 9 + 20 + 10 + 16
    for instrument, section, item in scored:
        where = f"{instrument.key}:{section.key}.{item.key}"
        assert item.guidance is not None, where
        assert item.rules, where


def test_every_rule_reference_resolves():
    rule_ids = library().rules.ids
    for instrument in library().instruments.values():
        assert instrument.rule_ids() <= rule_ids, instrument.key


def test_every_methodology_rule_exists_with_its_severity():
    severities = {rule.id: rule.severity for rule in library().rules.rules}

    for rule_id, severity in METHODOLOGY_RULES.items():
        assert severities.get(rule_id) == severity, rule_id


def test_every_rule_is_used_by_an_instrument_or_the_engine():
    used = set().union(*(i.rule_ids() for i in library().instruments.values()))

    assert library().rules.ids - used == ENGINE_RULES
    assert not ENGINE_RULES & used


def test_rule_texts_are_distinct():
    texts = [rule.text.en for rule in library().rules.rules]

    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("key", sorted(FIXED_KEYS))
def test_source_checklists_have_exactly_the_methodology_keys(key):
    instrument = library().instrument(key)

    assert instrument.kind == "checklist"
    assert {s.key: [i.key for i in s.items] for s in instrument.sections} == FIXED_KEYS[key]
    assert {item.scale for _, item in instrument.items()} == {FIXED_SCALES[key]}


def test_service_elements_covers_the_five_elements():
    instrument = library().instrument("service-elements")

    assert instrument.kind == "questionnaire"
    assert [s.key for s in instrument.sections] == [
        "expectations",
        "communication",
        "deadlines",
        "quality",
        "feedback",
    ]
    for section in instrument.sections:
        assert 3 <= len(section.items) <= 4, section.key
        assert {item.scale for item in section.items} == {"likert-5"}
    for key in ("communication.scripts", "deadlines.response-promise", "feedback.loop-closed"):
        assert instrument.item(key).scale == "likert-5"


def test_ten_ways_has_each_method_with_when_and_what():
    instrument = library().instrument("ten-ways")

    expected = {
        section: [
            key for method in methods for key in (method, f"{method}-last", f"{method}-found")
        ]
        for section, methods in TEN_WAYS.items()
    }
    assert {s.key: [i.key for i in s.items] for s in instrument.sections} == expected
    for _, item in instrument.items():
        if item.key.endswith(("-last", "-found")):
            assert item.scale == "text"
            assert item.rules == []
        else:
            assert item.scale == "yes-partial-no"
            assert item.options is not None
            assert item.options["yes"].en == "Yes, regularly"
            assert item.options["partial"].en == "Occasionally or once"


def test_metric_practice_measures_and_uses():
    instrument = library().instrument("metric-practice")

    assert [s.key for s in instrument.sections] == ["measured", "use"]
    measured = instrument.section("measured")
    assert [i.key for i in measured.items if i.is_scored] == MEASURED
    assert {i.scale for i in measured.items if i.is_scored} == {"yes-no"}
    use = instrument.section("use")
    assert {"monthly-review", "leads-to-action"} <= {i.key for i in use.items}
    assert {i.scale for i in use.items if i.is_scored} == {"yes-partial-no"}
    assert {i.scale for _, i in instrument.items() if not i.is_scored} <= {"text", "number"}


def test_strategy_canvas_has_four_text_parts():
    instrument = library().instrument("strategy-canvas")

    assert instrument.kind == "canvas"
    assert not instrument.is_scored
    items = [item for _, item in instrument.items()]
    assert [i.key for i in items] == ["mission", "desired-feeling", "principles", "in-practice"]
    for item in items:
        assert item.scale == "text"
        assert item.guidance is not None
        assert [ref.rule for ref in item.rules] == ["canvas-empty"]


def test_journey_map_has_stages_without_items():
    instrument = library().instrument("journey-map")

    assert instrument.kind == "journey-map"
    assert not instrument.is_scored
    assert len(instrument.sections) >= 5
    for section in instrument.sections:
        assert section.items == []
        assert section.description is not None


@pytest.mark.parametrize(
    ("key", "included"),
    [
        (
            "full-cx-audit",
            [
                "service-sales-level",
                "cx-understanding",
                "golding-cx-framework",
                "service-elements",
                "ten-ways",
                "metric-practice",
                "strategy-canvas",
                "journey-map",
            ],
        ),
        ("quick-self-check", ["service-sales-level", "cx-understanding", "golding-cx-framework"]),
    ],
)
def test_templates_include_the_right_instruments(key, included):
    instrument = library().instrument(key)

    assert instrument.kind == "template"
    assert instrument.sections == []
    assert instrument.includes == included
    assert [i.key for i in library().expand(key)] == included


@pytest.mark.parametrize(("key", "path", "rule_id", "at_most"), ITEM_TRIGGERS)
def test_methodology_item_conditions_are_rule_references(key, path, rule_id, at_most):
    item = library().instrument(key).item(path)

    refs = [ref for ref in item.rules if ref.rule == rule_id]
    assert len(refs) == 1, f"{key}:{path} does not reference {rule_id}"
    assert item.rule_at_most(refs[0]) == at_most


@pytest.mark.parametrize(("key", "section_key", "rule_id", "below"), SECTION_TRIGGERS)
def test_methodology_domain_conditions_are_section_rules(key, section_key, rule_id, below):
    section = library().instrument(key).section(section_key)

    assert [(ref.rule, ref.below) for ref in section.rules] == [(rule_id, below)]


def test_section_and_item_weights_are_positive_and_thresholds_default():
    for instrument in library().instruments.values():
        assert instrument.thresholds == [20, 40, 60, 80], instrument.key
        for section in instrument.sections:
            assert section.weight > 0
            assert all(item.weight > 0 for item in section.items)


def test_item_keys_are_unique_within_each_instrument():
    for instrument in library().instruments.values():
        keys = [item.key for _, item in instrument.items()]
        assert len(keys) == len(set(keys)), instrument.key


@pytest.mark.parametrize("path", instrument_files(), ids=lambda p: p.name)
def test_round_trip_is_exact_for_every_built_in_file(path):
    instrument = parse_instrument(path.read_text(encoding="utf-8"), filename=path.name)

    again = parse_instrument(dump_instrument(instrument), filename=path.name)

    assert again == instrument
    assert content_hash(again) == content_hash(instrument)


def test_every_scored_item_may_be_not_applicable_except_tick_boxes():
    """METHODOLOGY §7.1: N/A is allowed where the methodology allows it, never on ``plus``
    (an unticked box means "no"), so the answer page can offer "does not apply"."""
    for instrument, _section, item in all_items():
        if item.is_scored:
            assert item.allow_na == (item.scale != "plus"), (instrument.key, item.key)


@pytest.mark.parametrize(
    "key",
    ["cx-understanding", "golding-cx-framework", "service-elements", "ten-ways", "metric-practice"],
)
def test_instruments_that_gained_not_applicable_are_a_new_version(key):
    """Allowing N/A changes what an answer can mean, so it is version 2 (STYLE §11)."""
    assert library().instruments[key].version >= 2
