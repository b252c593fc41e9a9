"""The instrument library and audits.

Instruments are versioned documents (``cxaudit/library/*.yaml``); an audit pins the
versions it started with, and answers are keyed by (audit instrument, item key), never by a
question's row id, so an old audit keeps the score it was given.
"""

from .audits import (
    Answer,
    AnswerQuerySet,
    Audit,
    AuditEvent,
    AuditInstrument,
    AuditQuerySet,
    AuditStatus,
    Evidence,
    Participant,
    ParticipantKind,
    evidence_path,
)
from .library import (
    Instrument,
    InstrumentKind,
    InstrumentQuerySet,
    InstrumentVersion,
    VersionOrigin,
)
from .plan import (
    ActionItem,
    ActionItemQuerySet,
    ActionStatus,
    Recommendation,
    RecommendationStatus,
    Touchpoint,
)
from .texts import AuditText, TextPart

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "ActionStatus",
    "Answer",
    "AnswerQuerySet",
    "Audit",
    "AuditEvent",
    "AuditInstrument",
    "AuditQuerySet",
    "AuditStatus",
    "AuditText",
    "Evidence",
    "Instrument",
    "InstrumentKind",
    "InstrumentQuerySet",
    "InstrumentVersion",
    "Participant",
    "ParticipantKind",
    "Recommendation",
    "RecommendationStatus",
    "TextPart",
    "Touchpoint",
    "VersionOrigin",
    "evidence_path",
]
