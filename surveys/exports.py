"""CSV and XLSX files of a wave's responses, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "responses"


def escape_cell(value):
    """Text starting like a formula gets a leading apostrophe, so it stays text (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark and semicolons: what Russian Excel opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else escape_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, value):
    """Text is always a string cell: openpyxl would otherwise store "=…" as a formula."""
    cell = WriteOnlyCell(sheet, value=escape_cell(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_cell(sheet, cell) for cell in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
