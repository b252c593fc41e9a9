"""Answers from respondents: the rate limit and the store, the public submit's hot path."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from cxaudit import events
from cxaudit.caching import UNAVAILABLE

from .. import library, own_answers
from ..models import (
    Channel,
    InvitationUse,
    QuestionAnswer,
    Response,
    Submission,
    Wave,
    WaveInvitation,
)
from ..selectors.respond import OwnQuestion, questions_unchanged

logger = logging.getLogger(__name__)


class WaveNotOpen(Exception):
    """The wave does not take answers now."""


class AnswersInvalid(Exception):
    """Answers to own questions were refused: ``errors`` maps a question key to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class QuestionsChanged(Exception):
    """The own questions changed while the respondent answered; nothing was stored."""


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
    return _count(f"surveys:rate:{digest}", window) > limit


def _count(key: str, window: int) -> int:
    """Add one to the counter ``key`` in the default cache and return it; the counter starts
    with the first call and is gone ``window`` seconds later. Returns 0, and logs, when the
    cache server is down: a limit is not worth refusing a legitimate answer for.

    ``incr`` comes first: under load most calls count a client seen before (retries, the
    floods the limit is for), one cache call each; a new key costs an ``add`` more."""
    try:
        try:
            count = cache.incr(key)
        except ValueError:  # the first call of the window
            if cache.add(key, 1, timeout=window):
                return 1
            count = cache.incr(key)  # another request started the window just now
        if count == 1:  # expired between incr's check and its increment: no expiry yet
            cache.touch(key, window)
        return count
    except UNAVAILABLE as error:
        logger.warning("The rate limit's cache is unavailable; %s was not counted: %s", key, error)
        return 0


def response_submit(
    *,
    wave: Wave,
    submission_token: str,
    answers: dict,
    channel: Channel | None = None,
    invitation: WaveInvitation | None = None,
    questions: Sequence[OwnQuestion] = (),
    own: Mapping[str, object] | None = None,
) -> bool:
    """Store one response; False when this form (or invitation) was already used.

    ``questions`` are the survey's current own questions as the page asked them
    (``selectors.respond_questions``) and ``own`` the raw answers to them by key. They are
    checked first, with no query (``AnswersInvalid`` lists the refusals): an answer to a
    question whose condition is not met is dropped, and such a question is never required.
    Their rows are stored with one bulk insert in the response's transaction, so exactly
    once goes for them too; ``QuestionsChanged`` when the questions written to changed in
    the meantime (nothing is stored then). With no own questions the queries are those of
    a response alone.

    The submission token goes to its own table in the same transaction as the response,
    with no link to it; the response keeps the day only (A7).

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
        raise WaveNotOpen  # on the caller's copy: refused before any query
    fields = {key: answers.get(key) for key in library.SCALE_QUESTIONS}
    fields.update(
        {key: answers.get(key) or "" for key in ("exit_reason", "exit_where", "team", "comment")}
    )
    checked = own_answers.check(questions, own or {}, built_in=answers) if questions else None
    if checked is not None and checked.errors:
        raise AnswersInvalid(
            {key: own_answers.problem_text(problem) for key, problem in checked.errors.items()}
        )
    response = Response(wave=wave, channel=channel, submitted_on=today, **fields)
    # The wave and channel were just loaded: checking them again would cost two queries.
    response.full_clean(
        exclude=["wave", "channel"], validate_unique=False, validate_constraints=False
    )
    rows = (
        own_answers.rows(response=response, questions=questions, answers=checked.answers)
        if checked is not None
        else []
    )
    if invitation is None:
        stored = _response_store(
            response, submission_token=submission_token, rows=rows, questions=questions
        )
    elif not _invitation_claim(invitation, day=today):
        return False
    else:
        stored = False
        try:
            stored = _response_store(
                response, submission_token=submission_token, rows=rows, questions=questions
            )
        finally:
            if not stored:
                InvitationUse.objects.filter(invitation=invitation).delete()
    if stored:
        _response_announce(response, wave=wave)
    return stored


def _response_announce(response: Response, *, wave: Wave) -> None:
    """The "response received" event for webhooks (its data made only if someone listens).

    An anonymous survey's event carries only the wave's running count of responses, and
    only every ``WEBHOOK_ANONYMOUS_EVERY``-th response (its ``created`` is the day): no
    answer, no response id, nothing per respondent, and its timing tells no one which
    answer is whose. A named survey's event carries the response's id, day and scores."""
    survey = wave.survey
    if survey.anonymous:

        def data() -> dict | None:
            count = Response.objects.filter(wave_id=wave.pk).count()
            if count % max(1, settings.WEBHOOK_ANONYMOUS_EVERY):
                return None
            return {
                "wave_id": wave.pk,
                "survey_id": survey.pk,
                "anonymous": True,
                "responses": count,
            }

    else:

        def data() -> dict | None:
            return {
                "wave_id": wave.pk,
                "survey_id": survey.pk,
                "anonymous": False,
                "response_id": str(response.pk),
                "submitted_on": response.submitted_on.isoformat(),
                "scores": {key: getattr(response, key) for key in library.SCALE_QUESTIONS},
            }

    events.emit(company_id=survey.company_id, event=events.RESPONSE_RECEIVED, data=data)


def _invitation_claim(invitation: WaveInvitation, *, day: date) -> bool:
    """Mark the invitation used, committed on its own; False if it was used already."""
    try:
        with transaction.atomic():
            InvitationUse.objects.create(invitation=invitation, used_on=day)
    except IntegrityError:
        return False
    return True


def _response_store(
    response: Response,
    *,
    submission_token: str,
    rows: Sequence[QuestionAnswer] = (),
    questions: Sequence[OwnQuestion] = (),
) -> bool:
    """Store ``response`` once per submission token. True if stored; False if the token was
    used already; ``WaveNotOpen`` if the wave is not open on the response's day (the wave the
    caller holds may be a cached copy).

    One transaction: the wave is read again, the token claimed (its primary key makes a
    second claim fail) and the answer inserted with its own-question rows (one bulk
    insert), all or nothing, with no link between the token and the answer. Before, the
    questions and options the rows write to are checked to be as the page had them
    (``QuestionsChanged`` otherwise). A question or option deleted between that check and
    the commit fails the commit (PostgreSQL checks foreign keys then) and reads as a used
    token: one short transaction's window, for an edit of a question nobody has answered.
    """
    day = response.submitted_on
    try:
        with transaction.atomic():
            if not _takes_link_answers(response.wave_id, day=day):
                raise WaveNotOpen
            if rows:
                kinds, choices = own_answers.used(rows, questions)
                if not questions_unchanged(kinds=kinds, choices=choices):
                    raise QuestionsChanged
            Submission.objects.create(
                token=submission_token, wave_id=response.wave_id, created_on=day
            )
            response.save(force_insert=True)
            if rows:
                QuestionAnswer.objects.bulk_create(list(rows))
    except IntegrityError:
        return False
    return True


def _takes_link_answers(wave_id: int, *, day: date) -> bool:
    """Whether the wave as stored now takes answers through its links on ``day``: the same
    rules as on the caller's (possibly cached) copy, on the columns they read only."""
    try:
        wave = (
            Wave.objects.select_related("survey")
            .only("opens_on", "closes_on", "closed_at", "imported_at", "survey__anonymous")
            .get(pk=wave_id)
        )
    except Wave.DoesNotExist:
        return False
    return wave.status_on(day) == Wave.Status.OPEN and wave.takes_link_answers
