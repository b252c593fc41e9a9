"""Reading a CSV of responses collected elsewhere: UTF-8 or Windows-1251, comma or semicolon.

``parse`` never writes; it returns the rows it understood and every problem with its row
number (the header is row 1, as in a spreadsheet). The service stores all rows or none.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats
from django.utils.translation import gettext as _

from cxaudit import questions as rules
from cxaudit import tabular

from . import library, own_answers
from .selectors.respond import OwnQuestion

MAX_ROWS = 50_000
MAX_ERRORS = 50

ALIASES = {
    "date": "date",
    "дата": "date",
    "channel": "channel",
    "канал": "channel",
    "comment": "comment",
    "комментарий": "comment",
    "nps": "nps",
    "csat": "csat",
    "ces": "ces",
    "enps": "enps",
    "state_at_work": "state_at_work",
    "process_ease": "process_ease",
    "exit_reason": "exit_reason",
    "exit_where": "exit_where",
    "team": "team",
    "команда": "team",
    "отдел": "team",
}


@dataclass
class ParsedImport:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    new_channels: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    own_specs: dict[str, rules.QuestionSpec] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def preview(self, limit: int = 20) -> list[list]:
        """The first rows as the file's columns read, for the page shown before confirming."""
        return [
            [
                rules.cell_text(self.own_specs[column], row["own"].get(column))
                if column in self.own_specs
                else row.get("submitted_on" if column == "date" else column, "")
                for column in self.columns
            ]
            for row in self.rows[:limit]
        ]


def _date(raw: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(raw, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def _score_error(key: str, row: int, raw: str) -> str:
    question = library.SCALE_QUESTIONS[key]
    if key == "nps":
        return _("Row %(row)d: the recommendation score must be a whole number from 0 to 10.") % {
            "row": row
        }
    if key == "csat":
        return _("CSAT uses a 1–5 scale; row %(row)d has %(value)s.") % {"row": row, "value": raw}
    if key == "ces":
        return _("This survey uses the CES 2.0 1–7 scale; row %(row)d has %(value)s.") % {
            "row": row,
            "value": raw,
        }
    return _("Row %(row)d: %(column)s must be a whole number from %(low)d to %(high)d.") % {
        "row": row,
        "column": key,
        "low": question.low,
        "high": question.high,
    }


def _choice(question: library.Question, raw: str, teams: list[str]) -> str | None:
    wanted = raw.casefold()
    if question.key == "team":
        return next((team for team in teams if team.casefold() == wanted), None)
    for key, text in question.choices:
        if wanted in {key, *(label.casefold() for label in text.values())}:
            return key
    return None


def _own_error(problem: rules.Problem, *, row: int, column: str, raw: str, spec) -> str:
    """A refused own answer: the row, the column and what is wrong."""
    where = {"row": row, "column": column, "value": raw}
    if problem.message in ("not_a_number", "off_scale") and spec.kind == rules.YES_NO:
        return _("Row %(row)d, column “%(column)s”: “%(value)s” is not yes or no.") % where
    if problem.message in ("not_a_number", "off_scale"):
        return _(
            "Row %(row)d, column “%(column)s”: “%(value)s” is not a whole number from "
            "%(low)d to %(high)d."
        ) % {**where, "low": spec.scale.start, "high": spec.scale.stop - 1}
    if problem.message == "not_a_choice":
        return _(
            "Row %(row)d, column “%(column)s”: “%(value)s” is not one of the answers "
            "(%(choices)s; several separated by “;”)."
        ) % {**where, "choices": ", ".join(spec.choices)}
    if problem.message == "too_long":
        return _(
            "Row %(row)d, column “%(column)s”: the text has %(length)d characters, at most %(max)d."
        ) % {**where, **problem.params}
    return _("Row %(row)d, column “%(column)s”: %(problem)s") % {
        **where,
        "problem": own_answers.problem_text(problem),
    }


def parse(
    data: bytes,
    *,
    blocks: list[str],
    teams: list[str],
    opens_on: date,
    closes_on: date,
    channels: list[str],
    own_questions: Sequence[OwnQuestion] = (),
) -> ParsedImport:
    """``own_questions``: the survey's current own questions; a column named by one's key
    holds its answers, read as the export writes them (``rules.cell_value``) and checked
    like the form's (``rules.check_answers``, conditions per row: an answer to a question
    the row's answers do not show is dropped). As for the built-in questions, no answer is
    required of a row: paper respondents skip questions. A column of an older version
    (``key.v1`` in the export) is an unknown column: answers go to current versions only."""
    text, encoding = tabular.decode(data)
    delimiter = tabular.sniff_delimiter(text)
    result = ParsedImport(encoding=encoding, delimiter=delimiter)
    try:
        rows = list(tabular.csv_reader(text, delimiter))
    except csv.Error:
        result.errors.append(_("The file is not a readable CSV file."))
        return result
    header = rows[0] if rows else None
    if not header or not any(cell.strip() for cell in header):
        result.errors.append(_("The file is empty."))
        return result
    if any("\x00" in cell for cell in header):
        result.errors.append(
            _("Row %(row)d contains a NUL character, which cannot be stored.") % {"row": 1}
        )
        return result
    questions = {q.key: q for q in library.questions_for(blocks, teams=teams)}
    own = {q.key: q for q in own_questions}
    allowed = {"date", "channel", *questions, *own}
    columns: list[str] = []
    for cell in header:
        name = ALIASES.get(cell.strip().casefold(), cell.strip())
        if name.casefold() in own:
            name = name.casefold()
        if name not in allowed:
            result.errors.append(
                _("Unknown column “%(column)s”. This survey accepts: %(allowed)s.")
                % {"column": cell.strip(), "allowed": ", ".join(sorted(allowed))}
            )
        columns.append(name)
    if "date" not in columns:
        result.errors.append(_("The file needs a “date” column."))
    result.columns = columns
    if result.errors:
        return result
    own_columns = [own[name] for name in own if name in columns]  # in survey order
    # No answer is required of an imported row (see above).
    specs = [dataclasses.replace(q.spec, required=False) for q in own_columns]
    result.own_specs = {spec.key: spec for spec in specs}
    known_channels = {name.casefold(): name for name in channels}
    new_channels: dict[str, str] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            break
        errors: list[str] = []
        if any("\x00" in cell for cell in cells):
            result.errors.append(
                _("Row %(row)d contains a NUL character, which cannot be stored.") % {"row": number}
            )
            continue
        values = dict(zip(columns, (cell.strip() for cell in cells), strict=False))
        if len(cells) > len(columns):
            errors.append(_("Row %(row)d has more cells than the header.") % {"row": number})
        row: dict = {}
        when = _date(values.get("date", ""))
        if when is None:
            errors.append(
                _("Row %(row)d: the date must look like 2025-03-31 or 31.03.2025.")
                % {"row": number}
            )
        elif not opens_on <= when <= closes_on:
            errors.append(
                _("Row %(row)d: %(date)s is outside the wave (%(opens)s – %(closes)s).")
                % {
                    "row": number,
                    "date": formats.date_format(when, "SHORT_DATE_FORMAT"),
                    "opens": formats.date_format(opens_on, "SHORT_DATE_FORMAT"),
                    "closes": formats.date_format(closes_on, "SHORT_DATE_FORMAT"),
                }
            )
        row["submitted_on"] = when
        channel = " ".join(values.get("channel", "").split())
        if len(channel) > library.CHANNEL_NAME_MAX_LENGTH:
            errors.append(
                _("Row %(row)d: the channel name is longer than %(max)d characters.")
                % {"row": number, "max": library.CHANNEL_NAME_MAX_LENGTH}
            )
            channel = ""
        if channel:
            if channel.casefold() not in known_channels:
                new_channels.setdefault(channel.casefold(), channel)
            row["channel"] = (
                known_channels.get(channel.casefold()) or new_channels[channel.casefold()]
            )
        answered = False
        for key, question in questions.items():
            raw = values.get(key, "")
            if not raw:
                continue
            if question.kind == "scale":
                try:
                    value = int(raw)
                except ValueError:
                    value = None
                if value is None or value not in question.scale:
                    errors.append(_score_error(key, number, raw))
                    continue
                row[key] = value
                answered = True
            elif question.kind == "choice":
                value = _choice(question, raw, teams)
                if value is None:
                    errors.append(
                        _("Row %(row)d: “%(value)s” is not one of the answers to %(column)s.")
                        % {"row": number, "value": raw, "column": key}
                    )
                    continue
                row[key] = value
                answered = answered or key != "team"
            else:
                if len(raw) > library.COMMENT_MAX_LENGTH:
                    errors.append(
                        _("Row %(row)d: the comment is longer than %(max)d characters.")
                        % {"row": number, "max": library.COMMENT_MAX_LENGTH}
                    )
                    continue
                row[key] = raw
                answered = True
        if specs:
            raw_own = {spec.key: rules.cell_value(spec, values.get(spec.key, "")) for spec in specs}
            checked = rules.check_answers(specs, raw_own, given=own_answers.given(row))
            for key, problem in checked.errors.items():
                errors.append(
                    _own_error(
                        problem, row=number, column=key, raw=values.get(key, ""), spec=own[key].spec
                    )
                )
            row["own"] = checked.answers
            answered = answered or bool(checked.answers)
        else:
            row["own"] = {}
        if not answered and not errors:
            errors.append(_("Row %(row)d has no answers.") % {"row": number})
        if errors:
            result.errors.extend(errors)
        else:
            result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no rows of answers."))
    result.new_channels = sorted(new_channels.values())
    return result
