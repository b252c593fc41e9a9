"""Schema, loader and dumper for the instrument library (``assessments/library/*.yaml``).

A pure module: pydantic models, PyYAML with a safe loader, no Django. The Django
``load_instruments`` command, the scoring engine and the recommendation engine all read
instruments through it (METHODOLOGY §7, §9; STYLE convention 11).

Validation happens in two passes over the same document, and both always run, so one
``LibraryError`` lists every problem in a file:

1. pydantic checks each field (types, required fields, allowed values, texts in ru and en);
2. ``_instrument_checks`` checks what spans fields (unique keys, rule references against
   the scale, guidance and rules on scored items, templates), on the raw data.

Problem paths use field names and zero-based list indexes: ``sections[1].items[2].scale``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

__all__ = [
    "DEFAULT_THRESHOLDS",
    "KINDS",
    "RAW_RANGES",
    "RULES_FILENAME",
    "SCALES",
    "SCORED_SCALES",
    "GapThresholds",
    "Instrument",
    "Item",
    "Library",
    "LibraryError",
    "LocalizedText",
    "Problem",
    "Rule",
    "RuleCatalogue",
    "RuleRef",
    "Section",
    "content_hash",
    "dump_instrument",
    "dump_rules",
    "load_library",
    "parse_instrument",
    "parse_rules",
]

Scale = Literal["yes-no", "plus", "yes-partial-no", "likert-5", "0-10", "number", "text"]
Kind = Literal["checklist", "questionnaire", "canvas", "journey-map", "template"]

SCALES: tuple[str, ...] = ("yes-no", "plus", "yes-partial-no", "likert-5", "0-10", "number", "text")
SCORED_SCALES: frozenset[str] = frozenset({"yes-no", "plus", "yes-partial-no", "likert-5", "0-10"})
KINDS: tuple[str, ...] = ("checklist", "questionnaire", "canvas", "journey-map", "template")
UNSCORED_KINDS: frozenset[str] = frozenset({"canvas", "journey-map", "template"})

#: Lowest and highest raw answer of each scored scale (METHODOLOGY §1.1).
RAW_RANGES: dict[str, tuple[int, int]] = {
    "yes-no": (0, 1),
    "plus": (0, 1),
    "yes-partial-no": (0, 2),
    "likert-5": (1, 5),
    "0-10": (0, 10),
}

#: Option keys each scale accepts (labels for its answers).
OPTION_KEYS: dict[str, tuple[str, ...]] = {
    "yes-no": ("yes", "no"),
    "plus": ("yes", "no"),
    "yes-partial-no": ("yes", "partial", "no"),
    "likert-5": tuple(str(n) for n in range(1, 6)),
    "0-10": tuple(str(n) for n in range(11)),
    "number": (),
    "text": (),
}

#: Scales whose rule references must give ``at_most`` (no sensible default threshold).
AT_MOST_REQUIRED: frozenset[str] = frozenset({"likert-5", "0-10"})

DEFAULT_THRESHOLDS: tuple[int, int, int, int] = (20, 40, 60, 80)
RULES_FILENAME = "rules.yaml"
DOCUMENT = "(document)"

_KEY_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_THRESHOLDS_MESSAGE = "thresholds must be four strictly rising numbers between 0 and 100"


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: ``file: path: message``."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class LibraryError(Exception):
    """Every problem found in one or more library files; ``str()`` lists one per line."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


# --------------------------------------------------------------------------- field types


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)  # type: ignore[arg-type]
    )


_BOOL_HINT = "must be a string; in YAML put quotes around words like yes, no, on and off"


def _check_key(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("key_type", _BOOL_HINT)
    if not isinstance(value, str):
        raise PydanticCustomError("key_type", "must be a string")
    if not _KEY_RE.fullmatch(value):
        raise PydanticCustomError(
            "key_format",
            "'{value}' must be lowercase-kebab: a-z, 0-9 and single hyphens",
            {"value": value},
        )
    return value


def _check_text(value: object) -> object:
    if isinstance(value, bool):
        raise PydanticCustomError("text_type", _BOOL_HINT)
    if not isinstance(value, str):
        raise PydanticCustomError("text_type", "must be a string")
    if not value.strip():
        raise PydanticCustomError("text_empty", "must not be empty")
    return value


def _check_number(value: object) -> object:
    if not _is_number(value):
        raise PydanticCustomError("number", "must be a number")
    return value


def _check_positive(value: object) -> object:
    if not _is_number(value):
        raise PydanticCustomError("number", "must be a number")
    if value <= 0:  # type: ignore[operator]
        raise PydanticCustomError("positive", "must be a positive number")
    return value


def _check_whole(value: object) -> object:
    if not isinstance(value, int) or isinstance(value, bool):
        raise PydanticCustomError("whole", "must be a whole number")
    return value


def _check_percentage(value: object) -> object:
    if not _is_number(value):
        raise PydanticCustomError("number", "must be a number")
    if not 0 < value <= 100:  # type: ignore[operator]
        raise PydanticCustomError("percentage", "must be above 0 and at most 100")
    return value


def _check_version(value: object) -> object:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PydanticCustomError("version", "must be a whole number of at least 1")
    return value


def _check_bool(value: object) -> object:
    if not isinstance(value, bool):
        raise PydanticCustomError("bool", "must be true or false")
    return value


def _check_severity(value: object) -> object:
    if not isinstance(value, int) or isinstance(value, bool) or value not in (1, 2, 3):
        raise PydanticCustomError("severity", "must be 1 (advisory), 2 (important) or 3 (critical)")
    return value


Key = Annotated[str, BeforeValidator(_check_key)]
Text = Annotated[str, BeforeValidator(_check_text)]
Number = Annotated[int | float, BeforeValidator(_check_number)]
Weight = Annotated[int | float, BeforeValidator(_check_positive)]
Percentage = Annotated[int | float, BeforeValidator(_check_percentage)]
WholeNumber = Annotated[int, BeforeValidator(_check_whole)]
Version = Annotated[int, BeforeValidator(_check_version)]
Flag = Annotated[bool, BeforeValidator(_check_bool)]
Severity = Annotated[int, BeforeValidator(_check_severity)]


def _option_key(key: object) -> str:
    """YAML 1.1 reads ``yes:``/``no:`` as booleans and ``1:`` as an integer."""
    if key is True:
        return "yes"
    if key is False:
        return "no"
    return str(key)


# --------------------------------------------------------------------------- models


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalizedText(_Model):
    """A text in both interface languages; Russian is the default."""

    ru: Text
    en: Text

    def get(self, language: str) -> str:
        """The text in ``language`` (``ru`` or ``en``; anything else falls back to ru)."""
        return self.en if language.startswith("en") else self.ru


class RuleRef(_Model):
    """A trigger of a recommendation rule.

    On an item: plain (``rule`` only) fires when the raw answer is at most top − 1, or when
    a text answer is blank; with ``at_most`` it fires when raw ≤ ``at_most``.
    On a section: fires when the domain score, rounded to 1 decimal, is < ``below``.
    """

    rule: Key
    at_most: WholeNumber | None = None
    below: Percentage | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"rule": data}
        if isinstance(data, Mapping | RuleRef):
            return data
        raise PydanticCustomError(
            "rule_ref", "must be a rule id or a mapping such as {rule: some-rule, at_most: 2}"
        )

    @property
    def is_plain(self) -> bool:
        return self.at_most is None and self.below is None


class Item(_Model):
    """A question. Keys are unique within the instrument and referenced as ``section.item``."""

    key: Key
    text: LocalizedText
    guidance: LocalizedText | None = None
    scale: Scale
    weight: Weight = 1
    allow_na: Flag = False
    rules: list[RuleRef] = Field(default_factory=list)
    options: dict[str, LocalizedText] | None = None

    @field_validator("options", mode="before")
    @classmethod
    def _normalise_option_keys(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {_option_key(key): label for key, label in value.items()}
        return value

    @property
    def is_scored(self) -> bool:
        return self.scale in SCORED_SCALES

    @property
    def raw_range(self) -> tuple[int, int] | None:
        """(lowest, highest) raw answer of a scored item, else None."""
        return RAW_RANGES.get(self.scale)

    def rule_at_most(self, ref: RuleRef) -> int | None:
        """The raw value at or below which ``ref`` fires; None for text (fires when blank)."""
        if ref.at_most is not None:
            return ref.at_most
        raw_range = self.raw_range
        return None if raw_range is None else raw_range[1] - 1


class Section(_Model):
    """A domain of the maturity model, or a stage of a journey map."""

    key: Key
    title: LocalizedText
    description: LocalizedText | None = None
    weight: Weight = 1
    rules: list[RuleRef] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)

    @property
    def is_scored(self) -> bool:
        return any(item.is_scored for item in self.items)


class GapThresholds(_Model):
    """Self-assessment gap flags in points (METHODOLOGY §8)."""

    item: Percentage = 40
    domain: Percentage = 20


class Instrument(_Model):
    """One versioned instrument file."""

    key: Key
    version: Version
    kind: Kind
    title: LocalizedText
    description: LocalizedText
    source: Text
    thresholds: list[Number] = Field(default_factory=lambda: list(DEFAULT_THRESHOLDS))
    gap_thresholds: GapThresholds = Field(default_factory=GapThresholds)
    includes: list[Key] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    @field_validator("thresholds", mode="before")
    @classmethod
    def _check_thresholds(cls, value: Any) -> Any:
        numbers = value if isinstance(value, list | tuple) else None
        if (
            numbers is None
            or len(numbers) != 4
            or not all(_is_number(n) and 0 < n < 100 for n in numbers)
            or not all(a < b for a, b in itertools.pairwise(numbers))
        ):
            raise PydanticCustomError("thresholds", _THRESHOLDS_MESSAGE)
        return list(numbers)

    @model_validator(mode="after")
    def _check_consistency(self, info: ValidationInfo) -> Instrument:
        # parse_instrument runs these checks itself on the raw document (to report them
        # together with field errors); direct construction in code gets them here.
        if isinstance(info.context, Mapping) and info.context.get("checked"):
            return self
        found = _instrument_checks(self.model_dump(), rule_ids=None)
        if found:
            raise PydanticCustomError(
                "instrument",
                "{problems}",
                {"problems": "; ".join(f"{path}: {message}" for path, message in found)},
            )
        return self

    @property
    def is_scored(self) -> bool:
        return self.kind not in UNSCORED_KINDS

    def items(self) -> Iterator[tuple[Section, Item]]:
        """Every (section, item) pair in document order."""
        for section in self.sections:
            for item in section.items:
                yield section, item

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def item(self, key: str) -> Item:
        """An item by ``item-key`` or ``section-key.item-key``."""
        section_key, _, item_key = key.rpartition(".")
        for section, item in self.items():
            if item.key == item_key and section_key in ("", section.key):
                return item
        raise KeyError(key)

    def rule_ids(self) -> set[str]:
        """Every rule id this instrument references."""
        ids = {ref.rule for section in self.sections for ref in section.rules}
        ids.update(ref.rule for _, item in self.items() for ref in item.rules)
        return ids


class Rule(_Model):
    """A recommendation rule (METHODOLOGY §9). Its trigger lives on items, sections or in code."""

    id: Key
    severity: Severity
    source: Text
    text: LocalizedText


class RuleCatalogue(_Model):
    rules: list[Rule]

    @property
    def ids(self) -> set[str]:
        return {rule.id for rule in self.rules}

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass(frozen=True)
class Library:
    """Every instrument of a directory, by key, with the rule catalogue."""

    instruments: Mapping[str, Instrument]
    rules: RuleCatalogue
    filenames: Mapping[str, str]

    def instrument(self, key: str) -> Instrument:
        return self.instruments[key]

    def expand(self, key: str) -> list[Instrument]:
        """A template's included instruments in order; any other instrument by itself."""
        instrument = self.instruments[key]
        if instrument.kind == "template":
            return [self.instruments[included] for included in instrument.includes]
        return [instrument]


# --------------------------------------------------------------------------- checks across fields


def _as_ref(value: object) -> Mapping[str, Any] | None:
    if isinstance(value, str):
        return {"rule": value}
    if isinstance(value, Mapping):
        return value
    return None


def _unknown_rule(
    ref: Mapping[str, Any], path: str, rule_ids: set[str] | None
) -> list[tuple[str, str]]:
    rule = ref.get("rule")
    if rule_ids is not None and isinstance(rule, str) and rule not in rule_ids:
        return [(path, f"unknown rule '{rule}'")]
    return []


def _section_rule_checks(
    rules: object, path: str, rule_ids: set[str] | None
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if not isinstance(rules, list):
        return found
    for index, value in enumerate(rules):
        ref = _as_ref(value)
        if ref is None:
            continue
        ref_path = f"{path}.rules[{index}]"
        if ref.get("below") is None:
            found.append(
                (ref_path, "section rule references need below, e.g. {rule: x, below: 40}")
            )
        if ref.get("at_most") is not None:
            found.append((f"{ref_path}.at_most", "section rule references use below, not at_most"))
        found += _unknown_rule(ref, ref_path, rule_ids)
    return found


def _item_checks(
    item: Mapping[str, Any], path: str, rule_ids: set[str] | None
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    scale = item.get("scale")
    rules = item.get("rules")
    if scale not in SCALES:
        # pydantic reports the scale; still catch unknown rule ids.
        for index, value in enumerate(rules if isinstance(rules, list) else []):
            ref = _as_ref(value)
            if ref is not None:
                found += _unknown_rule(ref, f"{path}.rules[{index}]", rule_ids)
        return found

    scored = scale in SCORED_SCALES
    if scale == "plus" and item.get("allow_na") is True:
        found.append((f"{path}.allow_na", "plus items cannot allow N/A"))
    if scored and item.get("guidance") is None:
        found.append((f"{path}.guidance", "scored item needs guidance"))
    if scored and rules in (None, []):
        found.append((f"{path}.rules", "scored item needs at least one rule"))
    if scale == "number" and rules not in (None, []):
        found.append((f"{path}.rules", "number items take no rules"))
    elif isinstance(rules, list):
        for index, value in enumerate(rules):
            ref = _as_ref(value)
            if ref is None:
                continue
            ref_path = f"{path}.rules[{index}]"
            at_most = ref.get("at_most")
            if ref.get("below") is not None:
                found.append((f"{ref_path}.below", "item rule references use at_most, not below"))
            if scale in AT_MOST_REQUIRED and at_most is None:
                found.append((ref_path, f"{scale} rule references need at_most"))
            if scale == "text" and at_most is not None:
                found.append(
                    (
                        f"{ref_path}.at_most",
                        "text rule references take no at_most; they fire on a blank answer",
                    )
                )
            if scored and isinstance(at_most, int) and not isinstance(at_most, bool):
                low, high = RAW_RANGES[scale]
                if not low <= at_most <= high - 1:
                    allowed = f"{low}" if low == high - 1 else f"between {low} and {high - 1}"
                    found.append(
                        (f"{ref_path}.at_most", f"at_most must be {allowed} on the {scale} scale")
                    )
            found += _unknown_rule(ref, ref_path, rule_ids)

    options = item.get("options")
    if isinstance(options, Mapping):
        allowed = OPTION_KEYS[scale]
        for raw_key in options:
            key = _option_key(raw_key)
            if key not in allowed:
                hint = f"use {', '.join(allowed)}" if allowed else "this scale takes no options"
                found.append(
                    (
                        f"{path}.options.{key}",
                        f"option '{key}' does not exist on the {scale} scale; {hint}",
                    )
                )
    return found


def _instrument_checks(data: Mapping[str, Any], rule_ids: set[str] | None) -> list[tuple[str, str]]:
    """Checks spanning several fields, tolerant of malformed parts (pydantic reports those)."""
    found: list[tuple[str, str]] = []
    kind = data.get("kind") if data.get("kind") in KINDS else None
    sections = data.get("sections")
    includes = data.get("includes")

    if kind == "template":
        if sections not in (None, []):
            found.append(
                ("sections", "a template has no sections; list instrument keys under includes")
            )
        if includes in (None, []):
            found.append(("includes", "a template needs at least one included instrument"))
        elif isinstance(includes, list):
            seen_includes: set[str] = set()
            for index, key in enumerate(includes):
                if not isinstance(key, str):
                    continue
                if key == data.get("key"):
                    found.append((f"includes[{index}]", "a template cannot include itself"))
                if key in seen_includes:
                    found.append((f"includes[{index}]", f"duplicate include '{key}'"))
                seen_includes.add(key)
    elif kind is not None:
        if includes not in (None, []):
            found.append(("includes", "only templates have includes"))
        if sections in (None, []):
            found.append(("sections", "needs at least one section"))

    if not isinstance(sections, list):
        return found

    section_keys: set[str] = set()
    item_keys: set[str] = set()
    scales: list[str | None] = []
    for s_index, section in enumerate(sections):
        if not isinstance(section, Mapping):
            continue
        s_path = f"sections[{s_index}]"
        key = section.get("key")
        if isinstance(key, str):
            if key in section_keys:
                found.append((f"{s_path}.key", f"duplicate section key '{key}'"))
            section_keys.add(key)
        found += _section_rule_checks(section.get("rules"), s_path, rule_ids)

        items = section.get("items")
        if items in (None, []) and kind in ("checklist", "questionnaire", "canvas"):
            found.append((f"{s_path}.items", "a section needs at least one item"))
        if not isinstance(items, list):
            continue
        for i_index, item in enumerate(items):
            if not isinstance(item, Mapping):
                continue
            i_path = f"{s_path}.items[{i_index}]"
            key = item.get("key")
            if isinstance(key, str):
                if key in item_keys:
                    found.append((f"{i_path}.key", f"duplicate item key '{key}'"))
                item_keys.add(key)
            scale = item.get("scale")
            scales.append(scale if scale in SCALES else None)
            found += _item_checks(item, i_path, rule_ids)
            if kind in ("canvas", "journey-map") and scale in SCORED_SCALES:
                found.append((f"{i_path}.scale", f"{kind} instruments cannot contain scored items"))

    if (
        kind in ("checklist", "questionnaire")
        and scales
        and None not in scales
        and not any(scale in SCORED_SCALES for scale in scales)
    ):
        found.append(("sections", f"a {kind} needs at least one scored item"))
    return found


def _catalogue_checks(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    rules = data.get("rules")
    if not isinstance(rules, list):
        return found
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if isinstance(rule, Mapping) and isinstance(rule.get("id"), str):
            if rule["id"] in seen:
                found.append((f"rules[{index}].id", f"duplicate rule id '{rule['id']}'"))
            seen.add(rule["id"])
    return found


# --------------------------------------------------------------------------- YAML and errors


class _DuplicateKeyError(yaml.constructor.ConstructorError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys instead of keeping the last one."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:
            continue  # unhashable key: construct_mapping reports it
        if duplicate:
            raise _DuplicateKeyError(None, None, f"duplicate key '{key}'", key_node.start_mark)
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load_yaml(text: str, filename: str) -> Any:
    try:
        loader = _Loader(text)  # the reader refuses control characters already here
    except yaml.YAMLError as exc:
        raise LibraryError([Problem(filename, DOCUMENT, f"YAML syntax error: {exc}")]) from exc
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = exc.problem or exc.context or "invalid YAML"
        prefix = "YAML error" if isinstance(exc, _DuplicateKeyError) else "YAML syntax error"
        raise LibraryError([Problem(filename, DOCUMENT, f"{prefix}{where}: {detail}")]) from exc
    except yaml.YAMLError as exc:
        raise LibraryError([Problem(filename, DOCUMENT, f"YAML syntax error: {exc}")]) from exc
    finally:
        loader.dispose()


def _format_loc(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or DOCUMENT


_LOCALIZED_FIELDS = frozenset({"title", "description", "text", "guidance"})
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
}


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    loc = error["loc"]
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        return "must be one of " + expected.replace("'", "").replace(" or ", ", ")
    if kind in ("model_type", "dict_type") and loc and loc[-1] in _LOCALIZED_FIELDS:
        return "must be a mapping with ru and en texts, e.g. {ru: ..., en: ...}"
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return str(error["msg"]).removeprefix("Value error, ")


def _problems_from(error: ValidationError, filename: str) -> list[Problem]:
    return [
        Problem(filename, _format_loc(detail["loc"]), _message(detail)) for detail in error.errors()
    ]


def _sort_key(problem: Problem) -> list[tuple[int, int | str]]:
    if problem.path == DOCUMENT:
        return []
    return [
        (1, int(part)) if part.isdigit() else (0, part)
        for part in re.split(r"[.\[\]]+", problem.path)
        if part
    ]


def _error(problems: list[Problem]) -> LibraryError:
    """One LibraryError with duplicates dropped and problems in document order."""
    return LibraryError(sorted(dict.fromkeys(problems), key=_sort_key))


def _mapping_document(data: Any, filename: str, what: str) -> Mapping[str, Any]:
    if data is None:
        raise LibraryError([Problem(filename, DOCUMENT, "the file is empty")])
    if not isinstance(data, Mapping):
        raise LibraryError([Problem(filename, DOCUMENT, f"must be a mapping describing {what}")])
    return data


# --------------------------------------------------------------------------- public API


def parse_instrument(text: str, *, filename: str, rule_ids: set[str] | None = None) -> Instrument:
    """Parse and validate one instrument file; raise LibraryError listing every problem.

    With ``rule_ids``, every rule reference must name one of them.
    """
    data = _mapping_document(_load_yaml(text, filename), filename, "an instrument")
    problems = [
        Problem(filename, path, message) for path, message in _instrument_checks(data, rule_ids)
    ]
    instrument: Instrument | None = None
    try:
        instrument = Instrument.model_validate(data, context={"checked": True})
    except ValidationError as exc:
        problems += _problems_from(exc, filename)
    if problems or instrument is None:
        raise _error(problems)
    return instrument


def parse_rules(text: str, *, filename: str) -> RuleCatalogue:
    """Parse and validate the rule catalogue; raise LibraryError listing every problem."""
    data = _mapping_document(_load_yaml(text, filename), filename, "the rule catalogue")
    problems = [Problem(filename, path, message) for path, message in _catalogue_checks(data)]
    catalogue: RuleCatalogue | None = None
    try:
        catalogue = RuleCatalogue.model_validate(data)
    except ValidationError as exc:
        problems += _problems_from(exc, filename)
    if problems or catalogue is None:
        raise _error(problems)
    return catalogue


def _read(path: Path, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(path.name, DOCUMENT, "the file is not valid UTF-8"))
    except OSError as exc:
        problems.append(Problem(path.name, DOCUMENT, f"cannot read the file: {exc.strerror}"))
    return None


def _declared_key(text: str) -> str | None:
    """The ``key`` of a file that failed validation, if it can be read at all."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    key = data.get("key") if isinstance(data, Mapping) else None
    return key if isinstance(key, str) else None


def load_library(directory: Path) -> Library:
    """Load ``rules.yaml`` and every other ``*.yaml`` in ``directory`` and cross-check them.

    Raises one LibraryError listing the problems of all files: invalid files, unknown rule
    ids, duplicate instrument keys, templates including unknown instruments.
    """
    directory = Path(directory)
    problems: list[Problem] = []

    catalogue: RuleCatalogue | None = None
    rules_path = directory / RULES_FILENAME
    if not rules_path.is_file():
        problems.append(Problem(RULES_FILENAME, DOCUMENT, "the rule catalogue is missing"))
    else:
        rules_text = _read(rules_path, problems)
        if rules_text is not None:
            try:
                catalogue = parse_rules(rules_text, filename=RULES_FILENAME)
            except LibraryError as exc:
                problems += exc.problems
    rule_ids = catalogue.ids if catalogue is not None else None

    instruments: dict[str, Instrument] = {}
    filenames: dict[str, str] = {}
    broken_keys: set[str] = set()
    for path in sorted(directory.glob("*.yaml")):
        if path.name == RULES_FILENAME:
            continue
        text = _read(path, problems)
        if text is None:
            continue
        try:
            instrument = parse_instrument(text, filename=path.name, rule_ids=rule_ids)
        except LibraryError as exc:
            problems += exc.problems
            key = _declared_key(text)
            if key is not None:
                broken_keys.add(key)
            continue
        if instrument.key in instruments:
            other = filenames[instrument.key]
            message = f"duplicate instrument key '{instrument.key}' (also in {other})"
            problems.append(Problem(path.name, "key", message))
            continue
        instruments[instrument.key] = instrument
        filenames[instrument.key] = path.name

    for key, instrument in instruments.items():
        for index, included in enumerate(instrument.includes):
            if included in broken_keys:
                continue  # its own problems are already listed
            if included not in instruments:
                problems.append(
                    Problem(
                        filenames[key], f"includes[{index}]", f"unknown instrument '{included}'"
                    )
                )
            elif instruments[included].kind == "template":
                problems.append(
                    Problem(
                        filenames[key],
                        f"includes[{index}]",
                        f"'{included}' is a template; a template cannot include another template",
                    )
                )

    if problems or catalogue is None:
        raise LibraryError(problems)  # file by file, each file's problems in document order
    return Library(instruments=instruments, rules=catalogue, filenames=filenames)


# --------------------------------------------------------------------------- dumping and hashing


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents list items under their key and keeps multi-line text literal."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _localized(text: LocalizedText) -> dict[str, str]:
    return {"ru": text.ru, "en": text.en}


def _ref_document(ref: RuleRef) -> str | dict[str, Any]:
    if ref.is_plain:
        return ref.rule
    document: dict[str, Any] = {"rule": ref.rule}
    if ref.at_most is not None:
        document["at_most"] = ref.at_most
    if ref.below is not None:
        document["below"] = ref.below
    return document


def _item_document(item: Item) -> dict[str, Any]:
    document: dict[str, Any] = {"key": item.key, "text": _localized(item.text)}
    if item.guidance is not None:
        document["guidance"] = _localized(item.guidance)
    document["scale"] = item.scale
    if item.weight != 1:
        document["weight"] = item.weight
    if item.allow_na:
        document["allow_na"] = True
    if item.rules:
        document["rules"] = [_ref_document(ref) for ref in item.rules]
    if item.options is not None:
        document["options"] = {key: _localized(label) for key, label in item.options.items()}
    return document


def _section_document(section: Section) -> dict[str, Any]:
    document: dict[str, Any] = {"key": section.key, "title": _localized(section.title)}
    if section.description is not None:
        document["description"] = _localized(section.description)
    if section.weight != 1:
        document["weight"] = section.weight
    if section.rules:
        document["rules"] = [_ref_document(ref) for ref in section.rules]
    document["items"] = [_item_document(item) for item in section.items]
    return document


def _instrument_document(instrument: Instrument) -> dict[str, Any]:
    document: dict[str, Any] = {
        "key": instrument.key,
        "version": instrument.version,
        "kind": instrument.kind,
        "title": _localized(instrument.title),
        "description": _localized(instrument.description),
        "source": instrument.source,
    }
    if tuple(instrument.thresholds) != DEFAULT_THRESHOLDS:
        document["thresholds"] = list(instrument.thresholds)
    if instrument.gap_thresholds != GapThresholds():
        document["gap_thresholds"] = {
            "item": instrument.gap_thresholds.item,
            "domain": instrument.gap_thresholds.domain,
        }
    if instrument.kind == "template" or instrument.includes:
        document["includes"] = list(instrument.includes)
    if instrument.kind != "template" or instrument.sections:
        document["sections"] = [_section_document(section) for section in instrument.sections]
    return document


def _dump(document: Any) -> str:
    return yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )


def dump_instrument(instrument: Instrument) -> str:
    """YAML for ``instrument``, in a fixed field order, defaults left out, Cyrillic kept."""
    return _dump(_instrument_document(instrument))


def dump_rules(catalogue: RuleCatalogue) -> str:
    """YAML for the rule catalogue (same conventions as ``dump_instrument``)."""
    rules = [
        {"id": r.id, "severity": r.severity, "source": r.source, "text": _localized(r.text)}
        for r in catalogue.rules
    ]
    return _dump({"rules": rules})


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def content_hash(instrument: Instrument) -> str:
    """SHA-256 of a canonical JSON form: equal meaning gives an equal hash.

    Defaults are filled in and numbers normalised (``1`` and ``1.0`` agree), so YAML
    formatting, quoting, comments, field order and omitted defaults do not matter.
    """
    canonical = json.dumps(
        _canonical(instrument.model_dump(mode="json")),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
