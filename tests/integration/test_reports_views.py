"""Report pages: request, progress partial, download, try again, and who may do what."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cxaudit.reports.models import ReportError, ReportJob, ReportStatus
from tests.report_factories import AuditFactory, ReportJobFactory, demo_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    """Clients reading the pages in English (the site's default is Russian)."""

    def make(role):
        client = client_for(role)
        client.cookies["cxaudit_language"] = "en"
        return client

    return make


@pytest.fixture
def audit(actors, company):
    return AuditFactory(company=company, owner=actors["consultant"])


def test_generating_creates_a_job_and_shows_its_page(
    client_for, actors, audit, django_capture_on_commit_callbacks
):
    client = client_for("consultant")
    url = reverse("reports:audit-report", args=[audit.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"language": "en"})
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:job-detail", args=[job.pk])
    assert len(callbacks) == 1  # the task is sent once the request's transaction commits
    assert (job.language, job.requested_by, job.status) == (
        "en",
        actors["consultant"],
        ReportStatus.QUEUED,
    )
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert reverse("reports:job-status", args=[job.pk]) in page


def test_a_second_click_returns_the_running_job(client_for, audit):
    client = client_for("consultant")
    url = reverse("reports:audit-report", args=[audit.pk])
    first = client.post(url, {"language": "ru"})
    second = client.post(url, {"language": "ru"})
    assert first["Location"] == second["Location"]
    assert ReportJob.objects.count() == 1


def test_the_status_partial_stops_polling_when_done(client_for, audit):
    job = ReportJobFactory(audit=audit, status=ReportStatus.RUNNING, progress=40)
    client = client_for("consultant")
    url = reverse("reports:job-status", args=[job.pk])
    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in running and "40%" in running
    job.status, job.progress = ReportStatus.DONE, 100
    job.save()
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert reverse("reports:job-download", args=[job.pk]) in done


def test_a_failed_job_shows_the_reason_and_try_again_starts_a_new_one(client_for, audit):
    job = ReportJobFactory(audit=audit, status=ReportStatus.FAILED, error=ReportError.TIMEOUT)
    client = client_for("manager")
    audit.results_published_at = timezone.now()
    audit.save()
    page = client.get(reverse("reports:job-detail", args=[job.pk])).content.decode()
    assert "took too long" in page
    assert reverse("reports:job-retry", args=[job.pk]) in page
    response = client.post(reverse("reports:job-retry", args=[job.pk]))
    new_job = ReportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("reports:job-detail", args=[new_job.pk])
    assert (new_job.language, new_job.audit, new_job.status) == (
        job.language,
        audit,
        ReportStatus.QUEUED,
    )


def test_the_download_is_an_attachment(client_for, audit):
    job = ReportJobFactory(audit=audit, status=ReportStatus.DONE, finished_at=timezone.now())
    # A long given name: "x.pdf" matched the end of a random name one run in 64.
    job.file.save("client_report.pdf", ContentFile(b"%PDF-1.4 fake"))
    response = client_for("consultant").get(reverse("reports:job-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fake"
    assert job.file.name.endswith(".pdf") and "client_report" not in job.file.name  # random


def test_an_unfinished_job_has_no_download(client_for, audit):
    job = ReportJobFactory(audit=audit, status=ReportStatus.RUNNING)
    response = client_for("consultant").get(reverse("reports:job-download", args=[job.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["manager", "staff"])
def test_before_publication_only_those_running_the_audit_see_reports(client_for, audit, role):
    job = ReportJobFactory(audit=audit, status=ReportStatus.DONE)
    client = client_for(role)
    assert client.get(reverse("reports:audit-report", args=[audit.pk])).status_code == 404
    assert client.get(reverse("reports:job-detail", args=[job.pk])).status_code == 404


def test_staff_may_download_published_reports_but_not_generate(client_for, audit):
    audit.results_published_at = timezone.now()
    audit.save()
    client = client_for("staff")
    url = reverse("reports:audit-report", args=[audit.pk])
    page = client.get(url).content.decode()
    assert "Generate report" not in page
    assert client.post(url, {"language": "en"}).status_code == 404
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("role", ["other_consultant", "other_staff"])
def test_outsiders_get_404_everywhere(client_for, audit, role):
    job = ReportJobFactory(audit=audit, status=ReportStatus.FAILED)
    client = client_for(role)
    assert client.post(reverse("reports:audit-report", args=[audit.pk])).status_code == 404
    assert client.post(reverse("reports:job-retry", args=[job.pk])).status_code == 404
    assert not ReportJob.objects.exclude(pk=job.pk).exists()


def test_the_report_page_lists_jobs_within_a_query_budget(
    client_for, actors, company, django_assert_max_num_queries
):
    audit = demo_audit(company=company, owner=actors["consultant"])
    for language in ("en", "ru"):
        for status in (ReportStatus.DONE, ReportStatus.FAILED):
            ReportJobFactory(audit=audit, language=language, status=status)
    client = client_for("consultant")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:audit-report", args=[audit.pk]))
    assert response.status_code == 200
