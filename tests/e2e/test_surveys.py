from datetime import timedelta

from django.utils import timezone

from surveys.models import Response, Wave
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.survey_factories import SurveyFactory, SurveySettingsFactory, WaveFactory, answers


def use_language(page, live_server, code):
    page.context.add_cookies([{"name": "cxaudit_language", "value": code, "url": live_server.url}])


def test_manager_creates_nps_survey_and_a_phone_answers(
    page, phone_page, live_server, actors, company, screenshot_dir
):
    sign_in(page, "manager@example.com", PASSWORD)
    use_language(page, live_server, "en")
    page.goto(f"/surveys/company/{company.pk}/")
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("Title").fill("Guests of the coffee shop")
    page.get_by_label("Customers").check()
    page.get_by_label("Recommendation (NPS)").check()
    page.get_by_label("Anonymous results", exact=False).uncheck()
    page.get_by_role("button", name="Create survey").click()
    page.wait_for_load_state()
    assert "Survey created" in page.content()
    page.get_by_role("button", name="Add wave").click()
    page.wait_for_load_state()
    assert "Wave 1 added" in page.content()
    page.screenshot(path=f"{screenshot_dir}/survey-detail-en.png", full_page=True)
    link = page.locator("a.public-link").first.get_attribute("href")
    wave = Wave.objects.get()
    assert wave.token in link

    # Four customers answered before, on paper, imported later; here straight into the DB.
    answers(wave, [10, 9, 8, 3], comment="Friendly staff")

    # A customer on a phone, in another browser context: no login, Russian page.
    use_language(phone_page, live_server, "ru")
    phone_page.goto(f"/s/{wave.token}/")
    assert "Насколько вероятно" in phone_page.content()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    phone_page.screenshot(path=f"{screenshot_dir}/respond-phone-ru.png", full_page=True)
    use_language(phone_page, live_server, "en")
    phone_page.goto(f"/s/{wave.token}/")
    phone_page.screenshot(path=f"{screenshot_dir}/respond-phone-en.png", full_page=True)
    phone_page.get_by_role("button", name="Send answers").click()
    phone_page.wait_for_load_state()
    assert "Please choose an answer." in phone_page.content()
    phone_page.screenshot(path=f"{screenshot_dir}/respond-phone-error-en.png", full_page=True)
    # The scale is a group of radio buttons with a legend, usable by keyboard.
    phone_page.get_by_role("radio", name="8").focus()
    phone_page.keyboard.press("ArrowRight")
    assert phone_page.get_by_role("radio", name="9").is_checked()
    phone_page.get_by_label("What is the main reason for your score?").fill(
        "Вкусный кофе и быстрое обслуживание"
    )
    phone_page.get_by_role("button", name="Send answers").click()
    phone_page.wait_for_load_state()
    assert "Thank you for your answers!" in phone_page.content()
    phone_page.screenshot(path=f"{screenshot_dir}/respond-thanks-en.png", full_page=True)
    assert Response.objects.filter(wave=wave).count() == 5
    use_language(phone_page, live_server, "ru")
    phone_page.reload()
    phone_page.screenshot(path=f"{screenshot_dir}/respond-thanks-ru.png", full_page=True)

    # The manager sees the result.
    page.get_by_role("link", name="Results").first.click()
    page.wait_for_load_state()
    figure = page.locator(".metric-figure[data-metric=nps]")
    assert figure.inner_text().startswith("40.0")
    assert "Indicative" in page.content()
    assert "Вкусный кофе" in page.content()
    page.screenshot(path=f"{screenshot_dir}/survey-results-en.png", full_page=True)
    use_language(page, live_server, "ru")
    page.reload()
    page.screenshot(path=f"{screenshot_dir}/survey-results-ru.png", full_page=True)


def test_employee_survey_below_k_shows_no_figure(
    page, live_server, actors, company, screenshot_dir
):
    SurveySettingsFactory(company=company, anonymity_threshold=5)
    survey = SurveyFactory(company=company, employee=True, title="Team pulse")
    today = timezone.localdate()
    wave = WaveFactory(
        survey=survey, number=1, opens_on=today - timedelta(14), closes_on=today - timedelta(1)
    )
    answers(
        wave, [9, 6, 3], key="enps", state_at_work=5, process_ease=4, comment="Too many meetings"
    )
    sign_in(page, "manager@example.com", PASSWORD)
    use_language(page, live_server, "en")
    page.goto(f"/surveys/{survey.pk}/results/")
    assert page.locator(".metric-figure").count() == 0
    assert page.locator(".not-enough").first.inner_text() == "Hidden: fewer than 5 responses"
    assert "Too many meetings" not in page.content()
    page.screenshot(path=f"{screenshot_dir}/survey-results-hidden-en.png", full_page=True)
    use_language(page, live_server, "ru")
    page.reload()
    page.screenshot(path=f"{screenshot_dir}/survey-results-hidden-ru.png", full_page=True)
