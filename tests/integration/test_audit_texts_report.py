"""The consultant's texts in the audit report: the document context a PDF and a Word file
are built from, the PDF's HTML and text, and markup typed into any text never rendered as
markup on the results page or in the report."""

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from assessments.services.texts import audit_texts_save
from cxaudit import richtext
from cxaudit.reports import selectors, services
from cxaudit.reports.models import ReportStatus
from tests.report_factories import demo_audit
from tests.survey_factories import SurveyFactory, WaveFactory, answers

pytestmark = pytest.mark.django_db

PAYLOADS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "**<b>x</b>**",
)
PAYLOAD = "\n\n".join(PAYLOADS)


@pytest.fixture
def audit(actors, company):
    audit = demo_audit(company=company, owner=actors["consultant"])
    today = timezone.localdate()
    audit.period_start, audit.period_end = today - timedelta(days=40), today
    audit.save()
    survey = SurveyFactory(company=company, title="Guests of the shop", blocks=["nps"])
    wave = WaveFactory(survey=survey, number=1, closed=True)
    answers(wave, [10] * 20 + [8] * 10 + [3] * 10)
    return audit


def _keys(audit):
    pinned = audit.instruments.select_related("version").get()
    sections = pinned.version.parsed.sections
    survey = audit.company.surveys.get()
    return pinned, sections, str(survey.pk)


def _every_part(audit, body_of, language="en"):
    pinned, sections, survey = _keys(audit)
    bodies = {
        ("introduction", "", language): body_of("introduction"),
        ("summary", "", language): body_of("summary"),
        ("survey", survey, language): body_of("survey"),
    }
    for section in sections:
        bodies[("domain", f"{pinned.pk}:{section.key}", language)] = body_of(section.key)
    audit_texts_save(audit=audit, by=audit.owner, bodies=bodies)
    return bodies


def _render(audit, language):
    job, _created = services.audit_report_request(audit=audit, language=language, by=None)
    return job


# ----------------------------------------------------------------------------- context


def test_the_report_context_holds_every_text_as_blocks(audit):
    _pinned, sections, _survey = _keys(audit)
    _every_part(audit, lambda part: f"**{part}** text\n- point")
    with translation.override("en"):
        context = selectors.audit_report_context(audit=audit)
    assert context["texts"]["introduction"] == richtext.parse("**introduction** text\n- point")
    assert context["texts"]["summary"] == richtext.parse("**summary** text\n- point")
    domains = context["instruments"][0]["domains"]
    assert [richtext.plain(d["conclusion"]) for d in domains] == [
        f"{section.key} text\npoint" for section in sections
    ]
    assert context["instruments"][0]["with_text"] == domains
    (summary,) = context["surveys"]
    assert richtext.plain(summary["conclusion"]) == "survey text\npoint"
    assert context["toc"][0] == {"id": "introduction", "title": "Introduction"}


def test_without_texts_the_report_has_empty_ones_and_no_introduction(audit):
    with translation.override("en"):
        context = selectors.audit_report_context(audit=audit)
    assert context["texts"] == {"introduction": (), "summary": ()}
    assert all(d["conclusion"] == () for d in context["instruments"][0]["domains"])
    assert context["surveys"][0]["conclusion"] == ()
    assert context["toc"][0]["id"] == "summary"


def test_the_report_takes_the_jobs_language_or_else_the_one_written(audit):
    audit_texts_save(
        audit=audit,
        by=audit.owner,
        bodies={
            ("introduction", "", "ru"): "Вступление",
            ("introduction", "", "en"): "Introduction",
            ("summary", "", "ru"): "Только по-русски",
        },
    )
    with translation.override("en"):
        english = selectors.audit_report_context(audit=audit)
    with translation.override("ru"):
        russian = selectors.audit_report_context(audit=audit)
    assert richtext.plain(english["texts"]["introduction"]) == "Introduction"
    assert richtext.plain(russian["texts"]["introduction"]) == "Вступление"
    assert richtext.plain(english["texts"]["summary"]) == "Только по-русски"


def test_the_report_context_keeps_its_query_budget_with_texts(audit, django_assert_max_num_queries):
    _every_part(audit, lambda part: part)
    with translation.override("en"), django_assert_max_num_queries(34):
        context = selectors.audit_report_context(audit=audit)
    assert context["texts"]["summary"]


# ----------------------------------------------------------------------------- markup


def _assert_no_markup(html: str) -> None:
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    assert "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>&lt;b&gt;x&lt;/b&gt;</strong>" in html


def test_markup_typed_in_any_text_is_shown_as_typed_on_the_results_page(audit, en):
    _every_part(audit, lambda part: f"{part}\n\n{PAYLOAD}")
    page = en("consultant").get(reverse("assessments:audit-results", args=[audit.pk]))
    html = page.content.decode()
    _assert_no_markup(html)
    _pinned, sections, _survey = _keys(audit)
    # every part is on the page, each with the escaped payload
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3 + len(sections)


def test_markup_typed_in_any_text_is_shown_as_typed_in_the_pdf_html(audit):
    _every_part(audit, lambda part: f"{part}\n\n{PAYLOAD}")
    html = services.report_html(job=_render(audit, "en"))
    _assert_no_markup(html)
    _pinned, sections, _survey = _keys(audit)
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3 + len(sections)


def test_the_pdf_text_holds_the_consultants_words(audit):
    _every_part(
        audit,
        lambda part: f"Conclusion on {part}: **keep** it.\n- <script>x</script>",
        language="ru",
    )
    job = _render(audit, "en")
    assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = re.sub(r"\s+", "", "\n".join(page.extract_text() for page in reader.pages))
    _pinned, sections, _survey = _keys(audit)
    for part in ("introduction", "summary", "survey", *(s.key for s in sections)):
        assert f"Conclusionon{part}:keepit." in text, part
    assert text.count("<script>x</script>") == 3 + len(sections)


def test_the_introduction_is_a_section_the_consultant_may_leave_out(audit):
    _every_part(audit, lambda part: f"Words on {part}")
    with translation.override("en"):
        chosen = selectors.audit_report_context(audit=audit)
        without = selectors.audit_report_context(
            audit=audit, sections=["cover", "summary", "appendix"]
        )
    assert chosen["toc"][0]["id"] == "introduction"
    assert "introduction" not in [entry["id"] for entry in without["toc"]]
    services.audit_report_options_save(audit=audit, sections=["summary"], by=None)
    html = services.report_html(job=_render(audit, "en"))
    assert "Words on introduction" not in html and "Words on summary" in html


def test_two_reports_tell_whether_the_consultants_words_changed(audit):
    def rendered():
        job = _render(audit, "en")
        assert services.report_job_run(job_id=job.pk) == ReportStatus.DONE
        job.refresh_from_db()
        return job.snapshot

    assert "texts" not in rendered()
    _every_part(audit, lambda part: f"Words on {part}")
    first, again = rendered(), rendered()
    assert first["texts"] == again["texts"]
    pinned, sections, _survey = _keys(audit)
    audit_texts_save(
        audit=audit,
        by=audit.owner,
        bodies={("domain", f"{pinned.pk}:{sections[-1].key}", "en"): "**Other** words"},
    )
    assert rendered()["texts"] != first["texts"]
