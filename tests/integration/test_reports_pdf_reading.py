"""What a reader finds in the PDFs, read back with pypdf: answers in words, priorities in
words, one name per domain, numbers in the reader's locale, and no staff comparison from
fewer than the minimum of staff (METHODOLOGY §7.1, §8, §9)."""

import io
import re
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from assessments.models import Answer, AuditInstrument, Instrument, ParticipantKind
from assessments.selectors.results import audit_results
from cxaudit.scoring import MIN_STAFF
from tests.integration.test_reports_surveys import pdf_text, render_audit, render_wave, squash
from tests.report_factories import ParticipantFactory, RecommendationFactory, demo_audit
from tests.survey_factories import SurveyFactory, WaveFactory, answers

pytestmark = pytest.mark.django_db


def full_audit_keys() -> list[str]:
    """The scored instruments of the built-in full audit template, in its order."""
    template = Instrument.objects.get(key="full-cx-audit", owner=None).latest.parsed
    versions = {
        i.key: i.latest.parsed for i in Instrument.objects.filter(key__in=template.includes)
    }
    return [key for key in template.includes if versions[key].is_scored]


def raw_text(job) -> str:
    with job.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


PRIORITY_NUMBER = re.compile(r"(?<![\d.,])[0-3][.,]\d\d(?![\d%])")


@pytest.fixture
def audit(actors, company):
    """A full audit with one unticked box, a high-priority recommendation and two staff."""
    keys = full_audit_keys()
    audit = demo_audit(company=company, owner=actors["consultant"], instrument_keys=keys)
    pinned = AuditInstrument.objects.get(audit=audit, version__instrument__key=keys[0])
    unticked = Answer.objects.filter(audit_instrument=pinned).order_by("pk").first()
    unticked.value = 0
    unticked.comment = "Nobody knows the acquisition cost."
    unticked.save()
    RecommendationFactory(audit=audit, text="Measure the acquisition cost.", priority="2.00")
    for _ in range(MIN_STAFF - 1):
        staff = ParticipantFactory(audit=audit, kind=ParticipantKind.STAFF)
        Answer.objects.create(
            participant=staff, audit_instrument=pinned, item_key=unticked.item_key, value=1
        )
    return audit


@pytest.mark.parametrize(
    ("language", "no", "words", "left_out", "section"),
    [
        ("en", "Answer:No", ("high", "medium"), "so this section is left out", "Sorted by"),
        ("ru", "Ответ:Нет", ("высокий", "средний"), "поэтому раздел пропущен", "По приоритету"),
    ],
)
def test_the_audit_report_reads_in_words(audit, language, no, words, left_out, section):
    job = render_audit(audit, language)
    text = pdf_text(job)
    assert no in text  # the unticked box of the finding, not "0"
    recommendations = raw_text(job).split(section, 1)[1]
    table = recommendations.split("\n", 3)[3]  # after the explanation above the table
    table = table.split(squash("Action plan") if language == "en" else "План действий")[0]
    assert all(word in table for word in words)
    assert not PRIORITY_NUMBER.search(table), PRIORITY_NUMBER.search(table)
    assert squash(left_out) in text
    with translation.override(language):
        results = audit_results(audit=audit)
    labels = [row.label for row in results.domains]
    assert len(labels) > 10 and len(set(labels)) == len(labels)
    for row in results.strongest + results.weakest:
        assert squash(f"{row.label}") in text
    decimal = "," if language == "ru" else "."
    assert squash(f"{results.overall}".replace(".", decimal)) in text


def test_the_appendix_says_no_for_an_unticked_box_in_every_language(audit):
    for language, no in (("en", "No"), ("ru", "Нет")):
        with translation.override(language):
            from cxaudit.reports.selectors import audit_report_context

            context = audit_report_context(audit=audit)
        rows = [
            row
            for instrument in context["instruments"]
            for domain in instrument["domains"]
            for row in domain["items"]
        ]
        assert rows[0]["answer"] == no
        assert "0" not in {row["answer"] for row in rows}


def test_the_staff_section_is_kept_with_enough_staff(audit):
    pinned = AuditInstrument.objects.get(audit=audit, position=0)
    staff = ParticipantFactory(audit=audit, kind=ParticipantKind.STAFF)
    key = Answer.objects.filter(participant__kind=ParticipantKind.STAFF).first().item_key
    Answer.objects.create(participant=staff, audit_instrument=pinned, item_key=key, value=1)
    text = pdf_text(render_audit(audit, "en"))
    assert squash("so this section is left out") not in text
    assert squash(f"{MIN_STAFF} staff members assessed the same items.") in text


@pytest.mark.parametrize(("language", "share"), [("en", "33.3%"), ("ru", "33,3%")])
def test_the_wave_report_prints_chart_numbers_in_the_reader_locale(company, language, share):
    employees = SurveyFactory(company=company, employee=True, title="Team pulse")
    wave = WaveFactory(
        survey=employees, number=1, opens_on=date(2026, 9, 1), closes_on=date(2026, 9, 14)
    )
    answers(wave, [10, 10, 0, 0, 7, 7], key="enps", state_at_work=7)
    job, _status = render_wave(wave, language)
    text = pdf_text(job)
    assert share in text  # the distribution chart's percentage labels
    meaning = {
        "en": "Employee promoters at best outnumber detractors by under 30 points.",
        "ru": "Сторонников среди сотрудников в лучшем случае меньше чем на 30 пунктов",
    }[language]
    assert squash(meaning) in text  # eNPS 0.0 is not "mostly positive"
