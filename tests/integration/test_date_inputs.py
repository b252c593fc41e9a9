"""Date pickers are filled in every language, and date errors read in the locale (issue 14).

An ``<input type=date>`` takes only an ISO value: a Russian page that rendered
``value="31.12.2026"`` showed an empty field.
"""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from assessments.forms.audits import AuditForm, NextRoundForm
from assessments.forms.plan import ActionItemForm
from surveys import imports
from surveys.forms import WaveForm
from surveys.services import surveys as survey_services
from tests.survey_factories import SurveyFactory, WaveFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 31)


def date_values(html: str) -> list[str]:
    return re.findall(r'<input type="date"[^>]*value="([^"]*)"', html)


def forms_with_dates():
    yield WaveForm(initial={"opens_on": DAY, "closes_on": DAY})
    yield AuditForm(
        initial={"title": "x", "period_start": DAY, "period_end": DAY}, templates=[], instruments=[]
    )
    yield NextRoundForm(initial={"title": "x", "period_start": DAY, "period_end": DAY})
    yield ActionItemForm(
        initial={"title": "x", "due_date": DAY}, members=[], limited=False, url="/x/"
    )


@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_date_picker_gets_an_iso_value(language):
    with translation.override(language):
        for form in forms_with_dates():
            html = "".join(str(form[name]) for name in form.fields)
            values = date_values(html)
            assert values and set(values) == {"2026-12-31"}, type(form).__name__


def test_a_russian_date_picker_reads_back_what_the_browser_sends():
    with translation.override("ru"):
        form = WaveForm({"opens_on": "2026-12-01", "closes_on": "2026-12-31"})
        assert form.is_valid()
        assert form.cleaned_data == {"opens_on": date(2026, 12, 1), "closes_on": DAY}
        assert date_values(str(form["closes_on"])) == ["2026-12-31"]


def test_the_russian_new_wave_page_fills_the_date_fields(client_for, company):
    survey = SurveyFactory(company=company, blocks=["nps"], title="Guests")
    client = client_for("manager")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get(reverse("surveys:wave-create", args=[survey.pk])).content.decode()
    values = date_values(html)
    assert len(values) == 2
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) for value in values)


def test_an_overlapping_wave_is_refused_with_dates_in_the_locale(company):
    survey = SurveyFactory(company=company, blocks=["nps"], title="Guests")
    WaveFactory(survey=survey, opens_on=DAY - timedelta(30), closes_on=DAY)
    with translation.override("ru"), pytest.raises(ValidationError) as caught:
        survey_services.wave_create(survey=survey, opens_on=DAY, closes_on=DAY)
    assert "01.12.2026 – 31.12.2026" in caught.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        survey_services.wave_create(survey=survey, opens_on=DAY, closes_on=DAY)
    assert "12/01/2026 – 12/31/2026" in caught.value.messages[0]


def test_an_imported_date_outside_the_wave_is_named_in_the_locale():
    data = b"date,nps\r\n2027-01-05,9\r\n"
    with translation.override("ru"):
        parsed = imports.parse(
            data,
            blocks=["nps"],
            opens_on=DAY - timedelta(30),
            closes_on=DAY,
            channels=[],
            teams=[],
        )
    assert any("05.01.2027" in error and "31.12.2026" in error for error in parsed.errors)
