"""A wave's answers as a table, for CSV and XLSX exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from cxaudit import questions as rules
from cxaudit import stats

from .. import library
from ..models import Question, QuestionAnswer, QuestionChoice, Response, Wave
from ..models.themes import Theme
from ..policy import comments_held
from .access import wave_threshold
from .counts import wave_counts
from .figures import message_text
from .groups import HIDDEN_GROUP, group_dimension, hidden_groups
from .themes import themed_tags


class ExportRefused(Exception):
    """The wave's answers cannot leave the app yet; the message says why."""


def wave_export(
    *, wave: Wave, hidden_as_none: bool = False, window: tuple[int, int] | None = None
) -> tuple[list[str], list[list]]:
    """A wave's answers as a table; comments hidden by the consultant are left empty.

    ``hidden_as_none`` (the API) writes a hidden group as None instead of the translated
    ``[hidden group]`` marker; ``window`` (offset, limit: the API's pages) reads only those
    rows of the table, in the table's order; everything else is the same.

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

    Own questions (``_own_columns``) add a column each, named by the question's key, with
    the values ``cell_text`` writes (and the import reads back); formulas are escaped by
    the writers (``tabular.csv_bytes``, ``tabular.xlsx_bytes``). Under anonymity:

    - Answers that describe the respondent (one or several choices, yes/no:
      ``rules.ATTRIBUTES``) are left out. Each would be a second grouping column next to
      the team or channel, and the page breaks its figures down by such a question: "the
      page's figure for managers minus the file's rows of managers in Sales" would be the
      answers of the managers of the hidden teams, and two such columns cross-tabulate
      each other. Their figures are on the results page, under A2 and A3.
    - Text answers are comments: empty for hidden groups, while the wave's comments are
      held, and in a response whose comment the consultant hid (nobody has read the texts
      of that person, so none leaves).
    - The hidden groups are the union above extended with each own question's answers per
      group (A2, A3 on how many answered it), so the pool stays at 0 or at least k answers
      to every own question too; a column fewer than k answered is empty (A2).

    A survey with a codebook adds last columns ``themes`` and ``<key>.themes`` for each own
    text question: the keys of the comment's (or that text answer's) effective themes
    (``themes.themed_tags``), separated by ";", written only where the text itself is
    written, so each is empty wherever its text column is (hidden by the consultant, held,
    of a hidden group), anonymous or not.
    """
    survey = wave.survey
    questions = library.questions_for(survey.blocks, teams=survey.teams)
    keys = [q.key for q in questions]
    responses = Response.objects.filter(wave=wave)
    own = _own_columns(wave)
    if survey.anonymous:
        own = [column for column in own if column.question.kind not in rules.ATTRIBUTES]
    answers = _own_answers(wave, own)
    themes = _theme_cells(wave)
    if not survey.anonymous:
        header = ["date", "channel", *keys, *(column.name for column in own)]
        rows = [
            [
                values[1].isoformat(),
                values[2] or "",
                *(
                    ("" if values[3] and key == "comment" else value)
                    for key, value in zip(keys, values[4:], strict=True)
                ),
                *(cells := [column.cell(answers.get(values[0], {})) for column in own]),
                *_theme_cell(
                    themes,
                    values[0],
                    not values[3] and dict(zip(keys, values[4:], strict=True)).get("comment"),
                    own,
                    cells,
                ),
            ]
            for values in _rows(
                responses.order_by("submitted_on", "id").values_list(
                    "pk", "submitted_on", "channel__name", "comment_hidden", *keys
                ),
                window,
            )
        ]
        return [*header, *_theme_header(themes, own)], rows
    if not wave.is_closed:
        raise ExportRefused(_("Anonymous answers can be exported after the wave closes."))
    k = wave_threshold(wave)
    dimension = group_dimension(survey)
    tally = wave_counts(survey=survey, waves=[wave], by_channel=dimension == "channel")[wave.pk]
    if tally.total.n < k:
        raise ExportRefused(message_text(("hidden_below_threshold", {"k": k})))
    groups = tally.channels if dimension == "channel" else tally.teams if dimension else {}
    group_field = {"channel": "channel_id", "team": "team"}.get(dimension or "", "pk")
    hidden = hidden_groups(survey, groups, k=k) | _own_hidden_groups(
        wave, own, groups, group_field=group_field, k=k
    )
    marker = None if hidden_as_none else str(HIDDEN_GROUP)
    columns = [key for key in keys if key != "team" or dimension == "team"]
    header = ["channel", *columns] if dimension == "channel" else columns
    header = [*header, *(column.name for column in own)]
    thin_own = {column.name for column in own if column.respondents(answers) < k}
    # A question answered by fewer than k people is hidden on the page (A2): so is its column.
    thin = [
        key for key in columns if key in library.SCALE_QUESTIONS and tally.total.answered(key) < k
    ]
    held = comments_held(wave)
    rows = []
    for pk, group, channel_name, comment_hidden, *values in _rows(
        responses.order_by("id").values_list(
            "pk", group_field, "channel__name", "comment_hidden", *columns
        ),
        window,
    ):
        is_hidden = group in hidden
        row = dict(zip(columns, values, strict=True))
        row.update(dict.fromkeys(thin))
        if is_hidden or comment_hidden or held:
            row["comment"] = ""
        if dimension == "team" and is_hidden:
            row["team"] = marker
        given = answers.get(pk, {})
        own_cells = [
            ""
            if column.name in thin_own or (column.is_text and (is_hidden or comment_hidden or held))
            else column.cell(given)
            for column in own
        ]
        own_cells += _theme_cell(themes, pk, row.get("comment"), own, own_cells)
        if dimension == "channel":
            rows.append([marker if is_hidden else channel_name or "", *row.values(), *own_cells])
        else:
            rows.append([*row.values(), *own_cells])
    return [*header, *_theme_header(themes, own)], rows


def _rows(queryset, window: tuple[int, int] | None):
    """The table's rows from the database, all of them or one window."""
    if window is not None:
        offset, limit = window
        queryset = queryset[offset : offset + limit]
    return queryset.iterator(chunk_size=2000)


def _theme_cells(wave: Wave) -> dict | None:
    """The themes (keys joined by ";") of each response's comment, keyed ``(response, None)``,
    and of its own text answers, keyed ``(response, question)``; None without a codebook."""
    if not Theme.objects.filter(codebook__survey_id=wave.survey_id).exists():
        return None
    found: dict = defaultdict(list)
    for response_id, question_id, key in (
        themed_tags([wave])
        .order_by("theme__position", "theme__key")
        .values_list("response_id", "question_id", "theme__key")
    ):
        found[response_id, question_id].append(key)
    return {place: ";".join(keys) for place, keys in found.items()}


def _theme_header(themes: dict | None, own: list[OwnColumn]) -> list[str]:
    if themes is None:
        return []
    return ["themes", *(f"{column.name}.themes" for column in own if column.is_text)]


def _theme_cell(themes: dict | None, pk, comment, own: list[OwnColumn], cells) -> list[str]:
    """The ``themes`` cells, each filled only where its text cell is (see wave_export)."""
    if themes is None:
        return []
    texts = [
        themes.get((pk, column.question.pk), "") if cell else ""
        for column, cell in zip(own, cells, strict=True)
        if column.is_text
    ]
    return [themes.get((pk, None), "") if comment else "", *texts]


# --------------------------------------------------------------------------- own questions


@dataclass
class OwnColumn:
    """One own question's column: ``key`` for the current version, ``key.vN`` for an older
    version answered in the wave (so two meanings never share a column), in survey order
    with each key's older versions after it."""

    name: str
    question: Question
    spec: rules.QuestionSpec
    choice_keys: dict[int, str] = field(default_factory=dict)  # option pk to key

    @property
    def is_text(self) -> bool:
        return self.question.kind in rules.TEXTS

    def text(self, answer: rules.Answer) -> str | int:
        """``cell_text``; a rating stays a number, so a spreadsheet can compute with it
        (the CSV text is the same)."""
        if self.question.kind in rules.RATINGS and isinstance(answer, int):
            return answer
        return rules.cell_text(self.spec, answer)

    def cell(self, answers: dict[int, rules.Answer]) -> str | int:
        return self.text(answers.get(self.question.pk))

    def respondents(self, answers: dict) -> int:
        return sum(1 for given in answers.values() if self.question.pk in given)


def _own_columns(wave: Wave) -> list[OwnColumn]:
    """The survey's current own questions, and older versions answered in this wave, with
    their options (two queries)."""
    answered = QuestionAnswer.objects.filter(wave=wave).values("question_id")
    questions = list(
        Question.objects.filter(
            Q(survey_id=wave.survey_id, retired_at__isnull=True) | Q(pk__in=answered)
        ).order_by("position", "key", "version")
    )
    options: dict[int, list[QuestionChoice]] = defaultdict(list)
    for choice in QuestionChoice.objects.filter(question__in=questions).order_by("position", "pk"):
        options[choice.question_id].append(choice)
    current = [q for q in questions if q.retired_at is None]
    older = defaultdict(list)
    for q in questions:
        if q.retired_at is not None:
            older[q.key].append(q)
    ordered = []
    for q in current:
        ordered.append((q.key, q))
        ordered.extend((f"{q.key}.v{old.version}", old) for old in older.pop(q.key, []))
    for key in sorted(older, key=lambda key: (older[key][0].position, key)):
        ordered.extend((f"{key}.v{old.version}", old) for old in older[key])
    return [
        OwnColumn(
            name=name,
            question=q,
            spec=q.spec(options[q.pk]),
            choice_keys={choice.pk: choice.key for choice in options[q.pk]},
        )
        for name, q in ordered
    ]


def _own_answers(wave: Wave, own: list[OwnColumn]) -> dict:
    """Each response's own answers: response pk to {question pk: answer} (one query)."""
    if not own:
        return {}
    columns = {column.question.pk: column for column in own}
    found: dict = defaultdict(dict)
    picked: dict = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, number, choice_id, text in (
        QuestionAnswer.objects.filter(wave=wave)
        .values_list("response_id", "question_id", "number", "choice_id", "text")
        .iterator(chunk_size=5000)
    ):
        column = columns.get(question_id)
        if column is None:
            continue
        if choice_id is not None:
            picked[response_id][question_id].append(column.choice_keys[choice_id])
        elif number is not None:
            found[response_id][question_id] = number
        else:
            found[response_id][question_id] = text
    for response_id, by_question in picked.items():
        for question_id, keys in by_question.items():
            column = columns[question_id]
            if column.question.kind == rules.MULTIPLE:
                order = column.spec.choices
                found[response_id][question_id] = tuple(c for c in order if c in keys)
            else:
                found[response_id][question_id] = keys[0]
    return found


def _own_hidden_groups(
    wave: Wave, own: list[OwnColumn], groups: dict, *, group_field: str, k: int
) -> frozenset:
    """Groups A2/A3 hide in a breakdown of each own question's answers (how many of a
    group answered it: one grouped query), with ``groups.hidden_groups``' keys."""
    if not own or len(groups) < 2 or group_field == "pk":
        return frozenset()
    keys = {name: "-" if name is None else str(name) for name in groups}
    answered: dict = defaultdict(dict)
    for question_id, group, n in (
        QuestionAnswer.objects.filter(wave=wave)
        .values_list("question_id", f"response__{group_field}")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    ):
        answered[question_id][group] = n
    hidden: set = set()
    for per_group in answered.values():
        sizes = {keys[name]: per_group.get(name, 0) for name in groups}
        shown = stats.suppress(sizes, k).shown
        hidden.update(name for name in groups if not shown[keys[name]] and sizes[keys[name]])
    return frozenset(hidden)
