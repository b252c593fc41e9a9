"""The consultant's own survey questions: kinds, conditions, answer checks and CSV cells.

Pure: no Django. The survey app turns its rows into ``QuestionSpec`` and calls these
functions from the public form, the import and the export, so the three accept and write
exactly the same values. Messages are untranslated keys with parameters (like
``cxaudit.stats``); the caller translates them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

RATING_5 = "rating5"
RATING_11 = "rating11"
YES_NO = "yesno"
SINGLE = "single"
MULTIPLE = "multiple"
SHORT_TEXT = "short"
LONG_TEXT = "long"

KINDS = (RATING_5, RATING_11, YES_NO, SINGLE, MULTIPLE, SHORT_TEXT, LONG_TEXT)
RATINGS = (RATING_5, RATING_11)
NUMBERED = (RATING_5, RATING_11, YES_NO)  # stored as a number: one GROUP BY (question, number)
CHOICES = (SINGLE, MULTIPLE)  # stored as choice rows: one GROUP BY (question, choice)
TEXTS = (SHORT_TEXT, LONG_TEXT)
# A breakdown needs groups that do not overlap: complementary suppression (A3) reasons on
# "total minus the visible groups", which only holds when each respondent is in one group.
GROUPING = (SINGLE, YES_NO)
# Answers that describe the respondent (branch, role, "in management?") rather than rate
# something: a second attribute next to the channel or team. An anonymous survey's export
# carries one grouping column only (A4), so it leaves these out.
ATTRIBUTES = (SINGLE, MULTIPLE, YES_NO)

SCALES = {RATING_5: range(1, 6), RATING_11: range(0, 11), YES_NO: range(0, 2)}
TOP_BOX = {RATING_5: frozenset({4, 5}), RATING_11: frozenset({9, 10}), YES_NO: frozenset({1})}
TEXT_MAX_LENGTH = {SHORT_TEXT: 200, LONG_TEXT: 1000}
KEY_MAX_LENGTH = 40
CHOICES_MAX = 30
YES, NO = 1, 0

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Column names of the built-in answers and of the export/import: an own key may not take one.
RESERVED_KEYS = frozenset(
    {
        "date",
        "channel",
        "team",
        "comment",
        "nps",
        "csat",
        "ces",
        "enps",
        "state_at_work",
        "process_ease",
        "exit_reason",
        "exit_where",
        "source",
        "id",
        "wave",
    }
)

Answer = int | str | tuple[str, ...] | None


@dataclass(frozen=True)
class Condition:
    """Show the question only when the answer to ``on`` (an earlier question's key, own or
    built-in) is one of ``values`` (numbers for scales, choice keys for choices)."""

    on: str
    values: frozenset[int | str]

    def met(self, answers: Mapping[str, Answer]) -> bool:
        given = answers.get(self.on)
        if given is None or given == "" or given == ():
            return False
        if isinstance(given, tuple):
            return any(choice in self.values for choice in given)
        return given in self.values


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()  # choice keys, in order
    condition: Condition | None = None

    @property
    def scale(self) -> range | None:
        return SCALES.get(self.kind)

    def shown(self, answers: Mapping[str, Answer]) -> bool:
        return self.condition is None or self.condition.met(answers)


@dataclass(frozen=True)
class Problem:
    """Why an answer was refused: an untranslated message key and its parameters."""

    message: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    """Answers that passed, by key (only shown questions' answers are kept), and errors by
    key as message keys with parameters."""

    answers: dict[str, Answer] = field(default_factory=dict)
    errors: dict[str, Problem] = field(default_factory=dict)


def key_problem(key: str, taken: Iterable[str] = ()) -> Problem | None:
    """Why ``key`` cannot name a question (None when it can)."""
    if not KEY_PATTERN.match(key):
        return Problem("key_format", {"max": KEY_MAX_LENGTH})
    if key in RESERVED_KEYS:
        return Problem("key_reserved", {"key": key})
    if key in set(taken):
        return Problem("key_taken", {"key": key})
    return None


def parse_values(raw: str, *, scale: range | None, choices: Sequence[str]) -> frozenset[int | str]:
    """The values of a condition typed as "0-6", "9, 10" or "branch_a, branch_b".

    Raises ``ValueError`` with a message key when a value is not on the scale or not a
    choice key; an empty text is refused too (a condition must name what it waits for)."""
    joined = re.sub(r"(\d)\s*[-–—]\s*(\d)", r"\1-\2", raw.strip())  # "0 – 6" is one run
    parts = [part for part in re.split(r"[,;\s]+", joined) if part]
    if not parts:
        raise ValueError("condition_empty")
    values: set[int | str] = set()
    for part in parts:
        if scale is not None:
            match = re.fullmatch(r"(-?\d+)(?:-(\d+))?", part)
            if not match:
                raise ValueError("condition_not_number")
            low = int(match.group(1))
            high = int(match.group(2)) if match.group(2) is not None else low
            if low > high or low not in scale or high not in scale:
                raise ValueError("condition_off_scale")
            values.update(range(low, high + 1))
        elif part in choices:
            values.add(part)
        else:
            raise ValueError("condition_not_choice")
    return frozenset(values)


def values_text(values: Iterable[int | str]) -> str:
    """The typed form of a condition's values: runs of numbers as "0-6", choices by key."""
    numbers = sorted(v for v in values if isinstance(v, int))
    words = sorted(v for v in values if isinstance(v, str))
    runs: list[str] = []
    start = previous = None
    for number in [*numbers, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = number
    return ", ".join([*runs, *words])


def _one(spec: QuestionSpec, raw: object) -> Answer | Problem:
    """A cleaned answer, or why it was refused."""
    scale = spec.scale
    if scale is not None:
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            return Problem("not_a_number")
        try:
            number = int(raw)
        except ValueError:
            return Problem("not_a_number")
        if number not in scale:
            return Problem("off_scale", {"low": scale.start, "high": scale.stop - 1})
        return number
    if spec.kind == SINGLE:
        if raw not in spec.choices:
            return Problem("not_a_choice")
        return str(raw)
    if spec.kind == MULTIPLE:
        if isinstance(raw, str):
            picked: tuple[object, ...] = (raw,)
        elif isinstance(raw, (list, tuple, set, frozenset)):
            picked = tuple(raw)
        else:
            return Problem("not_a_choice")
        if any(choice not in spec.choices for choice in picked):
            return Problem("not_a_choice")
        return tuple(choice for choice in spec.choices if choice in picked)  # in question order
    if not isinstance(raw, str):
        return Problem("not_text")
    text = raw.strip()
    limit = TEXT_MAX_LENGTH[spec.kind]
    if len(text) > limit:
        return Problem("too_long", {"max": limit, "length": len(text)})
    if "\x00" in text:
        return Problem("bad_character")
    return text


def _empty(raw: object) -> bool:
    return raw is None or raw == "" or (isinstance(raw, (list, tuple)) and not raw)


def check_answers(
    specs: Sequence[QuestionSpec],
    raw: Mapping[str, object],
    *,
    given: Mapping[str, Answer] | None = None,
) -> Checked:
    """Check the own questions' answers of one respondent, in question order.

    ``given`` holds the built-in answers already checked (for conditions on them). A
    question whose condition is not met is dropped, whatever was sent for it, so a hidden
    "why?" never stores an answer and is never required."""
    known: dict[str, Answer] = dict(given or {})
    checked = Checked()
    for spec in specs:
        if not spec.shown(known):
            continue
        value = raw.get(spec.key)
        if _empty(value):
            if spec.required:
                checked.errors[spec.key] = Problem("required")
            continue
        cleaned = _one(spec, value)
        if isinstance(cleaned, Problem):
            checked.errors[spec.key] = cleaned
            continue
        if cleaned == "" or cleaned == ():
            continue
        checked.answers[spec.key] = cleaned
        known[spec.key] = cleaned
    return checked


# --------------------------------------------------------------------------- CSV cells

CELL_YES = ("yes", "да", "1", "true")
CELL_NO = ("no", "нет", "0", "false")
CELL_SEPARATOR = ";"


def cell_text(spec: QuestionSpec, answer: Answer) -> str:
    """How an answer is written in the export (and read back by ``cell_value``)."""
    if answer is None:
        return ""
    if spec.kind == YES_NO:
        return "yes" if answer == YES else "no"
    if isinstance(answer, tuple):
        return CELL_SEPARATOR.join(answer)
    return str(answer)


def cell_value(spec: QuestionSpec, cell: str) -> object:
    """The raw answer an import cell gives, for ``check_answers``: yes/no in English or
    Russian, several choices separated by ";"; an empty cell is no answer."""
    cell = cell.strip()
    if not cell:
        return None
    if spec.kind == YES_NO:
        lowered = cell.lower()
        if lowered in CELL_YES:
            return YES
        if lowered in CELL_NO:
            return NO
        return cell  # refused by the check as not a number
    if spec.kind == MULTIPLE:
        return tuple(part.strip() for part in cell.split(CELL_SEPARATOR) if part.strip())
    return cell
