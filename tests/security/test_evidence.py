"""Evidence uploads: the type is sniffed from the content, the size is capped, downloads are
attachments that browsers may not sniff, and only people who may see them get them."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Evidence
from assessments.services import answers as services
from tests.security.conftest import login

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _answer(world):
    from assessments.models import Answer

    return Answer.objects.get(pk=world["evidence"].answer_id)


def _save_url(world):
    return reverse(
        "assessments:answer-save",
        args=[world["audit"].pk, world["audit_instrument"].pk, "know-customers"],
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", EXE),  # a Windows program renamed .pdf
        ("page.pdf", HTML),
        ("notes.txt", b"\x00\x01\x02\xff\xfe binary"),
        ("page.html", HTML),
        ("image.svg", SVG),
        ("archive.docx.zip", b"PK\x03\x04" + b"\x00" * 40),
        ("script.js", b"alert(1)"),
    ],
)
def test_upload_refuses_content_that_is_not_an_accepted_type(world, name, content):
    before = Evidence.objects.count()
    with pytest.raises(ValidationError):
        services.evidence_add(
            answer=_answer(world),
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
            by=None,
        )
    assert Evidence.objects.count() == before


@pytest.mark.parametrize(
    ("name", "content", "stored_type"),
    [
        ("scan.pdf", PDF, "application/pdf"),
        ("photo.bin", PNG, "image/png"),  # the content decides, not the name
        ("notes.txt", "Заметки".encode(), "text/plain"),
    ],
)
def test_upload_stores_the_sniffed_type_not_the_claimed_one(world, name, content, stored_type):
    evidence = services.evidence_add(
        answer=_answer(world),
        upload=SimpleUploadedFile(name, content, content_type="text/html"),
        by=None,
    )
    assert evidence.content_type == stored_type


def test_upload_is_capped_in_size(world):
    big = SimpleUploadedFile(
        "big.pdf", PDF + b"0" * services.EVIDENCE_MAX_BYTES, content_type="application/pdf"
    )
    with pytest.raises(ValidationError):
        services.evidence_add(answer=_answer(world), upload=big, by=None)


def test_exe_renamed_pdf_is_refused_through_the_page(world, actors):
    client = login(actors["consultant"])
    before = Evidence.objects.count()
    upload = SimpleUploadedFile("invoice.pdf", EXE, content_type="application/pdf")
    response = client.post(
        _save_url(world),
        {"value": "1", "revision": "99", "file": upload},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["X-Answer-Status"] == "400"
    assert Evidence.objects.count() == before


def test_stored_file_name_is_random_not_the_uploaded_name(world):
    evidence = services.evidence_add(
        answer=_answer(world),
        upload=SimpleUploadedFile("../../etc/passwd.txt", b"root", content_type="text/plain"),
        by=None,
    )
    assert "passwd" not in evidence.file.name and ".." not in evidence.file.name


def test_download_is_an_attachment_browsers_may_not_sniff(world, actors):
    evidence = services.evidence_add(
        answer=_answer(world),
        upload=SimpleUploadedFile('a"b\r\nX-Evil: 1.pdf', PDF, content_type="text/html"),
        by=None,
    )
    response = login(actors["consultant"]).get(
        reverse("assessments:evidence-download", args=[evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "X-Evil" not in response.headers
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("consultant", 200),
        ("other_consultant", 404),
        ("other_staff", 404),
        ("manager", 404),  # results not published yet
        ("staff", 404),  # not their own answer
        ("anonymous", 302),
    ],
)
def test_only_permitted_people_download_evidence(world, client_for, role, expected):
    response = client_for(role).get(
        reverse("assessments:evidence-download", args=[world["evidence"].pk])
    )
    assert response.status_code == expected
    if expected == 302:
        assert reverse("accounts:login") in response["Location"]


def test_evidence_of_a_closed_audit_cannot_be_added(world, actors):
    from assessments.services.audits import audit_close

    audit_close(audit=world["audit"], by=actors["consultant"])
    with pytest.raises(ValidationError):
        services.evidence_add(
            answer=_answer(world),
            upload=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
            by=None,
        )


def test_media_files_are_not_served_by_url(world, actors):
    """Evidence lives under MEDIA_ROOT; nothing serves MEDIA_URL directly."""
    from django.conf import settings

    client = login(actors["consultant"])
    response = client.get("/" + settings.MEDIA_URL + world["evidence"].file.name)
    assert response.status_code == 404


def test_long_russian_text_file_is_accepted(world):
    """A multi-byte letter cut at the end of the sniffed sample is still valid UTF-8."""
    content = ("x" + "Заметки о звонках. " * 200).encode()  # byte 2048 falls inside a letter
    evidence = services.evidence_add(
        answer=_answer(world),
        upload=SimpleUploadedFile("notes.txt", content, content_type="text/plain"),
        by=None,
    )
    assert evidence.content_type == "text/plain"
