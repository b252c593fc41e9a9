"""The report flow in a browser: generate, watch progress update itself, download."""

from cxaudit.reports.models import ReportJob, ReportStatus
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.report_factories import ReportJobFactory, demo_audit


def test_generate_and_download_a_report(page, actors, company, screenshot_dir):
    audit = demo_audit(company=company, owner=actors["consultant"])
    sign_in(page, "consultant@example.com", PASSWORD)
    page.goto(f"/audits/{audit.pk}/report/")
    page.get_by_label("Язык отчёта").select_option("en")
    page.get_by_role("button", name="Сформировать отчёт").click()
    # Tests run tasks eagerly, so the job is done when its page opens.
    link = page.get_by_role("link", name="Скачать PDF")
    link.wait_for()
    page.screenshot(path=f"{screenshot_dir}/report-job-ru.png", full_page=True)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    name = download.suggested_filename
    assert name.startswith("кофейня-зерно-") and name.endswith("-en.pdf"), name
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert ReportJob.objects.get().status == ReportStatus.DONE


def test_the_job_page_updates_itself_until_the_report_is_ready(page, actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    job = ReportJobFactory(audit=audit, status=ReportStatus.RUNNING, progress=35)
    sign_in(page, "consultant@example.com", PASSWORD)
    page.goto(f"/reports/{job.pk}/")
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "35"
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.FAILED, error="timeout")
    page.get_by_role("button", name="Попробовать ещё раз").wait_for(timeout=8_000)
    assert page.get_by_role("progressbar").count() == 0
