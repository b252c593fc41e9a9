"""The all-or-nothing CSV import of metric periods: parse and check every row, then store.

Each row is checked as the entry form would check it (``periods.metric_period_check``); a
file with any problem stores nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cxaudit import tabular
from cxaudit.accounts.models import Organisation, User

from .. import inputs, messages
from ..models import (
    DurationUnit,
    MetricPeriod,
    MetricPeriodMonth,
    months_covered,
    parse_period_code,
)
from .periods import (
    MetricPeriodInvalid,
    PeriodEntry,
    SaveResult,
    _require_company,
    _shape_errors,
    metric_period_check,
    metric_period_create,
    metric_period_update,
    overlap_message,
)

IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_MAX_ROWS = 500

CSV_COLUMNS: tuple[str, ...] = (
    "period",
    *inputs.BALANCE,
    "currency",
    "revenue",
    "support_cost",
    "acquisition_spend",
    "avg_purchase_value",
    "margin_pct",
    "purchases_per_year",
    "lifespan_years",
    "repeat_customers",
    "buying_customers",
    "cases_opened",
    "cases_resolved",
    "cases_first_contact",
    "frt_median",
    "frt_median_unit",
    "frt_mean",
    "frt_mean_unit",
    "frt_business_hours",
    "handling_time",
    "handling_time_unit",
    "handled_contacts",
    "qa_scorecard",
)
TRUE_WORDS = {"1", "yes", "y", "true", "да", "д", "x", "+"}
FALSE_WORDS = {"", "0", "no", "n", "false", "нет", "н", "-"}
UNIT_WORDS = {
    **{unit: unit for unit in DurationUnit.values},
    "s": "seconds", "sec": "seconds", "second": "seconds", "с": "seconds", "сек": "seconds",
    "секунды": "seconds", "секунд": "seconds",
    "m": "minutes", "min": "minutes", "minute": "minutes", "мин": "minutes",
    "минуты": "minutes", "минут": "minutes",
    "h": "hours", "hour": "hours", "ч": "hours", "час": "hours", "часы": "hours",
    "часов": "hours",
    "d": "days", "day": "days", "д": "days", "дн": "days", "дни": "days", "дней": "days",
}  # fmt: skip


@dataclass
class ImportRow:
    number: int  # line in the file; the header is line 1
    code: str
    entry: PeriodEntry | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    replaces: MetricPeriod | None = None
    derived: str | None = None
    derived_value: int | None = None

    @property
    def label(self) -> str:
        return self.entry.label if self.entry else self.code


@dataclass
class ImportPreview:
    text: str = ""
    encoding: str = ""
    delimiter: str = ","
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the whole file

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems and not any(r.problems for r in self.rows)

    @property
    def rows_with_problems(self) -> list[ImportRow]:
        return [row for row in self.rows if row.problems]


class MetricImportRejected(ValidationError):
    """The file has problems; nothing was stored."""

    def __init__(self, preview: ImportPreview) -> None:
        self.preview = preview
        lines = list(preview.problems)
        for row in preview.rows_with_problems:
            lines.extend(
                _("Row %(row)d: %(problem)s") % {"row": row.number, "problem": problem}
                for problem in row.problems
            )
        super().__init__(lines or [_("The file holds no periods.")])


def _parse_number(text: str) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text).replace(",", ".")
    number = Decimal(cleaned)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _parse_qa(text: str) -> list[dict[str, Any]]:
    rows = []
    for part in text.split("|"):
        if not part.strip():
            continue
        pieces = part.rsplit(":", 3)
        if len(pieces) != 4:
            raise ValueError
        category, weight, passed, checked = (piece.strip() for piece in pieces)
        rows.append(
            {
                "category": category,
                "weight": _parse_number(weight),
                "passed": _parse_number(passed),
                "checked": _parse_number(checked),
            }
        )
    return rows


def _row_values(cells: dict[str, str], problems: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}

    def bad(name: str, text: str) -> None:
        problems.append(
            _("%(field)s: “%(value)s” is not a number.")
            % {"field": messages.field_label(name), "value": text}
        )

    for name in inputs.NUMBERS:
        text = cells.get(name, "").strip()
        if text:
            try:
                values[name] = _parse_number(text)
            except (InvalidOperation, ValueError):
                bad(name, text)
    for name in inputs.DURATIONS:
        text = cells.get(name, "").strip()
        unit_text = cells.get(f"{name}_unit", "").strip().lower().rstrip(".")
        if not text:
            continue
        unit = UNIT_WORDS.get(unit_text)
        if unit_text and unit is None:
            problems.append(
                _("%(field)s: unknown unit “%(unit)s”; use seconds, minutes, hours or days.")
                % {"field": messages.field_label(name), "unit": unit_text}
            )
            continue
        try:
            values[name] = (_parse_number(text), unit)
        except (InvalidOperation, ValueError):
            bad(name, text)
    flag = cells.get("frt_business_hours", "").strip().lower()
    if flag in TRUE_WORDS | FALSE_WORDS:
        values["frt_business_hours"] = flag in TRUE_WORDS
    else:
        problems.append(
            _("%(field)s: write yes or no.") % {"field": messages.field_label("frt_business_hours")}
        )
    values["currency"] = (cells.get("currency", "").strip() or "RUB").upper()
    qa = cells.get("qa_scorecard", "").strip()
    if qa[:1] == "'" and qa[1:2] in ("=", "+", "-", "@"):
        qa = qa[1:]  # escaped against formula injection by our export
    if qa:
        try:
            values["qa_scorecard"] = _parse_qa(qa)
        except (InvalidOperation, ValueError):
            problems.append(
                _("QA scorecard: write categories as name:weight:passed:checked, separated by |.")
            )
    return values


def _check_row(row: ImportRow) -> None:
    assert row.entry is not None  # noqa: S101 - only rows with an entry are checked
    check = metric_period_check(entry=row.entry)
    for issue in check.errors:
        text = messages.sentence(issue.key, issue.params)
        if len(issue.fields) == 1:
            text = messages.field_sentence(issue.fields[0], issue.key, issue.params)
        if text not in row.problems:
            row.problems.append(text)
    for texts in _shape_errors(row.entry.values).values():
        row.problems.extend(texts)
    row.warnings = list(
        dict.fromkeys(messages.sentence(issue.key, issue.params) for issue in check.warnings)
    )
    row.derived, row.derived_value = check.derived, check.derived_value


def metric_import_parse(
    *, company: Organisation, raw: bytes | str, replace: bool = False
) -> ImportPreview:
    """Read a CSV of periods and check every row as the entry form would; stores nothing."""
    preview = ImportPreview()
    if isinstance(raw, bytes):
        if len(raw) > IMPORT_MAX_BYTES:
            preview.problems.append(_("The file is larger than 1 MB."))
            return preview
        preview.text, preview.encoding = tabular.decode(raw)
    else:
        preview.text, preview.encoding = raw.lstrip("\ufeff"), "UTF-8"
    preview.delimiter = tabular.sniff_delimiter(preview.text)
    reader = tabular.csv_reader(preview.text, preview.delimiter)
    try:
        lines = [(reader.line_num, cells) for cells in reader]
    except csv.Error:
        preview.problems.append(_("The file is not a readable CSV file."))
        return preview
    lines = [(number, cells) for number, cells in lines if any(c.strip() for c in cells)]
    if not lines:
        preview.problems.append(_("The file holds no periods."))
        return preview
    header = [cell.strip().lower() for cell in lines[0][1]]
    unknown = [name for name in header if name and name not in CSV_COLUMNS]
    if "period" not in header:
        preview.problems.append(_("The first row must name the columns, including “period”."))
    if unknown:
        preview.problems.append(
            _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    if len(lines) - 1 > IMPORT_MAX_ROWS:
        preview.problems.append(
            _("The file has more than %(count)d periods.") % {"count": IMPORT_MAX_ROWS}
        )
    if preview.problems:
        return preview

    existing = {(p.kind, p.starts_on): p for p in MetricPeriod.objects.filter(company=company)}
    covered = {
        m.month: m.period_id
        for m in MetricPeriodMonth.objects.filter(company=company).only("month", "period_id")
    }
    by_id = {p.pk: p for p in existing.values()}
    in_file: dict[date, ImportRow] = {}
    for number, cells in lines[1:]:
        if len(cells) > len(header):
            row = ImportRow(number=number, code="")
            row.problems.append(_("The row has more cells than the header."))
            preview.rows.append(row)
            continue
        named = dict(zip(header, cells, strict=False))
        code = named.get("period", "").strip()
        row = ImportRow(number=number, code=code)
        preview.rows.append(row)
        parsed = parse_period_code(code)
        values = _row_values(named, row.problems)
        if parsed is None:
            row.problems.append(
                _("Period “%(code)s”: write a month as 2025-03 or a quarter as 2025-Q1.")
                % {"code": code}
            )
            continue
        row.entry = PeriodEntry(*parsed, values=values)
        if row.problems:
            continue
        _check_row(row)
        months = months_covered(row.entry.starts_on, row.entry.ends_on)
        for month in months:
            if month in in_file:
                row.problems.append(
                    _("%(period)s overlaps %(other)s in row %(row)d.")
                    % {
                        "period": row.label,
                        "other": in_file[month].label,
                        "row": in_file[month].number,
                    }
                )
                break
        for month in months:
            in_file.setdefault(month, row)
        same = existing.get((row.entry.kind, row.entry.starts_on))
        if same is not None and replace:
            row.replaces = same
            others = {covered[m] for m in months if m in covered} - {same.pk}
        else:
            others = {covered[m] for m in months if m in covered}
        if others:
            clash = min((by_id[pk] for pk in others), key=lambda p: p.starts_on)
            text = overlap_message(row.label, clash)
            if clash is same:
                text += " " + _("Tick “Replace periods already recorded” to overwrite it.")
            row.problems.append(text)
    return preview


@transaction.atomic
def metric_import_commit(
    *, company: Organisation, text: str, replace: bool, by: User | None
) -> list[SaveResult]:
    """Store every period of the file, or none: any problem raises ``MetricImportRejected``."""
    _require_company(company)
    preview = metric_import_parse(company=company, raw=text, replace=replace)
    if not preview.ok:
        raise MetricImportRejected(preview)
    results = []
    try:
        for row in preview.rows:
            assert row.entry is not None  # noqa: S101 - ok previews have entries
            if row.replaces is not None:
                results.append(
                    metric_period_update(period=row.replaces, values=row.entry.values, by=by)
                )
            else:
                results.append(metric_period_create(company=company, entry=row.entry, by=by))
    except MetricPeriodInvalid as error:  # a concurrent change; the transaction rolls back
        preview.problems.extend(error.messages)
        raise MetricImportRejected(preview) from error
    return results


def import_summary(results: list[SaveResult]) -> str:
    created = sum(1 for r in results if not r.replaced)
    replaced = len(results) - created
    text = ngettext("%(count)d period imported.", "%(count)d periods imported.", created) % {
        "count": created
    }
    if replaced:
        text += " " + ngettext(
            "%(count)d period replaced.", "%(count)d periods replaced.", replaced
        ) % {"count": replaced}
    return text
