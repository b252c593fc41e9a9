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


def test_a_survey_wave_summary_from_the_results_page(page, actors, company):
    from tests.survey_factories import SurveyFactory, WaveFactory, answers

    survey = SurveyFactory(company=company, title="Guests of the shop")
    wave = WaveFactory(survey=survey, number=1, closed=True)
    answers(wave, [10] * 20 + [7] * 10 + [4] * 10)
    sign_in(page, "staff@example.com", PASSWORD)
    page.goto(f"/surveys/{survey.pk}/results/")
    page.locator(f'a[href="/surveys/waves/{wave.pk}/report/"]').click()
    page.locator("select[name=language]").select_option("en")
    page.locator("form [name=generate]").click()
    link = page.get_by_role("link", name="Скачать PDF")
    link.wait_for()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    name = download.suggested_filename
    assert name.startswith("кофейня-зерно-wave-") and name.endswith("-en.pdf"), name
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    job = ReportJob.objects.get()
    assert (job.subject_kind, job.subject_id, job.status) == ("wave", wave.pk, ReportStatus.DONE)


def test_the_word_button_next_to_the_pdf_one_gives_a_docx(page, actors, company, screenshot_dir):
    import io

    from docx import Document

    audit = demo_audit(company=company, owner=actors["consultant"])
    sign_in(page, "consultant@example.com", PASSWORD)
    page.goto(f"/audits/{audit.pk}/")
    page.get_by_role("link", name="Word (.docx)").click()
    page.get_by_label("Язык отчёта").select_option("ru")
    page.screenshot(path=f"{screenshot_dir}/report-form-word.png", full_page=True)
    page.get_by_role("button", name="Word (.docx)").click()
    link = page.get_by_role("link", name="Скачать Word (.docx)")
    link.wait_for()
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith("-ru.docx"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    assert "Содержание" in [p.text for p in document.paragraphs]
    assert ReportJob.objects.get().format == "docx"
