"""Maturity scoring and self-assessment gaps (METHODOLOGY §7, §8, §10).

Pure Python, no Django: the selectors read answers from the database and pass
plain dataclasses in; everything here is exact arithmetic with ``Fraction``.
Rounding happens only for display and for threshold comparisons (the threshold
rule of §1.3), always through ``cxaudit.rounding``.

Keys are opaque: a caller may namespace section keys (``"golding-cx-framework:strategy"``).
"""

from .gaps import (
    DomainGap,
    ItemGap,
    StaffTally,
    domain_gap,
    domain_gap_from_tallies,
    item_gap,
    staff_item_value,
    staff_value_from_tally,
)
from .maturity import (
    MaturityResult,
    SectionScore,
    level_for,
    maturity_from_domains,
    score_audit,
    score_section,
    validate_thresholds,
)
from .rounds import (
    RoundChange,
    change_between_rounds,
)
from .scales import (
    BLIND_SPOT,
    DEFAULT_DOMAIN_GAP_THRESHOLD,
    DEFAULT_ITEM_GAP_THRESHOLD,
    DEFAULT_THRESHOLDS,
    HIDDEN_STRENGTH,
    LEVEL_KEYS,
    MIN_STAFF,
    SCALES,
    SCORED_SCALES,
    STABLE_CHANGE,
    UNSCORED_SCALES,
    Exact,
    GapFlag,
    Scale,
    SectionStatus,
    Trend,
    as_fraction,
    display,
    is_scored,
    normalise,
    scale_max,
    scale_min,
    valid_raw,
)
from .specs import (
    Answer,
    ItemSpec,
    SectionSpec,
)

__all__ = [
    "BLIND_SPOT",
    "DEFAULT_DOMAIN_GAP_THRESHOLD",
    "DEFAULT_ITEM_GAP_THRESHOLD",
    "DEFAULT_THRESHOLDS",
    "HIDDEN_STRENGTH",
    "LEVEL_KEYS",
    "MIN_STAFF",
    "SCALES",
    "SCORED_SCALES",
    "STABLE_CHANGE",
    "UNSCORED_SCALES",
    "Answer",
    "DomainGap",
    "Exact",
    "GapFlag",
    "ItemGap",
    "ItemSpec",
    "MaturityResult",
    "RoundChange",
    "Scale",
    "SectionScore",
    "SectionSpec",
    "SectionStatus",
    "StaffTally",
    "Trend",
    "as_fraction",
    "change_between_rounds",
    "display",
    "domain_gap",
    "domain_gap_from_tallies",
    "is_scored",
    "item_gap",
    "level_for",
    "maturity_from_domains",
    "normalise",
    "scale_max",
    "scale_min",
    "score_audit",
    "score_section",
    "staff_item_value",
    "staff_value_from_tally",
    "valid_raw",
    "validate_thresholds",
]
