"""A wave's answers as a table, for CSV and XLSX exports."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from .. import library, stats
from ..models import Response, Wave
from .access import wave_threshold
from .figures import message_text


class ExportRefused(Exception):
    """The wave's answers cannot leave the app yet; the message says why."""


def wave_export(*, wave: Wave) -> tuple[list[str], list[list]]:
    """A wave's answers as a table.

    Anonymous surveys: only after the wave closes (A5) and with at least k answers (A2); rows
    in a random order without dates, and the team left empty for groups that the results
    page hides (A2, A3), so the file reveals nothing the page does not.
    """
    survey = wave.survey
    k = wave_threshold(wave)
    questions = library.questions_for(survey.blocks, teams=survey.teams)
    keys = [q.key for q in questions]
    responses = Response.objects.filter(wave=wave).select_related("channel")
    if survey.anonymous:
        if not wave.is_closed:
            raise ExportRefused(_("Anonymous answers can be exported after the wave closes."))
        total = responses.count()
        if total < k:
            raise ExportRefused(message_text(("hidden_below_threshold", {"k": k})))
        hidden: set[str] = set()
        if "team" in keys:
            sizes = dict(responses.values_list("team").annotate(n=Count("pk")).order_by())
            hidden = set(stats.suppress(sizes, k).hidden)
        header = ["channel", *keys]
        rows = [
            [
                response.channel.name if response.channel else "",
                *(
                    ("" if key == "team" and response.team in hidden else getattr(response, key))
                    for key in keys
                ),
            ]
            for response in responses.order_by("id").iterator(chunk_size=2000)
        ]
        return header, rows
    header = ["date", "channel", *keys]
    rows = [
        [
            response.submitted_on.isoformat(),
            response.channel.name if response.channel else "",
            *(getattr(response, key) for key in keys),
        ]
        for response in responses.order_by("submitted_on", "id").iterator(chunk_size=2000)
    ]
    return header, rows
