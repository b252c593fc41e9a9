"""The audit report's sections and the comparison of two rendered reports (pure, STYLE §2).

``AUDIT_SECTIONS`` is the one list of the audit report's section keys, in document order:
the per-audit choice, the job's snapshot of it, the PDF's contents list and the Word
export all follow it. ``snapshot_compare`` sets the key figures two reports recorded at
render time side by side; the labels of the fixed rows are given by the caller, in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

AUDIT_SECTIONS: tuple[str, ...] = (
    "cover",
    "introduction",
    "summary",
    "maturity",
    "findings",
    "gap",
    "surveys",
    "metrics",
    "canvas",
    "journey",
    "recommendations",
    "actions",
    "appendix",
)
"""Every section of the audit report, in the order the document shows them."""


def sections_unknown(keys: Iterable[str]) -> list[str]:
    """The keys that name no section, in the order given, each once."""
    unknown: list[str] = []
    for key in keys:
        if key not in AUDIT_SECTIONS and key not in unknown:
            unknown.append(key)
    return unknown


def sections_normalise(keys: Iterable[str] | None) -> list[str]:
    """The known keys among ``keys`` in document order, each once; nothing chosen (an
    empty or missing choice, as on jobs made before sections could be chosen) is all."""
    chosen = set(keys or ())
    ordered = [key for key in AUDIT_SECTIONS if key in chosen]
    return ordered or list(AUDIT_SECTIONS)


def sections_change(
    before: Iterable[str] | None, after: Iterable[str] | None
) -> tuple[list[str], list[str]]:
    """(added, removed) between two choices, each in document order."""
    old, new = set(sections_normalise(before)), set(sections_normalise(after))
    return (
        [key for key in AUDIT_SECTIONS if key in new - old],
        [key for key in AUDIT_SECTIONS if key in old - new],
    )


# ----------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class FigureRow:
    """One key figure of two reports: the values as recorded (``None``: not recorded in
    that report) and the change when both are numbers."""

    kind: str  # overall, level, domain, survey, recommendations, actions, texts
    key: str
    label: str
    before: str | None
    after: str | None
    change: Decimal | None
    changed: bool


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _row(
    kind: str, key: str, label: str, before: Any, after: Any, numbers: tuple[Any, Any] | None = None
) -> FigureRow:
    """``numbers``: what the change is computed from when the values are display texts."""
    old, new = (_number(n) for n in (numbers or (before, after)))
    change = new - old if old is not None and new is not None else None
    return FigureRow(
        kind=kind,
        key=key,
        label=label,
        before=_text(before),
        after=_text(after),
        change=change,
        changed=_text(before) != _text(after),
    )


def _keyed(entries: Any, key: str) -> dict[str, Mapping[str, Any]]:
    result: dict[str, Mapping[str, Any]] = {}
    for entry in entries if isinstance(entries, Sequence) else ():
        if isinstance(entry, Mapping) and isinstance(entry.get(key), str):
            result.setdefault(entry[key], entry)
    return result


def _value(entries: dict[str, Mapping[str, Any]], key: str, name: str) -> Any:
    return entries[key].get(name) if key in entries else None


def _union(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The newer report's order, then what only the older one had."""
    return [*after, *(key for key in before if key not in after)]


def snapshot_compare(
    before: Mapping[str, Any], after: Mapping[str, Any], *, labels: Mapping[str, str]
) -> list[FigureRow]:
    """The key figures of two snapshots, older first, in a fixed order: overall score and
    level, each domain's score, each survey figure, the numbers of recommendations and of
    actions, and whether the consultant's texts changed (when either recorded them).

    ``labels`` names the fixed rows (keys ``overall``, ``level``, ``recommendations``,
    ``actions``, ``texts``); domains and surveys carry their label in the snapshot (the
    newer report's wins). A snapshot that lacks a figure shows ``None`` for it."""
    rows = [
        _row("overall", "overall", labels["overall"], before.get("overall"), after.get("overall")),
        _row("level", "level", labels["level"], before.get("level"), after.get("level")),
    ]
    for kind, field, value_key in (("domain", "domains", "score"), ("survey", "surveys", "value")):
        old, new = _keyed(before.get(field), "key"), _keyed(after.get(field), "key")
        for key in _union(old, new):
            entry = new.get(key) or old[key]
            label = str(entry.get("label") or key)

            numbers = None
            if kind == "survey":  # shown as text ("+12", "81 %"); the change from the number
                numbers = (_value(old, key, "number"), _value(new, key, "number"))
            before_value, after_value = _value(old, key, value_key), _value(new, key, value_key)
            rows.append(_row(kind, key, label, before_value, after_value, numbers))
    for key in ("recommendations", "actions"):
        rows.append(_row(key, key, labels[key], before.get(key), after.get(key)))
    if "texts" in before or "texts" in after:
        old_digest, new_digest = before.get("texts"), after.get("texts")
        rows.append(
            FigureRow(
                kind="texts",
                key="texts",
                label=labels["texts"],
                before=None,
                after=None,
                change=None,
                changed=old_digest != new_digest,
            )
        )
    return rows
