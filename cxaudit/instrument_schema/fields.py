"""Field types of the instrument schema: scales, kinds and the checks of single values.

Each check raises a ``PydanticCustomError`` whose message the library error lists as is.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal, TypeGuard

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

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

_KEY_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
THRESHOLDS_MESSAGE = "thresholds must be four strictly rising numbers between 0 and 100"


def is_number(value: object) -> TypeGuard[int | float]:
    """A finite int or float; bools are refused (YAML reads ``yes`` as true)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


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
    if not is_number(value):
        raise PydanticCustomError("number", "must be a number")
    return value


def _check_positive(value: object) -> object:
    if not is_number(value):
        raise PydanticCustomError("number", "must be a number")
    if value <= 0:
        raise PydanticCustomError("positive", "must be a positive number")
    return value


def _check_whole(value: object) -> object:
    if not isinstance(value, int) or isinstance(value, bool):
        raise PydanticCustomError("whole", "must be a whole number")
    return value


def _check_percentage(value: object) -> object:
    if not is_number(value):
        raise PydanticCustomError("number", "must be a number")
    if not 0 < value <= 100:
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


def option_key(key: object) -> str:
    """YAML 1.1 reads ``yes:``/``no:`` as booleans and ``1:`` as an integer."""
    if key is True:
        return "yes"
    if key is False:
        return "no"
    return str(key)
