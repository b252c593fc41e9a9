"""Branding per consultancy: the settings page, the stored logo, the public logo view, and
the look on survey pages, report HTML and e-mails, never on another consultancy's clients'."""

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation

from cxaudit.accounts.models import Branding, Organisation
from cxaudit.accounts.selectors import (
    Brand,
    branding_for,
    branding_logo_bytes,
    branding_logo_url,
)
from cxaudit.accounts.services import branding_save, invitation_send
from tests.branding_factories import branding_make, jpeg_bytes, png_bytes, upload
from tests.factories import CompanyFactory, ConsultancyFactory, InvitationFactory
from tests.survey_factories import SurveyFactory, WaveFactory, WaveInvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are checked in English; one test asks for the Russian page by cookie."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


A = {
    "display_name": "Alfa Brand Partners",
    "contact_line": "+7 111 111-11-11 · alfa.example",
    "primary_colour": "#aa1122",
    "accent_colour": "#11aa22",
}
B = {
    "display_name": "Beta Brand Group",
    "contact_line": "+7 222 222-22-22 · beta.example",
    "primary_colour": "#3344bb",
    "accent_colour": "#bb9900",
}


def markers(branding: Branding) -> list[str]:
    """Everything of a branding that may show anywhere: name, contact, colours, logo key."""
    return [
        branding.display_name,
        branding.contact_line,
        branding.primary_colour,
        branding.accent_colour,
        branding.logo_key,
        branding.logo.name.rsplit("/", 1)[-1],
    ]


@pytest.fixture
def two(db):
    """Consultancies A and B, each with a branding and a client; and a standalone company."""
    alfa, beta = ConsultancyFactory(name="Alfa Consulting"), ConsultancyFactory(name="Beta LLC")
    return {
        "a": branding_make(alfa, **A),
        "b": branding_make(beta, **B),
        "a_client": CompanyFactory(parent=alfa, name="Alfa's client"),
        "b_client": CompanyFactory(parent=beta, name="Beta's client"),
        "standalone": CompanyFactory(parent=None, name="On its own"),
    }


def post_branding(client, consultancy, **fields):
    data = {**A, **fields}
    return client.post(reverse("accounts:branding-edit", args=[consultancy.pk]), data)


# --------------------------------------------------------------------------- the service


def test_a_png_logo_is_stored_under_a_random_name_with_a_new_key(consultancy):
    branding = branding_save(
        consultancy=consultancy, logo=upload(png_bytes(), name="Our <Logo>.svg"), **A
    )
    assert branding.logo.name.startswith("branding/") and branding.logo.name.endswith(".png")
    assert "Logo" not in branding.logo.name and ".svg" not in branding.logo.name
    assert branding.logo_type == "image/png" and len(branding.logo_key) >= 32
    assert default_storage.open(branding.logo.name).read() == png_bytes()


def test_a_jpeg_logo_is_kept_as_a_jpeg(consultancy):
    branding = branding_save(
        consultancy=consultancy, logo=upload(jpeg_bytes(), name="logo.png"), **A
    )
    assert branding.logo.name.endswith(".jpg") and branding.logo_type == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "l.svg",
            "must be a PNG or JPEG",
        ),
        (b"GIF89a" + b"\x00" * 40, "logo.gif", "must be a PNG or JPEG"),
        (b"<html><script>alert(1)</script></html>", "logo.png", "must be a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>", "logo.png", "damaged"),
        (b"", "logo.png", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "logo.png", "larger than 2 MB"),
        (png_bytes(size=(4001, 500)), "logo.png", "at most 4000 pixels"),
    ],
)
def test_a_refused_logo_says_why_and_saves_nothing(consultancy, data, name, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        branding_save(consultancy=consultancy, logo=upload(data, name=name), **A)
    assert message in " ".join(refused.value.message_dict["logo"])
    assert not Branding.objects.exists()
    assert not default_storage.exists("branding") or not default_storage.listdir("branding")[1]


def test_a_new_logo_replaces_the_old_file_and_key(consultancy, django_capture_on_commit_callbacks):
    first = branding_make(consultancy)
    old_name, old_key = first.logo.name, first.logo_key
    with django_capture_on_commit_callbacks(execute=True):
        second = branding_save(consultancy=consultancy, logo=upload(jpeg_bytes()), **A)
    assert second.pk == first.pk and second.logo_key != old_key
    assert not default_storage.exists(old_name) and default_storage.exists(second.logo.name)


def test_removing_the_logo_deletes_it_and_keeps_the_rest(
    consultancy, django_capture_on_commit_callbacks
):
    first = branding_make(consultancy, **A)
    with django_capture_on_commit_callbacks(execute=True):
        branding = branding_save(consultancy=consultancy, remove_logo=True, **A)
    assert not branding.logo and branding.logo_key is None and branding.logo_type == ""
    assert not default_storage.exists(first.logo.name)
    assert branding.display_name == A["display_name"]


def test_a_company_cannot_have_a_branding(company):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        branding_save(consultancy=company, **A)


# --------------------------------------------------------------------------- the selector


def test_a_client_gets_its_consultancys_brand(two):
    brand = branding_for(two["a_client"])
    assert brand == Brand(
        name=A["display_name"],
        contact=A["contact_line"],
        primary="#aa1122",
        accent="#11aa22",
        on_primary="#ffffff",
        logo=two["a"].logo.name,
        logo_key=two["a"].logo_key,
        logo_type="image/png",
    )
    assert branding_logo_bytes(brand) == png_bytes()
    assert branding_logo_url(brand) == (f"http://testserver/brand/{two['a'].logo_key}/logo/")
    with pytest.raises(AttributeError):
        brand.name = "changed"  # an immutable value


def test_no_brand_without_a_branding_or_a_consultancy(two, company):
    assert branding_for(two["standalone"]) is None
    assert branding_for(company) is None  # its consultancy has no branding
    assert branding_for(None) is None
    assert branding_logo_bytes(None) is None and branding_logo_url(None) is None


def test_an_empty_display_name_shows_the_consultancys_name(consultancy, company):
    branding_make(consultancy, logo=False)
    brand = branding_for(company)
    assert brand.name == consultancy.name and brand.logo is None and brand.logo_key is None


def test_a_brand_loaded_with_the_company_costs_no_query(two, django_assert_num_queries):
    client = Organisation.objects.select_related("parent__branding").get(pk=two["b_client"].pk)
    alone = Organisation.objects.select_related("parent__branding").get(pk=two["standalone"].pk)
    with django_assert_num_queries(0):
        assert branding_for(client).name == B["display_name"]
        assert branding_for(alone) is None
    plain = Organisation.objects.get(pk=two["a_client"].pk)
    with django_assert_num_queries(1):
        assert branding_for(plain).name == A["display_name"]


# --------------------------------------------------------------------------- logo view


def test_the_logo_is_served_to_anyone_with_its_key_and_cached(client, two):
    response = client.get(reverse("accounts:branding-logo", args=[two["a"].logo_key]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content == png_bytes()
    assert "max-age=31536000" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


@pytest.mark.parametrize("key", ["unknown", "x" * 32, "", "..", "%2e%2e"])
def test_the_logo_view_refuses_unknown_keys(client, two, key):
    url = reverse("accounts:branding-logo", args=["placeholder"]).replace("placeholder", key)
    assert client.get(url).status_code == 404


def test_an_old_or_removed_logos_key_is_refused(client, two, django_capture_on_commit_callbacks):
    old_key = two["a"].logo_key
    consultancy = two["a"].consultancy
    branding_save(consultancy=consultancy, logo=upload(png_bytes(colour="#000000")), **A)
    assert client.get(reverse("accounts:branding-logo", args=[old_key])).status_code == 404
    branding = branding_save(consultancy=consultancy, remove_logo=True, **A)
    assert branding.logo_key is None
    assert not Branding.objects.filter(logo_key__isnull=False, consultancy=consultancy).exists()


def test_the_logo_view_serves_only_logos(client, two):
    """An evidence file or any other stored file has no key, so no URL here reaches it."""
    name = default_storage.save("evidence/1/secret.png", upload(png_bytes()))
    assert client.get(f"/brand/{name}/logo/").status_code == 404
    evidence_name = name.rsplit("/", 1)[-1]
    assert client.get(f"/brand/{evidence_name}/logo/").status_code == 404


# --------------------------------------------------------------------------- settings page


def test_the_consultant_sees_the_form_and_the_preview(client_for, company):
    branding_make(company.parent, **A)
    page = client_for("consultant").get(reverse("accounts:branding-edit", args=[company.parent_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="brand-preview"' in html and "--brand-primary: #aa1122" in html
    assert A["display_name"] in html and 'type="color"' in html
    assert 'enctype="multipart/form-data"' in html and "js/branding.js" in html


def test_saving_changes_the_branding(client_for, company):
    client = client_for("consultant")
    response = client.post(
        reverse("accounts:branding-edit", args=[company.parent_id]),
        {**B, "logo": upload(png_bytes())},
    )
    assert response.status_code == 302
    branding = Branding.objects.get(consultancy=company.parent)
    assert branding.display_name == B["display_name"] and branding.logo_key
    assert branding.primary_colour == "#3344bb"


def test_a_bad_colour_is_refused_with_a_message_and_the_text_kept(en, company):
    response = post_branding(en("consultant"), company.parent, primary_colour="red")
    html = response.content.decode()
    assert response.status_code == 400
    assert "six hexadecimal digits" in html
    assert A["display_name"] in html and A["contact_line"] in html
    assert not Branding.objects.exists()


def test_a_bad_logo_is_refused_with_a_message_and_the_text_kept(en, company):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    response = post_branding(en("consultant"), company.parent, logo=upload(svg, name="logo.png"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "must be a PNG or JPEG" in html
    assert A["display_name"] in html and A["contact_line"] in html
    assert not Branding.objects.exists()


def test_a_bad_logo_leaves_the_saved_branding_as_it_was(client_for, company):
    before = branding_make(company.parent, **A)
    response = post_branding(
        client_for("consultant"), company.parent, display_name="New", logo=upload(b"GIF89a")
    )
    assert response.status_code == 400
    after = Branding.objects.get(pk=before.pk)
    assert (after.display_name, after.logo_key) == (A["display_name"], before.logo_key)


def test_the_profile_and_the_clients_page_link_to_the_branding(client_for, company):
    url = reverse("accounts:branding-edit", args=[company.parent_id])
    consultant = client_for("consultant")
    assert url in consultant.get(reverse("accounts:profile")).content.decode()
    detail = reverse("accounts:company-detail", args=[company.pk])
    assert url in consultant.get(detail).content.decode()
    for role in ("manager", "staff"):
        assert url not in client_for(role).get(detail).content.decode()
        assert url not in client_for(role).get(reverse("accounts:profile")).content.decode()


def test_the_settings_page_is_in_russian(client_for, company):
    client = client_for("consultant")
    client.cookies["cxaudit_language"] = "ru"
    url = reverse("accounts:branding-edit", args=[company.parent_id])
    html = client.get(url).content.decode()
    assert "Брендинг" in html and "Основной цвет" in html and "Предпросмотр" in html
    response = post_branding(client, company.parent, logo=upload(b"GIF89a", name="x.gif"))
    assert "PNG или JPEG" in response.content.decode()


# --------------------------------------------------------------------------- isolation


def respond_html(client, company) -> str:
    from surveys import selectors

    selectors.wave_cache_clear()
    wave = WaveFactory(survey=SurveyFactory(company=company))
    response = client.get(reverse("surveys:respond", args=[wave.token]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_public_survey_page_shows_its_own_consultancys_brand_only(client, two):
    html = respond_html(client, two["b_client"])
    for marker in markers(two["b"])[:-1]:  # the page links the logo by key, not by file
        assert marker in html
    for marker in markers(two["a"]):
        assert marker not in html
    logo = reverse("accounts:branding-logo", args=[two["b"].logo_key])
    assert f'src="{logo}"' in html
    assert client.get(logo).content == png_bytes()  # an anonymous respondent loads it


def test_a_standalone_companys_survey_page_has_the_default_look(client, two):
    html = respond_html(client, two["standalone"])
    for branding in (two["a"], two["b"]):
        for marker in markers(branding):
            assert marker not in html
    assert "brand-header" not in html


def test_the_thanks_and_closed_pages_carry_the_brand_too(client, two):
    from surveys import selectors

    selectors.wave_cache_clear()
    wave = WaveFactory(survey=SurveyFactory(company=two["a_client"]))
    thanks = client.get(reverse("surveys:respond-thanks", args=[wave.token])).content.decode()
    assert A["display_name"] in thanks and B["display_name"] not in thanks
    from django.utils import timezone

    type(wave).objects.filter(pk=wave.pk).update(closed_at=timezone.now())
    selectors.wave_cache_clear()
    closed = client.get(reverse("surveys:respond", args=[wave.token]))
    assert closed.status_code == 410 and A["display_name"] in closed.content.decode()


def test_the_public_page_reads_the_brand_with_the_wave(client, two, django_assert_max_num_queries):
    from surveys import selectors

    wave = WaveFactory(survey=SurveyFactory(company=two["a_client"]))
    selectors.wave_cache_clear()
    url = reverse("surveys:respond", args=[wave.token])
    with django_assert_max_num_queries(2):  # the wave lookup (with the brand) and no more
        assert A["display_name"] in client.get(url).content.decode()


def report_html_for(company, kind="audit"):
    from cxaudit.reports import services
    from tests.factories import UserFactory
    from tests.report_factories import demo_audit

    if kind == "audit":
        job, _created = services.audit_report_request(
            audit=demo_audit(company=company, owner=UserFactory()), language="en", by=None
        )
    else:
        wave = WaveFactory(survey=SurveyFactory(company=company))
        job, _created = services.wave_report_request(wave=wave, language="en", by=None)
    return services.report_html(job=job)


@pytest.mark.parametrize("kind", ["audit", "wave"])
def test_the_report_html_shows_its_own_consultancys_brand_only(two, kind):
    html = report_html_for(two["a_client"], kind)
    for marker in markers(two["a"]):
        if marker != two["a"].logo_key:  # the PDF reads the file, not the public view
            assert marker in html
    for marker in markers(two["b"]):
        assert marker not in html
    assert f'src="https://report.cxaudit.invalid/media/{two["a"].logo.name}"' in html


@pytest.mark.parametrize("kind", ["audit", "wave"])
def test_a_standalone_companys_report_has_the_default_look(two, kind):
    html = report_html_for(two["standalone"], kind)
    for branding in (two["a"], two["b"]):
        for marker in markers(branding):
            assert marker not in html
    assert "--brand-primary: #1f4e79" in html and 'class="brand-sign"' not in html


def test_the_document_context_carries_the_brand_for_other_renderers(two):
    from cxaudit.reports import selectors
    from cxaudit.reports.models import ReportJob

    job = ReportJob(company=two["b_client"])
    assert selectors.document_context(job=job)["branding"] == branding_for(two["b_client"])
    assert selectors.document_context(job=ReportJob(company=two["standalone"]))["branding"] is None


def test_a_wave_invitation_carries_its_own_consultancys_name_and_contact(two):
    from surveys.services import wave_invitation_send

    for key in ("a_client", "b_client", "standalone"):
        invitation = WaveInvitationFactory(wave=WaveFactory(survey=SurveyFactory(company=two[key])))
        wave_invitation_send(invitation_id=invitation.pk)
    a_mail, b_mail, alone = mail.outbox
    assert A["display_name"] in a_mail.body and A["contact_line"] in a_mail.body
    assert B["display_name"] in b_mail.body and B["contact_line"] in b_mail.body
    for marker in markers(two["b"]):
        assert marker not in a_mail.body and marker not in alone.body
    for marker in markers(two["a"]):
        assert marker not in b_mail.body and marker not in alone.body
    assert "\n--\n" not in alone.body and "\n--\n" in a_mail.body
    # Branded e-mails also come as HTML with the logo; the standalone one stays plain text.
    html = a_mail.alternatives[0][0]
    assert f"http://testserver/brand/{two['a'].logo_key}/logo/" in html
    assert A["display_name"] in html and two["b"].logo_key not in html
    assert 'href="http://testserver/s/i/' in html  # the link still works in the HTML part
    assert not alone.alternatives


def test_a_company_invitation_shows_the_logo_and_name_in_html_and_text(two):
    invitation = InvitationFactory(organisation=two["a_client"], email="new@example.com")
    other = InvitationFactory(organisation=two["standalone"], email="other@example.com")
    invitation_send(invitation_id=str(invitation.pk))
    invitation_send(invitation_id=str(other.pk))
    branded, plain = mail.outbox
    html = branded.alternatives[0][0]
    assert f"http://testserver/brand/{two['a'].logo_key}/logo/" in html
    assert A["display_name"] in html and A["display_name"] in branded.body
    assert A["contact_line"] in branded.body
    for marker in markers(two["a"]) + markers(two["b"]):
        assert marker not in plain.body and marker not in plain.alternatives[0][0]


def test_a_participant_invitation_names_the_consultancy(two):
    from assessments.services.audits import participant_notify
    from tests.report_factories import AuditFactory, ParticipantFactory

    participant = ParticipantFactory(audit=AuditFactory(company=two["b_client"]))
    participant_notify(participant_id=participant.pk)
    (message,) = mail.outbox
    assert B["display_name"] in message.body and B["contact_line"] in message.body
    assert A["display_name"] not in message.body
    html = message.alternatives[0][0]
    assert two["b"].logo_key in html and two["a"].logo_key not in html


def test_the_brand_in_an_email_is_not_escaped_as_html_in_the_text(consultancy, company):
    branding_make(consultancy, display_name="Smith & Sons <Consulting>")
    invitation = WaveInvitationFactory(wave=WaveFactory(survey=SurveyFactory(company=company)))
    from surveys.services import wave_invitation_send

    with translation.override("en"):
        wave_invitation_send(invitation_id=invitation.pk)
    assert "Smith & Sons <Consulting>" in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0][0]
    assert "Smith &amp; Sons &lt;Consulting&gt;" in html and "<Consulting>" not in html
