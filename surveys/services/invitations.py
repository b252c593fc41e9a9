"""Invitations by e-mail to answer a wave, and reminders; answers are never linked to them."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit.accounts.mail import brand_alternative
from cxaudit.accounts.selectors import branding_for

from ..models import (
    Wave,
    WaveInvitation,
)

# --------------------------------------------------------------------------- invitations


def survey_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def wave_invitations_add(*, wave: Wave, emails: list[str], language: str) -> int:
    """Invite people to answer; e-mails go out from a worker once this commits.

    Participation is tracked per invitation, answers never are (A7, A8: the team comes
    from the survey question, not from this list).
    """
    from ..tasks import wave_invitation_send as wave_invitation_send_task

    if wave.is_closed:
        raise ValidationError(_("This wave is closed."))
    known = set(wave.invitations.values_list("email", flat=True))
    added = 0
    for raw in emails:
        email = raw.strip().lower()
        if not email or email in known:
            continue
        invitation = WaveInvitation(wave=wave, email=email, language=language)
        invitation.full_clean(validate_unique=False)
        invitation.save()
        known.add(email)
        added += 1
        transaction.on_commit(partial(wave_invitation_send_task.delay, invitation.pk))
    return added


def _send(invitation: WaveInvitation, *, reminder: bool) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    survey = invitation.wave.survey
    branding = branding_for(survey.company)
    with translation.override(invitation.language):
        context = {
            "survey": survey,
            "company": survey.company,
            "wave": invitation.wave,
            "reminder": reminder,
            "url": survey_link(reverse("surveys:respond-invited", args=[invitation.token])),
            "branding": branding,
        }
        subject = (_("Reminder: %(title)s") if reminder else _("Please answer: %(title)s")) % {
            "title": survey.title
        }
        body = render_to_string("surveys/email/invitation.txt", context)
        html = brand_alternative(text=body, branding=branding)
    send_mail(subject, body, None, [invitation.email], html_message=html)


def wave_invitation_send(*, invitation_id: int) -> bool:
    """Send the invitation once: the row is claimed before sending; a failure releases it."""
    claimed = WaveInvitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False
    invitation = WaveInvitation.objects.select_related("wave__survey__company").get(
        pk=invitation_id
    )
    try:
        _send(invitation, reminder=False)
    except Exception:
        WaveInvitation.objects.filter(pk=invitation_id).update(sent_at=None)
        raise
    return True


def wave_remind(*, wave: Wave) -> int:
    """Queue one reminder for each invited person who has not answered yet."""
    from ..tasks import wave_invitation_remind as wave_invitation_remind_task

    if not wave.is_open:
        raise ValidationError(_("Reminders can be sent only while the wave is open."))
    pending = wave.invitations.filter(use__isnull=True, sent_at__isnull=False).values_list(
        "pk", "reminders"
    )
    count = 0
    for pk, reminders in pending:
        transaction.on_commit(partial(wave_invitation_remind_task.delay, pk, reminders))
        count += 1
    return count


def wave_invitation_remind(*, invitation_id: int, reminders: int) -> bool:
    """Send a reminder unless the person answered meanwhile or this reminder went already."""
    claimed = WaveInvitation.objects.filter(
        pk=invitation_id, reminders=reminders, use__isnull=True
    ).update(reminders=F("reminders") + 1, reminded_at=timezone.now())
    if not claimed:
        return False
    invitation = WaveInvitation.objects.select_related("wave__survey__company").get(
        pk=invitation_id
    )
    if not invitation.wave.is_open:
        return False
    _send(invitation, reminder=True)
    return True


def invitation_for_token(token: str) -> WaveInvitation | None:
    return (
        WaveInvitation.objects.select_related("wave__survey__company__parent__branding", "use")
        .filter(token=token)
        .first()
    )
