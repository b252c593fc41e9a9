"""Report jobs on the service tier: PostgreSQL, Redis and a real Celery worker process."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from assessments.selectors.results import audit_results
from cxaudit.reports.models import ReportJob, ReportStatus
from cxaudit.reports.tasks import report_render
from tests.report_factories import demo_audit

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(celery_worker_process, real_broker, settings):
    """The worker, with this process reading report files where the worker writes them."""
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(celery_worker_process.log_path.parent / "reports")},
        },
    }
    return celery_worker_process


def status_of(job_id):
    return ReportJob.objects.values_list("status", flat=True).get(pk=job_id)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_generate_poll_and_download(worker, client_for, actors, company, language):
    audit = demo_audit(company=company, owner=actors["consultant"])
    client = client_for("consultant")
    response = client.post(reverse("reports:audit-report", args=[audit.pk]), {"language": language})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    status_url = reverse("reports:job-status", args=[job.pk])
    seen = set()

    def finished():
        partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
        seen.update(re.findall(r'aria-valuenow="(\d+)"', partial))
        return "hx-trigger" not in partial

    worker.wait_for(finished, timeout=60)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error_detail
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages
    )
    flat = text.replace("\n", " ")
    with translation.override(language):
        results = audit_results(audit=audit, with_charts=False)
        contents, level = gettext("Contents"), results.level_name
    assert company.name in flat
    assert contents in flat
    assert level in flat
    assert "Publish a written service standard" in flat
    assert job.attempts == 1


def test_a_duplicate_delivery_renders_once(worker, actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    job = ReportJob.objects.create(
        company=company, audit=audit, subject_kind="audit", subject_id=audit.pk, language="en"
    )
    log_before = worker.log_path.read_text().count("report_render[")
    report_render.delay(job.pk)
    report_render.delay(job.pk)  # the same message delivered twice

    def both_handled():
        log = worker.log_path.read_text()
        return log.count("report_render[") - log_before >= 4  # received + succeeded, twice

    worker.wait_for(both_handled, timeout=60)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ReportStatus.DONE, 1)


def test_a_word_report_is_rendered_by_the_worker_with_progress(worker, client_for, actors, company):
    from docx import Document

    audit = demo_audit(company=company, owner=actors["consultant"])
    client = client_for("consultant")
    response = client.post(
        reverse("reports:audit-report", args=[audit.pk]), {"language": "ru", "format": "docx"}
    )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.format == "docx"
    status_url = reverse("reports:job-status", args=[job.pk])

    def finished():
        partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
        return "hx-trigger" not in partial

    worker.wait_for(finished, timeout=60)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error_detail
    assert job.file.name.endswith(".docx") and job.attempts == 1
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    chapters = [p.text for p in document.paragraphs if p.style.name == "CX Heading 1"]
    with translation.override("ru"):
        assert chapters[:2] == [gettext("Contents"), gettext("Executive summary")]
    assert "Publish a written service standard" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
