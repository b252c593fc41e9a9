"""Running an audit: create it, add participants, close, reopen, publish, start the next
round (answers and evidence files: ``services.answers``)."""

from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit.accounts.mail import brand_alternative
from cxaudit.accounts.models import Membership, Organisation, Role
from cxaudit.accounts.selectors import branding_for
from cxaudit.accounts.services import invitation_create
from cxaudit.caching import benchmark_version_bump

from .. import policy
from ..models import (
    ActionItem,
    Audit,
    AuditEvent,
    AuditInstrument,
    AuditStatus,
    Instrument,
    Participant,
    ParticipantKind,
)
from ..selectors.audits import audit_item_totals, unfinished_participant_ids
from ..selectors.results import audit_results, results_snapshot
from ..tasks import participant_notify as participant_notify_task
from ..tasks import participant_remind as participant_remind_task
from .plan import recommendations_refresh


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
    found = set(keys)
    templates = Instrument.objects.filter(key__in=found, kind="template").for_consultancy(owner)
    for template in templates.select_related("latest"):
        found.update(template.latest.parsed.includes)
    return found


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
            transaction.on_commit(partial(participant_notify_task.delay, participant.pk))
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
    user = participant.user
    if user is None:  # only members are e-mailed: the claims select participants with a user
        return
    branding = branding_for(audit.company)
    with translation.override(user.language):
        context = {
            "audit": audit,
            "company": audit.company,
            "participant": participant,
            "reminder": reminder,
            "url": settings.SITE_URL.rstrip("/") + path,
            "audit_url": settings.SITE_URL.rstrip("/")
            + reverse("assessments:audit-detail", args=[audit.pk]),
            "branding": branding,
        }
        subject = (
            _("Reminder: your self-assessment for %(company)s")
            if reminder
            else _("Your self-assessment for %(company)s")
        ) % {"company": audit.company.name}
        body = render_to_string("assessments/email/participant_invitation.txt", context)
        html = brand_alternative(text=body, branding=branding)
    send_mail(subject, body, None, [participant.email], html_message=html)


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
    if not audit.is_open:
        raise ValidationError(_("Reminders can be sent only while the audit is open."))
    total = audit_item_totals(audit_ids=[audit.pk])[audit.pk]
    pending = unfinished_participant_ids(audit=audit, items_total=total)
    ids = list(
        _remindable(timezone.now()).filter(audit=audit, pk__in=pending).values_list("pk", flat=True)
    )
    for pk in ids:
        transaction.on_commit(partial(participant_remind_task.delay, pk))
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


def _event(audit: Audit, action: str, by) -> None:
    AuditEvent.objects.create(audit=audit, action=action, by=by)


def _benchmarks_stale(audit: Audit) -> None:
    """The consultancy's cached benchmark panels count this audit or not: replace them."""
    consultancy_id = audit.company.parent_id
    if consultancy_id is not None:
        transaction.on_commit(partial(benchmark_version_bump, consultancy_id=consultancy_id))


@transaction.atomic
def audit_close(*, audit: Audit, by) -> None:
    """Freeze the answers and keep the scores for later rounds' trend charts."""
    if Audit.objects.filter(pk=audit.pk, status=AuditStatus.OPEN).update(status=AuditStatus.CLOSED):
        snapshot = results_snapshot(audit_results(audit=audit, with_charts=False))
        Audit.objects.filter(pk=audit.pk).update(results_snapshot=snapshot)
        recommendations_refresh(audit=audit, by=by)
        _event(audit, AuditEvent.Action.CLOSED, by)
        _benchmarks_stale(audit)
    audit.refresh_from_db()


@transaction.atomic
def audit_reopen(*, audit: Audit, by) -> None:
    if Audit.objects.filter(pk=audit.pk, status=AuditStatus.CLOSED).update(status=AuditStatus.OPEN):
        _event(audit, AuditEvent.Action.REOPENED, by)
        _benchmarks_stale(audit)
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
