"""Answering an audit: store one answer (with a newer answer from another tab kept), attach
an evidence file sniffed from its content, or both at once as a participant sent them."""

import codecs
import mimetypes
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit import scoring
from cxaudit.accounts.models import User

from ..models import Answer, Audit, AuditInstrument, AuditStatus, Evidence, Participant

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


@dataclass(frozen=True)
class SaveResult:
    answer: Answer
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
