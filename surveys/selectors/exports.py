"""A wave's answers as a table, for CSV and XLSX exports."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .. import library
from ..models import Response, Wave
from .access import comments_held, wave_threshold
from .counts import wave_counts
from .figures import message_text
from .groups import HIDDEN_GROUP, group_dimension, hidden_groups


class ExportRefused(Exception):
    """The wave's answers cannot leave the app yet; the message says why."""


def wave_export(*, wave: Wave) -> tuple[list[str], list[list]]:
    """A wave's answers as a table; comments hidden by the consultant are left empty.

    Anonymous surveys: only after the wave closes (A5) and with at least k answers (A2); rows
    in a random order without dates. The file reveals nothing the results page does not:

    - It has ONE grouping column (A4): the team in an employee survey with teams, the
      channel in a customer survey, none in an employee survey without teams (whose page
      breaks down by nothing). With two columns a reader could count team × channel cells,
      a cross-tabulation the page never shows, and single out a person.
    - A group hidden on the page (A2, A3 in any metric's breakdown, or by its number of
      responses; ``groups.hidden_groups``) is written as the translated marker
      ``[hidden group]``, never its name, so all hidden groups form one pool. That pool
      holds 0 or at least k answers to each metric, so subtracting the page's visible groups
      from the file's rows leaves nothing smaller than k. The marker differs from an empty
      cell, which means "team not given" or "main link".
    - Comments of hidden groups are left empty (A6), as on the page, and so is the column
      of a question fewer than k people answered (A2: the page hides its figure).
    - Employee comments the consultant has not released yet are left empty
      (``comments_held``); so are those the consultant hid.
    """
    survey = wave.survey
    questions = library.questions_for(survey.blocks, teams=survey.teams)
    keys = [q.key for q in questions]
    responses = Response.objects.filter(wave=wave)
    if not survey.anonymous:
        header = ["date", "channel", *keys]
        rows = [
            [
                values[0].isoformat(),
                values[1] or "",
                *(
                    ("" if values[2] and key == "comment" else value)
                    for key, value in zip(keys, values[3:], strict=True)
                ),
            ]
            for values in responses.order_by("submitted_on", "id")
            .values_list("submitted_on", "channel__name", "comment_hidden", *keys)
            .iterator(chunk_size=2000)
        ]
        return header, rows
    if not wave.is_closed:
        raise ExportRefused(_("Anonymous answers can be exported after the wave closes."))
    k = wave_threshold(wave)
    dimension = group_dimension(survey)
    tally = wave_counts(survey=survey, waves=[wave], by_channel=dimension == "channel")[wave.pk]
    if tally.total.n < k:
        raise ExportRefused(message_text(("hidden_below_threshold", {"k": k})))
    groups = tally.channels if dimension == "channel" else tally.teams if dimension else {}
    hidden = hidden_groups(survey, groups, k=k)
    marker = str(HIDDEN_GROUP)
    columns = [key for key in keys if key != "team" or dimension == "team"]
    header = ["channel", *columns] if dimension == "channel" else columns
    # A question answered by fewer than k people is hidden on the page (A2): so is its column.
    thin = [
        key for key in columns if key in library.SCALE_QUESTIONS and tally.total.answered(key) < k
    ]
    group_field = {"channel": "channel_id", "team": "team"}.get(dimension or "", "pk")
    held = comments_held(wave)
    rows = []
    for group, channel_name, comment_hidden, *values in (
        responses.order_by("id")
        .values_list(group_field, "channel__name", "comment_hidden", *columns)
        .iterator(chunk_size=2000)
    ):
        is_hidden = group in hidden
        row = dict(zip(columns, values, strict=True))
        row.update(dict.fromkeys(thin))
        if is_hidden or comment_hidden or held:
            row["comment"] = ""
        if dimension == "team" and is_hidden:
            row["team"] = marker
        if dimension == "channel":
            rows.append([marker if is_hidden else channel_name or "", *row.values()])
        else:
            rows.append(list(row.values()))
    return header, rows
