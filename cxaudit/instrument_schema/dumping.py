"""YAML for instruments and the rule catalogue, and the hash of an instrument's meaning."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import yaml

from .fields import DEFAULT_THRESHOLDS
from .models import GapThresholds, Instrument, Item, LocalizedText, RuleCatalogue, RuleRef, Section


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
