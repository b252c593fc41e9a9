"""Bad input never gives a 500, and anonymity holds on every route (issue 13, surveys).

Each test is an attack on one route: input the database would refuse, and (as they come)
the export, the import and the comment lists.
"""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from surveys import library
from surveys.models import Channel, Response
from tests.security.conftest import changed_tables, snapshot
from tests.survey_factories import (
    SurveyFactory,
    WaveFactory,
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


# --------------------------------------------------------------------------- bad input


def import_csv(wave, rows: list[list[str]]) -> bytes:
    day = wave.opens_on.isoformat()
    return ("\r\n".join(",".join(row).replace("{day}", day) for row in rows) + "\r\n").encode()


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
