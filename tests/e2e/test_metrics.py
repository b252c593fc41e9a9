"""A manager enters two quarters and sees the dashboard with a trend and a recommendation."""

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

Q1 = {
    "customers_start": "1000",
    "customers_won": "150",
    "customers_lost": "100",
    "customers_end": "1050",
    "revenue": "5000000",
    "support_cost": "450000",
    "cases_opened": "400",
    "cases_resolved": "360",
    "cases_first_contact": "300",
    "frt_median_value": "40",
    "qa-0-category": "Приветствие",
    "qa-0-weight": "1",
    "qa-0-passed": "38",
    "qa-0-checked": "40",
}
Q2 = {
    **Q1,
    "customers_start": "1050",
    "customers_won": "60",
    "customers_lost": "140",
    "customers_end": "",  # derived: 970
    "support_cost": "620000",
    "cases_first_contact": "240",
}


def enter_period(page, company, code, values, *, end_fix=False):
    page.goto(f"/companies/{company.pk}/metrics/new/")
    page.locator("select[name=period]").select_option(code)
    for name, value in values.items():
        page.locator(f"input[name='{name}']").fill(value)
    page.locator("select[name=frt_median_unit]").select_option("minutes")
    page.locator("form button[type=submit].btn-primary").last.click()
    page.wait_for_load_state()


def test_manager_enters_two_quarters_and_sees_trend_and_recommendation(
    page, actors, company, screenshot_dir
):
    sign_in(page, "manager@example.com", PASSWORD)

    # A balance that does not add up is refused with the computed end value on offer.
    enter_period(page, company, "2024-Q1", {**Q1, "customers_end": "1000"})
    assert "/metrics/new/" in page.url
    offer = page.locator("button[name=apply_suggestion]")
    assert offer.get_attribute("value") == "customers_end:1050"
    page.screenshot(path=f"{screenshot_dir}/metrics-form-error-ru.png", full_page=True)
    offer.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/companies/{company.pk}/metrics/")

    enter_period(page, company, "2024-Q2", Q2)
    assert page.url.endswith(f"/companies/{company.pk}/metrics/")
    assert page.locator("[data-metric='monthly_churn'] svg .cx-point").count() == 2
    assert page.locator("[data-rule='net-loss']").count() == 1
    assert page.locator("[data-rule='cost-high']").count() == 1
    page.screenshot(path=f"{screenshot_dir}/metrics-dashboard-ru.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    content = page.content()
    assert "Latest period: Q2 2024" in content
    assert "Retention before acquisition" in content or "retention" in content.lower()
    assert "derived" in content
    page.screenshot(path=f"{screenshot_dir}/metrics-dashboard-en.png", full_page=True)

    page.goto(f"/companies/{company.pk}/metrics/new/")
    page.screenshot(path=f"{screenshot_dir}/metrics-form-en.png", full_page=True)
