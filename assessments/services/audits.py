"""Running an audit: create it, add participants, save answers, close, reopen, publish."""

import codecs
import mimetypes
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit import scoring
from cxaudit.accounts.models import Membership, Organisation, Role, User
from cxaudit.accounts.services import invitation_create

from .. import policy
from ..models import (
    ActionItem,
    Answer,
    Audit,
    AuditEvent,
    AuditInstrument,
    AuditStatus,
    Evidence,
    Instrument,
    Participant,
    ParticipantKind,
)
from ..tasks import participant_notify as participant_notify_task
from ..tasks import participant_remind as participant_remind_task

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
TEXT_MAX_LENGTH = 5000
# File signatures we accept as evidence, sniffed from the first bytes (not the name).
EVIDENCE_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"PK\x03\x04": "application/zip",  # docx, xlsx, pptx
}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def _expand(keys: list[str], *, company: Organisation) -> list[Instrument]:
    """Instruments for the given keys (templates expanded), latest versions, in order."""
    owner = company.parent_id
    available = {
        i.key: i
        for i in Instrument.objects.filter(key__in=_all_keys(keys, owner), latest__isnull=False)
        .for_consultancy(owner)
        .select_related("latest")
    }
    result: list[Instrument] = []
    for key in keys:
        instrument = available.get(key)
        if instrument is None:
            raise ValidationError(_("Unknown instrument: %(key)s.") % {"key": key})
        parts = instrument.latest.parsed.includes if instrument.kind == "template" else [key]
        for part in parts:
            if part not in available:
                raise ValidationError(_("Unknown instrument: %(key)s.") % {"key": part})
            if available[part] not in result:
                result.append(available[part])
    return result


def _all_keys(keys: list[str], owner) -> set[str]:
    keys = set(keys)
    templates = Instrument.objects.filter(key__in=keys, kind="template").for_consultancy(owner)
    for template in templates.select_related("latest"):
        keys.update(template.latest.parsed.includes)
    return keys


@transaction.atomic
def audit_create(
    *,
    company: Organisation,
    by,
    by_role: str,
    title: str,
    period_start: date,
    period_end: date,
    instrument_keys: list[str],
    template_key: str = "",
    previous: Audit | None = None,
) -> Audit:
    if not policy.role_allows(by_role, "audit.start", company):
        raise ValidationError(_("Only consultants and client managers can start an audit."))
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    instruments = _expand(instrument_keys, company=company)
    if not instruments:
        raise ValidationError(_("Choose a template or at least one instrument."))
    audit = Audit.objects.create(
        company=company,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        owner=by,
        is_self_assessment=by_role == Role.MANAGER,
        template_key=template_key,
        previous=previous,
        round_number=(previous.round_number + 1) if previous else 1,
    )
    AuditInstrument.objects.bulk_create(
        AuditInstrument(audit=audit, version=instrument.latest, position=index)
        for index, instrument in enumerate(instruments)
    )
    Participant.objects.create(
        audit=audit, user=by, email=by.email.lower(), kind=ParticipantKind.ASSESSOR
    )
    return audit


@transaction.atomic
def participants_add(
    *, audit: Audit, users=(), emails=(), by, by_role: str, language: str
) -> list[Participant]:
    """Invite staff to self-assess: members directly, anyone else through a company invitation."""
    if not audit.is_open:
        raise ValidationError(_("The audit is closed."))
    added = []
    members = {
        m.user.email.lower(): m.user
        for m in Membership.objects.filter(organisation=audit.company).select_related("user")
    }
    for user in users:
        if user.email.lower() not in members:
            raise ValidationError(
                _("%(email)s is not a member of the company.") % {"email": user.email}
            )
    wanted = {user.email.lower(): user for user in users}
    for email in emails:
        email = email.strip().lower()
        if email:
            wanted.setdefault(email, members.get(email))
    existing = set(audit.participants.values_list("email", flat=True))
    for email, user in wanted.items():
        if email in existing:
            continue
        if user is None:
            invitation_create(
                company=audit.company,
                email=email,
                role=Role.STAFF,
                by=by,
                by_role=by_role,
                language=language,
            )
        participant = Participant.objects.create(
            audit=audit, user=user, email=email, kind=ParticipantKind.STAFF
        )
        if user is not None:  # the others hear from their company invitation first
            participant_notify_task.delay_on_commit(participant.pk)
        added.append(participant)
    return added


# How long after a reminder (or the invitation) the next reminder may go to the same person.
REMINDER_INTERVAL = timedelta(hours=24)


def _participant_mail(participant: Participant, *, reminder: bool) -> None:
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    audit = participant.audit
    first = audit.instruments.order_by("position").first()
    path = (
        reverse("assessments:answer-page", args=[audit.pk, first.pk])
        if first is not None
        else reverse("assessments:audit-detail", args=[audit.pk])
    )
    with translation.override(participant.user.language):
        context = {
            "audit": audit,
            "company": audit.company,
            "participant": participant,
            "reminder": reminder,
            "url": settings.SITE_URL.rstrip("/") + path,
            "audit_url": settings.SITE_URL.rstrip("/")
            + reverse("assessments:audit-detail", args=[audit.pk]),
        }
        subject = (
            _("Reminder: your self-assessment for %(company)s")
            if reminder
            else _("Your self-assessment for %(company)s")
        ) % {"company": audit.company.name}
        body = render_to_string("assessments/email/participant_invitation.txt", context)
    send_mail(subject, body, None, [participant.email])


def _mail_target(participant_id: int) -> Participant:
    return Participant.objects.select_related("audit__company", "user").get(pk=participant_id)


def participant_notify(*, participant_id: int) -> bool:
    """E-mail a participant the link to their answers, once: the row is claimed with a
    conditional UPDATE before sending, and released if sending fails (the task retries)."""
    claimed = Participant.objects.filter(
        pk=participant_id, notified_at__isnull=True, user__isnull=False
    ).update(notified_at=timezone.now())
    if not claimed:
        return False
    participant = _mail_target(participant_id)
    try:
        _participant_mail(participant, reminder=False)
    except Exception:
        Participant.objects.filter(pk=participant_id).update(notified_at=None)
        raise
    return True


def _remindable(now):
    """Staff who can be reminded now: not marked done, e-mailed or reminded long enough ago."""
    since = now - REMINDER_INTERVAL
    return Participant.objects.filter(
        kind=ParticipantKind.STAFF,
        user__isnull=False,
        submitted_at__isnull=True,
        audit__status=AuditStatus.OPEN,
    ).filter(
        Q(reminded_at__isnull=True, notified_at__lt=since)
        | Q(reminded_at__isnull=True, notified_at__isnull=True)
        | Q(reminded_at__lt=since)
    )


def participants_remind(*, audit: Audit) -> int:
    """Queue a reminder to each invited member who has not finished their self-assessment
    and heard from us more than ``REMINDER_INTERVAL`` ago; returns how many."""
    from ..selectors.audits import audit_item_totals, unfinished_participant_ids

    if not audit.is_open:
        raise ValidationError(_("Reminders can be sent only while the audit is open."))
    total = audit_item_totals(audit_ids=[audit.pk])[audit.pk]
    pending = unfinished_participant_ids(audit=audit, items_total=total)
    ids = list(
        _remindable(timezone.now()).filter(audit=audit, pk__in=pending).values_list("pk", flat=True)
    )
    for pk in ids:
        participant_remind_task.delay_on_commit(pk)
    return len(ids)


def participant_remind(*, participant_id: int) -> bool:
    """Send one reminder; a repeated delivery within the interval claims nothing."""
    now = timezone.now()
    claimed = _remindable(now).filter(pk=participant_id).update(reminded_at=now)
    if not claimed:
        return False
    _participant_mail(_mail_target(participant_id), reminder=True)
    return True


def participant_link(*, user) -> None:
    """Someone who joined the company after being invited to an audit becomes that participant."""
    Participant.objects.filter(email=user.email.lower(), user__isnull=True).update(user=user)


@dataclass(frozen=True)
class SaveResult:
    answer: Answer | None
    conflict: bool  # a newer answer from another tab was kept


def _check_value(item, *, value, text, is_na) -> tuple[int | None, str, bool]:
    if is_na:
        if not item.allow_na:
            raise ValidationError(_("This question cannot be answered “not applicable”."))
        return None, "", True
    if item.scale in ("text", "number"):
        text = (text or "").strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _("The answer is too long (at most %(n)s characters).") % {"n": TEXT_MAX_LENGTH}
            )
        if item.scale == "number" and text:
            try:
                float(text.replace(",", "."))
            except ValueError as error:
                raise ValidationError(_("Enter a number.")) from error
        return None, text, False
    if value in (None, ""):
        return None, "", False
    try:
        raw = int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(_("This answer is not one of the choices.")) from error
    if not scoring.valid_raw(item.scale, raw):
        raise ValidationError(_("This answer is not one of the choices."))
    return raw, "", False


@transaction.atomic
def answer_save(
    *,
    participant: Participant,
    audit_instrument: AuditInstrument,
    item_key: str,
    value=None,
    text: str = "",
    is_na: bool = False,
    comment: str = "",
    revision: int = 0,
    tab: str = "",
) -> SaveResult:
    """Store one answer. ``revision`` is the one the page showed and ``tab`` names the page:
    if another tab has saved a newer answer since, it is kept and returned with ``conflict``."""
    if "\x00" in f"{text}{comment}":
        raise ValidationError(_("The answer contains a character that cannot be stored."))
    tab = "".join(ch for ch in tab if ch.isalnum())[:32]
    audit = Audit.objects.select_for_update().get(pk=audit_instrument.audit_id)
    if audit.status != AuditStatus.OPEN:
        raise ValidationError(_("The audit is closed; answers can no longer change."))
    if participant.audit_id != audit.pk:
        raise ValidationError(_("You are not a participant of this audit."))
    try:
        item = audit_instrument.version.parsed.item(item_key)
    except KeyError as error:
        raise ValidationError(_("This question is not part of the audit.")) from error
    raw, text, is_na = _check_value(item, value=value, text=text, is_na=is_na)
    comment = (comment or "").strip()[:TEXT_MAX_LENGTH]
    answer = (
        Answer.objects.select_for_update()
        .filter(participant=participant, audit_instrument=audit_instrument, item_key=item.key)
        .first()
    )
    if answer is not None and answer.revision > revision and answer.saved_from != tab:
        return SaveResult(answer=answer, conflict=True)
    if answer is None:
        answer = Answer(
            participant=participant, audit_instrument=audit_instrument, item_key=item.key
        )
        answer.revision = 1
    else:
        answer.revision += 1
    answer.value, answer.text, answer.is_na, answer.comment = raw, text, is_na, comment
    answer.saved_from = tab
    answer.updated_at = timezone.now()
    answer.save()
    return SaveResult(answer=answer, conflict=False)


def _sniff(head: bytes, filename: str) -> str | None:
    for signature, content_type in EVIDENCE_SIGNATURES.items():
        if head.startswith(signature):
            if content_type == "application/zip":
                extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
                return OFFICE_TYPES.get(extension)
            return content_type
    try:  # incremental: a character cut at the end of the sample is not an error
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return None
    guessed = mimetypes.guess_type(filename)[0]
    return guessed if guessed in ("text/plain", "text/csv") else None


@transaction.atomic
def evidence_add(*, answer: Answer, upload, by) -> Evidence:
    """Attach a file to an answer; the type is sniffed from its content, the size capped."""
    if answer.audit_instrument.audit.status != AuditStatus.OPEN:
        raise ValidationError(_("The audit is closed; evidence can no longer change."))
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    head = upload.read(2048)
    upload.seek(0)
    content_type = _sniff(head, upload.name)
    if content_type is None:
        raise ValidationError(
            _("This type of file is not accepted. Use PDF, PNG, JPEG, Word, Excel or text.")
        )
    return Evidence.objects.create(
        answer=answer,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


AnswerSubmitKind = Literal["saved", "conflict", "invalid"]


@dataclass(frozen=True)
class AnswerSubmitResult:
    answer: Answer | None  # the stored answer: the new one, the newer one kept, or the old one
    conflict: bool  # a newer answer from another tab was kept
    kind: AnswerSubmitKind
    message: str  # translated, to show next to the item


def answer_submit(
    *,
    participant: Participant,
    audit_instrument: AuditInstrument,
    item_key: str,
    value: str | None,
    text: str,
    is_na: bool,
    comment: str,
    revision: int,
    tab: str,
    upload: UploadedFile | None = None,
    by: User | None = None,
) -> AnswerSubmitResult:
    """Store one answer as a participant sent it, with its file if any: both or neither.
    A ``value`` of "na" marks the item N/A. A newer answer from another tab is kept and
    the file dropped (``conflict``); a rejected answer or file leaves what was stored."""
    if value == "na":
        value, is_na = None, True
    try:
        with transaction.atomic():
            result = answer_save(
                participant=participant,
                audit_instrument=audit_instrument,
                item_key=item_key,
                value=value,
                text=text,
                is_na=is_na,
                comment=comment,
                revision=revision,
                tab=tab,
            )
            if result.conflict:
                return AnswerSubmitResult(
                    answer=result.answer,
                    conflict=True,
                    kind="conflict",
                    message=_("A newer answer was saved in another window; it is shown here."),
                )
            message = _("Saved")
            if upload:
                evidence_add(answer=result.answer, upload=upload, by=by)
                message = _("Saved with the file.")
            return AnswerSubmitResult(
                answer=result.answer, conflict=False, kind="saved", message=message
            )
    except ValidationError as error:
        try:
            key = audit_instrument.version.parsed.item(item_key).key
        except KeyError:
            key = item_key
        stored = Answer.objects.filter(
            participant=participant, audit_instrument=audit_instrument, item_key=key
        ).first()
        return AnswerSubmitResult(
            answer=stored, conflict=False, kind="invalid", message=" ".join(error.messages)
        )


def _event(audit: Audit, action: str, by) -> None:
    AuditEvent.objects.create(audit=audit, action=action, by=by)


@transaction.atomic
def audit_close(*, audit: Audit, by) -> None:
    """Freeze the answers and keep the scores for later rounds' trend charts."""
    from ..selectors.results import audit_results, results_snapshot
    from .plan import recommendations_refresh

    if Audit.objects.filter(pk=audit.pk, status=AuditStatus.OPEN).update(status=AuditStatus.CLOSED):
        snapshot = results_snapshot(audit_results(audit=audit, with_charts=False))
        Audit.objects.filter(pk=audit.pk).update(results_snapshot=snapshot)
        recommendations_refresh(audit=audit, by=by)
        _event(audit, AuditEvent.Action.CLOSED, by)
    audit.refresh_from_db()


@transaction.atomic
def audit_reopen(*, audit: Audit, by) -> None:
    if Audit.objects.filter(pk=audit.pk, status=AuditStatus.CLOSED).update(status=AuditStatus.OPEN):
        _event(audit, AuditEvent.Action.REOPENED, by)
    audit.refresh_from_db()


@transaction.atomic
def results_publish(*, audit: Audit, by) -> None:
    if Audit.objects.filter(pk=audit.pk, results_published_at__isnull=True).update(
        results_published_at=timezone.now()
    ):
        _event(audit, AuditEvent.Action.PUBLISHED, by)
    audit.refresh_from_db()


@transaction.atomic
def next_round_start(
    *, audit: Audit, by, by_role: str, period_start: date, period_end: date
) -> Audit:
    """A new audit with the same instruments (latest versions) that carries open actions over."""
    if hasattr(audit, "next_round"):
        raise ValidationError(_("The next round of this audit has already started."))
    keys = list(audit.instruments.values_list("version__instrument__key", flat=True))
    number = (audit.round_number or 1) + 1
    title = audit.title
    new = audit_create(
        company=audit.company,
        by=by,
        by_role=by_role,
        title=_("%(title)s — round %(number)s") % {"title": title, "number": number}
        if " — " not in title
        else title.rsplit(" — ", 1)[0] + " — " + _("round %(number)s") % {"number": number},
        period_start=period_start,
        period_end=period_end,
        instrument_keys=keys,
        template_key=audit.template_key,
        previous=audit,
    )
    staff = audit.participants.filter(kind=ParticipantKind.STAFF)
    Participant.objects.bulk_create(
        Participant(audit=new, user_id=p.user_id, email=p.email, kind=p.kind) for p in staff
    )
    for action in audit.actions.open():
        ActionItem.objects.create(
            audit=new,
            title=action.title,
            rule_id=action.rule_id,
            severity=action.severity,
            priority=action.priority,
            owner=action.owner,
            due_date=action.due_date,
            status=action.status,
            notes=action.notes,
            carried_from=action,
        )
    return new
