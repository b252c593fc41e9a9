"""Own questions in the PDFs, read back with pypdf: the wave summary prints the figures of
the results page's selector (default dimension), in the job's language, hides what the
page hides, and ends its trends at the wave it sums up."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from cxaudit import questions as rules
from cxaudit.reports.selectors.survey_sections import audit_survey_summaries, survey_summary
from surveys.models import Response
from surveys.selectors import survey_results
from tests.integration.test_reports_surveys import pdf_text, render_wave, squash
from tests.own_answers import answer_all, own_question
from tests.survey_factories import SurveyFactory, SurveySettingsFactory, WaveFactory

pytestmark = pytest.mark.django_db

HIDDEN_TEXT = "Only I work nights"


def people(wave, count, **fields):
    return Response.objects.bulk_create(
        [Response(wave=wave, submitted_on=wave.opens_on, **fields) for _ in range(count)]
    )


@pytest.fixture
def staff_wave(company):
    """An employee wave: 8 in Sales, 2 in Support (hidden, and A3 hides Sales too)."""
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, teams=["Sales", "Support"])
    today = timezone.localdate()
    wave = WaveFactory(
        survey=survey,
        number=1,
        opens_on=today - timedelta(days=20),
        closes_on=today - timedelta(days=1),
        released=True,
    )
    tools = own_question(survey, "tools", rules.RATING_5, text_en="How good are your tools?")
    office = own_question(survey, "office", rules.YES_NO, position=1, text_en="In the office?")
    wish = own_question(survey, "wish", rules.SHORT_TEXT, position=2, text_en="One wish")
    sales = people(wave, 8, team="Sales", enps=9, state_at_work=7, process_ease=7)
    support = people(wave, 2, team="Support", enps=3, state_at_work=2, process_ease=2)
    answer_all(
        [(p, tools, 5 if i < 6 else 2) for i, p in enumerate(sales + support)]
        + [(p, office, int(i % 2 == 0)) for i, p in enumerate(sales + support)]
        + [(p, wish, f"wish {i}") for i, p in enumerate(sales)]
        + [(p, wish, HIDDEN_TEXT) for p in support]
    )
    return wave


@pytest.mark.parametrize(
    ("language", "label", "heading", "top_box"),
    [
        ("en", "How good are your tools?", "Own questions", "60.0%"),
        ("ru", "Вопрос tools", "Свои вопросы", "60,0%"),
    ],
)
def test_the_wave_summary_prints_the_own_question_figures(
    staff_wave, language, label, heading, top_box
):
    job, _status = render_wave(staff_wave, language)
    text = pdf_text(job)
    assert squash(heading) in text and squash(label) in text
    with translation.override(language):
        context = survey_results(survey=staff_wave.survey, can_manage=False)
    tools = context["own_questions"][0].figure
    assert tools.value == top_box and tools.n == 10
    assert squash(f"{tools.value}") in text and squash(tools.interval) in text
    assert squash(tools.mean) in text
    assert HIDDEN_TEXT.replace(" ", "") not in text  # Support's texts: a hidden team
    assert "wish0" not in text  # A3 hid Sales as well, so no text is listed


def test_the_report_trends_end_at_the_wave_summed_up(company):
    survey = SurveyFactory(company=company, blocks=["nps"])
    first = WaveFactory(survey=survey, number=1, closed=True)
    second = WaveFactory(survey=survey, number=2, closed=True)
    again = own_question(survey, "again", rules.YES_NO)
    answer_all([(p, again, 1) for p in people(first, 6, nps=9)])
    answer_all([(p, again, 0) for p in people(second, 6, nps=9)])
    latest = survey_summary(survey=survey, wave=second, can_manage=False)
    assert [p.wave.number for p in latest["own_questions"][0].trend] == [1, 2]
    earlier = survey_summary(survey=survey, wave=first, can_manage=False)
    assert [p.wave.number for p in earlier["own_questions"][0].trend] == [1]
    assert earlier["own_questions"][0].trend_svg == ""


def test_the_audit_summaries_carry_the_own_questions(staff_wave):
    summaries = audit_survey_summaries(
        company=staff_wave.survey.company,
        start=staff_wave.opens_on,
        end=staff_wave.closes_on,
    )
    assert [r.question.key for r in summaries[0]["own_questions"]] == ["tools", "office", "wish"]


def test_the_word_report_carries_the_own_question_figures(actors, staff_wave):
    import io

    from docx import Document

    from tests.integration.test_reports_docx import all_text, render_docx
    from tests.report_factories import AuditFactory

    audit = AuditFactory(
        company=staff_wave.survey.company,
        owner=actors["consultant"],
        period_start=staff_wave.opens_on,
        period_end=staff_wave.closes_on,
    )
    _job, data = render_docx(audit, "en")
    text = all_text(Document(io.BytesIO(data)))
    with translation.override("en"):
        summary = audit_survey_summaries(
            company=audit.company, start=audit.period_start, end=audit.period_end
        )[0]
    tools = summary["own_questions"][0]
    assert "How good are your tools?" in text and "Own questions" in text
    assert f"{tools.figure.value} top-2-box" in text and tools.figure.interval in text
    assert HIDDEN_TEXT not in text
