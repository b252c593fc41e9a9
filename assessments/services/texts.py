"""The consultant's texts of an audit: saved as typed, one row per text and language.

A closed audit's texts stay editable: the report is finalised after the audit closes, and
each row keeps who changed it last and when. An empty (or blank) text deletes its row, so a
report without a text shows nothing in its place. Every text is checked before any is
written: a text too long leaves all of them as they were.
"""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Audit, AuditText
from ..selectors.texts import TextSlot, audit_text_slots

TextId = tuple[str, str, str]
"""(part, key, language) of one text; see ``AuditText``."""


@transaction.atomic
def audit_texts_save(
    *,
    audit: Audit,
    by,
    bodies: Mapping[TextId, str],
    slots: list[TextSlot] | None = None,
) -> int:
    """Save the given texts of ``audit`` exactly as typed and return how many rows changed.

    ``slots``: the texts the audit has room for, when the caller has them; a text for
    anything else, or in a language the site does not offer, is refused. Raises a
    ``ValidationError`` keyed by ``TextSlot.field_name`` of each text refused."""
    known = {
        (slot.part, slot.key)
        for slot in (slots if slots is not None else audit_text_slots(audit=audit))
    }
    languages = {code for code, _name in settings.LANGUAGES}
    existing = {
        (row.part, row.key, row.language): row
        for row in AuditText.objects.select_for_update().filter(audit=audit)
    }
    now = timezone.now()
    errors: dict[str, list] = {}
    to_save: list[AuditText] = []
    to_delete: list[int] = []
    for (part, key, language), body in bodies.items():
        name = f"{part}:{key}:{language}"
        if (part, key) not in known or language not in languages:
            errors[name] = [_("This text is not part of the audit's report.")]
            continue
        row = existing.get((part, key, language))
        if not body.strip():
            if row is not None:
                to_delete.append(row.pk)
            continue
        if row is not None and row.body == body:
            continue  # unchanged: who edited it last stays as it was
        if row is None:
            row = AuditText(audit=audit, part=part, key=key, language=language)
        row.body, row.updated_by, row.updated_at = body, by, now
        try:
            row.full_clean(exclude=["audit", "updated_by"])
        except ValidationError as error:
            errors[name] = error.messages
            continue
        to_save.append(row)
    if errors:
        raise ValidationError(errors)
    AuditText.objects.filter(pk__in=to_delete).delete()
    for row in to_save:
        row.save()
    return len(to_save) + len(to_delete)
