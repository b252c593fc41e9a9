"""The audit report as a Word document: rendered by the job pipeline, read back with
python-docx: the PDF's chapters in order, the same numbers, the consultant's text as
paragraphs, lists and bold runs, markup kept as text, and named "CX" styles."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from docx.oxml.ns import qn

from cxaudit.reports import selectors, services
from cxaudit.reports.docx import audit_docx
from cxaudit.reports.docx.styles import STYLES
from cxaudit.reports.models import ReportFormat, ReportJob, ReportStatus, Stage
from tests.factories import ConsultancyFactory
from tests.integration import test_reports_surveys
from tests.report_factories import demo_audit
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

world = test_reports_surveys.world  # an audit with surveys, metrics and reasons

HOSTILE = "<script>alert(1)</script><b>bold?</b> & <w:p/>"


def render_docx(audit, language="en"):
    job, created = services.audit_report_request(
        audit=audit, language=language, by=None, format=ReportFormat.DOCX
    )
    assert created
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE, job.error_detail
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return job, handle.read()


def headings(document, level=1):
    return [p.text for p in document.paragraphs if p.style.name == f"CX Heading {level}"]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


# ----------------------------------------------------------------------------- content


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_word_report_has_the_pdfs_chapters_in_order(world, language):
    job, data = render_docx(world["audit"], language)
    assert job.file.name.endswith(".docx") and job.download_name.endswith(f"-{language}.docx")
    assert job.pages is None and job.size == len(data) and job.stage == Stage.FINISHED
    document = Document(io.BytesIO(data))
    with translation.override(language):
        context = selectors.audit_report_context(audit=world["audit"])
        contents, draft = gettext("Contents"), gettext("DRAFT")
    expected = [contents] + [entry["title"] for entry in context["toc"]]
    assert headings(document) == expected
    assert len(expected) == 11  # all but the strategy canvas, which this audit lacks
    text = all_text(document)
    assert world["audit"].company.name in text and world["audit"].title in text
    assert "Guests of the shop" in headings(document, 2)
    assert document.core_properties.language == language
    header = "".join(p.text for p in document.sections[0].header.paragraphs)
    assert (draft in header) is world["audit"].is_open


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_numbers_are_the_contexts(world, language):
    _job, data = render_docx(world["audit"], language)
    document = Document(io.BytesIO(data))
    text = all_text(document)
    with translation.override(language):
        context = selectors.audit_report_context(audit=world["audit"])
        from django.utils.formats import localize

        results = context["results"]
        overall = str(localize(results.overall))
        domains = [(row.title, str(localize(row.display))) for row in results.domains]
        header = [gettext("Domain"), gettext("Score"), gettext("Level"), gettext("Answered")]
    assert overall in text
    maturity = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == header)
    shown = {row.cells[0].text: row.cells[1].text for row in maturity.rows}
    for title, score in domains:
        assert shown[title] == score
    for figure in context["survey_figures"]:
        if figure.shown:
            assert f"{figure.value} ± {figure.margin}" in text
        else:
            assert figure.message in text
    for row in context["business"]["rows"]:
        assert row["label"] in text and str(row["value"]) in text
    for recommendation in context["recommendations"]:
        assert recommendation["text"] in text
        for reason in recommendation["reasons"]:
            assert f"• {reason}" in text
    for instrument in context["instruments"]:
        for domain in instrument["domains"]:
            for item in domain["items"]:
                assert item["text"] in text
    assert len(document.inline_shapes) >= 1 + len(context["business"]["charts"])  # radar too


def test_every_answer_and_evidence_name_is_in_the_appendix(actors, company):
    from assessments.models import Answer, Evidence

    audit = demo_audit(company=company, owner=actors["consultant"])
    answer = Answer.objects.filter(participant__audit=audit).order_by("pk").first()
    Evidence.objects.create(
        answer=answer,
        original_name="till-receipt.jpg",
        file="evidence/x.jpg",
        content_type="image/jpeg",
        size=3,
    )
    _job, data = render_docx(audit)
    document = Document(io.BytesIO(data))
    appendix = document.tables[-1]
    cells = [cell.text for row in appendix.rows for cell in row.cells]
    assert any("till-receipt.jpg" in cell for cell in cells)


# ----------------------------------------------------------------------------- texts


def consultant_texts(audit, language="en"):
    """The consultant's texts, saved as a consultant types them, in every part."""
    from assessments.services.texts import audit_texts_save

    pinned = audit.instruments.select_related("version").order_by("position").first()
    first_domain = pinned.version.parsed.sections[0].key
    bodies = {
        ("introduction", "", language): "Our **first** visit.\nSecond line.\n\n- one\n- two"
        "\n\n1. alpha\n2. beta",
        ("summary", "", language): HOSTILE,
        ("domain", f"{pinned.pk}:{first_domain}", language): f"Domain verdict {HOSTILE}",
    }
    for survey in audit.company.surveys.all():
        bodies[("survey", str(survey.pk), language)] = f"Survey verdict for {survey.title}"
    audit_texts_save(audit=audit, by=audit.owner, bodies=bodies)


def test_consultant_texts_become_paragraphs_lists_and_bold_runs(world):
    consultant_texts(world["audit"])
    _job, data = render_docx(world["audit"])
    document = Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    first = next(p for p in paragraphs if p.text.startswith("Our first visit."))
    assert first.style.name == "CX Quote"
    assert first.text == "Our first visit.\nSecond line."
    assert [r.text for r in first.runs if r.style.name == "CX Strong"] == ["first"]
    bullets = [p.text for p in paragraphs if p.style.name == "CX List Bullet"]
    numbers = [p for p in paragraphs if p.style.name == "CX List Number"]
    assert bullets[:2] == ["one", "two"]
    assert [p.text for p in numbers][:2] == ["alpha", "beta"]
    assert numbers[0]._p.pPr.numPr is not None  # numbered by Word, from 1
    texts = [p.text for p in paragraphs]
    chapters = [(p.text, i) for i, p in enumerate(paragraphs) if p.style.name == "CX Heading 1"]
    assert "Domain verdict " + HOSTILE in texts
    assert "Survey verdict for Guests of the shop" in texts
    with translation.override("en"):  # where the PDF has them
        at = dict(chapters)
        introduction_at, summary_at = at[gettext("Introduction")], at[gettext("Executive summary")]
        maturity_at = at[gettext("Maturity by domain")]
        contents = [p.text for p in paragraphs if p.style.name == "CX Contents"]
        assert contents[:2] == [gettext("Introduction"), gettext("Executive summary")]
    assert introduction_at < texts.index("Our first visit.\nSecond line.") < summary_at
    assert texts.index(HOSTILE) == summary_at + 1  # the summary text opens the summary
    assert summary_at < maturity_at


def test_markup_in_texts_and_comments_stays_text(actors, company):
    audit = demo_audit(
        company=company, owner=actors["consultant"], comment=HOSTILE + "\x0b\x1f end"
    )
    consultant_texts(audit)
    _job, data = render_docx(audit)
    document = Document(io.BytesIO(data))
    assert HOSTILE in [p.text for p in document.paragraphs]
    assert any(cell == HOSTILE + " end" for cell in all_text(document).split("\n"))
    xml = document_xml(data)
    assert "<script" not in xml and "<b>" not in xml and "<w:p/>" not in xml
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;w:p/&gt;" in xml
    tags = set(re.findall(r"<([a-zA-Z0-9]+:[a-zA-Z0-9]+)", xml))
    assert tags <= {t for t in tags if t.split(":")[0] in ("w", "wp", "a", "pic", "r")}


# ----------------------------------------------------------------------------- styles, options


def test_styles_are_named_cx_and_every_paragraph_uses_one(world):
    _job, data = render_docx(world["audit"])
    document = Document(io.BytesIO(data))
    names = {style.name for style in document.styles}
    assert {spec.name for spec in STYLES} <= names
    used = {p.style.name for p in document.paragraphs}
    for table in document.tables:
        assert table.style.name == "CX Table"
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        header = table._tbl.tr_lst[0].trPr is not None  # a repeated header row
        assert look.get(qn("w:firstRow")) == ("1" if header else "0")
        for row in table.rows:
            used.update(p.style.name for cell in row.cells for p in cell.paragraphs)
    assert all(name.startswith("CX ") for name in used), [
        n for n in used if not n.startswith("CX ")
    ]
    assert {"CX Title", "CX Heading 1", "CX Heading 2", "CX Body", "CX Note"} <= used
    heading = document.styles["CX Heading 1"]
    assert heading.base_style.name == "Heading 1"  # Word's navigation and contents see it
    xml = document_xml(data)
    assert 'TOC \\o "1-1"' in xml and 'w:anchor="summary"' in xml


def test_chosen_sections_and_a_draft_mark(world):
    services.audit_report_options_save(
        audit=world["audit"], sections=["summary", "surveys", "appendix"], by=None
    )
    assert world["audit"].is_open
    _job, data = render_docx(world["audit"])
    document = Document(io.BytesIO(data))
    with translation.override("en"):
        expected = [
            gettext("Contents"),
            gettext("Executive summary"),
            gettext("Survey results"),
            gettext("Appendix: methodology and answers"),
        ]
    assert headings(document) == expected
    assert world["audit"].company.name not in [p.text for p in document.paragraphs]  # no cover
    section = document.sections[0]
    for header in (section.header, section.first_page_header):
        assert "DRAFT" in [p.text for p in header.paragraphs]


def test_the_consultancys_brand_is_on_the_cover_and_in_the_header(world):
    from tests.branding_factories import branding_make, png_bytes

    consultancy = world["audit"].company.parent
    branding_make(
        consultancy,
        display_name="Acme Service Partners",
        contact_line="hello@acme.example",
        primary_colour="#123456",
    )
    _job, data = render_docx(world["audit"])
    document = Document(io.BytesIO(data))
    header = "".join(p.text for p in document.sections[0].header.paragraphs)
    assert header.startswith("Acme Service Partners · ")
    assert "Acme Service Partners" in [p.text for p in document.paragraphs[:4]]
    assert "hello@acme.example" in [p.text for p in document.paragraphs[:5]]
    assert str(document.styles["CX Heading 1"].font.color.rgb) == "123456"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]
    assert png_bytes() in media  # the uploaded logo, as uploaded


def test_a_standalone_company_s_report_has_the_default_look(world):
    from tests.branding_factories import branding_make

    other = ConsultancyFactory()
    branding_make(other, display_name="Other Consultancy Ltd", contact_line="other@example.com")
    _job, data = render_docx(world["audit"])
    text = all_text(Document(io.BytesIO(data)))
    assert "Other Consultancy Ltd" not in text and "other@example.com" not in text


def test_the_renderer_reports_progress_while_it_writes(world):
    job, _created = services.audit_report_request(
        audit=world["audit"], language="en", by=None, format=ReportFormat.DOCX
    )
    with translation.override("en"):
        context = selectors.audit_report_context(audit=world["audit"])
        context.update(selectors.document_context(job=job))
        seen = []
        audit_docx(context, on_progress=lambda stage, percent: seen.append((stage, percent)))
    assert {stage for stage, _p in seen} == {Stage.DOCUMENT}
    percents = [p for _s, p in seen]
    assert percents == sorted(percents) and percents[0] >= 35 and percents[-1] == 90


# ----------------------------------------------------------------------------- jobs and views


def test_a_pdf_and_a_word_job_may_be_pending_at_once(actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    pdf, created_pdf = services.audit_report_request(audit=audit, language="en", by=None)
    word, created_word = services.audit_report_request(
        audit=audit, language="en", by=None, format="docx"
    )
    again, created_again = services.audit_report_request(
        audit=audit, language="en", by=None, format="docx"
    )
    assert created_pdf and created_word and not created_again
    assert again.pk == word.pk != pdf.pk


def test_a_wave_has_no_word_export(actors, company):
    wave = WaveFactory(survey=SurveyFactory(company=company), closed=True)
    with pytest.raises(ValidationError):
        services.report_job_create(
            company=company,
            subject_kind="wave",
            subject_id=wave.pk,
            language="en",
            by=None,
            format="docx",
        )
    assert not ReportJob.objects.exists()


def test_the_wave_page_refuses_word_with_a_message(client_for, company):
    wave = WaveFactory(survey=SurveyFactory(company=company), closed=True)
    url = reverse("reports:wave-report", args=[wave.pk])
    response = client_for("consultant").post(url, {"language": "en", "format": "docx"})
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("ru"):
        message = gettext("Word export is available for audit reports only; choose PDF.")
    assert message.startswith("Выгрузка в Word") and message in page
    assert not ReportJob.objects.exists()


def test_the_word_button_asks_for_a_docx_and_the_download_is_one(
    client_for, actors, company, django_capture_on_commit_callbacks
):
    audit = demo_audit(company=company, owner=actors["consultant"])
    client = client_for("consultant")
    page = client.get(reverse("reports:audit-report", args=[audit.pk])).content.decode()
    assert 'name="format"' in page and 'value="docx"' in page and "Word (.docx)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:audit-report", args=[audit.pk]), {"language": "ru", "format": "docx"}
        )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.format == ReportFormat.DOCX
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.error_detail
    detail = client.get(reverse("reports:job-detail", args=[job.pk])).content.decode()
    assert any(label in detail for label in ("Download Word (.docx)", "Скачать Word (.docx)"))
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert download["Content-Disposition"].endswith("-ru.docx")
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "Содержание" in headings(document)
    retry = client.post(reverse("reports:job-retry", args=[job.pk]))
    assert retry.status_code == 302
    assert ReportJob.objects.order_by("-pk").first().format == ReportFormat.DOCX


def test_an_svg_refers_to_no_file_or_url_that_is_read(monkeypatch, tmp_path):
    import cairosvg.url

    from cxaudit.reports.docx.writer import svg_to_png

    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for the document")

    def refuse(*args, **kwargs):
        raise AssertionError("an SVG made the renderer fetch a URL")

    monkeypatch.setattr(cairosvg.url, "urlopen", refuse)  # what CairoSVG reads URLs with
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 40 20"><image href="http://127.0.0.1:9/x.png" width="10" height="10"/>'
        f'<image xlink:href="{secret.as_uri()}" width="10" height="10"/>'
        '<image href="data:image/png;base64,iVBORw0KGgo=" width="10" height="10"/></svg>'
    )
    png, width = svg_to_png(svg)
    assert png.startswith(b"\x89PNG") and width == 40


def test_an_audit_with_nothing_in_it_yet_is_a_short_document(actors, company):
    from tests.report_factories import AuditFactory

    audit = AuditFactory(company=company, owner=actors["consultant"])
    _job, data = render_docx(audit)
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    with translation.override("en"):
        assert gettext("No checklist is attached to this audit.") in texts
        assert gettext("No recommendations were made.") in texts
        assert gettext("No actions have been planned yet.") in texts


def test_a_surveys_top_themes_are_in_the_word_report(world):
    from surveys.models import Survey
    from surveys.services import themes as theme_services

    survey = Survey.objects.get(title="Guests of the shop")
    wave = survey.waves.get(number=2)
    wave.responses.filter(nps=10).update(comment="Долго ждали заказ")
    book = theme_services.codebook_create(survey=survey, by=None)
    theme_services.theme_create(
        codebook=book, key="wait", name_ru="Ожидание", name_en="Waiting", phrases="ждать"
    )
    _job, data = render_docx(world["audit"])
    document = Document(io.BytesIO(data))
    assert "Top comment themes" in headings(document, 3)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    row = cells.index("Waiting")
    assert cells[row + 1].startswith("95%")  # 20 of 21 comments, as on the results page
