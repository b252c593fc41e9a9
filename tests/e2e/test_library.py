from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.library_samples import private_instrument_yaml


def test_consultant_uploads_a_broken_file_then_a_fixed_one(page, actors, tmp_path, screenshot_dir):
    sign_in(page, "consultant@example.com", PASSWORD)
    page.get_by_role("link", name="Библиотека").click()
    page.get_by_role("link", name="Загрузить инструмент").click()

    broken = tmp_path / "house.yaml"
    broken.write_text(private_instrument_yaml().replace("scale: yes-no", "scale: maybe"))
    page.locator("input[type=file]").set_input_files(str(broken))
    page.get_by_role("button", name="Проверить и сохранить").click()
    problems = page.locator(".cx-problems")
    assert "house.yaml" in problems.inner_text()
    assert "scale" in problems.inner_text()
    page.screenshot(path=f"{screenshot_dir}/library-upload-error-ru.png", full_page=True)

    fixed = tmp_path / "house-fixed.yaml"
    fixed.write_text(private_instrument_yaml())
    page.locator("input[type=file]").set_input_files(str(fixed))
    page.get_by_role("button", name="Проверить и сохранить").click()
    page.wait_for_url("**/library/*/")
    assert page.locator("h1").inner_text() == "Чек-лист студии"
    assert page.get_by_role("radio", name="Да").is_disabled()
    page.screenshot(path=f"{screenshot_dir}/library-preview-ru.png", full_page=True)


def test_builtin_preview_in_english(page, actors, screenshot_dir):
    sign_in(page, "manager@example.com", PASSWORD)
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Library").click()
    page.get_by_role("link", name="Ten ways", exact=False).first.click()
    page.screenshot(path=f"{screenshot_dir}/library-ten-ways-en.png", full_page=True)
    assert page.locator("fieldset").count() > 10
