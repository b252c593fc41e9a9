"""Fuzzing the surveys and business-metrics inputs: the public survey form, the survey CSV
import, the metrics period form and the metrics CSV import never answer with a server
error, and what they refuse stores nothing. Separate from the assessments fuzzing so a
broken app blocks only this file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cxaudit.metrics.models import MetricPeriod
from surveys.models import Response
from tests.security.conftest import changed_tables, login, snapshot
from tests.security.test_fuzz_assessments import FUZZ, nasty_text

FUZZ_FEWER = settings(FUZZ, max_examples=15)

numberish = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=6).map(str),
    st.sampled_from(["", "1e309", "-0", "1,5", "NaN", "Infinity", "0x10", "1_000", " 7 "]),
    nasty_text,
)

CSV_LINES = st.sampled_from(
    [
        "period,customers_start,customers_end\n",
        "period;customers_start;customers_end\n",
        "2024-Q1,100,120\n",
        "2024-13,1,1\n",
        "2024-Q9,1e309,-5\n",
        "=cmd|' /C calc'!A0,1,2\n",
        '"unterminated,1\n',
        "nps,csat,comment\n",
        "10,5,hello\n",
        "11,0,\x00\n",
        ",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n",
    ]
)
csv_bytes = st.one_of(
    st.binary(max_size=200),
    st.lists(CSV_LINES, min_size=1, max_size=8).map("".join).map(str.encode),
    st.text(max_size=200).map(lambda t: t.encode("cp1251", errors="ignore")),
)

METRICS_READER_BREAKERS = [
    pytest.param(b"period,customers_start\r2024-Q1,100\r", id="cr-line-endings"),
    pytest.param(b"period,customers_start\n2024-Q1,1\r0\n", id="cr-inside-a-field"),
    pytest.param(b"period,customers_start\n2024-Q1," + b"1" * 200_000 + b"\n", id="big-field"),
]
SURVEY_READER_BREAKERS = [
    pytest.param(b"date,nps\r2024-01-10,9\r", id="cr-line-endings"),
    pytest.param(b"date,nps\n2024-01-10,1\r0\n", id="cr-inside-a-field"),
    pytest.param(b"date,nps\n2024-01-10," + b"1" * 200_000 + b"\n", id="big-field"),
]


def _survey_fields(survey) -> list[str]:
    from surveys.forms import ResponseForm

    return list(ResponseForm(survey=survey).fields)


def test_public_survey_submit_survives_arbitrary_input(world):
    wave = world["wave"]
    url = reverse("surveys:respond", args=[wave.token])
    fields = _survey_fields(wave.survey)

    @FUZZ
    @given(
        values=st.fixed_dictionaries(
            {},
            optional={
                name: st.one_of(numberish, st.lists(numberish, max_size=2)) for name in fields
            },
        ),
        token=st.one_of(st.text(min_size=16, max_size=64), nasty_text),
    )
    def attempt(values, token):
        before = Response.objects.count()
        response = Client().post(url, {**values, "submission_token": token})
        assert response.status_code in (200, 302, 400, 410, 429)
        if response.status_code != 302:
            assert Response.objects.count() == before

    attempt()


def test_survey_csv_import_preview_stores_nothing(world, actors):
    wave = world["wave"]
    client = login(actors["consultant"])
    url = reverse("surveys:wave-import", args=[wave.pk])

    @FUZZ
    @given(content=csv_bytes, name=st.sampled_from(["a.csv", "a.xlsx", "a", "../../a.csv"]))
    def attempt(content, name):
        before = snapshot()
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code in (200, 302)
        assert changed_tables(before, snapshot()) == []

    attempt()


# The nonce goes into a cache key unchecked: harmless on locmem and Redis (see the report).
def test_survey_csv_import_confirm_with_a_forged_nonce_stores_nothing(world, actors):
    client = login(actors["consultant"])
    url = reverse("surveys:wave-import", args=[world["wave"].pk])
    before = snapshot()
    for nonce in ["x", "../../", "\x00", "a" * 5000]:
        response = client.post(url, {"confirm": nonce})
        assert response.status_code in (200, 302)
    assert changed_tables(before, snapshot()) == []


def test_metrics_period_form_survives_arbitrary_input(world, actors):
    """Thirty-odd fields per example: fewer examples than elsewhere keep this test quick."""
    from cxaudit.metrics.forms import MetricPeriodForm

    company = world["company"]
    client = login(actors["consultant"])
    url = reverse("metrics:period-create", args=[company.pk])
    form = MetricPeriodForm()
    periods = [str(value) for value, _label in form.fields["period"].choices if value]
    numeric = [name for name in form.fields if name not in ("period", "currency")]

    @FUZZ_FEWER
    @given(
        period=st.one_of(st.sampled_from(periods[:40] or ["x"]), nasty_text),
        currency=st.one_of(st.sampled_from(["RUB", "EUR", "usd"]), nasty_text),
        numbers=st.fixed_dictionaries({}, optional=dict.fromkeys(numeric, numberish)),
        qa=st.lists(st.tuples(nasty_text, numberish, numberish, numberish), max_size=3),
        total_forms=st.one_of(st.just(None), numberish),
    )
    def attempt(period, currency, numbers, qa, total_forms):
        data = {"period": period, "currency": currency, **numbers}
        data["qa-TOTAL_FORMS"] = str(len(qa)) if total_forms is None else total_forms
        data["qa-INITIAL_FORMS"] = "0"
        for index, (category, weight, passed, checked) in enumerate(qa):
            data.update(
                {
                    f"qa-{index}-category": category,
                    f"qa-{index}-weight": weight,
                    f"qa-{index}-passed": passed,
                    f"qa-{index}-checked": checked,
                }
            )
        before = MetricPeriod.objects.filter(company=company).count()
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        after = MetricPeriod.objects.filter(company=company).count()
        assert after == before + (1 if response.status_code == 302 else 0)

    attempt()


def test_metrics_csv_import_survives_arbitrary_files(world, actors):
    client = login(actors["consultant"])
    url = reverse("metrics:import", args=[world["company"].pk])

    @FUZZ
    @given(content=csv_bytes, replace=st.booleans())
    def attempt(content, replace):
        before = snapshot()
        data = {"file": SimpleUploadedFile("m.csv", content)}
        if replace:
            data["replace"] = "on"
        response = client.post(url, data)
        assert response.status_code == 200  # a preview; nothing is stored before confirming
        assert changed_tables(before, snapshot()) == []

    attempt()


def test_metrics_csv_import_confirm_survives_forged_text(world, actors):
    """The confirm step posts the CSV text back: an attacker controls it completely."""
    company = world["company"]
    client = login(actors["consultant"])
    url = reverse("metrics:import", args=[company.pk])

    @FUZZ
    @given(
        text=st.one_of(
            csv_bytes.map(lambda b: b.decode("utf-8", "replace")),
            nasty_text,
        )
    )
    def attempt(text):
        before = MetricPeriod.objects.filter(company=company).count()
        response = client.post(url, {"text": text, "replace": "on"})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert MetricPeriod.objects.filter(company=company).count() == before

    attempt()


@pytest.mark.parametrize("content", METRICS_READER_BREAKERS)
def test_metrics_csv_import_reports_unreadable_files(world, actors, content):
    client = login(actors["consultant"])
    url = reverse("metrics:import", args=[world["company"].pk])
    response = client.post(url, {"file": SimpleUploadedFile("m.csv", content)})
    assert response.status_code == 200


@pytest.mark.parametrize("content", SURVEY_READER_BREAKERS)
def test_survey_csv_import_reports_unreadable_files(world, actors, content):
    client = login(actors["consultant"])
    url = reverse("surveys:wave-import", args=[world["wave"].pk])
    response = client.post(url, {"file": SimpleUploadedFile("s.csv", content)})
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV", "csv.exe"])
def test_unknown_export_formats_are_404(world, actors, fmt):
    client = login(actors["consultant"])
    for name, args in [
        ("metrics:export", [world["company"].pk, fmt]),
        ("surveys:wave-export", [world["wave"].pk, fmt]),
        ("surveys:wave-qr", [world["wave"].pk, fmt]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, (name, fmt)
