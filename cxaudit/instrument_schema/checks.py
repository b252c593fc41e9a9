"""Checks that span fields, run by the models' validators.

A check reads values pydantic has already validated: a field validator sees the fields
declared before its own in ``info.data``, so an item's checks read its ``scale``. A check
runs when the values it reads are valid; then it reports every problem it finds, each at
its own place. What needs the whole document (rule ids of the catalogue, keys seen so far)
comes from the validation context, a ``ParseContext``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import AfterValidator, ValidationError, ValidationInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from .fields import AT_MOST_REQUIRED, OPTION_KEYS, RAW_RANGES, SCORED_SCALES

if TYPE_CHECKING:
    from .models import LocalizedText, RuleRef, Section

#: Problems found under one field: (location below the field, message).
Found = list[tuple[tuple[int | str, ...], str]]


@dataclass
class ParseContext:
    """The validation context of one document.

    With ``rule_ids`` (the catalogue's), every rule reference must name one of them.
    ``seen`` collects keys in document order as they validate, so a repeated key is reported
    where it repeats, even when other parts of the document are invalid.
    """

    rule_ids: set[str] | None = None
    seen: dict[str, set[str]] = field(default_factory=dict)

    def repeated(self, kind: str, key: str) -> bool:
        """Whether ``key`` was already seen among the keys of ``kind``; records it if not."""
        keys = self.seen.setdefault(kind, set())
        if key in keys:
            return True
        keys.add(key)
        return False


def parse_context(info: ValidationInfo) -> ParseContext | None:
    return info.context if isinstance(info.context, ParseContext) else None


def problem(message: str) -> PydanticCustomError:
    """One problem at the place of the value being validated."""
    return PydanticCustomError("instrument", "{message}", {"message": message})


def raise_found(found: Found, value: object) -> None:
    """Raise the problems found under one field at once, each at its own location.

    One ``PydanticCustomError`` can only name the field itself. pydantic-core places the
    errors of a ``ValidationError`` raised in a validator under the location of the value
    being validated (pydantic-core pull request 510 added this), so
    ``((0, "at_most"), ...)`` found in an item's ``rules`` reads
    ``sections[0].items[1].rules[0].at_most``. The unit tests of the schema pin this.
    """
    if found:
        errors = [
            InitErrorDetails(type=problem(message), loc=loc, input=value) for loc, message in found
        ]
        raise ValidationError.from_exception_data("instrument", errors)


def unique(kind: str, message: str) -> AfterValidator:
    """A key that must be the first of its ``kind`` in the document; ``message`` names the
    repeated key as ``{key}``. Without a ``ParseContext`` nothing is compared."""

    def check(key: str, info: ValidationInfo) -> str:
        context = parse_context(info)
        if context is not None and context.repeated(kind, key):
            raise problem(message.format(key=key))
        return key

    return AfterValidator(check)


def _unknown_rule(index: int, ref: RuleRef, info: ValidationInfo) -> Found:
    context = parse_context(info)
    if context is None or context.rule_ids is None or ref.rule in context.rule_ids:
        return []
    return [((index,), f"unknown rule '{ref.rule}'")]


def item_rule_problems(scale: str | None, refs: Sequence[RuleRef], info: ValidationInfo) -> Found:
    """An item's rule references against its scale (None: the scale itself is invalid)."""
    if scale is None:
        return [
            problem for index, ref in enumerate(refs) for problem in _unknown_rule(index, ref, info)
        ]
    scored = scale in SCORED_SCALES
    if scored and not refs:
        return [((), "scored item needs at least one rule")]
    if scale == "number" and refs:
        return [((), "number items take no rules")]
    found: Found = []
    for index, ref in enumerate(refs):
        if ref.below is not None:
            found.append(((index, "below"), "item rule references use at_most, not below"))
        if scale in AT_MOST_REQUIRED and ref.at_most is None:
            found.append(((index,), f"{scale} rule references need at_most"))
        if scale == "text" and ref.at_most is not None:
            message = "text rule references take no at_most; they fire on a blank answer"
            found.append(((index, "at_most"), message))
        if scored and ref.at_most is not None:
            low, high = RAW_RANGES[scale]
            if not low <= ref.at_most <= high - 1:
                allowed = f"{low}" if low == high - 1 else f"between {low} and {high - 1}"
                message = f"at_most must be {allowed} on the {scale} scale"
                found.append(((index, "at_most"), message))
        found += _unknown_rule(index, ref, info)
    return found


def section_rule_problems(refs: Sequence[RuleRef], info: ValidationInfo) -> Found:
    found: Found = []
    for index, ref in enumerate(refs):
        if ref.below is None:
            message = "section rule references need below, e.g. {rule: x, below: 40}"
            found.append(((index,), message))
        if ref.at_most is not None:
            found.append(((index, "at_most"), "section rule references use below, not at_most"))
        found += _unknown_rule(index, ref, info)
    return found


def option_problems(scale: str, options: Mapping[str, LocalizedText]) -> Found:
    allowed = OPTION_KEYS[scale]
    hint = f"use {', '.join(allowed)}" if allowed else "this scale takes no options"
    return [
        ((key,), f"option '{key}' does not exist on the {scale} scale; {hint}")
        for key in options
        if key not in allowed
    ]


def include_problems(kind: str, key: str | None, includes: Sequence[str]) -> Found:
    if kind != "template":
        return [((), "only templates have includes")] if includes else []
    if not includes:
        return [((), "a template needs at least one included instrument")]
    found: Found = []
    for index, included in enumerate(includes):
        if included == key:
            found.append(((index,), "a template cannot include itself"))
        if included in includes[:index]:
            found.append(((index,), f"duplicate include '{included}'"))
    return found


def section_problems(kind: str, sections: Sequence[Section]) -> Found:
    """What the kind of instrument asks of its sections and their items."""
    if kind == "template":
        message = "a template has no sections; list instrument keys under includes"
        return [((), message)] if sections else []
    if not sections:
        return [((), "needs at least one section")]
    found: Found = []
    for s_index, section in enumerate(sections):
        if not section.items and kind in ("checklist", "questionnaire", "canvas"):
            found.append(((s_index, "items"), "a section needs at least one item"))
        if kind in ("canvas", "journey-map"):
            found += [
                (
                    (s_index, "items", i_index, "scale"),
                    f"{kind} instruments cannot contain scored items",
                )
                for i_index, item in enumerate(section.items)
                if item.is_scored
            ]
    items = [item for section in sections for item in section.items]
    if kind in ("checklist", "questionnaire") and items and not any(i.is_scored for i in items):
        found.append(((), f"a {kind} needs at least one scored item"))
    return found
