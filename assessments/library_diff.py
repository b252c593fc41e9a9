"""What changed between two versions of an instrument (pure; shown in the version history)."""

from dataclasses import dataclass

from cxaudit.instrument_schema import Instrument, Item, Section

ITEM_FIELDS = ("text", "guidance", "scale", "weight", "allow_na", "rules", "options")
SECTION_FIELDS = ("title", "description", "weight", "rules")
INSTRUMENT_FIELDS = ("title", "description", "thresholds", "gap_thresholds", "includes")


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    what: str  # "instrument", "section" or "item"
    key: str  # "" for the instrument, "section" or "section.item"
    fields: tuple[str, ...] = ()


def _changed_fields(old: object, new: object, fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in fields if getattr(old, name) != getattr(new, name))


def _items(section: Section) -> dict[str, Item]:
    return {item.key: item for item in section.items}


def instrument_changes(old: Instrument, new: Instrument) -> list[Change]:
    changes: list[Change] = []
    fields = _changed_fields(old, new, INSTRUMENT_FIELDS)
    if fields:
        changes.append(Change("changed", "instrument", "", fields))
    old_sections = {section.key: section for section in old.sections}
    new_sections = {section.key: section for section in new.sections}
    for key, section in new_sections.items():
        if key not in old_sections:
            changes.append(Change("added", "section", key))
            changes.extend(Change("added", "item", f"{key}.{item}") for item in _items(section))
            continue
        previous = old_sections[key]
        fields = _changed_fields(previous, section, SECTION_FIELDS)
        if fields:
            changes.append(Change("changed", "section", key, fields))
        old_items, new_items = _items(previous), _items(section)
        for item_key, item in new_items.items():
            if item_key not in old_items:
                changes.append(Change("added", "item", f"{key}.{item_key}"))
            else:
                fields = _changed_fields(old_items[item_key], item, ITEM_FIELDS)
                if fields:
                    changes.append(Change("changed", "item", f"{key}.{item_key}", fields))
        changes.extend(
            Change("removed", "item", f"{key}.{item_key}")
            for item_key in old_items
            if item_key not in new_items
        )
    for key, section in old_sections.items():
        if key not in new_sections:
            changes.append(Change("removed", "section", key))
            changes.extend(Change("removed", "item", f"{key}.{item}") for item in _items(section))
    return changes
