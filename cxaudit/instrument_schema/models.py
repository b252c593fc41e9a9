"""The pydantic models of instruments and of the rule catalogue.

pydantic checks each field; the validators below add the checks that span fields (see
``checks``), so one ``ValidationError`` carries every problem of a document.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import checks
from .checks import ParseContext, raise_found
from .fields import (
    DEFAULT_THRESHOLDS,
    RAW_RANGES,
    SCORED_SCALES,
    THRESHOLDS_MESSAGE,
    UNSCORED_KINDS,
    Flag,
    Key,
    Kind,
    Number,
    Percentage,
    Scale,
    Severity,
    Text,
    Version,
    Weight,
    WholeNumber,
    is_number,
    option_key,
)


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
    """A question. Keys are unique within the instrument and referenced as ``section.item``.

    ``scale`` comes second: the checks of the later fields read it.
    """

    key: Annotated[Key, checks.unique("item", "duplicate item key '{key}'")]
    scale: Scale
    text: LocalizedText
    guidance: LocalizedText | None = Field(default=None, validate_default=True)
    weight: Weight = 1
    allow_na: Flag = False
    rules: list[RuleRef] = Field(default_factory=list, validate_default=True)
    options: dict[str, LocalizedText] | None = None

    @field_validator("guidance")
    @classmethod
    def _scored_item_has_guidance(
        cls, value: LocalizedText | None, info: ValidationInfo
    ) -> LocalizedText | None:
        if value is None and info.data.get("scale") in SCORED_SCALES:
            raise checks.problem("scored item needs guidance")
        return value

    @field_validator("allow_na")
    @classmethod
    def _plus_item_has_no_na(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("scale") == "plus":
            raise checks.problem("plus items cannot allow N/A")
        return value

    @field_validator("rules")
    @classmethod
    def _rules_fit_the_scale(cls, value: list[RuleRef], info: ValidationInfo) -> list[RuleRef]:
        raise_found(checks.item_rule_problems(info.data.get("scale"), value, info), value)
        return value

    @field_validator("options", mode="before")
    @classmethod
    def _normalise_option_keys(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return {option_key(key): label for key, label in value.items()}
        return value

    @field_validator("options")
    @classmethod
    def _options_fit_the_scale(
        cls, value: dict[str, LocalizedText] | None, info: ValidationInfo
    ) -> dict[str, LocalizedText] | None:
        scale = info.data.get("scale")
        if value is not None and scale is not None:
            raise_found(checks.option_problems(scale, value), value)
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

    key: Annotated[Key, checks.unique("section", "duplicate section key '{key}'")]
    title: LocalizedText
    description: LocalizedText | None = None
    weight: Weight = 1
    rules: list[RuleRef] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)

    @field_validator("rules")
    @classmethod
    def _rules_use_below(cls, value: list[RuleRef], info: ValidationInfo) -> list[RuleRef]:
        raise_found(checks.section_rule_problems(value, info), value)
        return value

    @property
    def is_scored(self) -> bool:
        return any(item.is_scored for item in self.items)


class GapThresholds(_Model):
    """Self-assessment gap flags in points (METHODOLOGY §8)."""

    item: Percentage = 40
    domain: Percentage = 20


def _default_thresholds() -> list[int | float]:
    return list(DEFAULT_THRESHOLDS)


class Instrument(_Model):
    """One versioned instrument file."""

    key: Key
    version: Version
    kind: Kind
    title: LocalizedText
    description: LocalizedText
    source: Text
    thresholds: list[Number] = Field(default_factory=_default_thresholds)
    gap_thresholds: GapThresholds = Field(default_factory=GapThresholds)
    includes: list[Key] = Field(default_factory=list, validate_default=True)
    sections: list[Section] = Field(default_factory=list, validate_default=True)

    @field_validator("thresholds", mode="before")
    @classmethod
    def _check_thresholds(cls, value: Any) -> Any:
        numbers = value if isinstance(value, list | tuple) else None
        if (
            numbers is None
            or len(numbers) != 4
            or not all(is_number(n) and 0 < n < 100 for n in numbers)
            or not all(a < b for a, b in itertools.pairwise(numbers))
        ):
            raise PydanticCustomError("thresholds", THRESHOLDS_MESSAGE)
        return list(numbers)

    @field_validator("includes")
    @classmethod
    def _includes_fit_the_kind(cls, value: list[str], info: ValidationInfo) -> list[str]:
        kind = info.data.get("kind")
        if kind is not None:
            raise_found(checks.include_problems(kind, info.data.get("key"), value), value)
        return value

    @field_validator("sections")
    @classmethod
    def _sections_fit_the_kind(cls, value: list[Section], info: ValidationInfo) -> list[Section]:
        kind = info.data.get("kind")
        if kind is not None:
            raise_found(checks.section_problems(kind, value), value)
        return value

    @model_validator(mode="after")
    def _check_as_a_whole(self, info: ValidationInfo) -> Instrument:
        """Built in code, without a context: validate the document again with one, so the
        checks that need the whole instrument (repeated keys) run too. With a context the
        caller answers for them: ``parse_instrument`` passes a ``ParseContext``; a stored
        document, checked when it was stored, may be read back with any other context."""
        if info.context is None:
            Instrument.model_validate(self.model_dump(), context=ParseContext())
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

    id: Annotated[Key, checks.unique("rule", "duplicate rule id '{key}'")]
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
