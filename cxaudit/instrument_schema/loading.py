"""Reading library files: safe YAML, pydantic errors as problems, the whole library.

Problem paths use field names and zero-based list indexes: ``sections[1].items[2].scale``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .checks import ParseContext
from .models import Instrument, Library, RuleCatalogue
from .problems import DOCUMENT, LibraryError, Problem

RULES_FILENAME = "rules.yaml"


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
    try:
        return Instrument.model_validate(data, context=ParseContext(rule_ids=rule_ids))
    except ValidationError as exc:
        raise _error(_problems_from(exc, filename)) from None


def parse_rules(text: str, *, filename: str) -> RuleCatalogue:
    """Parse and validate the rule catalogue; raise LibraryError listing every problem."""
    data = _mapping_document(_load_yaml(text, filename), filename, "the rule catalogue")
    try:
        return RuleCatalogue.model_validate(data, context=ParseContext())
    except ValidationError as exc:
        raise _error(_problems_from(exc, filename)) from None


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
