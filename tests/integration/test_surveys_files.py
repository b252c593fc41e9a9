"""CSV import (encodings, delimiters, all-or-nothing), CSV/XLSX export with formula escaping,
QR codes; and e-mail invitations with reminders that never link people to answers."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from surveys import services
from surveys.models import Channel, InvitationUse, Response, WaveInvitation
from tests.survey_factories import (
    SurveyFactory,
    SurveySettingsFactory,
    WaveFactory,
    WaveInvitationFactory,
    answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def survey(company):
    return SurveyFactory(company=company, blocks=["nps", "csat"], title="Guests")


@pytest.fixture
def wave(survey):
    today = timezone.localdate()
    return WaveFactory(survey=survey, opens_on=today - timedelta(30), closes_on=today)


def manager(client_for):
    client = client_for("manager")
    client.cookies["cxaudit_language"] = "en"
    return client


def csv_file(wave, rows, *, delimiter=",", encoding="utf-8"):
    day = wave.opens_on.isoformat()
    lines = [delimiter.join(row).replace("{day}", day) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


GOOD = [
    ["date", "channel", "nps", "csat", "comment"],
    ["{day}", "Магазин", "10", "5", "Всё понравилось"],
    ["{day}", "", "6", "3", ""],
    ["{day}", "Магазин", "", "4", "Только оценка"],
]


# --------------------------------------------------------------------------- import


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (";", "utf-8"), (";", "cp1251"), (",", "cp1251"), (";", "utf-8-sig")],
)
def test_import_reads_both_encodings_and_delimiters(wave, delimiter, encoding):
    data = csv_file(wave, GOOD, delimiter=delimiter, encoding=encoding)
    parsed = services.wave_import_check(wave=wave, data=data)
    assert parsed.ok, parsed.errors
    assert parsed.delimiter == delimiter
    assert parsed.new_channels == ["Магазин"]
    assert services.wave_import(wave=wave, data=data) == 3
    stored = Response.objects.filter(wave=wave).order_by(F("nps").desc(nulls_last=True))
    assert [r.nps for r in stored] == [10, 6, None]
    assert Response.objects.get(nps=10).comment == "Всё понравилось"
    assert Response.objects.get(nps=10).channel.name == "Магазин"
    assert Response.objects.filter(source="import").count() == 3


def test_russian_headers_and_dates(wave):
    day = wave.opens_on.strftime("%d.%m.%Y")
    data = f"Дата;Канал;nps;csat;Комментарий\n{day};Колл-центр;9;5;Спасибо\n".encode("cp1251")
    assert services.wave_import(wave=wave, data=data) == 1
    assert Channel.objects.get().name == "Колл-центр"


def test_any_bad_row_stores_nothing_and_names_the_rows(wave):
    rows = [
        *GOOD,
        ["{day}", "", "11", "5", ""],
        ["{day}", "", "7", "8", ""],
        ["2001-01-01", "", "7", "4", ""],
        ["{day}", "", "", "", ""],
        ["yesterday", "", "7", "4", ""],
    ]
    data = csv_file(wave, rows)
    with pytest.raises(services.ImportInvalid) as caught:
        services.wave_import(wave=wave, data=data)
    errors = caught.value.parsed.errors
    assert errors[0] == "Row 5: the recommendation score must be a whole number from 0 to 10."
    assert errors[1] == "CSAT uses a 1–5 scale; row 6 has 8."
    assert errors[2].startswith("Row 7: 01/01/2001 is outside the wave")
    assert "Row 9: the date" in errors[-1]
    assert not Response.objects.exists()
    assert not Channel.objects.exists()


def test_ces_import_refuses_old_1_to_5_data_above_7(company):
    survey = SurveyFactory(company=company, blocks=["ces"])
    wave = WaveFactory(survey=survey)
    data = f"date,ces\n{wave.opens_on}\t,9\n".replace("\t", "").encode()
    parsed = services.wave_import_check(wave=wave, data=data)
    assert parsed.errors == ["This survey uses the CES 2.0 1–7 scale; row 2 has 9."]


def test_unknown_column_is_refused(wave):
    data = f"date,nps,salary\n{wave.opens_on},9,100\n".encode()
    parsed = services.wave_import_check(wave=wave, data=data)
    assert "Unknown column “salary”" in parsed.errors[0]


def test_import_page_previews_then_confirms(client_for, wave):
    client = manager(client_for)
    url = reverse("surveys:wave-import", args=[wave.pk])
    upload = SimpleUploadedFile("answers.csv", csv_file(wave, GOOD, delimiter=";"))
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    assert not Response.objects.exists()
    nonce = preview.context["nonce"]
    assert "3 rows are ready to import" in preview.content.decode()
    done = client.post(url, {"confirm": nonce})
    assert done.status_code == 302
    assert Response.objects.count() == 3
    # Confirming the same preview twice does not import twice.
    client.post(url, {"confirm": nonce})
    assert Response.objects.count() == 3


def test_import_page_lists_errors(client_for, wave):
    url = reverse("surveys:wave-import", args=[wave.pk])
    upload = SimpleUploadedFile("bad.csv", csv_file(wave, [*GOOD, ["{day}", "", "x", "1", ""]]))
    response = manager(client_for).post(url, {"file": upload})
    page = response.content.decode()
    assert "Nothing was stored" in page and "Row 5" in page
    assert "nonce" not in response.context


# --------------------------------------------------------------------------- export


def test_csv_export_escapes_formulas(client_for, wave):
    answers(wave, [9], csat=5, comment='=HYPERLINK("http://evil")')
    answers(wave, [3], csat=1, comment="@SUM(1)")
    response = manager(client_for).get(reverse("surveys:wave-export", args=[wave.pk, "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "date;channel;nps;csat;comment"
    assert "'=HYPERLINK" in body and "'@SUM(1)" in body
    assert "\n=" not in body and ";=" not in body and ";@" not in body


def test_xlsx_export_escapes_formulas(client_for, wave):
    answers(wave, [9], csat=5, comment="=1+1")
    response = manager(client_for).get(reverse("surveys:wave-export", args=[wave.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("date", "channel", "nps", "csat", "comment")
    assert rows[1][2:] == (9, 5, "'=1+1")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_anonymous_export_waits_for_closing_and_k(client_for, company):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Sales", "Tiny"])
    wave = WaveFactory(survey=survey)
    answers(wave, [9] * 6, key="enps", state_at_work=7, process_ease=6, team="Sales")
    answers(wave, [2] * 2, key="enps", state_at_work=3, process_ease=2, team="Tiny")
    client = manager(client_for)
    url = reverse("surveys:wave-export", args=[wave.pk, "csv"])
    assert client.get(url).status_code == 302  # refused while open (A5)
    services.wave_close(wave=wave)
    body = client.get(url).content.decode("utf-8-sig")
    lines = body.splitlines()
    # One grouping column (A4): the team; no channel to cross it with.
    assert lines[0] == "enps;state_at_work;process_ease;team;comment"
    assert "date" not in lines[0]
    # Tiny (2 < 5) is hidden, and Sales with it (A3): no team can be told apart.
    assert "Tiny" not in body and "Sales" not in body
    assert all(line.split(";")[3] == "[hidden group]" for line in lines[1:])
    assert len(lines) == 9


# --------------------------------------------------------------------------- QR


@pytest.mark.parametrize(("fmt", "content_type"), [("svg", "image/svg+xml"), ("png", "image/png")])
def test_qr_codes(client_for, wave, fmt, content_type):
    response = manager(client_for).get(reverse("surveys:wave-qr", args=[wave.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    if fmt == "png":
        assert response.content.startswith(b"\x89PNG")
    else:
        assert b"<svg" in response.content


# --------------------------------------------------------------------------- invitations


@pytest.fixture
def employee_wave(company):
    return WaveFactory(survey=SurveyFactory(company=company, employee=True, title="Pulse"))


def test_invitations_are_sent_by_the_worker_once(
    client_for, employee_wave, django_capture_on_commit_callbacks
):
    url = reverse("surveys:wave-invitations", args=[employee_wave.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = manager(client_for).post(
            url, {"emails": "a@example.com; b@example.com\nA@example.com", "language": "en"}
        )
    assert response.status_code == 302
    assert WaveInvitation.objects.count() == 2
    assert len(mail.outbox) == 2
    assert all("/s/i/" in message.body for message in mail.outbox)
    assert mail.outbox[0].subject == "Please answer: Pulse"
    invitation = WaveInvitation.objects.first()
    assert not services.wave_invitation_send(invitation_id=invitation.pk)  # a repeated delivery
    assert len(mail.outbox) == 2


def test_reminders_go_only_to_those_who_have_not_answered(
    client, employee_wave, django_capture_on_commit_callbacks
):
    done = WaveInvitationFactory(wave=employee_wave, sent_at=timezone.now())
    waiting = WaveInvitationFactory(wave=employee_wave, sent_at=timezone.now())
    url = reverse("surveys:respond-invited", args=[done.token])
    token = client.get(url).context["form"].initial["submission_token"]
    client.post(url, {"submission_token": token, "enps": 8, "state_at_work": 7, "process_ease": 7})
    assert InvitationUse.objects.filter(invitation=done).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.wave_remind(wave=employee_wave) == 1
    assert [message.to for message in mail.outbox] == [[waiting.email]]
    assert mail.outbox[0].subject.startswith("Reminder")
    # The same reminder delivered twice is sent once.
    assert not services.wave_invitation_remind(invitation_id=waiting.pk, reminders=0)
    waiting.refresh_from_db()
    assert waiting.reminders == 1


def test_invitation_page_shows_counts_not_who_answered(client_for, employee_wave):
    invitations = WaveInvitationFactory.create_batch(10, wave=employee_wave)
    for invitation in invitations[:5]:
        InvitationUse.objects.create(invitation=invitation, used_on=timezone.localdate())
    employee_wave.closed_at = timezone.now()
    employee_wave.save()
    response = manager(client_for).get(reverse("surveys:wave-invitations", args=[employee_wave.pk]))
    assert response.context["participation"]["invited"] == 10
    assert response.context["participation"]["answered"] == 5
    assert response.context["participation"]["rate"] == "50.0%"
    row_fields = {f for row in response.context["invitations"] for f in vars(row)}
    assert not row_fields & {"answered", "use", "reminders", "reminded_at"}


def test_no_invitations_to_a_closed_wave(company):
    wave = WaveFactory(survey=SurveyFactory(company=company, employee=True), closed=True)
    with pytest.raises(Exception, match="closed"):
        services.wave_invitations_add(wave=wave, emails=["a@example.com"], language="en")
