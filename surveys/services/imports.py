"""CSV imports of paper answers into a wave: all rows or none, under the anonymity rules."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import own_answers, selectors
from ..models import QuestionAnswer, Response, Source, Wave
from .surveys import channel_create


class ImportInvalid(Exception):
    def __init__(self, parsed):
        super().__init__("; ".join(parsed.errors[:5]))
        self.parsed = parsed


class ImportRefused(Exception):
    """This wave takes no import now; the message says why."""


def wave_import_refusal(*, wave: Wave) -> str:
    """Why ``wave`` takes no import now, or "" when it does.

    - A closed wave takes none: its results are out (A5), and rows added afterwards would
      change figures people have already read.
    - In an anonymous survey a wave is answered either through the app or on paper, never
      both: no import into a wave with answers from its links, and no answers through the
      links once it holds imported ones (``Wave.takes_link_answers``, checked again on the
      stored wave in the transaction that stores an answer). Whoever imports typed every
      imported row, so mixing would let them add known rows to push a small team over k
      and read the real answers by subtraction. In a paper-only wave there is nothing to
      subtract from, and the same k rules apply to it as to any wave; a company that also
      wants link answers runs them in another wave.

    Left open: a link answer whose store is already running while an import commits can
    still land (the store read the wave before the stamp). Closing that would take a row
    lock on the wave in every public submit; the window is one short transaction long, and
    the importer cannot choose which team's answer falls into it.
    """
    if wave.is_closed:
        return _("This wave is closed: no more responses can be imported into it.")
    if (
        wave.survey.anonymous
        and Response.objects.filter(wave=wave).exclude(source=Source.IMPORT).exists()
    ):
        return _(
            "This anonymous wave already has answers from its survey links. Import paper "
            "answers into a wave of their own, so that imported rows cannot be used to "
            "work out anyone's answers."
        )
    return ""


def wave_import_check(*, wave: Wave, data: bytes, questions=None):
    """Parse a CSV for this wave without storing anything (the preview); columns named by
    a current own question's key carry its answers (read fresh, not the public cache)."""
    from .. import imports

    survey = wave.survey
    return imports.parse(
        data,
        blocks=survey.blocks,
        teams=survey.teams,
        opens_on=wave.opens_on,
        closes_on=wave.closes_on,
        channels=list(survey.channels.values_list("name", flat=True)),
        own_questions=(
            questions if questions is not None else selectors.respond_questions_uncached(survey.pk)
        ),
    )


@transaction.atomic
def wave_import(*, wave: Wave, data: bytes) -> int:
    """Store every row of the file, or none: any invalid row raises ``ImportInvalid``; a wave
    that takes no import (``wave_import_refusal``) raises ``ImportRefused``."""
    Wave.objects.select_for_update().filter(pk=wave.pk).first()  # one import at a time
    refusal = wave_import_refusal(wave=wave)
    if refusal:
        raise ImportRefused(refusal)
    questions = selectors.respond_questions_uncached(wave.survey_id)
    parsed = wave_import_check(wave=wave, data=data, questions=questions)
    if not parsed.ok:
        raise ImportInvalid(parsed)
    survey = wave.survey
    # Stamped first: from here the insert of a link answer refuses an anonymous wave.
    Wave.objects.filter(pk=wave.pk).update(imported_at=timezone.now())  # audit results stamp
    channels = {channel.name: channel for channel in survey.channels.all()}
    for name in parsed.new_channels:
        channels[name] = channel_create(survey=survey, name=name)
    responses, answers = [], []
    for row in parsed.rows:
        channel_name = row.pop("channel", None)
        own = row.pop("own", {})
        response = Response(
            wave=wave,
            channel=channels[channel_name] if channel_name else None,
            source=Source.IMPORT,
            **row,
        )
        responses.append(response)
        answers.extend(own_answers.rows(response=response, questions=questions, answers=own))
    Response.objects.bulk_create(responses, batch_size=1000)
    QuestionAnswer.objects.bulk_create(answers, batch_size=2000)
    selectors.wave_cache_clear()
    return len(responses)
