"""Survey results: figures from one aggregate query, display rules, anonymity (A2, A3, A5,
A6), trends with significance, channels, comments and the query budget."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from surveys import selectors, services
from surveys.models import Response
from tests.survey_factories import (
    ChannelFactory,
    SurveyFactory,
    SurveySettingsFactory,
    WaveFactory,
    answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def nps_answers(wave, promoters, passives, detractors, **fields):
    answers(wave, [10] * promoters + [8] * passives + [3] * detractors, **fields)


def enps_answers(wave, promoters, passives, detractors, **fields):
    values = [9] * promoters + [7] * passives + [2] * detractors
    answers(wave, values, key="enps", state_at_work=7, process_ease=6, **fields)


def results(client, survey, **params):
    client.cookies["cxaudit_language"] = "en"
    url = reverse("surveys:survey-results", args=[survey.pk])
    return client.get(url, params)


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def survey(company):
    return SurveyFactory(company=company, title="NPS гостей")


# --------------------------------------------------------------------------- counting


def test_counts_come_from_one_aggregate_query(survey, django_assert_num_queries):
    first = WaveFactory(survey=survey, closed=True, number=1)
    second = WaveFactory(survey=survey, number=2)
    shop = ChannelFactory(survey=survey)
    nps_answers(first, 3, 2, 1)
    nps_answers(second, 1, 1, 1, channel=shop)
    with django_assert_num_queries(1):
        counts = selectors.wave_counts(survey=survey, waves=[first, second], by_channel=True)
    assert counts[first.pk].total.nps_counts() == (3, 2, 1)
    assert counts[second.pk].channels[shop.pk].n == 3
    assert counts[second.pk].total.scale("nps")[10] == 1


def test_the_aggregate_groups_only_by_what_is_shown(survey, company):
    wave = WaveFactory(survey=survey, closed=True)
    shop = ChannelFactory(survey=survey)
    nps_answers(wave, 2, 1, 1, channel=shop)
    nps_answers(wave, 1, 0, 0)
    with CaptureQueriesContext(connection) as queries:
        counts = selectors.wave_counts(survey=survey, waves=[wave])
    assert "GROUP BY" in queries[0]["sql"] and '"channel_id"' not in queries[0]["sql"]
    assert counts[wave.pk].total.nps_counts() == (3, 1, 1) and not counts[wave.pk].channels
    by_channel = selectors.wave_counts(survey=survey, waves=[wave], by_channel=True)[wave.pk]
    assert by_channel.channels[shop.pk].n == 4 and by_channel.channels[None].n == 1
    staff = SurveyFactory(company=company, employee=True, teams=["Sales", "Support"])
    staff_wave = WaveFactory(survey=staff, closed=True)
    answers(staff_wave, [9, 9, 3], key="enps", team="Sales")
    answers(staff_wave, [10], key="enps", team="Support")
    teams = selectors.wave_counts(survey=staff, waves=[staff_wave])[staff_wave.pk].teams
    assert {team: tally.n for team, tally in teams.items()} == {"Sales": 3, "Support": 1}


def test_the_aggregate_is_served_by_an_index():
    indexes = {tuple(index.fields) for index in Response._meta.indexes}
    assert ("wave", "channel", "team") in indexes


# --------------------------------------------------------------------------- figures


def test_nps_worked_example_a(client_for, survey):
    wave = WaveFactory(survey=survey, closed=True)
    nps_answers(wave, 130, 30, 40)
    page = text(results(client_for("manager"), survey))
    assert "45.0" in page and "± 11.2" in page
    assert "33.8" in page and "56.2" in page
    assert "Good" in page and "Promoters outnumber detractors by 30 to 50 points." in page
    assert "n = 200" in page


def test_small_sample_is_marked_indicative(client_for, survey):
    wave = WaveFactory(survey=survey, closed=True)
    nps_answers(wave, 12, 5, 3)
    response = results(client_for("manager"), survey)
    figure = response.context["sections"][0]["figure"]
    assert figure.value == "45.0" and figure.indicative
    assert "8.4" in figure.interval and "69.8" in figure.interval


def test_below_the_minimum_n_says_not_enough(client_for, survey):
    wave = WaveFactory(survey=survey, closed=True)
    nps_answers(wave, 2, 1, 1)
    response = results(client_for("manager"), survey)
    figure = response.context["sections"][0]["figure"]
    assert not figure.shown
    assert figure.message == "Not enough responses to show a score (4 of 5)"
    assert 'class="display-5' not in response.content.decode()


def test_csat_and_ces_figures(client_for, company):
    survey = SurveyFactory(company=company, blocks=["csat", "ces"])
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [5] * 54 + [4] * 36 + [3] * 14 + [2] * 9 + [1] * 7, key="csat")
    answers(wave, [7] * 10 + [6] * 12 + [5] * 8 + [4] * 4 + [3] * 3 + [2] * 2 + [1] * 1, key="ces")
    response = results(client_for("manager"), survey)
    csat, ces = (section["figure"] for section in response.context["sections"])
    assert csat.value == "75.0%" and csat.margin == "7.7"
    assert ces.value == "75.0%" and ces.margin == "13.4"
    assert dict(ces.details)["Mean"] == "5.30 / 7 ± 0.49"
    assert dict(csat.details)["Mean"] == "4.01 / 5 ± 0.21"


def test_trend_marks_a_significant_change(client_for, survey):
    today = timezone.localdate()
    first = WaveFactory(
        survey=survey, number=1, opens_on=today - timedelta(60), closes_on=today - timedelta(31)
    )
    second = WaveFactory(survey=survey, number=2, closed=True)
    nps_answers(first, 130, 30, 40)
    nps_answers(second, 150, 60, 90)
    response = results(client_for("manager"), survey)
    section = response.context["sections"][0]
    last = section["trend"][-1]
    assert last.delta == "−25.0"
    assert last.significant
    assert "cx-significant" in section["trend_svg"]


def test_channel_comparison(client_for, survey):
    wave = WaveFactory(survey=survey, closed=True)
    shop, phone = (
        ChannelFactory(survey=survey, name="Shop"),
        ChannelFactory(survey=survey, name="Phone"),
    )
    nps_answers(wave, 20, 5, 5, channel=shop)
    nps_answers(wave, 5, 5, 20, channel=phone)
    response = results(client_for("manager"), survey)
    rows = dict(response.context["sections"][0]["channels"].rows)
    assert rows["Shop"].value == "50.0"
    assert rows["Phone"].value == "−50.0"


def test_open_wave_of_a_named_customer_survey_is_live_for_managers_only(client_for, survey):
    wave = WaveFactory(survey=survey)
    nps_answers(wave, 10, 0, 0)
    assert results(client_for("manager"), survey).context["wave"] == wave
    assert results(client_for("staff"), survey).context["wave"] is None


# --------------------------------------------------------------------------- anonymity


@pytest.fixture
def employee_survey(company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    return SurveyFactory(
        company=company, employee=True, teams=["Sales", "Support", "Warehouse"], title="Пульс"
    )


def test_a2_group_below_k_shows_no_figure_and_no_n(client_for, employee_survey):
    wave = WaveFactory(survey=employee_survey, closed=True)
    enps_answers(wave, 2, 1, 1, comment="Секрет")
    response = results(client_for("manager"), employee_survey)
    page = text(response)
    assert all(not section["figure"].shown for section in response.context["sections"])
    assert "Hidden: fewer than 5 responses" in page
    assert 'id="wave-n"' not in page
    assert "Секрет" not in page
    assert "dist-enps" not in page


def test_a3_complementary_suppression_of_teams(client_for, employee_survey):
    wave = WaveFactory(survey=employee_survey, closed=True)
    # METHODOLOGY §5 worked example: Sales 9, Support 7, Warehouse 4; P 8, passives 7, D 5.
    enps_answers(wave, 5, 3, 1, team="Sales")
    enps_answers(wave, 2, 3, 2, team="Support")
    enps_answers(wave, 1, 1, 2, team="Warehouse")
    response = results(client_for("manager"), employee_survey)
    enps = response.context["sections"][0]
    assert enps["figure"].value == "15.0"
    teams = dict(enps["teams"].rows)
    assert teams["Sales"].shown
    assert not teams["Support"].shown
    assert not teams["Warehouse"].shown


def test_a5_results_only_after_the_wave_closes(client_for, employee_survey):
    wave = WaveFactory(survey=employee_survey)
    enps_answers(wave, 6, 2, 2, comment="Больше обучения")
    response = results(client_for("manager"), employee_survey)
    assert response.context["wave"] is None
    assert "Больше обучения" not in response.content.decode()
    services.wave_close(wave=wave)
    services.wave_comments_release(wave=wave)
    response = results(client_for("manager"), employee_survey)
    assert response.context["wave"] == wave
    assert response.context["sections"][0]["figure"].value == "40.0"
    assert "Больше обучения" in response.content.decode()


def test_a6_comment_filters_only_for_classes_that_may_be_shown(client_for, employee_survey):
    wave = WaveFactory(survey=employee_survey, closed=True, released=True)
    enps_answers(wave, 6, 5, 1, comment="Комментарий")
    response = results(client_for("manager"), employee_survey)
    # Detractors (1) are hidden, so passives (the smallest visible class) are hidden too (A3).
    assert [name for name, _label in response.context["comment_classes"]] == ["promoter"]
    response = results(client_for("manager"), employee_survey, group="detractor")
    assert response.context["group"] == ""
    assert len(response.context["comments"]) == 12
    assert 'class="badge score-' not in response.content.decode()


def test_k_from_company_settings_applies_to_anonymous_customers(client_for, company):
    SurveySettingsFactory(company=company, anonymity_threshold=10)
    survey = SurveyFactory(company=company, anonymous=True)
    wave = WaveFactory(survey=survey, closed=True)
    nps_answers(wave, 5, 2, 1)
    response = results(client_for("manager"), survey)
    assert not response.context["sections"][0]["figure"].shown


# --------------------------------------------------------------------------- comments


def test_comments_filter_by_promoter_passive_detractor(client_for, survey):
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [10], comment="Отлично")
    answers(wave, [7], comment="Нормально")
    answers(wave, [2], comment="Плохо")
    client = client_for("manager")
    page = results(client, survey, group="detractor").content.decode()
    assert "Плохо" in page and "Отлично" not in page
    partial = client.get(
        reverse("surveys:survey-results", args=[survey.pk]),
        {"group": "promoter", "partial": "comments"},
        HTTP_HX_REQUEST="true",
    )
    body = partial.content.decode()
    assert "Отлично" in body and "Плохо" not in body
    assert "<html" not in body


# --------------------------------------------------------------------------- budget


@pytest.mark.parametrize("size", [10, 400])
def test_results_page_query_budget(client_for, company, size, django_assert_max_num_queries):
    survey = SurveyFactory(company=company, blocks=["nps", "csat", "ces"])
    channels = [ChannelFactory(survey=survey) for _ in range(3)]
    for number in range(1, 5):
        wave = WaveFactory(survey=survey, number=number, closed=True)
        Response.objects.bulk_create(
            [
                Response(
                    wave=wave,
                    submitted_on=wave.opens_on,
                    channel=channels[i % 3],
                    nps=i % 11,
                    csat=1 + i % 5,
                    ces=1 + i % 7,
                    comment=f"comment {i}",
                )
                for i in range(size)
            ]
        )
    client = client_for("manager")
    # 11: one more for the survey's comment themes (none here: surveys/selectors/themes.py)
    with django_assert_max_num_queries(11):
        response = results(client, survey)
    assert response.status_code == 200
    with django_assert_max_num_queries(11):
        results(client, survey, group="promoter", wave=2)


def test_employee_results_query_budget(client_for, employee_survey, django_assert_max_num_queries):
    for number in range(1, 4):
        wave = WaveFactory(survey=employee_survey, number=number, closed=True)
        for team in ("Sales", "Support", "Warehouse"):
            enps_answers(wave, 4, 3, 2, team=team, comment="x")
    client = client_for("manager")
    with django_assert_max_num_queries(10):
        response = results(client, employee_survey)
    assert response.status_code == 200


def test_exit_survey_shows_why_customers_left(client_for, company):
    survey = SurveyFactory(company=company, blocks=["nps", "exit"])
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [2] * 4, exit_reason="price", exit_where="competitor")
    answers(wave, [5] * 2, exit_reason="service", exit_where="")
    response = results(client_for("manager"), survey)
    assert response.status_code == 200
    page = text(response)
    assert "Why customers left" in page
    assert "Too expensive" in page and "66.7%" in page


def test_staff_see_closed_results_but_no_management(client_for, survey):
    wave = WaveFactory(survey=survey, closed=True)
    nps_answers(wave, 20, 5, 5)
    response = results(client_for("staff"), survey)
    assert response.context["sections"][0]["figure"].value == "50.0"
    detail = reverse("surveys:survey-detail", args=[survey.pk])
    assert f'href="{detail}"' not in response.content.decode()
