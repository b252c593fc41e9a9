import re

from django.core import mail

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD


def test_sign_in_switch_language_invite_and_accept(
    page, browser, live_server, actors, company, screenshot_dir
):
    sign_in(page, "manager@example.com", PASSWORD)
    # Russian by default, even though the browser asks for English.
    assert page.locator("h1").inner_text() == "Что делать дальше"
    page.screenshot(path=f"{screenshot_dir}/dashboard-ru.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "What to do next"
    page.screenshot(path=f"{screenshot_dir}/dashboard-en.png", full_page=True)

    page.get_by_role("link", name=company.name).first.click()
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("E-mail", exact=False).first.fill("newcomer@example.com")
    page.get_by_label("Role").select_option("staff")
    page.get_by_label("Language of the e-mail").select_option("ru")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert "Invitation sent to newcomer@example.com" in page.content()
    page.screenshot(path=f"{screenshot_dir}/company-en.png", full_page=True)

    (message,) = mail.outbox
    link = re.search(r"(/invite/[^\s]+/)", message.body).group(1)

    newcomer = browser.new_context(base_url=live_server.url).new_page()
    newcomer.goto(link)
    assert "Присоединяйтесь" in newcomer.content()
    newcomer.get_by_label("Ваше имя").fill("Нина Новикова")
    newcomer.locator("input[name=password1]").fill("sturdy-pass-9421")
    newcomer.locator("input[name=password2]").fill("sturdy-pass-9421")
    newcomer.get_by_role("button", name="Создать учётную запись").click()
    newcomer.wait_for_load_state()
    assert "Нина Новикова" in newcomer.content()
    newcomer.screenshot(path=f"{screenshot_dir}/accepted-ru.png", full_page=True)

    # The link is single-use.
    newcomer.goto(link)
    assert "уже использовано" in newcomer.content()


def test_login_page_works_on_a_phone(phone_page, actors, screenshot_dir):
    phone_page.goto("/accounts/login/")
    assert phone_page.locator("h1").inner_text() == "Вход в CX Audit"
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    phone_page.screenshot(path=f"{screenshot_dir}/login-phone.png")
