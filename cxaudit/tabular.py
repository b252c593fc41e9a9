"""Reading and writing the CSV and XLSX files of every import and export.

Pure: no Django imports. One decoder, one delimiter sniffer and one formula escape serve
the survey response import/export and the business-metrics import/export alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol

# Text starting with one of these is read as a formula by spreadsheets (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without a byte-order mark), else Windows-1251."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), "Windows-1251"


def sniff_delimiter(text: str) -> str:
    """``;`` when the header line has at least as many semicolons as commas, else ``,``."""
    header = text.splitlines()[0] if text else ""
    return ";" if ";" in header and header.count(";") >= header.count(",") else ","


class CsvRows(Protocol):
    """What ``csv.reader`` returns: rows, and how many source lines it has read so far."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


def csv_reader(text: str, delimiter: str) -> CsvRows:
    """A ``csv.reader`` over decoded text (it raises ``csv.Error`` on unreadable input)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def escape_formula(value: Any) -> Any:
    """Text starting like a formula gets a leading apostrophe, so it stays text (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ";"
) -> bytes:
    """UTF-8 with a byte-order mark, escaped cells, ``None`` as empty: what Excel opens
    correctly (Russian Excel wants the default semicolons)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([escape_formula(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else escape_formula(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "responses"


def xlsx_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """One sheet; text is always a string cell (openpyxl would store "=…" as a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))

    def cell(value: Any) -> WriteOnlyCell:
        written = WriteOnlyCell(sheet, value=escape_formula(value))
        if isinstance(value, str):
            written.data_type = "s"
        return written

    sheet.append([cell(value) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
