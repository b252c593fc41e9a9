"""Schema, loader and dumper for the instrument library (``cxaudit/library/*.yaml``).

A pure package: pydantic models, PyYAML with a safe loader, no Django. The Django
``load_instruments`` command, the scoring engine and the recommendation engine all read
instruments through it (METHODOLOGY §7, §9; STYLE convention 11).

pydantic checks each field, and the models' validators check what spans fields (unique
keys, rule references against the scale, guidance and rules on scored items, templates),
so one ``LibraryError`` lists every problem in a file.

Problem paths use field names and zero-based list indexes: ``sections[1].items[2].scale``.
"""

from .checks import ParseContext
from .dumping import content_hash, dump_instrument, dump_rules
from .fields import DEFAULT_THRESHOLDS, KINDS, RAW_RANGES, SCALES, SCORED_SCALES
from .loading import RULES_FILENAME, load_library, parse_instrument, parse_rules
from .models import (
    GapThresholds,
    Instrument,
    Item,
    Library,
    LocalizedText,
    Rule,
    RuleCatalogue,
    RuleRef,
    Section,
)
from .problems import DOCUMENT, LibraryError, Problem

__all__ = [
    "DEFAULT_THRESHOLDS",
    "DOCUMENT",
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
    "ParseContext",
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
