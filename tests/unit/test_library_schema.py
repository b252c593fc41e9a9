"""The instrument library schema: parsing, error reporting, dumping and hashing."""

import ast
import copy
import pickle
from pathlib import Path

import pytest
import yaml

from cxaudit import instrument_schema as library_schema
from cxaudit.instrument_schema import (
    Instrument,
    LibraryError,
    LocalizedText,
    Problem,
    content_hash,
    dump_instrument,
    load_library,
    parse_instrument,
    parse_rules,
)

FILE = "demo.yaml"
RULE_IDS = {"strategy-weak", "know-customers-missing", "scripts-missing", "canvas-empty"}

GOOD_YAML = """\
key: demo
version: 2
kind: checklist
title: {ru: "Демо", en: "Demo"}
description: {ru: "Для тестов.", en: "For tests."}
source: "002"
thresholds: [25, 45, 65, 85]
sections:
  - key: strategy
    title: {ru: "Стратегия", en: "Strategy"}
    weight: 2
    rules:
      - {rule: strategy-weak, below: 40}
    items:
      - key: know-customers
        text: {ru: "Мы знаем своих клиентов.", en: "We know our customers."}
        guidance: {ru: "Есть описание сегментов.", en: "Segments are described."}
        scale: yes-no
        rules: [know-customers-missing]
        options:
          yes: {ru: "Да", en: "Yes"}
          no: {ru: "Нет", en: "No"}
      - key: scripts
        text: {ru: "Есть скрипты.", en: "There are scripts."}
        guidance: {ru: "Скрипты есть и используются.", en: "Scripts exist and are used."}
        scale: likert-5
        weight: 1.5
        allow_na: true
        rules:
          - {rule: scripts-missing, at_most: 2}
        options:
          1: {ru: "Совсем нет", en: "Not at all"}
          5: {ru: "Полностью", en: "Fully"}
      - key: notes
        text: {ru: "Заметки", en: "Notes"}
        scale: text
        rules: [canvas-empty]
      - key: head-count
        text: {ru: "Сколько сотрудников?", en: "How many staff?"}
        scale: number
"""


def good() -> dict:
    return yaml.safe_load(GOOD_YAML)


def as_yaml(document: dict) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def template(**changes) -> dict:
    document = {
        "key": "starter",
        "version": 1,
        "kind": "template",
        "title": {"ru": "Шаблон", "en": "Template"},
        "description": {"ru": "Набор.", "en": "A set."},
        "source": "002",
        "includes": ["demo"],
    }
    document.update(changes)
    return document


def problems_of(document_or_text, *, rule_ids=None) -> list[Problem]:
    text = document_or_text if isinstance(document_or_text, str) else as_yaml(document_or_text)
    with pytest.raises(LibraryError) as caught:
        parse_instrument(text, filename=FILE, rule_ids=rule_ids)
    return caught.value.problems


def assert_problem(problems: list[Problem], path: str, message: str) -> None:
    matching = [p for p in problems if p.path == path and message in p.message]
    assert matching, f"no problem at {path!r} with {message!r} in {problems}"
    assert all(p.file == FILE for p in matching)


def item(document: dict, index: int) -> dict:
    return document["sections"][0]["items"][index]


# --------------------------------------------------------------------------- good documents


def test_good_yaml_parses_with_defaults_filled_in():
    instrument = parse_instrument(GOOD_YAML, filename=FILE, rule_ids=RULE_IDS)

    assert instrument.key == "demo"
    assert instrument.version == 2
    assert instrument.thresholds == [25, 45, 65, 85]
    assert instrument.gap_thresholds.item == 40
    assert instrument.gap_thresholds.domain == 20
    assert instrument.is_scored
    section = instrument.section("strategy")
    assert section.weight == 2
    assert section.rules[0].below == 40
    know = instrument.item("strategy.know-customers")
    assert know.weight == 1
    assert know.allow_na is False
    assert know.is_scored
    assert know.options is not None
    assert set(know.options) == {"yes", "no"}  # YAML 1.1 booleans become option names
    assert know.rule_at_most(know.rules[0]) == 0
    scripts = instrument.item("scripts")
    assert scripts.rules[0].at_most == 2
    assert scripts.rule_at_most(scripts.rules[0]) == 2
    assert set(scripts.options or {}) == {"1", "5"}
    assert instrument.item("notes").is_scored is False
    assert instrument.item("notes").rule_at_most(instrument.item("notes").rules[0]) is None
    assert [item.key for _, item in instrument.items()] == [
        "know-customers",
        "scripts",
        "notes",
        "head-count",
    ]
    assert instrument.rule_ids() == RULE_IDS
    assert instrument.title.get("en") == "Demo"
    assert instrument.title.get("ru") == "Демо"


def test_thresholds_default_to_20_40_60_80():
    document = good()
    del document["thresholds"]

    instrument = parse_instrument(as_yaml(document), filename=FILE)

    assert instrument.thresholds == [20, 40, 60, 80]


def test_unknown_item_key_lookup_raises_key_error():
    instrument = parse_instrument(GOOD_YAML, filename=FILE)

    with pytest.raises(KeyError):
        instrument.item("people.know-customers")
    with pytest.raises(KeyError):
        instrument.section("people")


def test_template_parses_and_is_not_scored():
    instrument = parse_instrument(as_yaml(template()), filename="starter.yaml")

    assert instrument.includes == ["demo"]
    assert instrument.sections == []
    assert not instrument.is_scored


def test_journey_map_sections_may_have_no_items():
    document = good()
    document["kind"] = "journey-map"
    document["sections"] = [
        {"key": "awareness", "title": {"ru": "Знакомство", "en": "Awareness"}, "items": []},
        {"key": "purchase", "title": {"ru": "Покупка", "en": "Purchase"}},
    ]

    instrument = parse_instrument(as_yaml(document), filename=FILE)

    assert [section.items for section in instrument.sections] == [[], []]
    assert not instrument.is_scored


# --------------------------------------------------------------------------- one problem each


def test_yaml_syntax_error_names_line_and_column():
    text = "key: demo\nversion: 1\nsections: [\n  - key: a\n"

    problems = problems_of(text)

    assert len(problems) == 1
    assert problems[0].file == FILE
    assert problems[0].path == "(document)"
    assert problems[0].message.startswith("YAML syntax error at line ")
    assert ", column " in problems[0].message


def test_duplicate_yaml_key_is_an_error_not_silently_overwritten():
    text = GOOD_YAML.replace("version: 2\n", "version: 2\nversion: 3\n")

    problems = problems_of(text)

    assert problems[0].path == "(document)"
    assert "duplicate key 'version'" in problems[0].message
    assert "line 3" in problems[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the file is empty"), ("- a\n- b\n", "must be a mapping describing an instrument")],
)
def test_document_must_be_a_mapping(text, message):
    assert_problem(problems_of(text), "(document)", message)


@pytest.mark.parametrize("field", ["key", "version", "kind", "title", "description", "source"])
def test_missing_top_level_field(field):
    document = good()
    del document[field]

    assert_problem(problems_of(document), field, "is required")


def test_missing_item_field():
    document = good()
    del item(document, 0)["scale"]

    assert_problem(problems_of(document), "sections[0].items[0].scale", "is required")


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d.update(version="one"), "version", "must be a whole number of at least 1"),
        (lambda d: d.update(version=0), "version", "must be a whole number of at least 1"),
        (lambda d: d.update(version=True), "version", "must be a whole number of at least 1"),
        (lambda d: d.update(source=2), "source", "must be a string"),
        (lambda d: d.update(title="Demo"), "title", "must be a mapping with ru and en texts"),
        (lambda d: d.update(sections={"a": 1}), "sections", "must be a list"),
        (lambda d: d.update(key="Demo Tool"), "key", "must be lowercase-kebab"),
        (
            lambda d: item(d, 0).update(weight="heavy"),
            "sections[0].items[0].weight",
            "must be a number",
        ),
        (
            lambda d: item(d, 0).update(allow_na="no"),
            "sections[0].items[0].allow_na",
            "must be true or false",
        ),
        (
            lambda d: item(d, 1)["rules"][0].update(at_most=1.5),
            "sections[0].items[1].rules[0].at_most",
            "must be a whole number",
        ),
        (
            lambda d: item(d, 0).update(rules=[5]),
            "sections[0].items[0].rules[0]",
            "must be a rule id or a mapping",
        ),
        (
            lambda d: item(d, 0)["text"].update(en=True),
            "sections[0].items[0].text.en",
            "put quotes around words like yes, no",
        ),
        (
            lambda d: item(d, 0).update(question="?"),
            "sections[0].items[0].question",
            "is not a known field",
        ),
        (lambda d: d.update(kind="survey"), "kind", "must be one of checklist, questionnaire"),
    ],
)
def test_wrong_type_or_value(change, path, message):
    document = good()
    change(document)

    assert_problem(problems_of(document), path, message)


def test_unknown_scale_lists_the_allowed_scales():
    document = good()
    item(document, 0)["scale"] = "likert-7"

    assert_problem(
        problems_of(document),
        "sections[0].items[0].scale",
        "must be one of yes-no, plus, yes-partial-no, likert-5, 0-10, number, text",
    )


def test_duplicate_section_key():
    document = good()
    document["sections"].append(copy.deepcopy(document["sections"][0]))
    for index, entry in enumerate(document["sections"][1]["items"]):
        entry["key"] = f"other-{index}"

    assert_problem(problems_of(document), "sections[1].key", "duplicate section key 'strategy'")


def test_duplicate_item_key_across_sections():
    document = good()
    second = copy.deepcopy(document["sections"][0])
    second["key"] = "people"
    second["items"] = [second["items"][0]]
    document["sections"].append(second)

    assert_problem(
        problems_of(document), "sections[1].items[0].key", "duplicate item key 'know-customers'"
    )


@pytest.mark.parametrize("language", ["ru", "en"])
def test_missing_language(language):
    document = good()
    del item(document, 0)["text"][language]

    assert_problem(problems_of(document), f"sections[0].items[0].text.{language}", "is required")


def test_blank_text_is_missing_text():
    document = good()
    item(document, 0)["guidance"]["ru"] = "   "

    assert_problem(problems_of(document), "sections[0].items[0].guidance.ru", "must not be empty")


@pytest.mark.parametrize(
    "thresholds",
    [
        [20, 40, 40, 80],
        [40, 20, 60, 80],
        [20, 40, 60],
        [20, 40, 60, 80, 90],
        [0, 40, 60, 80],
        [20, 40, 60, 100],
        ["20", 40, 60, 80],
        [True, 40, 60, 80],
        "20, 40, 60, 80",
    ],
)
def test_bad_thresholds(thresholds):
    document = good()
    document["thresholds"] = thresholds

    problems = problems_of(document)

    assert_problem(
        problems, "thresholds", "thresholds must be four strictly rising numbers between 0 and 100"
    )
    assert len(problems) == 1


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: item(d, 0).update(weight=0), "sections[0].items[0].weight"),
        (lambda d: item(d, 1).update(weight=-1.5), "sections[0].items[1].weight"),
        (lambda d: d["sections"][0].update(weight=0), "sections[0].weight"),
    ],
)
def test_non_positive_weight(change, path):
    document = good()
    change(document)

    assert_problem(problems_of(document), path, "must be a positive number")


def test_plus_item_cannot_allow_na():
    document = good()
    item(document, 0).update(scale="plus", allow_na=True)

    assert_problem(
        problems_of(document), "sections[0].items[0].allow_na", "plus items cannot allow N/A"
    )


@pytest.mark.parametrize("scale", ["likert-5", "0-10"])
def test_likert_and_0_10_rule_references_need_at_most(scale):
    document = good()
    item(document, 1).update(scale=scale, rules=["scripts-missing"], options=None)

    assert_problem(
        problems_of(document),
        "sections[0].items[1].rules[0]",
        f"{scale} rule references need at_most",
    )


@pytest.mark.parametrize(
    ("scale", "at_most", "allowed"),
    [
        ("likert-5", 5, "between 1 and 4"),
        ("likert-5", 0, "between 1 and 4"),
        ("0-10", 10, "between 0 and 9"),
        ("yes-partial-no", 2, "between 0 and 1"),
        ("yes-no", 1, "must be 0 on"),
    ],
)
def test_at_most_must_leave_the_top_answer_untriggered(scale, at_most, allowed):
    document = good()
    item(document, 1).update(scale=scale, options=None)
    item(document, 1)["rules"][0]["at_most"] = at_most

    assert_problem(problems_of(document), "sections[0].items[1].rules[0].at_most", allowed)


def test_rule_on_number_item():
    document = good()
    item(document, 3)["rules"] = ["strategy-weak"]

    assert_problem(
        problems_of(document), "sections[0].items[3].rules", "number items take no rules"
    )


def test_text_rule_reference_takes_no_at_most():
    document = good()
    item(document, 2)["rules"] = [{"rule": "canvas-empty", "at_most": 0}]

    assert_problem(
        problems_of(document), "sections[0].items[2].rules[0].at_most", "take no at_most"
    )


def test_section_rule_needs_below_and_item_rule_no_below():
    document = good()
    document["sections"][0]["rules"] = ["strategy-weak"]
    item(document, 0)["rules"] = [{"rule": "know-customers-missing", "below": 40}]

    problems = problems_of(document)

    assert_problem(problems, "sections[0].rules[0]", "section rule references need below")
    assert_problem(problems, "sections[0].items[0].rules[0].below", "use at_most, not below")


def test_unknown_rule_id_on_item_and_section():
    document = good()
    item(document, 0)["rules"] = ["know-customer-missing"]
    document["sections"][0]["rules"][0]["rule"] = "strategy-week"

    problems = problems_of(document, rule_ids=RULE_IDS)

    assert_problem(
        problems, "sections[0].items[0].rules[0]", "unknown rule 'know-customer-missing'"
    )
    assert_problem(problems, "sections[0].rules[0]", "unknown rule 'strategy-week'")


def test_rule_ids_are_not_checked_without_a_catalogue():
    document = good()
    item(document, 0)["rules"] = ["anything-goes"]

    parse_instrument(as_yaml(document), filename=FILE)


def test_option_names_must_fit_the_scale():
    document = good()
    item(document, 0)["options"]["partial"] = {"ru": "Частично", "en": "Partly"}

    assert_problem(
        problems_of(document),
        "sections[0].items[0].options.partial",
        "does not exist on the yes-no",
    )


def test_template_with_sections():
    document = template(sections=good()["sections"])

    assert_problem(problems_of(document), "sections", "a template has no sections")


def test_template_needs_includes_and_others_may_not_have_them():
    assert_problem(problems_of(template(includes=[])), "includes", "needs at least one included")

    document = good()
    document["includes"] = ["other"]
    assert_problem(problems_of(document), "includes", "only templates have includes")


def test_template_cannot_include_itself_or_twice():
    problems = problems_of(template(includes=["demo", "starter", "demo"]))

    assert_problem(problems, "includes[1]", "a template cannot include itself")
    assert_problem(problems, "includes[2]", "duplicate include 'demo'")


def test_scored_item_without_guidance():
    document = good()
    del item(document, 0)["guidance"]

    assert_problem(
        problems_of(document), "sections[0].items[0].guidance", "scored item needs guidance"
    )


@pytest.mark.parametrize("rules", [None, []])
def test_scored_item_without_rules(rules):
    document = good()
    if rules is None:
        del item(document, 1)["rules"]
    else:
        item(document, 1)["rules"] = rules

    assert_problem(
        problems_of(document), "sections[0].items[1].rules", "scored item needs at least one rule"
    )


def test_unscored_items_need_neither_guidance_nor_rules():
    document = good()
    del item(document, 2)["rules"]

    instrument = parse_instrument(as_yaml(document), filename=FILE)

    assert instrument.item("notes").guidance is None
    assert instrument.item("head-count").rules == []


def test_checklist_sections_need_items_and_a_scored_item():
    document = good()
    document["sections"].append({"key": "empty", "title": {"ru": "Пусто", "en": "Empty"}})
    assert_problem(problems_of(document), "sections[1].items", "a section needs at least one item")

    document = good()
    document["sections"][0]["items"] = document["sections"][0]["items"][2:]
    assert_problem(problems_of(document), "sections", "a checklist needs at least one scored item")


def test_canvas_cannot_hold_scored_items():
    document = good()
    document["kind"] = "canvas"

    assert_problem(
        problems_of(document), "sections[0].items[0].scale", "canvas instruments cannot contain"
    )


# --------------------------------------------------------------------------- many problems at once


def test_all_problems_are_reported_together():
    document = good()
    document["version"] = 0
    document["thresholds"] = [50, 40, 60, 80]
    item(document, 0)["scale"] = "plus"
    item(document, 0)["allow_na"] = True
    del item(document, 0)["text"]["en"]
    item(document, 1)["rules"] = ["scripts-missing", "nope"]
    item(document, 2)["key"] = "know-customers"
    item(document, 3)["weight"] = 0

    problems = problems_of(document, rule_ids=RULE_IDS)

    expected = [
        ("sections[0].items[0].allow_na", "plus items cannot allow N/A"),
        ("sections[0].items[0].text.en", "is required"),
        ("sections[0].items[1].rules[0]", "likert-5 rule references need at_most"),
        ("sections[0].items[1].rules[1]", "likert-5 rule references need at_most"),
        ("sections[0].items[1].rules[1]", "unknown rule 'nope'"),
        ("sections[0].items[2].key", "duplicate item key 'know-customers'"),
        ("sections[0].items[3].weight", "must be a positive number"),
        ("thresholds", "thresholds must be four strictly rising numbers"),
        ("version", "must be a whole number of at least 1"),
    ]
    for path, message in expected:
        assert_problem(problems, path, message)
    assert len(problems) == len(expected)


def test_problems_come_in_document_order_with_natural_indexes():
    document = good()
    for index in range(12):
        entry = copy.deepcopy(item(document, 0))
        entry["key"] = f"extra-{index}"
        del entry["guidance"]
        document["sections"][0]["items"].append(entry)

    paths = [p.path for p in problems_of(document)]

    assert paths == [f"sections[0].items[{n}].guidance" for n in range(4, 16)]


def test_str_lists_one_problem_per_line_as_file_path_message():
    document = good()
    del item(document, 0)["guidance"]
    del item(document, 1)["rules"]

    with pytest.raises(LibraryError) as caught:
        parse_instrument(as_yaml(document), filename=FILE)

    assert str(caught.value).splitlines() == [
        "demo.yaml: sections[0].items[0].guidance: scored item needs guidance",
        "demo.yaml: sections[0].items[1].rules: scored item needs at least one rule",
    ]


def test_library_error_survives_pickling():
    error = LibraryError([Problem("a.yaml", "key", "is required")])

    assert pickle.loads(pickle.dumps(error)).problems == error.problems  # noqa: S301


def test_building_an_invalid_instrument_in_code_is_refused_too():
    text = LocalizedText(ru="Шаблон", en="Template")

    with pytest.raises(ValueError, match="a template needs at least one included instrument"):
        Instrument(
            key="starter", version=1, kind="template", title=text, description=text, source="x"
        )


def test_building_an_instrument_with_a_repeated_item_key_in_code_is_refused():
    document = good()
    item(document, 1)["key"] = "know-customers"
    text = LocalizedText(ru="Демо", en="Demo")
    sections = [library_schema.Section.model_validate(s) for s in document["sections"]]

    with pytest.raises(ValueError, match="duplicate item key 'know-customers'"):
        Instrument(
            key="demo",
            version=1,
            kind="checklist",
            title=text,
            description=text,
            source="x",
            sections=sections,
        )


def test_a_stored_document_read_back_with_a_context_is_not_checked_as_a_whole_again():
    document = good()
    item(document, 1)["key"] = "know-customers"

    instrument = Instrument.model_validate(document, context={"checked": True})

    assert [i.key for _, i in instrument.items()][:2] == ["know-customers", "know-customers"]


# --------------------------------------------------------------------------- rules catalogue


RULES_YAML = """\
rules:
  - id: strategy-weak
    severity: 3
    source: "002"
    text: {ru: "Опишите клиентов.", en: "Describe your customers."}
  - id: canvas-empty
    severity: 2
    source: "002"
    text: {ru: "Заполните холст.", en: "Complete the canvas."}
"""


def test_rules_parse():
    catalogue = parse_rules(RULES_YAML, filename="rules.yaml")

    assert catalogue.ids == {"strategy-weak", "canvas-empty"}
    assert catalogue.get("canvas-empty").severity == 2


def test_rule_problems_are_all_reported():
    document = yaml.safe_load(RULES_YAML)
    document["rules"][1]["id"] = "strategy-weak"
    document["rules"][0]["severity"] = 4
    del document["rules"][0]["text"]["ru"]

    with pytest.raises(LibraryError) as caught:
        parse_rules(as_yaml(document), filename="rules.yaml")

    assert [(p.file, p.path, p.message) for p in caught.value.problems] == [
        ("rules.yaml", "rules[0].severity", "must be 1 (advisory), 2 (important) or 3 (critical)"),
        ("rules.yaml", "rules[0].text.ru", "is required"),
        ("rules.yaml", "rules[1].id", "duplicate rule id 'strategy-weak'"),
    ]


# --------------------------------------------------------------------------- load_library


def write_library(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def full_rules_yaml() -> str:
    document = yaml.safe_load(RULES_YAML)
    for rule_id in ("know-customers-missing", "scripts-missing"):
        document["rules"].append({**document["rules"][0], "id": rule_id})
    return as_yaml(document)


def test_load_library_reads_every_file(tmp_path):
    directory = write_library(
        tmp_path,
        {
            "rules.yaml": full_rules_yaml(),
            "demo.yaml": GOOD_YAML,
            "starter.yaml": as_yaml(template()),
            "notes.txt": "ignored",
        },
    )

    library = load_library(directory)

    assert set(library.instruments) == {"demo", "starter"}
    assert library.filenames["starter"] == "starter.yaml"
    assert library.rules.ids >= RULE_IDS
    assert [i.key for i in library.expand("starter")] == ["demo"]
    assert [i.key for i in library.expand("demo")] == ["demo"]
    assert library.instrument("demo").version == 2


def test_load_library_reports_every_file_and_cross_check(tmp_path):
    broken = good()
    item(broken, 0)["rules"] = ["no-such-rule"]
    broken["key"] = "broken"
    duplicate = GOOD_YAML
    directory = write_library(
        tmp_path,
        {
            "rules.yaml": full_rules_yaml(),
            "a-demo.yaml": GOOD_YAML,
            "b-demo.yaml": duplicate,
            "broken.yaml": as_yaml(broken),
            "starter.yaml": as_yaml(template(includes=["demo", "missing", "broken"])),
            "nested.yaml": as_yaml(template(key="nested", includes=["starter"])),
        },
    )

    with pytest.raises(LibraryError) as caught:
        load_library(directory)

    found = {(p.file, p.path, p.message) for p in caught.value.problems}
    assert found == {
        ("b-demo.yaml", "key", "duplicate instrument key 'demo' (also in a-demo.yaml)"),
        ("broken.yaml", "sections[0].items[0].rules[0]", "unknown rule 'no-such-rule'"),
        ("starter.yaml", "includes[1]", "unknown instrument 'missing'"),
        (
            "nested.yaml",
            "includes[0]",
            "'starter' is a template; a template cannot include another template",
        ),
    }


def test_load_library_without_rule_catalogue(tmp_path):
    directory = write_library(tmp_path, {"demo.yaml": GOOD_YAML})

    with pytest.raises(LibraryError) as caught:
        load_library(directory)

    assert [str(p) for p in caught.value.problems] == [
        "rules.yaml: (document): the rule catalogue is missing"
    ]


# --------------------------------------------------------------------------- dump and hash


@pytest.mark.parametrize("text", [GOOD_YAML, as_yaml(template())])
def test_round_trip_is_exact(text):
    instrument = parse_instrument(text, filename=FILE)

    dumped = dump_instrument(instrument)

    assert parse_instrument(dumped, filename=FILE) == instrument
    assert dump_instrument(parse_instrument(dumped, filename=FILE)) == dumped


def test_dump_is_readable_and_stable():
    dumped = dump_instrument(parse_instrument(GOOD_YAML, filename=FILE))

    assert "Мы знаем своих клиентов." in dumped  # Cyrillic stays readable
    assert dumped.index("key: demo") < dumped.index("version:") < dumped.index("sections:")
    assert "allow_na: false" not in dumped  # defaults are left out
    assert "'yes':" in dumped  # quoted so that YAML 1.1 does not read a boolean


def test_multi_line_text_round_trips():
    document = good()
    item(document, 0)["guidance"]["ru"] = "Первая строка.\nВторая строка.\n"

    instrument = parse_instrument(as_yaml(document), filename=FILE)

    assert parse_instrument(dump_instrument(instrument), filename=FILE) == instrument


def test_content_hash_ignores_formatting():
    reformatted = good()
    reformatted["thresholds"] = [25.0, 45, 65, 85]
    item(reformatted, 0)["weight"] = 1.0
    item(reformatted, 0)["allow_na"] = False
    item(reformatted, 0)["rules"] = [{"rule": "know-customers-missing"}]
    block_style = yaml.safe_dump(reformatted, allow_unicode=False, default_flow_style=False)
    original = parse_instrument(GOOD_YAML, filename=FILE)

    assert content_hash(parse_instrument(block_style, filename=FILE)) == content_hash(original)
    assert content_hash(parse_instrument(dump_instrument(original), filename=FILE)) == (
        content_hash(original)
    )
    assert len(content_hash(original)) == 64


def test_content_hash_changes_with_a_weight():
    changed = good()
    item(changed, 0)["weight"] = 2
    original = parse_instrument(GOOD_YAML, filename=FILE)

    assert content_hash(parse_instrument(as_yaml(changed), filename=FILE)) != content_hash(original)


def test_content_hash_changes_with_wording():
    changed = good()
    item(changed, 0)["text"]["en"] = "We know who our customers are."

    assert content_hash(parse_instrument(as_yaml(changed), filename=FILE)) != content_hash(
        parse_instrument(GOOD_YAML, filename=FILE)
    )


# --------------------------------------------------------------------------- purity


def test_schema_module_does_not_import_django():
    tree = ast.parse(Path(library_schema.__file__).read_text(encoding="utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]

    assert not [name for name in imported if name.split(".")[0] == "django"]
