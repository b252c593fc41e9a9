"""Anonymity holds on every route, and bad input never gives a 500 (issue 13, surveys).

Each test is an attack on one route: the export, the import, the comment lists of the
results page and the wave PDF, comment moderation, and input the database would refuse.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cxaudit.reports.selectors.wave_document import wave_report_context
from surveys import library, services
from surveys.models import Channel, Response
from tests.security.conftest import changed_tables, snapshot
from tests.survey_factories import (
    ChannelFactory,
    SurveyFactory,
    SurveySettingsFactory,
    WaveFactory,
    answers,
    form_token,
    respond_url,
)

pytestmark = pytest.mark.django_db

HIDDEN = "[hidden group]"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def english(client):
    client.cookies["cxaudit_language"] = "en"
    return client


def export_rows(client, wave) -> list[dict]:
    response = client.get(reverse("surveys:wave-export", args=[wave.pk, "csv"]))
    assert response.status_code == 200, response
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def team_wave(company):
    """k = 5: Sales 9, Support 7, Warehouse 4 (the §5 example). A2 hides Warehouse, A3 hides
    Support too; each team's comments say which team wrote them."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Sales", "Support", "Warehouse"])
    wave = WaveFactory(survey=survey, closed=True, released=True)
    for team, size in (("Sales", 9), ("Support", 7), ("Warehouse", 4)):
        answers(
            wave,
            [9] * size,
            key="enps",
            state_at_work=7,
            process_ease=7,
            team=team,
            comment=f"written in {team}",
        )
    return wave


# --------------------------------------------------------------------------- export


def test_export_never_names_a_channel_the_page_hides(client_for, company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, anonymous=True)
    wave = WaveFactory(survey=survey, closed=True)
    big, small = ChannelFactory(survey=survey, name="Mall"), ChannelFactory(survey=survey)
    tiny = ChannelFactory(survey=survey, name="Kiosk")
    answers(wave, [9] * 12, channel=big)
    answers(wave, [3] * 6, channel=small)
    answers(wave, [0] * 2, channel=tiny, comment="the kiosk man was rude")
    rows = export_rows(english(client_for("manager")), wave)
    assert len(rows) == 20
    channels = {row["channel"] for row in rows}
    # Kiosk (2 < 5) is hidden, and the smallest visible channel with it (A3).
    assert "Kiosk" not in channels and small.name not in channels
    assert channels == {"Mall", HIDDEN}
    assert sum(row["channel"] == HIDDEN for row in rows) == 8  # the pool is ≥ k
    assert all(row["comment"] == "" for row in rows if row["channel"] == HIDDEN)


def test_export_hides_small_teams_with_a_marker_and_drops_their_comments(client_for, team_wave):
    rows = export_rows(english(client_for("manager")), team_wave)
    assert "channel" not in rows[0]  # one grouping column only (A4)
    teams = {row["team"] for row in rows}
    assert teams == {"Sales", HIDDEN}
    comments = {row["comment"] for row in rows}
    assert comments == {"written in Sales", ""}


def test_export_leaves_out_a_question_fewer_than_k_answered(client_for, company):
    """Found by the property test: six answered eNPS, so the file may be exported, but
    only four the optional state-at-work question, which the page hides (A2)."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [9, 9], key="enps")
    answers(wave, [8, 7, 3, 1], key="enps", state_at_work=2)
    rows = export_rows(english(client_for("manager")), wave)
    assert len(rows) == 6
    assert {row["enps"] for row in rows} == {"9", "8", "7", "3", "1"}
    assert {row["state_at_work"] for row in rows} == {""}


def test_export_names_teams_when_a_question_went_unanswered(client_for, company):
    """A question nobody answered hides nothing: the teams the page shows stay named."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Sales", "Support"])
    wave = WaveFactory(survey=survey, closed=True)
    for team in ("Sales", "Support"):
        answers(wave, [9] * 6, key="enps", state_at_work=7, team=team)
    rows = export_rows(english(client_for("manager")), wave)
    assert {row["team"] for row in rows} == {"Sales", "Support"}


# --------------------------------------------------------------------------- import


def import_csv(wave, rows: list[list[str]]) -> bytes:
    day = wave.opens_on.isoformat()
    return ("\r\n".join(",".join(row).replace("{day}", day) for row in rows) + "\r\n").encode()


def test_import_into_a_closed_wave_is_refused(client_for, company):
    wave = WaveFactory(survey=SurveyFactory(company=company), closed=True)
    data = import_csv(wave, [["date", "nps"], ["{day}", "9"]])
    client = english(client_for("manager"))
    url = reverse("surveys:wave-import", args=[wave.pk])
    page = client.post(url, {"file": SimpleUploadedFile("a.csv", data)})
    assert "closed" in page.content.decode()
    assert "nonce" not in (page.context or {}) or not page.context["nonce"]
    with pytest.raises(services.ImportRefused):
        services.wave_import(wave=wave, data=data)
    assert not Response.objects.filter(wave=wave).exists()


def test_known_rows_cannot_push_a_small_team_over_k(client_for, company):
    """The manager imports 3 rows they wrote into Tiny (2 real answers), so that Tiny
    reaches k = 5 and its figure, minus the known rows, gives the 2 real answers."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Big", "Tiny"])
    wave = WaveFactory(survey=survey)
    answers(wave, [9] * 10, key="enps", state_at_work=7, process_ease=7, team="Big")
    answers(wave, [0] * 2, key="enps", state_at_work=1, process_ease=1, team="Tiny")
    data = import_csv(
        wave,
        [["date", "enps", "state_at_work", "process_ease", "team"]]
        + [["{day}", "10", "10", "10", "Tiny"]] * 3,
    )
    client = english(client_for("manager"))
    url = reverse("surveys:wave-import", args=[wave.pk])
    page = client.post(url, {"file": SimpleUploadedFile("a.csv", data)})
    assert not page.context.get("nonce")
    with pytest.raises(services.ImportRefused):
        services.wave_import(wave=wave, data=data)
    assert Response.objects.filter(wave=wave).count() == 12


def test_a_paper_wave_takes_no_link_answers_after_the_import(client, company):
    """The other half of the rule: known rows first, real answers through the link after."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Tiny"])
    wave = WaveFactory(survey=survey)
    data = import_csv(
        wave,
        [["date", "enps", "state_at_work", "process_ease", "team"]]
        + [["{day}", "10", "10", "10", "Tiny"]] * 3,
    )
    assert services.wave_import(wave=wave, data=data) == 3
    url = respond_url(wave)
    page = client.get(url)
    assert page.status_code == 410
    wave.refresh_from_db()
    with pytest.raises(services.WaveNotOpen):
        services.response_submit(
            wave=wave,
            submission_token="t" * 24,
            answers={"enps": 0, "state_at_work": 0, "process_ease": 0, "team": "Tiny"},
        )
    assert Response.objects.filter(wave=wave).count() == 3


# --------------------------------------------------------------------------- comments


def test_results_page_never_lists_comments_of_a_hidden_team(client_for, team_wave):
    url = reverse("surveys:survey-results", args=[team_wave.survey_id])
    for group in ("", "promoter"):
        page = client_for("manager").get(url, {"group": group} if group else {})
        body = page.content.decode()
        assert "written in Sales" in body
        assert "written in Support" not in body and "written in Warehouse" not in body


def test_comment_class_filters_do_not_isolate_a_small_class_of_visible_teams(client_for, company):
    """Sales shows (9), with one detractor; Warehouse and Depot hide their 6 detractors.
    Overall there are 7 detractors, but the comments listed come from visible teams only: a
    "detractors" filter would single out the one Sales detractor."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    teams = ["Sales", "Warehouse", "Depot", "Ops"]
    survey = SurveyFactory(company=company, employee=True, teams=teams)
    wave = WaveFactory(survey=survey, closed=True)
    fields = {"state_at_work": 7, "process_ease": 7}
    answers(wave, [9] * 8, key="enps", team="Sales", comment="fine", **fields)
    answers(wave, [0], key="enps", team="Sales", comment="the lone detractor", **fields)
    answers(wave, [9] * 20, key="enps", team="Ops", **fields)
    answers(wave, [0] * 3, key="enps", team="Warehouse", **fields)
    answers(wave, [0] * 3, key="enps", team="Depot", **fields)
    page = client_for("manager").get(
        reverse("surveys:survey-results", args=[survey.pk]), {"group": "detractor"}
    )
    classes = [name for name, _label in page.context["comment_classes"]]
    assert "detractor" not in classes
    assert page.context["group"] == ""


def test_wave_pdf_never_lists_comments_of_a_hidden_team(team_wave):
    context = wave_report_context(wave_id=team_wave.pk)
    comments = {row["comment"] for row in context["comments"]}
    assert comments == {"written in Sales"}


def test_manager_never_sees_a_comment_the_consultant_hid(client_for, team_wave):
    secret = Response.objects.filter(team="Sales").first()
    secret.comment = "names my boss"
    secret.save()
    consultant = client_for("consultant")
    url = reverse("surveys:response-comment-hide", args=[secret.pk])
    assert consultant.post(url, {"hidden": "1"}).status_code == 302
    results = reverse("surveys:survey-results", args=[team_wave.survey_id])
    assert (
        "names my boss" in consultant.get(results).content.decode()
    )  # the consultant still sees it
    for role in ("manager", "staff"):
        assert "names my boss" not in client_for(role).get(results).content.decode()
    assert all(
        row["comment"] != "names my boss" for row in export_rows(client_for("manager"), team_wave)
    )
    context = wave_report_context(wave_id=team_wave.pk)
    assert all(row["comment"] != "names my boss" for row in context["comments"])
    for role in ("manager", "staff", "other_consultant", "anonymous"):
        other = client_for(role)
        before = snapshot()
        status = other.post(url, {"hidden": "0"}).status_code
        assert status == (302 if role == "anonymous" else 404)  # the login page, or 404
        assert changed_tables(before, snapshot()) == []


# --------------------------------------------------------------------------- bad input


def _confirm(client, wave, data: bytes):
    """Post the confirm step for ``data`` as if its preview had been accepted."""
    user_id = client.session["_auth_user_id"]
    cache.set(f"surveys:import:{user_id}:{wave.pk}:nonce-1", data, 60)
    return client.post(reverse("surveys:wave-import", args=[wave.pk]), {"confirm": "nonce-1"})


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["{day}", "Shop", "9", "bad\x00comment"], "NUL"),
        (["{day}", "x" * 200, "9", "ok"], "channel name is longer than 100"),
    ],
    ids=["nul-byte", "long-channel"],
)
def test_import_of_input_the_database_refuses_gives_a_message(client_for, company, row, message):
    wave = WaveFactory(survey=SurveyFactory(company=company))
    data = import_csv(wave, [["date", "channel", "nps", "comment"], row])
    client = english(client_for("manager"))
    before = snapshot()
    checked = client.post(
        reverse("surveys:wave-import", args=[wave.pk]), {"file": SimpleUploadedFile("a.csv", data)}
    )
    assert checked.status_code == 200 and message in checked.content.decode()
    confirmed = _confirm(client, wave, data)
    assert confirmed.status_code == 400 and message in confirmed.content.decode()
    assert changed_tables(before, snapshot()) == []
    assert not Channel.objects.filter(survey=wave.survey).exists()


def test_an_over_long_comment_is_refused_and_kept_in_the_form(client, company):
    survey = SurveyFactory(company=company, blocks=["nps"])
    wave = WaveFactory(survey=survey)
    url = respond_url(wave)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(url)
    assert f'maxlength="{library.COMMENT_MAX_LENGTH}"' not in page.content.decode()
    typed = "а" * (library.COMMENT_MAX_LENGTH + 1)
    token = form_token(client, url)
    response = client.post(url, {"submission_token": token, "nps": 9, "comment": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert typed in body
    assert "at most 1000 characters" in body
    assert not Response.objects.exists()


def test_a_comment_of_exactly_the_limit_is_stored(client, company):
    wave = WaveFactory(survey=SurveyFactory(company=company, blocks=["nps"]))
    url = respond_url(wave)
    token = form_token(client, url)
    typed = "a" * library.COMMENT_MAX_LENGTH
    assert (
        client.post(url, {"submission_token": token, "nps": 9, "comment": typed}).status_code == 302
    )
    assert Response.objects.get().comment == typed


def test_imports_stay_possible_for_a_paper_wave(company):
    """A legitimate use: an anonymous wave answered on paper only."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Sales"])
    today = timezone.localdate()
    wave = WaveFactory(survey=survey, opens_on=today - timedelta(3), closes_on=today + timedelta(3))
    data = import_csv(
        wave,
        [["date", "enps", "state_at_work", "process_ease", "team"]]
        + [["{day}", "9", "8", "8", "Sales"]] * 6,
    )
    assert services.wave_import(wave=wave, data=data) == 6


# --------------------------------------------------------------------------- comment hold


@pytest.fixture
def held_wave(company):
    """A closed employee wave of a consultancy's client whose comments nobody released."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [9] * 6, key="enps", comment="the night shift is unsafe")
    return wave


def test_the_company_reads_no_employee_comment_before_the_consultant_releases_it(
    client_for, held_wave
):
    survey = held_wave.survey
    url = reverse("surveys:survey-results", args=[survey.pk])
    for role in ("manager", "staff"):
        page = english(client_for(role)).get(url).content.decode()
        assert "the night shift is unsafe" not in page
        assert "once the consultant releases them" in page
    assert {row["comment"] for row in export_rows(english(client_for("manager")), held_wave)} == {
        ""
    }
    assert wave_report_context(wave_id=held_wave.pk)["comments"] == []
    consultant_page = english(client_for("consultant")).get(url).content.decode()
    assert "the night shift is unsafe" in consultant_page
    assert "Release the comments to the company" in consultant_page


def test_only_the_consultant_releases_the_comments(client_for, held_wave):
    release = reverse("surveys:wave-comments-release", args=[held_wave.pk])
    assert client_for("manager").post(release).status_code == 404
    assert client_for("staff").post(release).status_code == 404
    held_wave.refresh_from_db()
    assert held_wave.comments_released_at is None
    assert client_for("consultant").post(release).status_code == 302
    held_wave.refresh_from_db()
    assert held_wave.comments_released_at is not None
    url = reverse("surveys:survey-results", args=[held_wave.survey_id])
    assert "the night shift is unsafe" in english(client_for("manager")).get(url).content.decode()


def test_a_hidden_comment_stays_hidden_after_the_release(client_for, held_wave):
    response = Response.objects.filter(wave=held_wave).first()
    services.response_comment_hide(response=response, hidden=True)
    services.wave_comments_release(wave=held_wave)
    rows = export_rows(english(client_for("manager")), held_wave)
    assert sum(row["comment"] == "the night shift is unsafe" for row in rows) == 5


def test_an_open_wave_has_no_comments_to_release(held_wave):
    held_wave.closes_on = timezone.localdate() + timedelta(days=3)
    held_wave.save()
    with pytest.raises(ValidationError):
        services.wave_comments_release(wave=held_wave)


def test_a_company_without_a_consultant_reads_its_own_comments(client, db):
    from tests.factories import CompanyFactory, MembershipFactory, UserFactory

    company = CompanyFactory(parent=None)
    manager = UserFactory(email="own-manager@example.com")
    MembershipFactory(user=manager, organisation=company, role="manager")
    survey = SurveyFactory(company=company, employee=True)
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [9] * 6, key="enps", comment="more training please")
    client.force_login(manager)
    page = english(client).get(reverse("surveys:survey-results", args=[survey.pk]))
    assert "more training please" in page.content.decode()


# --------------------------------------------------------------------------- switching off


def test_anonymity_cannot_be_switched_off_once_people_answered(client_for, company):
    """Like lowering k after close: the promise people answered under stays."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, anonymous=True, title="Guests")
    wave = WaveFactory(survey=survey, closed=True)
    answers(wave, [9, 9, 3])
    with pytest.raises(ValidationError):
        services.survey_update(survey=survey, title="Guests", blocks=["nps"], anonymous=False)
    survey.refresh_from_db()
    assert survey.anonymous
    fresh = SurveyFactory(company=company, anonymous=True)
    services.survey_update(survey=fresh, title="New", blocks=["nps"], anonymous=False)
    assert not fresh.anonymous


def test_import_preview_without_a_cache_server_says_so_and_stores_nothing(
    client_for, company, settings
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    survey = SurveyFactory(company=company, anonymous=False)
    wave = WaveFactory(survey=survey)
    upload = SimpleUploadedFile("answers.csv", import_csv(wave, [["date", "nps"], ["{day}", "9"]]))
    client = english(client_for("manager"))
    response = client.post(reverse("surveys:wave-import", args=[wave.pk]), {"file": upload})
    assert response.status_code == 200
    assert "cache is unavailable" in response.content.decode()
    assert not response.context.get("nonce")
    assert not Response.objects.filter(wave=wave).exists()
