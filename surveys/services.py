"""Everything that changes survey state (STYLE 3). Views call these; nothing hides in save()."""

from __future__ import annotations

import functools
import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit import compiled, counters
from cxaudit.accounts.models import Organisation, User

from . import library, selectors, stats
from .models import (
    Audience,
    Channel,
    InvitationUse,
    Response,
    Source,
    Submission,
    Survey,
    SurveySettings,
    Wave,
    WaveInvitation,
)

MAX_TEAMS = 50


class WaveNotOpen(Exception):
    """The wave does not take answers now."""


# --------------------------------------------------------------------------- settings


def survey_settings_set(*, company: Organisation, anonymity_threshold: int) -> SurveySettings:
    """A1: the threshold k is a whole number from 3 to 20; lower is refused."""
    if anonymity_threshold < stats.MIN_ANONYMITY_THRESHOLD:
        raise ValidationError(
            _("The anonymity threshold cannot be lower than %(minimum)d.")
            % {"minimum": stats.MIN_ANONYMITY_THRESHOLD}
        )
    if anonymity_threshold > stats.MAX_ANONYMITY_THRESHOLD:
        raise ValidationError(
            _("The anonymity threshold cannot be higher than %(maximum)d.")
            % {"maximum": stats.MAX_ANONYMITY_THRESHOLD}
        )
    survey_settings, _created = SurveySettings.objects.update_or_create(
        company=company, defaults={"anonymity_threshold": anonymity_threshold}
    )
    return survey_settings


# --------------------------------------------------------------------------- surveys


def _clean_teams(teams: list[str]) -> list[str]:
    cleaned: list[str] = []
    for team in teams:
        name = " ".join(team.split())[:100]
        if name and name.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(name)
    if len(cleaned) > MAX_TEAMS:
        raise ValidationError(_("At most %(count)d teams.") % {"count": MAX_TEAMS})
    return cleaned


def _check_blocks(audience: str, blocks: list[str]) -> list[str]:
    allowed = library.EMPLOYEE_BLOCKS if audience == Audience.EMPLOYEE else library.CUSTOMER_BLOCKS
    chosen = [block for block in allowed if block in blocks]
    if not chosen or len(chosen) != len(set(blocks)):
        raise ValidationError(_("Choose at least one set of questions suitable for this survey."))
    return chosen


@transaction.atomic
def survey_create(
    *,
    company: Organisation,
    title: str,
    audience: str,
    blocks: list[str],
    by: User,
    intro: str = "",
    teams: list[str] | None = None,
    anonymous: bool = True,
) -> Survey:
    is_employee = audience == Audience.EMPLOYEE
    survey = Survey(
        company=company,
        title=title.strip(),
        audience=audience,
        blocks=_check_blocks(audience, blocks),
        intro=intro.strip(),
        teams=_clean_teams(teams or []) if is_employee else [],
        anonymous=True if is_employee else anonymous,
        created_by=by,
    )
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    title: str,
    blocks: list[str],
    intro: str = "",
    teams: list[str] | None = None,
    anonymous: bool = True,
) -> Survey:
    """Wording and teams may change at any time; the question sets only before any answer."""
    blocks = _check_blocks(survey.audience, blocks)
    if blocks != survey.blocks and Response.objects.filter(wave__survey=survey).exists():
        raise ValidationError(
            _("The questions cannot change once answers exist. Create a new survey instead.")
        )
    survey.title = title.strip()
    survey.blocks = blocks
    survey.intro = intro.strip()
    survey.teams = _clean_teams(teams or []) if survey.is_employee else []
    survey.anonymous = True if survey.is_employee else anonymous
    survey.full_clean()
    survey.save()
    selectors.wave_cache_clear()
    return survey


def channel_create(*, survey: Survey, name: str) -> Channel:
    name = " ".join(name.split())
    if survey.channels.filter(name__iexact=name).exists():
        raise ValidationError(_("This survey already has a channel with that name."))
    channel = Channel(survey=survey, name=name)
    channel.full_clean()
    channel.save()
    return channel


def channel_get_or_create(*, survey: Survey, name: str) -> Channel:
    name = " ".join(name.split())
    channel = survey.channels.filter(name__iexact=name).first()
    return channel or channel_create(survey=survey, name=name)


# --------------------------------------------------------------------------- waves


@transaction.atomic
def wave_create(*, survey: Survey, opens_on: date, closes_on: date) -> Wave:
    """A new wave; waves of a survey never overlap (§10)."""
    if closes_on < opens_on:
        raise ValidationError(_("The wave cannot close before it opens."))
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # serialise wave numbers
    clash = (
        survey.waves.filter(opens_on__lte=closes_on, closes_on__gte=opens_on)
        .order_by("number")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("These dates overlap wave %(number)d (%(opens)s – %(closes)s).")
            % {
                "number": clash.number,
                "opens": clash.opens_on.isoformat(),
                "closes": clash.closes_on.isoformat(),
            }
        )
    number = (survey.waves.aggregate(last=Max("number"))["last"] or 0) + 1
    wave = Wave(survey=survey, number=number, opens_on=opens_on, closes_on=closes_on)
    wave.full_clean()
    wave.save()
    return wave


def wave_close(*, wave: Wave) -> Wave:
    """Close a wave now; its results become visible (A5). Closing twice changes nothing."""
    today = timezone.localdate()
    closes_on = max(wave.opens_on, min(wave.closes_on, today))
    Wave.objects.filter(pk=wave.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), closes_on=closes_on
    )
    selectors.wave_cache_clear()
    wave.refresh_from_db()
    return wave


# --------------------------------------------------------------------------- answering


def rate_limited(*, client_address: str, wave: Wave) -> bool:
    """Count a submission of this client for this wave; True when over the limit.

    The cache key is a salted hash of the address and the wave, kept for a short window;
    the address itself is stored nowhere, and never with an answer.
    """
    limit = getattr(settings, "SURVEY_RATE_LIMIT", 30)
    window = getattr(settings, "SURVEY_RATE_WINDOW_SECONDS", 600)
    digest = hashlib.sha256(
        f"{settings.SECRET_KEY}|{client_address}|{wave.pk}".encode()
    ).hexdigest()[:32]
    return counters.count(f"surveys:rate:{digest}", window) > limit


def response_submit(
    *,
    wave: Wave,
    submission_token: str,
    answers: dict,
    channel: Channel | None = None,
    invitation: WaveInvitation | None = None,
) -> bool:
    """Store one response; False when this form (or invitation) was already used.

    The submission token and the invitation use go to their own tables, in the same
    transaction as the response but with no link to it (A7); the response keeps the day only.
    """
    today = timezone.localdate()
    if wave.status_on(today) != Wave.Status.OPEN:
        raise WaveNotOpen
    fields = {key: answers.get(key) for key in library.SCALE_QUESTIONS}
    fields.update(
        {key: answers.get(key) or "" for key in ("exit_reason", "exit_where", "team", "comment")}
    )
    response = Response(wave=wave, channel=channel, submitted_on=today, **fields)
    # The wave and channel were just loaded: checking them again would cost two queries.
    response.full_clean(
        exclude=["wave", "channel"], validate_unique=False, validate_constraints=False
    )
    if invitation is None:
        return _response_store(response, submission_token=submission_token)
    try:
        with transaction.atomic():
            InvitationUse.objects.create(invitation=invitation, used_on=today)
            if not _response_store(response, submission_token=submission_token):
                transaction.set_rollback(True)
                return False
    except IntegrityError:
        return False
    return True


@functools.cache
def _store_sql(vendor: str) -> tuple[str, ...]:
    """The statements of ``_response_store``, built once per database from the models.

    The last one claims the submission token, only if the wave is open on the answer's day,
    and inserts the answer only if it claimed it: one statement, all or nothing, with no
    transaction around it, so the database holds its write lock for one statement only.
    PostgreSQL does it with a data-modifying CTE. SQLite has none: it inserts into a
    temporary view whose INSTEAD OF trigger does the two inserts. The statements before the
    last create that view and trigger if this connection lacks them; they live as long as
    the connection, so no migration ever sees them."""
    quote = connection.ops.quote_name
    fields = Response._meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)

    def claim(token: str, day: str, wave_id: str) -> str:
        return (
            f"INSERT INTO {quote(Submission._meta.db_table)} (token, wave_id, created_on) "  # noqa: S608 - names from the models
            f"SELECT {token}, id, {day} FROM {quote(Wave._meta.db_table)} "
            f"WHERE id = {wave_id} AND closed_at IS NULL AND opens_on <= {day} "
            f"AND closes_on >= {day} ON CONFLICT (token) DO NOTHING"
        )

    insert = f"INSERT INTO {quote(Response._meta.db_table)} ({columns})"
    if vendor == "postgresql":
        day = "CAST(%s AS date)"  # a SELECT list's parameters are typed by casts
        claimed = claim("CAST(%s AS varchar(64))", day, "%s")
        values = ", ".join(f"CAST(%s AS {field.cast_db_type(connection)})" for field in fields)
        store = f"WITH claimed AS ({claimed} RETURNING 1) {insert} SELECT {values} FROM claimed"  # noqa: S608
        return (store,)
    if vendor != "sqlite":
        raise NotImplementedError(f"answers are stored on PostgreSQL and SQLite, not {vendor}")
    view = "response_submit"
    nulls = ", ".join(f"NULL AS {quote(field.column)}" for field in fields)
    new = ", ".join(f"NEW.{quote(field.column)}" for field in fields)
    claimed = claim("NEW.token", f"NEW.{quote('submitted_on')}", f"NEW.{quote('wave_id')}")
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    return (
        f"CREATE TEMP VIEW IF NOT EXISTS {view} AS SELECT NULL AS token, {nulls}",
        f"CREATE TEMP TRIGGER IF NOT EXISTS {view}_insert INSTEAD OF INSERT ON {view} "
        f"BEGIN {claimed}; {insert} SELECT {new} WHERE changes() = 1; END",
        f"INSERT INTO {view} (token, {columns}) VALUES ({placeholders})",  # noqa: S608
    )


def _response_store(response: Response, *, submission_token: str) -> bool:
    """Store ``response`` once per submission token, in raw SQL: this is the public submit's
    hot path. True if stored; False if the token was used already; ``WaveNotOpen`` if the
    wave is not open on the response's day (the wave the caller holds may be a cached copy).
    """
    db = connections[DEFAULT_DB_ALIAS]  # the proxy costs a context lookup per attribute
    day = response.submitted_on
    values = [
        field.get_db_prep_save(getattr(response, field.attname), db)
        for field in Response._meta.concrete_fields
    ]
    *setup, store = _store_sql(db.vendor)
    with compiled.planned_cursor() as cursor:
        for statement in setup:
            cursor.execute(statement)
        if db.vendor == "postgresql":
            cursor.execute(store, [submission_token, day, response.wave_id, day, day, *values])
            stored = cursor.rowcount == 1
        else:  # SQLite counts no row inserted through a view: count the trigger's two
            before = db.connection.total_changes
            cursor.execute(store, [submission_token, *values])
            stored = db.connection.total_changes == before + 2
    if not stored and not Wave.objects.open_on(day).filter(pk=response.wave_id).exists():
        raise WaveNotOpen
    return stored


# --------------------------------------------------------------------------- invitations


def survey_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def wave_invitations_add(*, wave: Wave, emails: list[str], language: str) -> int:
    """Invite people to answer; e-mails go out from a worker once this commits.

    Participation is tracked per invitation, answers never are (A7, A8: the team comes
    from the survey question, not from this list).
    """
    from .tasks import wave_invitation_send as wave_invitation_send_task

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
        wave_invitation_send_task.delay_on_commit(invitation.pk)
    return added


def _send(invitation: WaveInvitation, *, reminder: bool) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    with translation.override(invitation.language):
        survey = invitation.wave.survey
        context = {
            "survey": survey,
            "company": survey.company,
            "wave": invitation.wave,
            "reminder": reminder,
            "url": survey_link(reverse("surveys:respond-invited", args=[invitation.token])),
        }
        subject = (_("Reminder: %(title)s") if reminder else _("Please answer: %(title)s")) % {
            "title": survey.title
        }
        body = render_to_string("surveys/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


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
    from .tasks import wave_invitation_remind as wave_invitation_remind_task

    if not wave.is_open:
        raise ValidationError(_("Reminders can be sent only while the wave is open."))
    pending = wave.invitations.filter(use__isnull=True, sent_at__isnull=False).values_list(
        "pk", "reminders"
    )
    count = 0
    for pk, reminders in pending:
        wave_invitation_remind_task.delay_on_commit(pk, reminders)
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
        WaveInvitation.objects.select_related("wave__survey__company", "use")
        .filter(token=token)
        .first()
    )


def default_wave_dates(survey: Survey) -> tuple[date, date]:
    """Suggested dates for the next wave: from the day after the last one, for four weeks."""
    last = survey.waves.order_by("-closes_on").first()
    start = timezone.localdate()
    if last is not None and last.closes_on >= start:
        start = last.closes_on + timedelta(days=1)
    return start, start + timedelta(days=27)


# --------------------------------------------------------------------------- import


class ImportInvalid(Exception):
    def __init__(self, parsed):
        super().__init__("; ".join(parsed.errors[:5]))
        self.parsed = parsed


def wave_import_check(*, wave: Wave, data: bytes):
    """Parse a CSV for this wave without storing anything (the preview)."""
    from . import imports

    survey = wave.survey
    return imports.parse(
        data,
        blocks=survey.blocks,
        teams=survey.teams,
        opens_on=wave.opens_on,
        closes_on=wave.closes_on,
        channels=list(survey.channels.values_list("name", flat=True)),
    )


@transaction.atomic
def wave_import(*, wave: Wave, data: bytes) -> int:
    """Store every row of the file, or none: any invalid row raises ``ImportInvalid``."""
    parsed = wave_import_check(wave=wave, data=data)
    if not parsed.ok:
        raise ImportInvalid(parsed)
    survey = wave.survey
    channels = {channel.name: channel for channel in survey.channels.all()}
    for name in parsed.new_channels:
        channels[name] = channel_create(survey=survey, name=name)
    responses = []
    for row in parsed.rows:
        channel_name = row.pop("channel", None)
        responses.append(
            Response(
                wave=wave,
                channel=channels[channel_name] if channel_name else None,
                source=Source.IMPORT,
                **row,
            )
        )
    Response.objects.bulk_create(responses, batch_size=1000)
    Wave.objects.filter(pk=wave.pk).update(imported_at=timezone.now())  # audit results stamp
    return len(responses)
