"""CSV import: UTF-8 or Windows-1251, comma or semicolon; preview first, then all or nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cxaudit.metrics import services
from cxaudit.metrics.models import MetricPeriod
from tests.metrics_factories import MetricPeriodFactory, quarter

HEADER = [
    "period",
    "customers_start",
    "customers_won",
    "customers_lost",
    "customers_end",
    "revenue",
    "support_cost",
    "cases_opened",
    "cases_resolved",
    "cases_first_contact",
    "frt_median",
    "frt_median_unit",
    "qa_scorecard",
]
GOOD_ROWS = [
    ["2024-Q1", "1000", "150", "100", "1050", "5000000.00", "450000.00", "400", "360", "260",
     "4", "minutes", "Приветствие:1:38:40|Решение:3:30:40"],
    ["2024-Q2", "1050", "80", "120", "", "5200000,50", "610000", "420", "400", "250",
     "75", "мин", ""],
]  # fmt: skip


def csv_bytes(rows, *, delimiter=",", encoding="utf-8"):
    def cell(text):
        return f'"{text}"' if delimiter in text else text

    lines = [delimiter.join(HEADER)] + [delimiter.join(cell(c) for c in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def manager(client_for):
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    return client


def upload(client, company, raw, replace=False):
    data = {"file": SimpleUploadedFile("metrics.csv", raw, content_type="text/csv")}
    if replace:
        data["replace"] = "on"
    return client.post(reverse("metrics:import", args=[company.pk]), data)


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (";", "utf-8"), (",", "cp1251"), (";", "cp1251"), (";", "utf-8-sig")],
)
def test_a_good_file_previews_then_imports_every_period(manager, company, delimiter, encoding):
    raw = csv_bytes(GOOD_ROWS, delimiter=delimiter, encoding=encoding)
    response = upload(manager, company, raw)
    page = response.content.decode()
    assert "The file holds 2 periods; nothing is stored yet." in page
    assert not MetricPeriod.objects.exists()
    text = response.context["confirm"].initial["text"]
    assert "Приветствие" in text  # decoded correctly from either encoding
    response = manager.post(
        reverse("metrics:import", args=[company.pk]), {"text": text, "replace": ""}
    )
    assert response.status_code == 302
    first, second = MetricPeriod.objects.order_by("starts_on")
    assert first.qa_scorecard[0]["category"] == "Приветствие"
    assert (second.customers_end, second.derived_field) == (1010, "customers_end")
    assert str(second.revenue) == "5200000.50"
    assert (second.frt_median_seconds, second.frt_median_unit) == (4500, "minutes")
    page = manager.get(response.url).content.decode()
    assert "2 periods imported." in page
    assert "Support cost" in page


BAD_ROWS = [
    ["2024-Q1", "1000", "150", "100", "1000", "", "", "", "", "", "", "", ""],
    ["2024-Q2", "1000", "150", "100", "1050", "", "", "400", "500", "", "", "", ""],
    ["2024-Q3", "1000", "150", "100", "1050", "", "", "", "", "", "5", "", ""],
    ["2024-Q4", "abc", "", "", "", "", "", "", "", "", "", "", ""],
    ["2024-13", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["2025-01", "1000", "150", "100", "1050", "", "", "", "", "", "", "", ""],
]


@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "cp1251")])
def test_a_file_with_bad_rows_stores_nothing_and_names_the_rows(
    manager, company, delimiter, encoding
):
    raw = csv_bytes(BAD_ROWS, delimiter=delimiter, encoding=encoding)
    page = upload(manager, company, raw).content.decode()
    assert "Nothing was stored" in page
    assert "Row 2" in page and "The counts do not add up" in page
    assert "Row 3" in page and "Resolved cases cannot exceed opened cases" in page
    assert "Row 4" in page and "Give the time with its unit" in page
    assert "Row 5" in page and "“abc” is not a number" in page
    assert "Row 6" in page and "write a month as 2025-03 or a quarter as 2025-Q1" in page
    assert "Row 7" not in page
    assert not MetricPeriod.objects.exists()


def test_commit_is_all_or_nothing_even_if_the_posted_text_was_altered(manager, company):
    text = csv_bytes([GOOD_ROWS[0], BAD_ROWS[1]]).decode()
    response = manager.post(reverse("metrics:import", args=[company.pk]), {"text": text})
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()
    assert not MetricPeriod.objects.exists()


def test_rows_overlapping_each_other_or_stored_periods_are_refused(manager, company):
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    rows = [
        ["2024-02", *GOOD_ROWS[0][1:]],
        ["2024-Q2", *GOOD_ROWS[0][1:]],
        ["2024-05", *GOOD_ROWS[0][1:]],
    ]
    page = upload(manager, company, csv_bytes(rows)).content.decode()
    assert "February 2024 overlaps Q1 2024, which is already recorded." in page
    assert "May 2024 overlaps Q2 2024 in row 3." in page
    assert MetricPeriod.objects.count() == 1


def test_the_same_period_is_replaced_only_when_asked(manager, company):
    MetricPeriodFactory(company=company, **quarter(2024, 1), cases_first_contact=1)
    raw = csv_bytes([GOOD_ROWS[0]])
    page = upload(manager, company, raw).content.decode()
    assert "Replace periods already recorded" in page and "Nothing was stored" in page
    response = upload(manager, company, raw, replace=True)
    assert "replaces the recorded period" in response.content.decode()
    text = response.context["confirm"].initial["text"]
    response = manager.post(
        reverse("metrics:import", args=[company.pk]), {"text": text, "replace": "True"}
    )
    assert response.status_code == 302
    assert MetricPeriod.objects.get().cases_first_contact == 260


def test_unknown_columns_and_empty_files_are_explained(manager, company):
    page = upload(manager, company, b"period,customers\r\n2024-Q1,5\r\n").content.decode()
    assert "Unknown columns: customers." in page
    page = upload(manager, company, b"").content.decode()
    assert "The file holds no periods." in page or "The submitted file is empty." in page


def test_exported_file_imports_back(manager, company, other_company):
    MetricPeriodFactory(company=company, **quarter(2024, 1))
    MetricPeriodFactory(company=company, **quarter(2024, 2), customers_end=None,
                        derived_field="customers_end", customers_lost=100)  # fmt: skip
    raw = manager.get(reverse("metrics:export", args=[company.pk, "csv"])).content
    preview = services.metric_import_parse(company=other_company, raw=raw)
    assert preview.ok, [row.problems for row in preview.rows]
    assert [row.code for row in preview.rows] == ["2024-Q1", "2024-Q2"]


def test_an_escaped_formula_start_is_unescaped_on_import(company):
    text = "period,qa_scorecard\r\n2024-Q1,'=Greeting:1:1:2\r\n"
    preview = services.metric_import_parse(company=company, raw=text.encode())
    assert preview.ok
    assert preview.rows[0].entry.values["qa_scorecard"][0]["category"] == "=Greeting"
