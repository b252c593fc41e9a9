"""The sections of an audit report, chosen per audit, and the draft watermark: the form,
the copy on the job, and what the rendered HTML and PDF hold."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from assessments.models import AuditStatus
from cxaudit.reports import selectors, services
from cxaudit.reports.models import AuditReportOptions, ReportJob, ReportStatus
from cxaudit.reports.sections import AUDIT_SECTIONS
from tests.integration.test_reports_surveys import world  # noqa: F401 (a fixture)
from tests.report_factories import AuditFactory, ReportJobFactory, demo_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client_for):
    def make(role):
        client = client_for(role)
        client.cookies["cxaudit_language"] = "en"
        return client

    return make


@pytest.fixture
def audit(actors, company):
    """An open audit whose results are published (its managers and staff see them)."""
    audit = demo_audit(company=company, owner=actors["consultant"])
    audit.results_published_at = timezone.now()
    audit.save()
    return audit


def _pages(job) -> list[str]:
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [page.extract_text() for page in reader.pages]


def _render(audit, language="en", by=None):
    job, _created = services.audit_report_request(audit=audit, language=language, by=by)
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    return job


# ----------------------------------------------------------------------------- the form


def test_the_report_page_offers_every_section_ticked_until_a_choice_is_saved(client_for, audit):
    page = client_for("consultant").get(reverse("reports:audit-report", args=[audit.pk]))
    html = page.content.decode()
    assert reverse("reports:audit-report-sections", args=[audit.pk]) in html
    assert reverse("reports:audit-report-history", args=[audit.pk]) in html
    for key in AUDIT_SECTIONS:
        assert f'value="{key}"' in html
    assert html.count('name="sections"') == len(AUDIT_SECTIONS)
    assert html.count("checked") >= len(AUDIT_SECTIONS)


def test_saving_sections_keeps_them_for_this_audit_only(client_for, actors, audit, company):
    other = AuditFactory(company=company, owner=actors["consultant"])
    client = client_for("manager")
    response = client.post(
        reverse("reports:audit-report-sections", args=[audit.pk]),
        {"sections": ["appendix", "summary", "cover"]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:audit-report", args=[audit.pk])
    options = AuditReportOptions.objects.get(audit=audit)
    assert options.sections == ["cover", "summary", "appendix"]
    assert options.updated_by == actors["manager"]
    assert selectors.audit_report_sections_get(audit=other) == list(AUDIT_SECTIONS)
    assert not AuditReportOptions.objects.filter(audit=other).exists()
    page = client.get(response["Location"]).content.decode()
    assert "The report&#x27;s sections are saved for this audit." in page
    assert page.count("checked") == 3


def test_choosing_no_section_is_refused_with_a_message_and_keeps_the_old_choice(
    client_for, actors, audit
):
    services.audit_report_options_save(audit=audit, sections=["summary"], by=None)
    response = client_for("consultant").post(
        reverse("reports:audit-report-sections", args=[audit.pk]), {}
    )
    assert response.status_code == 200
    assert "Choose at least one section." in response.content.decode()
    assert AuditReportOptions.objects.get(audit=audit).sections == ["summary"]


def test_an_unknown_section_is_refused(client_for, audit):
    response = client_for("consultant").post(
        reverse("reports:audit-report-sections", args=[audit.pk]),
        {"sections": ["summary", "secret-annex"]},
    )
    assert response.status_code == 200
    assert "secret-annex" in response.content.decode()
    assert not AuditReportOptions.objects.exists()


@pytest.mark.parametrize(
    ("sections", "message"),
    [([], "Choose at least one section."), (["summary", "x"], "Unknown report sections: x.")],
)
def test_the_service_validates_the_sections(audit, sections, message):
    with pytest.raises(ValidationError) as error:
        services.audit_report_options_save(audit=audit, sections=sections, by=None)
    assert message in str(error.value)
    assert not AuditReportOptions.objects.exists()


def test_a_second_save_replaces_the_choice(audit):
    services.audit_report_options_save(audit=audit, sections=["gap"], by=None)
    services.audit_report_options_save(audit=audit, sections=["maturity", "gap"], by=None)
    assert AuditReportOptions.objects.get(audit=audit).sections == ["maturity", "gap"]


@pytest.mark.parametrize("role", ["staff", "other_consultant", "other_staff"])
def test_only_those_who_generate_may_change_the_sections(client_for, audit, role):
    response = client_for(role).post(
        reverse("reports:audit-report-sections", args=[audit.pk]), {"sections": ["summary"]}
    )
    assert response.status_code == 404
    assert not AuditReportOptions.objects.exists()


# ----------------------------------------------------------------------------- the job


def test_a_request_copies_the_chosen_sections_and_the_draft_flag_onto_the_job(actors, audit):
    services.audit_report_options_save(audit=audit, sections=["summary", "gap"], by=None)
    job, _created = services.audit_report_request(
        audit=audit, language="en", by=actors["consultant"]
    )
    assert (job.sections, job.draft) == (["summary", "gap"], True)
    services.audit_report_options_save(audit=audit, sections=["appendix"], by=None)
    job.refresh_from_db()
    assert job.sections == ["summary", "gap"]  # a snapshot: later choices do not change it


def test_without_a_choice_a_job_has_every_section(audit):
    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    assert job.sections == []
    assert job.section_keys == list(AUDIT_SECTIONS)


def test_try_again_keeps_the_failed_job_s_sections(client_for, audit):
    job = ReportJobFactory(audit=audit, status=ReportStatus.FAILED, sections=["summary"])
    response = client_for("consultant").post(reverse("reports:job-retry", args=[job.pk]))
    assert response.status_code == 302
    assert ReportJob.objects.exclude(pk=job.pk).get().sections == ["summary"]


def test_the_context_lists_the_chosen_sections_in_document_order(audit):
    with translation.override("en"):
        context = selectors.audit_report_context(audit=audit, sections=["appendix", "summary"])
    assert context["sections"] == ["summary", "appendix"]
    assert context["draft"] is True
    assert [entry["id"] for entry in context["toc"]] == ["summary", "appendix"]
    with translation.override("en"):
        everything = selectors.audit_report_context(audit=audit)
    assert everything["sections"] == list(AUDIT_SECTIONS)
    assert "cover" not in [entry["id"] for entry in everything["toc"]]


def test_the_html_holds_only_the_chosen_sections(audit):
    job = ReportJobFactory(audit=audit, sections=["maturity", "recommendations"])
    html = services.report_html(job=job)
    for key in ("maturity", "recommendations"):
        assert f'id="{key}"' in html
        assert f'href="#{key}"' in html
    for key in ("summary", "findings", "gap", "actions", "appendix", "journey"):
        assert f'id="{key}"' not in html
        assert f'href="#{key}"' not in html
    assert 'class="cover"' not in html
    assert 'class="running running-company"' in html  # page headers still name the company


def test_the_pdf_holds_only_the_chosen_sections(audit):
    services.audit_report_options_save(
        audit=audit, sections=["summary", "recommendations"], by=None
    )
    pages = _pages(_render(audit))
    text = "\n".join(pages)
    assert "Executive summary" in text and "Recommendations" in text
    for absent in (
        "Maturity by domain",
        "Findings by domain",
        "Staff and consultant views",
        "Action plan",
        "Appendix: methodology and answers",
        "Confidential: prepared for the company's management.",
    ):
        assert absent not in text, absent
    every = "\n".join(_pages(ReportJob.objects.get(pk=_rerender_all(audit).pk)))
    for present in ("Maturity by domain", "Action plan", "Appendix: methodology and answers"):
        assert present in every


def _rerender_all(audit):
    services.audit_report_options_save(audit=audit, sections=list(AUDIT_SECTIONS), by=None)
    return _render(audit)


# ----------------------------------------------------------------------------- the watermark


@pytest.mark.parametrize(("language", "word"), [("en", "DRAFT"), ("ru", "ЧЕРНОВИК")])
def test_an_open_audit_s_report_is_watermarked_on_every_page(audit, language, word):
    services.audit_report_options_save(
        audit=audit, sections=["cover", "summary", "maturity"], by=None
    )
    job = _render(audit, language)
    pages = _pages(job)
    assert job.draft is True and len(pages) >= 3
    assert all(word in page for page in pages)


def test_a_closed_audit_s_report_has_no_watermark_and_is_final(audit):
    services.audit_report_options_save(audit=audit, sections=["cover", "summary"], by=None)
    audit.status = AuditStatus.CLOSED
    audit.save()
    job = _render(audit)
    assert job.draft is False
    html = services.report_html(job=job)
    assert 'class="watermark"' not in html
    assert not any("DRAFT" in page for page in _pages(job))


def test_the_render_records_the_draft_flag_as_it_was_then(audit):
    job, _created = services.audit_report_request(audit=audit, language="en", by=None)
    assert job.draft is True
    audit.status = AuditStatus.CLOSED
    audit.save()
    services.report_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.draft is False


# ----------------------------------------------------------------------------- key figures


def test_the_render_records_the_report_s_key_figures(audit):
    from assessments.selectors.results import audit_results

    job = _render(audit)
    with translation.override("en"):
        results = audit_results(audit=audit, with_charts=False)
    snapshot = job.snapshot
    assert snapshot["overall"] == str(results.overall)
    assert snapshot["level"] == results.level
    assert [d["key"] for d in snapshot["domains"]] == [row.ref for row in results.domains]
    assert [d["score"] for d in snapshot["domains"]] == [
        None if row.display is None else str(row.display) for row in results.domains
    ]
    assert snapshot["recommendations"] == 3 and snapshot["actions"] == 3
    assert snapshot["surveys"] == []
    assert "texts" not in snapshot


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_key_figures_keep_the_survey_headline_figures_as_shown(world, language):  # noqa: F811
    with translation.override(language):
        context = selectors.audit_report_context(audit=world["audit"])
    snapshot = selectors.audit_report_snapshot(context)
    shown = [figure for figure in context["survey_figures"] if figure.shown]
    assert shown, "the world's customer survey shows its NPS"
    assert [s["key"] for s in snapshot["surveys"]] == [f.key for f in shown]
    assert [s["value"] for s in snapshot["surveys"]] == [f.value for f in shown]
    nps = next(s for s in snapshot["surveys"] if s["key"] == "nps")
    assert Decimal(nps["number"]) == Decimal(
        nps["value"].replace("−", "-").replace(",", ".").lstrip("+")
    )
    hidden = [f.key for f in context["survey_figures"] if not f.shown]
    assert not set(hidden) & {s["key"] for s in snapshot["surveys"]}
