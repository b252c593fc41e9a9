"""PDF reports: hostile text everywhere in an audit (names, titles, comments, answers,
instrument texts) is printed as text, and rendering fetches no URL at all.

Separate from the page tests so that a broken report app blocks only this file.
"""

import pytest

from cxaudit.reports import pdf, services
from cxaudit.reports.models import ReportStatus
from tests.security.test_xss import ESCAPED, RAW_MARKERS, _make_hostile


@pytest.fixture
def spy_fetchers(monkeypatch):
    fetchers = []
    real = pdf.safe_url_fetcher

    def spy():
        fetchers.append(real())
        return fetchers[-1]

    monkeypatch.setattr(pdf, "safe_url_fetcher", spy)
    return fetchers


@pytest.mark.parametrize("language", ["ru"])
def test_hostile_audit_report_escapes_text_and_fetches_nothing(
    world, actors, spy_fetchers, language
):
    _make_hostile(world)
    job, _created = services.audit_report_request(
        audit=world["audit"], language=language, by=actors["consultant"]
    )
    job.refresh_from_db()
    html = services.report_html(job=job)
    assert not [marker for marker in RAW_MARKERS if marker in html]
    assert ESCAPED in html
    assert services.report_job_run(job_id=job.pk) in (ReportStatus.DONE, None)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error_detail
    assert spy_fetchers, "the renderer did not use the safe fetcher"
    refused = [url for fetcher in spy_fetchers for url in fetcher.refused]
    assert refused == []  # an injected <img src=x> would show up here as a refused URL


def test_report_download_is_an_attachment_for_permitted_people_only(world, client_for):
    from django.urls import reverse

    url = reverse("reports:job-download", args=[world["report_job"].pk])
    response = client_for("consultant").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response.get("X-Content-Type-Options") == "nosniff"
    for role, expected in [("other_consultant", 404), ("other_staff", 404), ("anonymous", 302)]:
        assert client_for(role).get(url).status_code == expected, role


@pytest.mark.parametrize(
    "url",
    [
        pdf.BASE_URL + "static/..%2f..%2f..%2fetc/passwd",
        pdf.BASE_URL + "static/%2e%2e%2f%2e%2e%2fcxaudit/settings.py",
        pdf.BASE_URL + "static//etc/passwd",
        pdf.BASE_URL + "media/%00evidence",
        pdf.BASE_URL + "media/..\\..\\secret",
        "https://report.cxaudit.invalid.evil.example/static/fonts/DejaVuSans.ttf",
        "https://user@report.cxaudit.invalid/static/../../etc/passwd",
        "HTTPS://REPORT.CXAUDIT.INVALID/static/../settings.py",
        "//evil.example/x.png",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_the_fetcher_refuses_traversal_and_lookalike_urls(url):
    with pytest.raises(pdf.RefusedURL):
        pdf.resolve_local(url)
