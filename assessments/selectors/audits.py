from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404

from cxaudit import scoring
from cxaudit.accounts.models import OrganisationKind
from cxaudit.accounts.selectors import role_expression

from .. import policy
from ..answering import item_choices, item_widget
from ..models import (
    Answer,
    Audit,
    AuditInstrument,
    Evidence,
    InstrumentKind,
    Participant,
    ParticipantKind,
)


@dataclass
class AuditAccess:
    audit: Audit
    role: str
    participant: Participant | None

    @property
    def can_run(self) -> bool:
        return policy.allowed(self, "audit.run")

    @property
    def can_see_results(self) -> bool:
        return policy.allowed(self, "audit.results.view")

    @property
    def can_update_actions(self) -> bool:
        return policy.allowed(self, "actions.update")

    @property
    def has_journey_map(self) -> bool:
        return self.audit.with_journey_map  # annotated by audit_access_get

    @property
    def can_edit_texts(self) -> bool:
        return policy.allowed(self, "texts.edit")

    @property
    def can_answer(self) -> bool:
        return policy.allowed(self, "answers.edit")


def audit_access_get(*, user, pk) -> AuditAccess:
    """The audit with the user's role and participation, or 404 for outsiders."""
    # The user's role for the audit's company is the scope: it is not None exactly for the
    # companies ``Organisation.objects.for_user`` returns, and reading it with the one
    # loaded row spares the page a join over memberships and a query of its own.
    if not user.is_authenticated:
        raise Http404
    audit = (
        Audit.objects.select_related("company", "company__parent", "owner", "previous")
        .annotate(
            # The audit navigation shows the journey map tab: asked here, not in a query of
            # its own on every page.
            user_role=role_expression(user, "company"),
            with_journey_map=Exists(
                AuditInstrument.objects.filter(
                    audit=OuterRef("pk"), version__instrument__kind=InstrumentKind.JOURNEY_MAP
                )
            ),
        )
        .filter(pk=pk, company__kind=OrganisationKind.COMPANY)
        .first()
    )
    if audit is None or audit.user_role is None:
        raise Http404
    participant = (
        Participant.objects.filter(
            Q(user=user) | Q(user__isnull=True, email=user.email.lower()), audit=audit
        )
        .order_by("kind", "email")
        .first()
    )
    return AuditAccess(audit=audit, role=audit.user_role, participant=participant)


def audit_list(*, company):
    return (
        Audit.objects.filter(company=company)
        .select_related("owner")
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-created_at")
    )


def audit_instruments(*, audit: Audit, participant: Participant | None):
    """The pinned instruments with this participant's progress, counted as the results count
    (see ``section_progress``): N/A leaves the total, an unticked ``plus`` item is a "no"."""
    instruments = list(
        audit.instruments.select_related("version", "version__instrument").order_by("position")
    )
    counts = {}
    if participant is not None and instruments:
        given = Q(is_na=False) & (Q(value__isnull=False) | ~Q(text=""))
        for instrument in instruments:
            keys = [i.key for _s, i in instrument.version.parsed.items() if i.scale == "plus"]
            if keys:  # plus items are counted from the instrument, not from the rows
                given &= ~Q(audit_instrument=instrument, item_key__in=keys)
        counts = {
            row["audit_instrument"]: row
            for row in Answer.objects.filter(participant=participant, audit_instrument__audit=audit)
            .values("audit_instrument")
            .annotate(
                answered=Count("id", filter=given),
                na=Count("id", filter=Q(is_na=True)),
            )
        }
    rows = []
    for instrument in instruments:
        parsed = instrument.version.parsed
        items = [item for _section, item in parsed.items()]
        row = counts.get(instrument.pk, {})
        plus_total = sum(1 for item in items if item.scale == "plus")
        done = row.get("answered", 0) + plus_total
        total = len(items) - row.get("na", 0)
        rows.append(
            {
                "instrument": instrument,
                "parsed": parsed,
                "answered": done,
                "total": total,
                "progress": {"done": done, "total": total, "na": row.get("na", 0)},
            }
        )
    return rows


def audit_instrument_get(*, audit: Audit, pk) -> AuditInstrument:
    instrument = (
        audit.instruments.select_related("version", "version__instrument").filter(pk=pk).first()
    )
    if instrument is None:
        raise Http404
    return instrument


def section_progress(*, section, answers) -> dict:
    """Answered of applicable items in one section, counted exactly as the results count
    (``scoring.score_section``): N/A items leave the total, and a ``plus`` item is answered
    from the start because an unticked box means "no" (METHODOLOGY §7.1). Unscored text
    items count as answered once they hold text."""
    scored = [item for item in section.items if item.is_scored]
    done = total = 0
    if scored:
        spec = scoring.SectionSpec(
            key=section.key,
            items=tuple(
                scoring.ItemSpec(
                    key=item.key, scale=item.scale, weight=item.weight, allow_na=item.allow_na
                )
                for item in scored
            ),
        )
        given = {
            item.key: scoring.Answer(value=None if a.is_na else a.value, is_na=a.is_na)
            for item in scored
            if (a := answers.get(item.key)) is not None
        }
        result = scoring.score_section(spec, given)
        done, total = result.answered, result.applicable
    na = len(scored) - total
    plus = [item for item in scored if item.scale == "plus"]
    ticked = sum(1 for item in plus if getattr(answers.get(item.key), "value", None) == 1)
    for item in section.items:
        if not item.is_scored:
            total += 1
            answer = answers.get(item.key)
            done += answer is not None and bool(answer.text)
    return {
        "key": section.key,
        "done": done,
        "total": total,
        "na": na,
        "plus": len(plus),
        "ticked": ticked,
    }


def instrument_progress(*, sections: list[dict]) -> dict:
    """The sum of the sections' progress."""
    return {
        "done": sum(block["progress"]["done"] for block in sections),
        "total": sum(block["progress"]["total"] for block in sections),
        "na": sum(block["progress"]["na"] for block in sections),
        "plus": sum(block["progress"]["plus"] for block in sections),
        "ticked": sum(block["progress"]["ticked"] for block in sections),
    }


def _answers_by_key(*, audit_instrument: AuditInstrument, participant: Participant, evidence):
    answers = Answer.objects.filter(participant=participant, audit_instrument=audit_instrument)
    if evidence:
        answers = answers.prefetch_related("evidence")
    return {answer.item_key: answer for answer in answers}


def answer_sections(*, audit_instrument: AuditInstrument, participant: Participant, url_for):
    """Sections of one instrument with this participant's answers, ready for the answer page."""
    parsed = audit_instrument.version.parsed
    answers = _answers_by_key(
        audit_instrument=audit_instrument, participant=participant, evidence=True
    )
    sections = []
    for section in parsed.sections:
        entries = [
            answer_entry(item=item, answer=answers.get(item.key), url=url_for(item.key))
            for item in section.items
        ]
        sections.append(
            {
                "section": section,
                "items": entries,
                "progress": section_progress(section=section, answers=answers),
            }
        )
    return parsed, sections


def answer_progress(*, audit_instrument: AuditInstrument, participant: Participant) -> dict:
    """After one save: every section's progress and the instrument's, in one query."""
    answers = _answers_by_key(
        audit_instrument=audit_instrument, participant=participant, evidence=False
    )
    sections = [
        {"section": section, "progress": section_progress(section=section, answers=answers)}
        for section in audit_instrument.version.parsed.sections
    ]
    return {"sections": sections, "instrument": instrument_progress(sections=sections)}


def answer_entry(*, item, answer, url, message="", message_class="") -> dict:
    answered = answer is not None and (
        answer.is_na or answer.value is not None or bool(answer.text)
    )
    return {
        "item": item,
        "widget": item_widget(item),
        "choices": item_choices(item),
        "answer": answer,
        "answered": answered,
        "url": url,
        "message": message,
        "message_class": message_class,
        "evidence": list(answer.evidence.all()) if answer is not None and answer.pk else [],
        "extra": "assessments/partials/_evidence.html",
    }


def evidence_audit_id(*, pk: int) -> int:
    """The audit an evidence file belongs to, to check the user's access to it; 404 if none."""
    audit_id = (
        Evidence.objects.filter(pk=pk).values_list("answer__audit_instrument__audit", flat=True)
    ).first()
    if audit_id is None:
        raise Http404
    return audit_id


def evidence_visible(*, access: AuditAccess):
    """Evidence files of the audit this user may open: those of their own answers, and once
    they may see the results those of the official answers, which the results and the
    report list (``Answer.objects.official``). Another participant's files: never."""
    answers = Answer.objects.none()
    if access.participant is not None:
        answers = Answer.objects.filter(participant=access.participant)
    if access.can_see_results:
        answers = answers | Answer.objects.official()
    return Evidence.objects.filter(
        answer__in=answers.filter(audit_instrument__audit=access.audit)
    ).select_related("answer")


def participants(*, audit: Audit):
    return (
        audit.participants.select_related("user")
        .annotate(answer_count=Count("answers"))
        .order_by("kind", "email")
    )


def staff_participant_count(*, audit: Audit) -> int:
    return audit.participants.filter(kind=ParticipantKind.STAFF).count()


ANSWERED = Q(answers__is_na=True) | Q(answers__value__isnull=False) | ~Q(answers__text="")


@dataclass(frozen=True)
class AuditProgress:
    """How far an audit is: the official answers and the staff's self-assessments."""

    items_total: int
    items_answered: int
    staff_total: int
    staff_done: int

    @property
    def items_missing(self) -> int:
        return self.items_total - self.items_answered

    @property
    def staff_pending(self) -> int:
        return self.staff_total - self.staff_done

    @property
    def items_bar(self) -> dict[str, int]:
        """For the progress bar partial."""
        return {"done": self.items_answered, "total": self.items_total}


def audit_item_totals(*, audit_ids: list[int]) -> dict[int, int]:
    """How many items each audit asks, from its pinned versions (one query)."""
    totals = dict.fromkeys(audit_ids, 0)
    if not audit_ids:
        return totals
    pinned = AuditInstrument.objects.filter(audit_id__in=audit_ids).select_related("version")
    for audit_instrument in pinned:
        totals[audit_instrument.audit_id] += sum(
            1 for _section, _item in audit_instrument.version.parsed.items()
        )
    return totals


def audits_progress(*, audits) -> dict[int, AuditProgress]:
    """Progress of each audit, in two queries whatever their number.

    A self-assessment is done when its participant marked it so or answered every item;
    the counts come from SQL (one row per participant, never per answer)."""
    ids = [audit.pk for audit in audits]
    if not ids:
        return {}
    totals = audit_item_totals(audit_ids=ids)
    rows = (
        Participant.objects.filter(audit_id__in=ids)
        .annotate(answered=Count("answers", filter=ANSWERED))
        .values_list("audit_id", "kind", "answered", "submitted_at")
        .order_by()
    )
    official = dict.fromkeys(ids, 0)
    staff = dict.fromkeys(ids, 0)
    done = dict.fromkeys(ids, 0)
    for audit_id, kind, answered, submitted_at in rows:
        if kind == ParticipantKind.ASSESSOR:
            official[audit_id] = max(official[audit_id], answered)
            continue
        staff[audit_id] += 1
        total = totals[audit_id]
        if submitted_at is not None or (total and answered >= total):
            done[audit_id] += 1
    return {
        pk: AuditProgress(
            items_total=totals[pk],
            items_answered=min(official[pk], totals[pk]),
            staff_total=staff[pk],
            staff_done=done[pk],
        )
        for pk in ids
    }


def audit_progress(*, audit: Audit) -> AuditProgress:
    return audits_progress(audits=[audit])[audit.pk]


def unfinished_participant_ids(*, audit: Audit, items_total: int):
    """Staff participants who have not finished: not marked done, fewer answers than items."""
    return (
        audit.participants.filter(kind=ParticipantKind.STAFF, submitted_at__isnull=True)
        .annotate(answered=Count("answers", filter=ANSWERED))
        .filter(answered__lt=max(items_total, 1))
        .values("pk")
    )
