"""Read endpoints of surveys: the same figures as the results page, the export's rows, and
the anonymity rules (A2, A3, A5, held comments) applied as on the pages."""

from collections import Counter

import pytest
from django.utils import timezone, translation

from surveys.selectors.exports import wave_export
from surveys.selectors.results import survey_results
from tests.api_factories import api_token, bearer
from tests.survey_factories import (
    ChannelFactory,
    SurveyFactory,
    SurveySettingsFactory,
    WaveFactory,
    answers,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def secret(company):
    return api_token(company, scopes=["read-results"])[1]


@pytest.fixture
def get(client, secret):
    def fetch(path, **params):
        return client.get(f"{API}{path}", params, **bearer(secret))

    return fetch


@pytest.fixture
def open_survey(company):
    """A non-anonymous customer survey with a closed wave of 10 NPS answers and an open one."""
    survey = SurveyFactory(company=company, anonymous=False, title="After purchase")
    closed = WaveFactory(survey=survey, number=1, closed=True)
    answers(closed, [10, 9, 9, 9, 8, 7, 6, 3, 0, 10], comment="Fine")
    opened = WaveFactory(survey=survey, number=2)
    answers(opened, [9, 6])
    return survey


@pytest.fixture
def anonymous_survey(company):
    """An anonymous customer survey, k=5, a closed wave over three channels (7, 6 and 2
    answers: the smallest is hidden, and by A3 the next smallest with it) and an open wave."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, anonymous=True)
    shops = [ChannelFactory(survey=survey, name=name) for name in ("A", "B", "C")]
    closed = WaveFactory(survey=survey, number=1, closed=True)
    for shop, values in zip(shops, ([9] * 7, [6] * 6, [10, 10]), strict=True):
        answers(closed, values, channel=shop, comment=f"From {shop.name}")
    opened = WaveFactory(survey=survey, number=2)
    answers(opened, [9] * 8, channel=shops[0])
    return survey


def test_surveys_of_the_company(get, company, open_survey, other_company):
    SurveyFactory(company=other_company)
    body = get(f"/companies/{company.pk}/surveys").json()
    assert [s["title"] for s in body] == ["After purchase"]
    assert body[0]["blocks"] == ["nps"] and body[0]["anonymous"] is False
    assert get(f"/surveys/{open_survey.pk}").json()["id"] == open_survey.pk


def test_another_companys_survey_wave_and_list_are_not_found(get, other_company):
    survey = SurveyFactory(company=other_company)
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [9] * 6)
    for path in (
        f"/companies/{other_company.pk}/surveys",
        f"/surveys/{survey.pk}",
        f"/surveys/{survey.pk}/waves",
        f"/waves/{wave.pk}",
        f"/waves/{wave.pk}/responses",
    ):
        response = get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_a_token_without_read_results_reads_nothing(client, company, open_survey):
    _token, secret = api_token(company, scopes=["submit-responses", "write-metrics"])
    wave = open_survey.waves.first()
    for path in (f"/surveys/{open_survey.pk}", f"/waves/{wave.pk}", f"/waves/{wave.pk}/responses"):
        response = client.get(f"{API}{path}", **bearer(secret))
        assert response.status_code == 403
        assert response.json()["code"] == "scope_missing"


def test_waves_with_their_counts_hidden_under_anonymity(get, anonymous_survey, open_survey):
    waves = get(f"/surveys/{anonymous_survey.pk}/waves").json()
    assert [(w["number"], w["status"], w["responses"]) for w in waves] == [
        (1, "closed", 15),
        (2, "open", None),  # A5: no count while an anonymous wave is open
    ]
    waves = get(f"/surveys/{open_survey.pk}/waves").json()
    assert [w["responses"] for w in waves] == [10, 2]


def test_a_waves_nps_is_the_results_pages_number_and_interval(get, open_survey):
    wave = open_survey.waves.get(number=1)
    body = get(f"/waves/{wave.pk}").json()
    with translation.override("en"):
        page = survey_results(survey=open_survey, can_manage=True, wave_number=1)
    figure = page["sections"][0]["figure"]
    nps = body["metrics"][0]["figure"]
    assert body["results_shown"] is True and body["n"] == 10
    assert nps["key"] == "nps" and nps["shown"] is True
    assert nps["value"] == figure.raw == pytest.approx(20.0)  # 5 promoters, 3 detractors
    assert (nps["low"], nps["high"]) == (figure.low, figure.high)
    assert nps["margin"] == figure.margin_raw
    assert nps["n"] == 10 and nps["band"] == figure.band and nps["indicative"] is True


def test_an_open_wave_of_a_non_anonymous_survey_is_followed_live(get, open_survey):
    wave = open_survey.waves.get(number=2)
    body = get(f"/waves/{wave.pk}").json()
    assert body["results_shown"] is True and body["n"] == 2
    assert get(f"/waves/{wave.pk}/responses").json()["count"] == 2


def test_an_open_anonymous_wave_gives_nothing(get, anonymous_survey):
    wave = anonymous_survey.waves.get(number=2)
    body = get(f"/waves/{wave.pk}").json()
    assert body["results_shown"] is False and body["metrics"] == [] and body["n"] is None
    assert body["wave"]["responses"] is None
    response = get(f"/waves/{wave.pk}/responses")
    assert response.status_code == 403
    assert response.json()["code"] == "results_withheld"


def test_hidden_channels_show_as_hidden_figures_and_their_names_are_not_returned(
    get, anonymous_survey
):
    wave = anonymous_survey.waves.get(number=1)
    body = get(f"/waves/{wave.pk}").json()
    groups = {g["group"]: g["figure"]["shown"] for g in body["metrics"][0]["groups"]}
    assert groups == {"A": True, "B": False, "C": False}
    with translation.override("en"):
        page = survey_results(survey=anonymous_survey, can_manage=True, wave_number=1)
    rows = page["sections"][0]["channels"].rows
    assert {label: figure.shown for label, figure in rows} == groups
    responses = get(f"/waves/{wave.pk}/responses").json()
    assert responses["count"] == 15  # every row, as in the export
    by_channel = Counter((item["channel"], item["comment"]) for item in responses["items"])
    assert by_channel == {("A", "From A"): 7, (None, ""): 8}  # B and C: one nameless pool
    assert "date" not in responses["columns"]  # A7: no dates under anonymity
    with translation.override("en"):
        _header, rows = wave_export(wave=wave)
    assert Counter(row[0] for row in rows) == {"A": 7, "[hidden group]": 8}


def test_a_closed_anonymous_wave_below_k_gives_no_rows(get, company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, anonymous=True)
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [9, 9, 9])
    body = get(f"/waves/{wave.pk}").json()
    assert body["n"] is None and body["metrics"][0]["figure"]["shown"] is False
    assert body["metrics"][0]["figure"]["value"] is None
    assert get(f"/waves/{wave.pk}/responses").status_code == 403


def test_held_employee_comments_are_not_returned(get, company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True)  # not released by the consultant
    answers(wave, [9] * 6, key="enps", comment="Secret thoughts")
    items = get(f"/waves/{wave.pk}/responses").json()["items"]
    assert len(items) == 6 and {item["comment"] for item in items} == {""}
    wave.comments_released_at = timezone.now()  # the consultant releases them
    wave.save()
    items = get(f"/waves/{wave.pk}/responses").json()["items"]
    assert {item["comment"] for item in items} == {"Secret thoughts"}


def test_comments_the_consultant_hid_are_empty(get, open_survey):
    wave = open_survey.waves.get(number=1)
    wave.responses.filter(nps=0).update(comment="Rude words", comment_hidden=True)
    items = get(f"/waves/{wave.pk}/responses", limit=500).json()["items"]
    assert "Rude words" not in {item["comment"] for item in items}


def test_responses_come_a_page_at_a_time(get, open_survey):
    wave = open_survey.waves.get(number=1)
    first = get(f"/waves/{wave.pk}/responses", limit=4).json()
    second = get(f"/waves/{wave.pk}/responses", limit=4, offset=8).json()
    assert first["count"] == second["count"] == 10
    assert len(first["items"]) == 4 and len(second["items"]) == 2
    assert first["items"][0]["date"] == wave.opens_on.isoformat()
    assert get(f"/waves/{wave.pk}/responses", limit=501).status_code == 422


def test_a_waves_figures_take_a_bounded_number_of_queries(
    get, anonymous_survey, django_assert_max_num_queries
):
    wave = anonymous_survey.waves.get(number=1)
    for number in range(3, 9):
        WaveFactory(survey=anonymous_survey, number=number, closed=True, opens_on=wave.opens_on)
    with django_assert_max_num_queries(20):
        assert get(f"/waves/{wave.pk}").status_code == 200
    with django_assert_max_num_queries(12):
        assert get(f"/surveys/{anonymous_survey.pk}/waves").status_code == 200


@pytest.mark.parametrize("which", ["open_survey", "anonymous_survey"])
def test_the_pages_together_are_the_export_row_for_row(get, which, request):
    """Pages are read from the database one window at a time, in the export's order."""
    from surveys.selectors.exports import wave_export

    survey = request.getfixturevalue(which)
    wave = survey.waves.filter(closed_at__isnull=False).first() or survey.waves.get(number=1)
    columns, rows = wave_export(wave=wave, hidden_as_none=True)
    pages, offset = [], 0
    while True:
        page = get(f"/waves/{wave.pk}/responses", limit=3, offset=offset).json()
        assert page["count"] == len(rows)
        if not page["items"]:
            break
        pages += page["items"]
        offset += 3
    assert pages == [dict(zip(columns, row, strict=True)) for row in rows]
