"""Factories for audits with answers, recommendations and actions, and for report jobs.

``demo_audit`` builds a complete audit on built-in instruments (the library is loaded by
``migrate``), with an official answer and a comment on every item.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from assessments.models import (
    ActionItem,
    ActionStatus,
    Answer,
    Audit,
    AuditInstrument,
    Instrument,
    Participant,
    ParticipantKind,
    Recommendation,
    RecommendationStatus,
    Touchpoint,
)
from cxaudit.reports.models import ReportJob, SubjectKind
from tests.factories import CompanyFactory, UserFactory


class AuditFactory(DjangoModelFactory):
    class Meta:
        model = Audit

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Audit {n}")
    period_start = datetime.date(2026, 9, 1)
    period_end = datetime.date(2026, 10, 31)
    owner = factory.SubFactory(UserFactory)
    is_self_assessment = False


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    audit = factory.SubFactory(AuditFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda p: p.user.email if p.user else "someone@example.com")
    kind = ParticipantKind.ASSESSOR


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    audit = factory.SubFactory(AuditFactory)
    rule_id = factory.Sequence(lambda n: f"rule-{n}")
    text = factory.Sequence(lambda n: f"Recommendation number {n}")
    severity = 2
    priority = Decimal("1.20")
    status = RecommendationStatus.ACCEPTED


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    audit = factory.SubFactory(AuditFactory)
    title = factory.Sequence(lambda n: f"Action number {n}")
    status = ActionStatus.PLANNED
    due_date = datetime.date(2026, 12, 15)


class TouchpointFactory(DjangoModelFactory):
    class Meta:
        model = Touchpoint

    audit = factory.SubFactory(AuditFactory)
    stage_key = "purchase"
    name = factory.Sequence(lambda n: f"Touchpoint {n}")
    channel = "Phone"
    emotion = 2
    pain_point = "Long wait on the line"
    improvement = "Call back within an hour"


class ReportJobFactory(DjangoModelFactory):
    class Meta:
        model = ReportJob

    audit = factory.SubFactory(AuditFactory)
    company = factory.LazyAttribute(lambda j: j.audit.company)
    subject_kind = SubjectKind.AUDIT
    subject_id = factory.LazyAttribute(lambda j: j.audit.pk)
    language = "en"


INSTRUMENT_KEYS = ("golding-cx-framework",)


def demo_audit(
    *,
    company,
    owner,
    comment="Checked on site.",
    instrument_keys=INSTRUMENT_KEYS,
    recommendations=(
        ("Publish a written service standard and train every new hire on it.", 3),
        ("Call back every complaint within one working day.", 2),
        ("Ask the most loyal customers what to improve.", 1),
    ),
):
    """An audit with an answer and ``comment`` on every item of the given instruments."""
    audit = AuditFactory(company=company, owner=owner, title="Аудит сервиса 2026")
    assessor = ParticipantFactory(audit=audit, user=owner, email=owner.email)
    for position, key in enumerate(instrument_keys):
        version = Instrument.objects.get(key=key, owner=None).latest
        pinned = AuditInstrument.objects.create(audit=audit, version=version, position=position)
        for section in version.parsed.sections:
            for index, item in enumerate(section.items):
                Answer.objects.create(
                    participant=assessor,
                    audit_instrument=pinned,
                    item_key=item.key,
                    value=_value_for(item.scale, index),
                    comment=comment if index % 2 == 0 else "",
                )
    for text, severity in recommendations:
        recommendation = RecommendationFactory(audit=audit, text=text, severity=severity)
        ActionItemFactory(audit=audit, recommendation=recommendation, title=text, owner=owner)
    TouchpointFactory(audit=audit)
    return audit


def _value_for(scale: str, index: int):
    return {
        "yes-no": index % 2,
        "plus": 1,
        "yes-partial-no": index % 3,
        "likert-5": 1 + index % 5,
        "0-10": index % 11,
    }.get(scale)
