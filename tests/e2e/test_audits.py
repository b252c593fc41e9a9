import re

from assessments.models import Answer, Audit
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD


def answer_instrument(page, value_label):
    """Answer every radio question of the open instrument page with the given choice."""
    for item in page.locator(".cx-item").all():
        choice = item.get_by_text(value_label, exact=True)
        if choice.count():
            choice.first.click()
            item.locator(".cx-save-state").get_by_text("Сохранено", exact=False).wait_for()


def test_audit_from_template_to_results_and_gaps(
    page, phone_page, browser, live_server, actors, company, screenshot_dir
):
    sign_in(page, "consultant@example.com", PASSWORD)
    page.goto(f"/companies/{company.pk}/audits/new/")
    page.get_by_label("Название").fill("Аудит сервиса, I квартал")
    page.get_by_label("Шаблон").select_option("full-cx-audit")
    page.get_by_role("button", name="Начать аудит").click()
    page.wait_for_url(re.compile(r"/audits/\d+/$"))
    audit = Audit.objects.get()

    page.get_by_role("link", name="Пригласить сотрудников").click()
    page.get_by_label("Vera Staff", exact=False).check()
    page.get_by_role("button", name="Пригласить на самооценку").click()
    page.wait_for_url(f"**/audits/{audit.pk}/")

    page.get_by_role("link", name="по Голдингу", exact=False).first.click()
    answer_instrument(page, "Нет")
    # Reloading keeps what was saved.
    page.reload()
    assert page.locator("input[type=radio]:checked").count() == 9
    page.screenshot(path=f"{screenshot_dir}/audit-answer-ru.png", full_page=True)

    sign_in(phone_page, "staff@example.com", PASSWORD)
    phone_page.goto(f"/audits/{audit.pk}/")
    phone_page.get_by_role("link", name="по Голдингу", exact=False).first.click()
    answer_instrument(phone_page, "Да")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.screenshot(path=f"{screenshot_dir}/audit-answer-phone-ru.png", full_page=True)
    assert Answer.objects.filter(participant__kind="staff").count() == 9

    page.goto(f"/audits/{audit.pk}/")
    page.get_by_role("link", name="Закрыть аудит").click()
    page.get_by_role("button", name="Закрыть аудит").click()
    page.wait_for_url(f"**/audits/{audit.pk}/")
    page.get_by_role("link", name="Результаты").click()
    # Only the Golding framework is answered: too few domains for an overall score yet.
    assert "Пока недостаточно ответов" in page.content()
    assert "Реактивный" in page.content()
    page.screenshot(path=f"{screenshot_dir}/audit-results-ru.png", full_page=True)
    page.get_by_role("link", name="Сотрудники и консультант").first.click()
    page.screenshot(path=f"{screenshot_dir}/audit-gaps-ru.png", full_page=True)
    page.get_by_role("button", name="English").click()
    page.screenshot(path=f"{screenshot_dir}/audit-gaps-en.png", full_page=True)
    page.goto(f"/audits/{audit.pk}/results/")
    page.screenshot(path=f"{screenshot_dir}/audit-results-en.png", full_page=True)
    assert "Reactive" in page.content()
    # Closing stored the recommendations: the consultant accepts two into the action plan.
    page.get_by_role("link", name="Recommendations").first.click()
    page.wait_for_url(f"**/audits/{audit.pk}/recommendations/")
    first, second = audit.recommendations.order_by("-priority", "-severity", "rule_id")[:2]
    for recommendation in (first, second):
        row = page.locator(f"#rec-{recommendation.pk}")
        row.get_by_role("button", name="Accept").click()
        page.locator(f"#rec-{recommendation.pk}").get_by_text(
            "Added to the action plan."
        ).wait_for()
    page.get_by_role("link", name="Action plan").first.click()
    page.wait_for_url(f"**/audits/{audit.pk}/actions/")
    assert page.locator("tr.cx-action").count() == 2
    page.screenshot(path=f"{screenshot_dir}/audit-actions-en.png", full_page=True)
