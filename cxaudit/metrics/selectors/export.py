"""A company's periods as CSV or XLSX, in the CSV import format (the file round-trips)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cxaudit import tabular
from cxaudit.accounts.models import Organisation

from .. import inputs
from .periods import metric_period_list


def export_cell(value: Any) -> Any:
    """A cell for CSV/XLSX: numbers as they are, yes/no, the rest as text (which
    ``cxaudit.tabular`` escapes when it writes the file)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | Decimal):
        return value
    return str(value)


def _qa_text(rows: list[dict[str, Any]]) -> str:
    return "|".join(
        f"{row['category']}:{row['weight']}:{row['passed']}:{row['checked']}" for row in rows
    )


def metric_export_rows(*, company: Organisation) -> list[list[Any]]:
    """The header and one row per period, in the CSV import format (round-trips)."""
    from ..services.csv_import import CSV_COLUMNS

    rows: list[list[Any]] = [list(CSV_COLUMNS)]
    for period in metric_period_list(company=company):
        values = inputs.period_values(period)
        if period.derived_field:
            values[period.derived_field] = getattr(period, period.derived_field)
        cells: dict[str, Any] = {"period": period.code, **values}
        for name in inputs.DURATIONS:
            amount, unit = values[name]
            cells[name], cells[f"{name}_unit"] = amount, unit
        cells["qa_scorecard"] = _qa_text(period.qa_scorecard)
        rows.append([export_cell(cells.get(column)) for column in CSV_COLUMNS])
    return rows


def metric_export_csv(*, company: Organisation) -> bytes:
    header, *rows = metric_export_rows(company=company)
    return tabular.csv_bytes(header, rows, delimiter=",")


def metric_export_xlsx(*, company: Organisation) -> bytes:
    header, *rows = metric_export_rows(company=company)
    return tabular.xlsx_bytes(header, rows, title="metrics")


ExportWriter = Callable[..., bytes]
EXPORTS: dict[str, tuple[ExportWriter, str]] = {
    "csv": (metric_export_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        metric_export_xlsx,
        tabular.XLSX_CONTENT_TYPE,
    ),
}
