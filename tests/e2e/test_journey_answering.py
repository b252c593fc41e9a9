"""Issue 14, answering, on a 390 px phone: "does not apply", live counters, a comment typed
just before leaving, the 0-10 row on one line, staff pages that do not overflow, and a
public form sent twice with Back."""

import time

from django.test import Client
from django.urls import reverse

from assessments.models import Answer
from assessments.services.library import instrument_upload
from surveys.models import Response
from tests.audit_factories import audit_build
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.library_samples import scale_instrument_yaml
from tests.survey_factories import SurveyFactory, WaveFactory

PHONE = 390


def use_language(page, live_server, code):
    page.context.add_cookies([{"name": "cxaudit_language", "value": code, "url": live_server.url}])


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE


def one_row(page, selector) -> bool:
    """Whether every label of the first group matching ``selector`` sits on the same line."""
    tops = page.eval_on_selector(
        selector,
        "group => [...group.querySelectorAll('label')].map(l => l.getBoundingClientRect().top)",
    )
    return len(tops) == 11 and max(tops) - min(tops) < 2


def test_staff_answer_on_a_phone(phone_page, live_server, actors, company, screenshot_dir):
    page = phone_page
    instrument_upload(
        consultancy=company.parent,
        text=scale_instrument_yaml(),
        filename="house.yaml",
        by=actors["consultant"],
    )
    audit = audit_build(
        company=company,
        by=actors["consultant"],
        instruments=("golding-cx-framework", "service-sales-level", "house-scale"),
    )
    pinned = {ai.version.instrument.key: ai for ai in audit.instruments.all()}
    sign_in(page, "consultant@example.com", PASSWORD)
    use_language(page, live_server, "ru")
    page.goto(f"/audits/{audit.pk}/answer/{pinned['golding-cx-framework'].pk}/")

    # "Does not apply" leaves the count; "Yes" adds to it; both counters follow each save.
    item = page.locator("#item-know-customers")
    assert "Ещё нет ответа" in item.inner_text()
    item.get_by_text("Не применимо", exact=True).click()
    page.locator("#item-know-customers .cx-save-state").get_by_text("Сохранено").wait_for()
    section = page.locator("#progress-section-strategy")
    assert "Отвечено 0 из 2" in section.inner_text()
    assert "1 пункт не применим" in section.inner_text()
    page.locator("#item-know-needs").get_by_text("Да", exact=True).click()
    page.locator("#item-know-needs .cx-save-state").get_by_text("Сохранено").wait_for()
    assert "Отвечено 1 из 2" in page.locator("#progress-section-strategy").inner_text()
    assert "Отвечено 1 из 8" in page.locator("#progress-instrument").inner_text()
    assert "1/2" in page.locator("#pill-strategy").inner_text()
    # "No" is drawn apart from an item not answered yet.
    page.locator("#item-roles-understood").get_by_text("Нет", exact=True).click()
    page.locator("#item-roles-understood .cx-save-state").get_by_text("Сохранено").wait_for()
    assert "Ещё нет ответа" not in page.locator("#item-roles-understood").inner_text()
    assert "Ещё нет ответа" in page.locator("#item-execution-plan").inner_text()
    assert fits(page)
    page.screenshot(path=f"{screenshot_dir}/journey-answer-phone-ru.png", full_page=True)

    # A comment typed and the page left at once, before any blur or delayed save.
    comment = page.locator("#item-execution-plan")
    comment.get_by_text("Комментарий", exact=True).click()
    comment.locator("textarea[name=comment]").fill("План есть только у директора")
    page.get_by_role("link", name="Вернуться к аудиту").click()
    page.wait_for_url(f"**/audits/{audit.pk}/")
    assert wait_until(
        lambda: Answer.objects.filter(
            item_key="execution-plan", comment="План есть только у директора"
        ).exists()
    )
    assert fits(page)
    page.screenshot(path=f"{screenshot_dir}/journey-audit-phone-ru.png", full_page=True)
    # Leaving by the address bar, with the cursor still in the comment: no blur, no change.
    page.goto(f"/audits/{audit.pk}/answer/{pinned['golding-cx-framework'].pk}/")
    comment = page.locator("#item-customer-view")
    comment.get_by_text("Комментарий", exact=True).click()
    comment.locator("textarea[name=comment]").fill("Отзывы никто не читает")
    page.goto(f"/audits/{audit.pk}/")
    assert wait_until(
        lambda: Answer.objects.filter(
            item_key="customer-view", comment="Отзывы никто не читает"
        ).exists()
    )

    # A tick list counts as the results count: unticked is "no", so it is answered.
    page.goto(f"/audits/{audit.pk}/answer/{pinned['service-sales-level'].pk}/")
    assert "Отвечено 13 из 13" in page.locator("#progress-instrument").inner_text()
    assert "Не отмечено: считается как «нет»." in page.content()
    page.locator("#item-cac-known label.form-check-label").click()
    page.locator("#item-cac-known").get_by_text("Отмечено: считается как «да».").wait_for()
    assert "1 пункт отмечен как «да»" in page.locator("#progress-instrument").inner_text()
    assert "Отвечено 13 из 13" in page.locator("#progress-instrument").inner_text()
    page.screenshot(path=f"{screenshot_dir}/journey-plus-phone-ru.png", full_page=True)

    # The 0-10 row stays on one line, in both languages.
    for language in ("ru", "en"):
        use_language(page, live_server, language)
        page.goto(f"/audits/{audit.pk}/answer/{pinned['house-scale'].pk}/")
        assert one_row(page, "#item-greeting .cx-scale")
        assert fits(page)
        page.screenshot(path=f"{screenshot_dir}/journey-scale-phone-{language}.png", full_page=True)
    page.locator("#item-greeting").get_by_text("Does not apply", exact=True).click()
    page.locator("#item-greeting .cx-save-state").get_by_text("Saved").wait_for()
    assert "1 item does not apply" in page.locator("#progress-instrument").inner_text()
    assert Answer.objects.get(item_key="greeting").is_na


# The outermost elements reaching past the right edge, to name them when a page overflows.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right
    <= 391)
  .slice(0, 3)
  .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))"""


def staff_pages(world) -> list[str]:
    """Every named staff URL the consultant (then the manager) opens as an HTML page."""
    from tests.integration.test_permissions import MATRIX

    urls = {}
    for role in ("consultant", "manager"):
        client = Client()
        client.force_login(
            world["actors"][role], backend="django.contrib.auth.backends.ModelBackend"
        )
        for name, (build_args, expected) in sorted(MATRIX.items()):
            if expected["anonymous"] == 200 or expected[role] != 200 or name in urls:
                continue
            url = reverse(name, args=build_args(world))
            response = client.get(url)
            whole_page = not response.streaming and response.content.lstrip().startswith(
                b"<!DOCTYPE"
            )  # htmx partials and downloads are not pages
            if response.status_code == 200 and whole_page:
                urls[name] = (role, url)
    return urls


def test_staff_pages_do_not_overflow_a_phone(
    browser, live_server, actors, company, other_company, screenshot_dir
):
    from tests.integration.test_permissions import ACCESS_MODULES

    world = {"actors": actors, "company": company, "other_company": other_company}
    for module in ACCESS_MODULES:
        if hasattr(module, "build_world"):
            world.update(module.build_world(world))
    pages = staff_pages(world)
    print(f"{len(pages)} staff pages:", ", ".join(sorted(pages)))
    assert len(pages) > 20
    contexts = {}
    overflowing = []
    for name, (role, url) in pages.items():
        if role not in contexts:
            context = browser.new_context(
                base_url=live_server.url,
                viewport={"width": PHONE, "height": 844},
                is_mobile=True,
                has_touch=True,
            )
            page = context.new_page()
            page.set_default_timeout(10_000)
            sign_in(page, actors[role].email, PASSWORD)
            use_language(page, live_server, "ru" if role == "consultant" else "en")
            contexts[role] = page
        page = contexts[role]
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE:
            overflowing.append((name, width, page.evaluate(WIDEST)))
            page.screenshot(path=f"{screenshot_dir}/overflow-{name.replace(':', '-')}.png")
    for page in contexts.values():
        page.context.close()
    assert not overflowing


def test_back_and_send_again_counts_once(phone_page, live_server, company, screenshot_dir):
    page = phone_page
    wave = WaveFactory(survey=SurveyFactory(company=company, blocks=["nps"]), number=1)
    for language, sent, again in (
        ("ru", "Отправить ответы", "Ваши ответы уже получены"),
        ("en", "Send answers", "Your answers were already received"),
    ):
        use_language(page, live_server, language)
        page.goto(f"/s/{wave.token}/")
        assert one_row(page, ".scale")
        assert fits(page)
        page.screenshot(
            path=f"{screenshot_dir}/journey-respond-phone-{language}.png", full_page=True
        )
        page.locator("label.scale-point", has_text="9").first.click()
        page.get_by_role("button", name=sent).click()
        page.wait_for_url("**/thanks/")
        page.go_back()
        page.wait_for_url(f"**/s/{wave.token}/")
        page.locator("label.scale-point", has_text="3").first.click()
        page.get_by_role("button", name=sent).click()
        page.wait_for_url("**/thanks/?again=1")
        assert again in page.content()
        page.screenshot(
            path=f"{screenshot_dir}/journey-respond-again-{language}.png", full_page=True
        )
    # One response per visit: Russian, then English; the second send of each was refused.
    assert list(Response.objects.values_list("nps", flat=True)) == [9, 9]
