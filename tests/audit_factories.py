"""Audits built through the services, as a consultant would build them.

    audit = audit_build(company=company, by=consultant)
    answers_give(audit=audit, answers={"golding-cx-framework:measurement.customer-view": 0})
    touchpoint_add(audit=audit, name="Checkout", stage_key="purchase", emotion=2)

Answers are keyed "instrument:section.item" (or "instrument:item") and go to the audit's
assessor unless a participant is given. Staff are added with ``staff_add``.
"""

from datetime import date

from assessments.models import Audit, Participant, ParticipantKind
from assessments.services import answers as answer_services
from assessments.services import audits as audit_services
from assessments.services import journey as journey_services
from assessments.services import plan as plan_services

GOLDING = "golding-cx-framework"
JOURNEY = "journey-map"
DEFAULT_INSTRUMENTS = (GOLDING, JOURNEY)
# Every Golding item answered "no": strategy-weak, measurement-weak and more fire.
GOLDING_ALL_NO = {
    f"{GOLDING}:{section}.{item}": 0
    for section, items in {
        "strategy": ("know-customers", "know-needs", "roles-understood"),
        "measurement": ("execution-plan", "customer-view", "priorities-known"),
        "employees": ("strategy-understood", "ambassadors", "empowered"),
    }.items()
    for item in items
}
GOLDING_ALL_YES = dict.fromkeys(GOLDING_ALL_NO, 1)


def audit_build(
    *,
    company,
    by,
    by_role: str = "consultant",
    instruments=DEFAULT_INSTRUMENTS,
    title: str = "CX audit",
    period_start: date = date(2025, 1, 1),
    period_end: date = date(2025, 3, 31),
    previous: Audit | None = None,
) -> Audit:
    return audit_services.audit_create(
        company=company,
        by=by,
        by_role=by_role,
        title=title,
        period_start=period_start,
        period_end=period_end,
        instrument_keys=list(instruments),
        previous=previous,
    )


def assessor(audit: Audit) -> Participant:
    return audit.participants.get(kind=ParticipantKind.ASSESSOR)


def answers_give(*, audit: Audit, answers: dict, participant: Participant | None = None) -> None:
    """Save answers through ``answer_save``; a value of "na" marks N/A, a str is text."""
    participant = participant or assessor(audit)
    pinned = {
        ai.version.instrument.key: ai
        for ai in audit.instruments.select_related("version__instrument")
    }
    for ref, value in answers.items():
        instrument_key, _sep, item_key = ref.partition(":")
        audit_instrument = pinned[instrument_key]
        kwargs = {"is_na": True} if value == "na" else {}
        if isinstance(value, str) and value != "na":
            kwargs["text"] = value
        elif value != "na":
            kwargs["value"] = value
        result = answer_services.answer_save(
            participant=participant,
            audit_instrument=audit_instrument,
            item_key=item_key,
            revision=10**6,
            **kwargs,
        )
        assert not result.conflict, ref


def staff_add(*, audit: Audit, users, by) -> list[Participant]:
    return audit_services.participants_add(
        audit=audit, users=list(users), by=by, by_role="consultant", language="en"
    )


def touchpoint_add(
    *, audit: Audit, name: str, stage_key: str = "purchase", emotion: int | None = None, **fields
):
    return journey_services.touchpoint_create(
        audit=audit, by=audit.owner, stage_key=stage_key, name=name, emotion=emotion, **fields
    )


def audit_with_recommendations(*, company, by, answers=None, touchpoints=(), **kwargs) -> Audit:
    """An audit whose answers fire rules, with the recommendations stored."""
    audit = audit_build(company=company, by=by, **kwargs)
    answers_give(audit=audit, answers=GOLDING_ALL_NO if answers is None else answers)
    for touchpoint in touchpoints:
        touchpoint_add(audit=audit, **touchpoint)
    plan_services.recommendations_refresh(audit=audit, by=by)
    return audit


def evidence_of_each(*, audit: Audit, staff, colleague) -> dict:
    """An evidence file on one answer each of the assessor, ``staff`` and ``colleague``
    (both company members, invited here): ``{"assessor"|"staff"|"other": Evidence}``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    mine, theirs = staff_add(audit=audit, users=[staff, colleague], by=audit.owner)
    files = {}
    for name, participant in (("assessor", assessor(audit)), ("staff", mine), ("other", theirs)):
        answers_give(
            audit=audit, answers={f"{GOLDING}:strategy.know-customers": 1}, participant=participant
        )
        files[name] = answer_services.evidence_add(
            answer=participant.answers.get(),
            upload=SimpleUploadedFile(f"{name}.txt", b"notes", content_type="text/plain"),
            by=None,
        )
    return files
