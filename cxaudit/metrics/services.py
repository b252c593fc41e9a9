"""Writing metric periods: entry, edit, delete and the all-or-nothing CSV import.

Every rule comes from ``cxaudit.metrics.formulas`` (METHODOLOGY §6.2): errors store nothing,
warnings store and are returned as notes, a missing fourth customer count is derived and
marked. Periods never overlap (checked here, enforced by ``MetricPeriodMonth``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cxaudit import tabular
from cxaudit.accounts.models import Organisation, OrganisationKind, User

from . import formulas, inputs, messages
from .models import (
    MONTHS_IN,
    DurationUnit,
    MetricPeriod,
    MetricPeriodMonth,
    PeriodKind,
    months_covered,
    parse_period_code,
    period_label,
)

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_MAX_ROWS = 500


@dataclass(frozen=True)
class PeriodEntry:
    """One period as entered: its dates and a values dict (see ``inputs``)."""

    kind: str
    starts_on: date
    ends_on: date
    values: dict[str, Any]

    @property
    def months(self) -> int:
        return MONTHS_IN[PeriodKind(self.kind)]

    @property
    def label(self) -> str:
        return period_label(self.kind, self.starts_on)


@dataclass(frozen=True)
class PeriodCheck:
    """The §6.2 verdict on an entry: issues, and the inputs with the derived balance."""

    entry: PeriodEntry
    inputs: formulas.PeriodInputs
    derived: str | None  # model field derived from the balance
    issues: tuple[formulas.Issue, ...]

    @property
    def errors(self) -> list[formulas.Issue]:
        return [issue for issue in self.issues if issue.kind == "error"]

    @property
    def warnings(self) -> list[formulas.Issue]:
        return [issue for issue in self.issues if issue.kind == "warning"]

    @property
    def derived_value(self) -> int | None:
        if self.derived is None:
            return None
        return getattr(self.inputs, inputs.COUNTS[self.derived])


class MetricPeriodInvalid(ValidationError):
    """The entry breaks a rule; nothing was stored.

    ``field_errors`` maps a field (model field name) to its sentences, ``general`` holds the
    sentences about several fields, and ``suggestion`` a value to offer (the balance).
    """

    def __init__(
        self,
        *,
        field_errors: dict[str, list[str]] | None = None,
        general: list[str] | None = None,
        suggestion: dict[str, int] | None = None,
    ) -> None:
        self.field_errors = field_errors or {}
        self.general = general or []
        self.suggestion = suggestion or {}
        super().__init__([*self.general, *(m for msgs in self.field_errors.values() for m in msgs)])


@dataclass
class SaveResult:
    period: MetricPeriod
    warnings: list[str] = field(default_factory=list)
    derived: str | None = None  # model field
    derived_value: int | None = None
    replaced: bool = False


# --------------------------------------------------------------------------- checks


def metric_period_check(*, entry: PeriodEntry) -> PeriodCheck:
    raw = inputs.period_inputs(entry.values, months=entry.months)
    derivation = formulas.derive_missing_balance(raw)
    issues = formulas.validate(derivation.inputs)
    derived = inputs.field_for(derivation.derived) if derivation.derived else None
    return PeriodCheck(entry, derivation.inputs, derived, tuple(issues))


def _invalid_from_issues(issues: list[formulas.Issue]) -> MetricPeriodInvalid:
    field_errors: dict[str, list[str]] = {}
    general: list[str] = []
    suggestion: dict[str, int] = {}
    for issue in issues:
        text = messages.sentence(issue.key, issue.params)
        if len(issue.fields) == 1:
            target = field_errors.setdefault(inputs.field_for(issue.fields[0]), [])
            if text not in target:
                target.append(text)
        elif text not in general:
            general.append(text)
        for name, value in (issue.suggestion or {}).items():
            suggestion[inputs.field_for(name)] = value
    return MetricPeriodInvalid(field_errors=field_errors, general=general, suggestion=suggestion)


def _overlapping(
    *, company: Organisation, starts_on: date, ends_on: date, exclude: int | None = None
) -> MetricPeriod | None:
    clash = MetricPeriodMonth.objects.filter(
        company=company, month__in=months_covered(starts_on, ends_on)
    ).select_related("period")
    if exclude is not None:
        clash = clash.exclude(period_id=exclude)
    found = clash.order_by("month").first()
    return found.period if found else None


def overlap_message(entry_label: str, existing: MetricPeriod) -> str:
    return _("%(period)s overlaps %(existing)s, which is already recorded.") % {
        "period": entry_label,
        "existing": existing.label,
    }


def _shape_errors(values: dict[str, Any]) -> dict[str, list[str]]:
    """Checks the pure module does not make: the currency code and QA category names."""
    errors: dict[str, list[str]] = {}
    currency = values.get("currency") or ""
    if not CURRENCY_RE.match(currency):
        errors["currency"] = [_("Give the currency as a three-letter code such as RUB.")]
    for row in values.get("qa_scorecard") or []:
        if not str(row.get("category") or "").strip():
            errors["qa_scorecard"] = [_("Every QA scorecard row needs a category name.")]
            break
    return errors


def _verify(check: PeriodCheck) -> None:
    shape = _shape_errors(check.entry.values)
    if check.errors or shape:
        invalid = _invalid_from_issues(check.errors)
        for name, texts in shape.items():
            invalid.field_errors.setdefault(name, []).extend(texts)
        raise MetricPeriodInvalid(
            field_errors=invalid.field_errors,
            general=invalid.general,
            suggestion=invalid.suggestion,
        )


# --------------------------------------------------------------------------- storing


def _qa_rows(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {
            "category": str(row.get("category") or "").strip(),
            "weight": str(Decimal(row["weight"]).normalize()),
            "passed": int(row["passed"]),
            "checked": int(row["checked"]),
        }
        for row in rows or []
    ]


def _apply(period: MetricPeriod, check: PeriodCheck) -> None:
    values, derived = check.entry.values, check.inputs
    for name, input_name in inputs.COUNTS.items():
        value = getattr(derived, input_name)
        setattr(period, name, None if value is None else int(value))
    for name, input_name in inputs.AMOUNTS.items():
        value = getattr(derived, input_name)
        setattr(period, name, None if value is None else Decimal(value))
    for name, input_name in inputs.DURATIONS.items():
        pair = getattr(derived, input_name)
        if pair is None:
            setattr(period, f"{name}_seconds", None)
            setattr(period, f"{name}_unit", "")
        else:
            setattr(period, f"{name}_seconds", formulas.duration_seconds(*pair))
            setattr(period, f"{name}_unit", pair[1])
    period.frt_business_hours = bool(values.get("frt_business_hours"))
    period.currency = values.get("currency") or "RUB"
    period.qa_scorecard = _qa_rows(values.get("qa_scorecard"))
    period.derived_field = check.derived or ""
    period.updated_at = timezone.now()


def _full_clean(period: MetricPeriod) -> None:
    try:
        period.full_clean(exclude=["company", "created_by"], validate_constraints=False)
    except ValidationError as error:
        raise MetricPeriodInvalid(
            field_errors={name: list(texts) for name, texts in error.message_dict.items()}
        ) from error


def _result(period: MetricPeriod, check: PeriodCheck, *, replaced: bool = False) -> SaveResult:
    warnings = [messages.sentence(issue.key, issue.params) for issue in check.warnings]
    return SaveResult(
        period=period,
        warnings=list(dict.fromkeys(warnings)),
        derived=check.derived,
        derived_value=check.derived_value,
        replaced=replaced,
    )


def _store_months(period: MetricPeriod) -> None:
    try:
        with transaction.atomic():
            MetricPeriodMonth.objects.bulk_create(
                MetricPeriodMonth(period=period, company_id=period.company_id, month=month)
                for month in months_covered(period.starts_on, period.ends_on)
            )
    except IntegrityError as error:  # another request stored an overlapping period
        raise MetricPeriodInvalid(
            general=[
                _("%(period)s overlaps a period that is already recorded.")
                % {"period": period.label}
            ]
        ) from error


def _require_company(company: Organisation) -> None:
    if company.kind != OrganisationKind.COMPANY:
        raise MetricPeriodInvalid(general=[_("Metrics are recorded for companies only.")])


@transaction.atomic
def metric_period_create(
    *, company: Organisation, entry: PeriodEntry, by: User | None
) -> SaveResult:
    """Store a new period, or raise ``MetricPeriodInvalid`` and store nothing."""
    _require_company(company)
    check = metric_period_check(entry=entry)
    _verify(check)
    existing = _overlapping(company=company, starts_on=entry.starts_on, ends_on=entry.ends_on)
    if existing is not None:
        raise MetricPeriodInvalid(general=[overlap_message(entry.label, existing)])
    period = MetricPeriod(
        company=company,
        kind=entry.kind,
        starts_on=entry.starts_on,
        ends_on=entry.ends_on,
        created_by=by,
    )
    _apply(period, check)
    _full_clean(period)
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as error:
        raise MetricPeriodInvalid(
            general=[
                _("%(period)s overlaps a period that is already recorded.")
                % {"period": entry.label}
            ]
        ) from error
    _store_months(period)
    return _result(period, check)


@transaction.atomic
def metric_period_update(
    *, period: MetricPeriod, values: dict[str, Any], by: User | None
) -> SaveResult:
    """Replace a period's values (its month or quarter stays); all-or-nothing."""
    entry = PeriodEntry(period.kind, period.starts_on, period.ends_on, values)
    check = metric_period_check(entry=entry)
    _verify(check)
    _apply(period, check)
    _full_clean(period)
    period.save()
    return _result(period, check, replaced=True)


@transaction.atomic
def metric_period_delete(*, period: MetricPeriod) -> None:
    period.delete()


# --------------------------------------------------------------------------- CSV import

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


def derived_note(result: SaveResult) -> str | None:
    if result.derived is None or result.derived_value is None:
        return None
    return _("%(field)s was derived from the other customer counts: %(value)s.") % {
        "field": messages.field_label(result.derived).capitalize(),
        "value": number_format(result.derived_value, 0, use_l10n=True, force_grouping=True),
    }
