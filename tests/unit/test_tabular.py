"""The one CSV/XLSX reader and writer every import and export uses."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cxaudit import tabular


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"a;b\n1;2", "a;b\n1;2", "UTF-8"),
        ("\ufeffимя;б".encode(), "имя;б", "UTF-8"),  # the byte-order mark goes
        ("имя;б".encode("cp1251"), "имя;б", "Windows-1251"),
        (b"", "", "UTF-8"),
    ],
)
def test_decode_detects_the_encoding(data, text, encoding):
    assert tabular.decode(data) == (text, encoding)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a;b;c\n1,5;2;3", ";"),
        ("a,b,c\n1;2;3", ","),
        ("a;b,c\r\n", ";"),  # a tie goes to the semicolon
        ("a,b,c;d", ","),
        ("single\n", ","),
        ("", ","),
        ("a;b\r1,2,3", ";"),  # only the header line counts, whatever ends it
    ],
)
def test_sniff_delimiter_reads_the_header_line(text, delimiter):
    assert tabular.sniff_delimiter(text) == delimiter


def test_csv_reader_keeps_quoted_newlines():
    assert list(tabular.csv_reader('a;"b\nc"\r\n1;2\r\n', ";")) == [["a", "b\nc"], ["1", "2"]]


@pytest.mark.parametrize("start", tabular.FORMULA_STARTS)
def test_escape_formula_catches_every_formula_start(start):
    assert tabular.escape_formula(start + "1") == "'" + start + "1"


@pytest.mark.parametrize("value", ["fine", "", "'=already", 7, -3, Decimal("-1.50"), None])
def test_escape_formula_leaves_the_rest(value):
    assert tabular.escape_formula(value) == value


def test_csv_bytes_is_excel_friendly_and_escaped():
    content = tabular.csv_bytes(["name", "=x"], [["-1 bad", None, 3]])
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text == "name;'=x\r\n'-1 bad;;3\r\n"
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1] == ["'-1 bad", "", "3"]


def test_csv_bytes_takes_another_delimiter():
    assert tabular.csv_bytes(["a", "b"], [[1, "@x"]], delimiter=",").decode("utf-8-sig") == (
        "a,b\r\n1,'@x\r\n"
    )


def test_xlsx_bytes_writes_text_never_formulas():
    content = tabular.xlsx_bytes(["name", "n"], [["=SUM(A1)", 5]], title="a/b:c" + "x" * 40)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert sheet.title == ("a b c" + "x" * 40)[:31]
    assert [cell.value for cell in sheet[2]] == ["'=SUM(A1)", 5]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_bytes_names_an_untitled_sheet():
    content = tabular.xlsx_bytes(["a"], [], title="  []  ")
    assert load_workbook(io.BytesIO(content)).active.title == "responses"
