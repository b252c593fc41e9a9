"""Answers from respondents: the rate limit and the store, the public submit's hot path."""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.utils import timezone

from cxaudit import compiled, counters

from .. import library
from ..models import (
    Channel,
    InvitationUse,
    Response,
    Submission,
    Survey,
    Wave,
    WaveInvitation,
)


class WaveNotOpen(Exception):
    """The wave does not take answers now."""


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

    The submission token goes to its own table in the same statement as the response, with
    no link to it; the response keeps the day only (A7).

    An invitation is claimed first, in a transaction of its own that commits before the
    answer is stored in another, so no column links the use to the answer: not even
    PostgreSQL's ``xmin`` (one transaction, one xmin) or adjacent tuples written together.
    If the answer is not stored (its submission token was used already, or storing fails),
    the claim is released, so nothing is lost and the link works again; a second use of the
    invitation fails to claim it and stores nothing. A crash between the two transactions
    leaves the invitation used without an answer: lost, never counted twice.

    What remains is insertion order: each table's rows keep the order and the transaction
    ids (increasing, and here consecutive) they were written with until the rows are
    rewritten, as does the write-ahead log. Someone reading system columns with database
    access could pair "the n-th use" with "the answer written just after it"; the
    application never reads them, and responses are keyed by random UUIDs.

    Separate transactions need autocommit: called inside ``transaction.atomic`` (a test's
    transaction, say) both writes join the caller's transaction.
    """
    today = timezone.localdate()
    if wave.status_on(today) != Wave.Status.OPEN or not wave.takes_link_answers:
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
    if not _invitation_claim(invitation, day=today):
        return False
    stored = False
    try:
        stored = _response_store(response, submission_token=submission_token)
    finally:
        if not stored:
            InvitationUse.objects.filter(invitation=invitation).delete()
    return stored


def _invitation_claim(invitation: WaveInvitation, *, day) -> bool:
    """Mark the invitation used, committed on its own; False if it was used already."""
    try:
        with transaction.atomic():
            InvitationUse.objects.create(invitation=invitation, used_on=day)
    except IntegrityError:
        return False
    return True


@functools.cache
def _store_sql(vendor: str) -> tuple[str, ...]:
    """The statements of ``_response_store``, built once per database from the models.

    The last one claims the submission token, only if the wave is open on the answer's day
    (and, in an anonymous survey, holds no imported answers: ``Wave.takes_link_answers``),
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
            f"AND closes_on >= {day} AND (imported_at IS NULL OR survey_id IN "
            f"(SELECT id FROM {quote(Survey._meta.db_table)} WHERE NOT anonymous)) "
            "ON CONFLICT (token) DO NOTHING"
        )

    insert = f"INSERT INTO {quote(Response._meta.db_table)} ({columns})"
    if vendor == "postgresql":

        def typed(field) -> str:  # a SELECT list's parameters are typed by casts
            return f"CAST(%s AS {field.cast_db_type(connection)})"

        submission = Submission._meta
        claimed = claim(typed(submission.pk), typed(submission.get_field("created_on")), "%s")
        values = ", ".join(typed(field) for field in fields)
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
    if (
        not stored
        and not Wave.objects.taking_link_answers_on(day).filter(pk=response.wave_id).exists()
    ):
        raise WaveNotOpen
    return stored
