"""Writing one metric period: entry, edit and delete.

Every rule comes from ``cxaudit.metrics.formulas`` (METHODOLOGY §6.2): errors store nothing,
warnings store and are returned as notes, a missing fourth customer count is derived and
marked. Periods never overlap (checked here, enforced by ``MetricPeriodMonth``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cxaudit.accounts.models import Organisation, OrganisationKind, User

from .. import formulas, inputs, messages
from ..models import (
    MONTHS_IN,
    MetricPeriod,
    MetricPeriodMonth,
    PeriodKind,
    months_covered,
    period_label,
)

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


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


def derived_note(result: SaveResult) -> str | None:
    if result.derived is None or result.derived_value is None:
        return None
    return _("%(field)s was derived from the other customer counts: %(value)s.") % {
        "field": messages.field_label(result.derived).capitalize(),
        "value": number_format(result.derived_value, 0, use_l10n=True, force_grouping=True),
    }
