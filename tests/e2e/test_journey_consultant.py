"""A new consultant's journey: start page, an audit over the last full quarter, a colleague
invited by e-mail, and closing through the page that says what is still missing; in
Russian and English, on a desktop and a 390 px phone."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from assessments.forms.audits import last_full_quarter
from assessments.models import Audit, AuditStatus
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD


def test_consultant_journey_from_dashboard_to_closing(
    page, phone_page, actors, company, screenshot_dir
):
    sign_in(page, "consultant@example.com", PASSWORD)
    assert page.get_by_role("heading", name="Что делать дальше").is_visible()
    assert page.get_by_text("Открытых аудитов нет", exact=False).is_visible()
    page.screenshot(path=f"{screenshot_dir}/journey-dashboard-empty-ru.png", full_page=True)

    page.get_by_role("link", name=company.name).click()
    page.goto(f"/companies/{company.pk}/audits/new/")
    start, end = last_full_quarter(timezone.localdate())
    assert page.get_by_label("Период с").input_value() == start.isoformat()
    assert page.get_by_label("Период по").input_value() == end.isoformat()
    page.get_by_label("Название").fill("Аудит сервиса")
    page.get_by_label("Шаблон").select_option("full-cx-audit")
    page.screenshot(path=f"{screenshot_dir}/journey-audit-form-ru.png", full_page=True)
    page.get_by_role("button", name="Начать аудит").click()
    page.wait_for_url(re.compile(r"/audits/\d+/$"))
    audit = Audit.objects.get()
    assert (audit.period_start, audit.period_end) == (start, end)
    assert page.locator(".badge", has_text="Открыт").first.is_visible()

    page.get_by_role("link", name="Пригласить сотрудников").click()
    page.get_by_label("Vera Staff", exact=False).check()
    page.get_by_role("button", name="Пригласить на самооценку").click()
    page.wait_for_url(f"**/audits/{audit.pk}/")
    assert [m.to for m in mail.outbox] == [["staff@example.com"]]
    assert "/answer/" in mail.outbox[0].body

    page.goto("/")
    assert page.get_by_text("Аудит сервиса").first.is_visible()
    assert page.get_by_text("Завершено 0 самооценок из 1").is_visible()
    page.screenshot(path=f"{screenshot_dir}/journey-dashboard-ru.png", full_page=True)

    sign_in(phone_page, "staff@example.com", PASSWORD)
    assert phone_page.get_by_role("link", name="Ответить").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=f"{screenshot_dir}/journey-dashboard-staff-phone-ru.png")

    page.goto(f"/audits/{audit.pk}/")
    page.get_by_role("link", name="Закрыть аудит").click()
    page.wait_for_url(f"**/audits/{audit.pk}/close/")
    summary = page.locator(".cx-close-summary")
    assert "Без ответа" in summary.inner_text()
    assert "Не завершена 1 самооценка из 1" in summary.inner_text()
    page.screenshot(path=f"{screenshot_dir}/journey-close-ru.png", full_page=True)
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**/audits/{audit.pk}/close/")
    assert "1 of 1 self-assessment not done" in page.locator(".cx-close-summary").inner_text()
    assert "items unanswered" in page.locator(".cx-close-summary").inner_text()
    page.screenshot(path=f"{screenshot_dir}/journey-close-en.png", full_page=True)

    phone_page.context.clear_cookies()
    sign_in(phone_page, "consultant@example.com", PASSWORD)
    phone_page.goto(f"/audits/{audit.pk}/close/")  # English now: the profile remembers it
    assert phone_page.get_by_role("button", name="Close the audit").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=f"{screenshot_dir}/journey-close-phone-en.png", full_page=True)

    page.get_by_role("button", name="Close the audit").click()
    page.wait_for_url(f"**/audits/{audit.pk}/")
    assert Audit.objects.get().status == AuditStatus.CLOSED
    assert page.locator(".badge", has_text="Closed").first.is_visible()
    page.goto("/")
    assert page.get_by_text("No open audits", exact=False).is_visible()
    page.screenshot(path=f"{screenshot_dir}/journey-dashboard-en.png", full_page=True)


def test_closing_and_reopening_an_anonymous_wave(page, phone_page, actors, company, screenshot_dir):
    from surveys.models import Wave
    from tests.survey_factories import ResponseFactory, SurveyFactory, WaveFactory

    survey = SurveyFactory(company=company, title="Пульс команды", employee=True)
    wave = WaveFactory(survey=survey, number=1)
    ResponseFactory.create_batch(2, wave=wave, nps=None, enps=8)
    sign_in(page, "consultant@example.com", PASSWORD)
    assert page.get_by_text("подсчёт после закрытия волны").is_visible()
    page.goto(f"/surveys/{survey.pk}/")
    page.get_by_role("link", name="Закрыть сейчас").click()
    summary = page.locator(".cx-close-summary").inner_text()
    assert "хотя бы 5 человек" in summary and "2" not in summary
    page.screenshot(path=f"{screenshot_dir}/journey-wave-close-ru.png", full_page=True)
    page.get_by_role("button", name="Закрыть волну").click()
    page.wait_for_url(f"**/surveys/{survey.pk}/")
    page.get_by_role("link", name="Открыть снова").click()
    page.screenshot(path=f"{screenshot_dir}/journey-wave-reopen-ru.png", full_page=True)
    until = page.get_by_label("Дата окончания", exact=False).input_value()
    assert until == (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    page.get_by_role("button", name="Открыть волну снова").click()
    page.wait_for_url(f"**/surveys/{survey.pk}/")
    assert Wave.objects.get(pk=wave.pk).is_open

    earlier = SurveyFactory(company=company, title="Пульс прошлого года", employee=True)
    shown = WaveFactory(survey=earlier, number=1, closed=True)
    ResponseFactory.create_batch(5, wave=shown, nps=None, enps=8)
    sign_in(phone_page, "manager@example.com", PASSWORD)
    phone_page.goto(f"/surveys/waves/{shown.pk}/reopen/")
    assert phone_page.get_by_text("начните новую волну", exact=False).is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=f"{screenshot_dir}/journey-wave-reopen-refused-phone-ru.png")
