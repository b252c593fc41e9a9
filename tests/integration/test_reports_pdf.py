"""The PDF pipeline: only our own files are fetched, user text is escaped, fonts embedded."""

import io

import pytest
from pypdf import PdfReader

from cxaudit.reports import pdf, selectors, services
from cxaudit.reports.models import ReportStatus
from tests.report_factories import demo_audit

pytestmark = pytest.mark.django_db

BASE = pdf.BASE_URL


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/fonts/DejaVuSans.ttf",
        "https://evil.example/x.png",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x",
        BASE + "static/../../../../etc/passwd",
        BASE + "static/%2e%2e/%2e%2e/settings.py",
        BASE + "static/fonts/DejaVuSans.ttf?x=1",
        BASE + "media/../reports/secret.pdf",
        BASE + "elsewhere/file.txt",
        BASE + "static/does-not-exist.png",
    ],
)
def test_the_fetcher_refuses_anything_but_our_files(url):
    fetcher = pdf.safe_url_fetcher()
    with pytest.raises(pdf.RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_our_static_and_media_files(settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    body, mime = pdf.resolve_local(BASE + "static/fonts/DejaVuSans.ttf")
    assert body[:4] == b"\x00\x01\x00\x00" and mime in ("font/ttf", "application/x-font-ttf")
    name = default_storage.save("logos/mark.png", ContentFile(b"png-bytes"))
    assert pdf.resolve_local(BASE + "media/" + name) == (b"png-bytes", "image/png")


def test_remote_urls_in_a_document_are_not_fetched():
    html = (
        '<img src="http://127.0.0.1:9/tracker.png">'
        '<link rel="stylesheet" href="https://evil.example/x.css">'
        '<div style="background: url(file:///etc/passwd)">text</div>'
    )
    fetcher = pdf.safe_url_fetcher()
    data, pages = pdf.html_to_pdf(html, fetcher=fetcher)
    assert data.startswith(b"%PDF") and pages == 1
    assert set(fetcher.refused) == {
        "http://127.0.0.1:9/tracker.png",
        "https://evil.example/x.css",
        "file:///etc/passwd",
    }


def test_markup_in_comments_is_printed_as_text_and_fetches_nothing(actors, company, monkeypatch):
    comment = '<script>alert(1)</script><img src="https://evil.example/pixel.png"> & more'
    audit = demo_audit(company=company, owner=actors["consultant"], comment=comment)
    fetchers = []
    real = pdf.safe_url_fetcher

    def spy():
        fetchers.append(real())
        return fetchers[-1]

    monkeypatch.setattr(pdf, "safe_url_fetcher", spy)
    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "<script>alert(1)</script>" in text.replace("\n", "")
    assert "evil.example/pixel.png" in text.replace("\n", "")
    assert fetchers and fetchers[0].refused == []


def test_the_fonts_are_embedded(actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    job, _created = services.audit_report_request(audit=audit, language="ru", by=None)
    services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert "CX-Sans" in fonts and "CX-Sans-Bold" in fonts


def test_the_document_context_has_a_query_budget(actors, company, django_assert_max_num_queries):
    from django.utils import translation

    audit = demo_audit(company=company, owner=actors["consultant"])
    with translation.override("en"), django_assert_max_num_queries(30):
        context = selectors.audit_report_context(audit=audit)
    assert [entry["id"] for entry in context["toc"]][:2] == ["summary", "maturity"]
    assert context["results"].level is not None
