"""The consultant accepts two recommendations into the action plan and plans one; the client
manager marks it in progress."""

from assessments.models import ActionStatus
from tests.audit_factories import audit_with_recommendations
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD


def test_consultant_plans_and_manager_marks_in_progress(
    page, browser, live_server, actors, company, screenshot_dir
):
    for role in ("consultant", "manager"):
        actors[role].language = "en"
        actors[role].save(update_fields=["language"])
    audit = audit_with_recommendations(
        company=company,
        by=actors["consultant"],
        touchpoints=[{"name": "Checkout", "emotion": 1}],
    )
    first, second = audit.recommendations.all()[:2]

    sign_in(page, "consultant@example.com", PASSWORD)
    page.goto(f"/audits/{audit.pk}/recommendations/")
    assert page.locator("input[form=bulk-accept]:checked").count() == 10
    assert page.get_by_text("domain score 0.0 is below 40").first.is_visible()
    for recommendation in (first, second):
        row = page.locator(f"#rec-{recommendation.pk}")
        row.get_by_role("button", name="Accept").click()
        page.locator(f"#rec-{recommendation.pk}").get_by_text(
            "Added to the action plan."
        ).wait_for()
    assert page.locator("input[form=bulk-accept]").count() == audit.recommendations.count() - 2
    page.screenshot(path=f"{screenshot_dir}/plan-recommendations-en.png", full_page=True)

    page.get_by_role("link", name="Action plan").first.click()
    page.wait_for_url(f"**/audits/{audit.pk}/actions/")
    assert page.locator("tr.cx-action").count() == 2
    action = audit.actions.get(recommendation=first)
    page.locator(f"#action-{action.pk}").get_by_role("link", name="Edit").click()
    editor = page.locator(f"#action-{action.pk}")
    editor.get_by_label("Owner").select_option(label="Boris Manager")
    editor.get_by_label("Status").select_option(label="Planned")
    editor.get_by_role("button", name="Save").click()
    page.locator(f"#action-{action.pk} .cx-action-status").get_by_text("Planned").wait_for()
    action.refresh_from_db()
    assert (action.status, action.owner) == (ActionStatus.PLANNED, actors["manager"])

    context = browser.new_context(base_url=live_server.url, locale="en-US")
    manager = context.new_page()
    manager.set_default_timeout(10_000)
    sign_in(manager, "manager@example.com", PASSWORD)
    manager.goto(f"/audits/{audit.pk}/actions/")
    manager.locator(f"#action-{action.pk}").get_by_role("link", name="Edit").click()
    editor = manager.locator(f"#action-{action.pk}")
    assert editor.get_by_label("Owner").count() == 0  # the manager changes status and notes
    editor.get_by_label("Status").select_option(label="In progress")
    editor.get_by_label("Notes").fill("Kick-off with the team on Monday")
    editor.get_by_role("button", name="Save").click()
    manager.locator(f"#action-{action.pk} .cx-action-status").get_by_text("In progress").wait_for()
    manager.screenshot(path=f"{screenshot_dir}/plan-actions-manager-en.png", full_page=True)
    context.close()

    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.notes == "Kick-off with the team on Monday"


def test_journey_map_editor_with_and_without_javascript(
    page, browser, live_server, actors, company, screenshot_dir
):
    from tests.audit_factories import audit_build

    actors["consultant"].language = "en"
    actors["consultant"].save(update_fields=["language"])
    audit = audit_build(company=company, by=actors["consultant"])

    sign_in(page, "consultant@example.com", PASSWORD)
    page.goto(f"/audits/{audit.pk}/journey/")
    stage = page.locator("#stage-purchase")
    stage.get_by_text("Add a touchpoint").click()
    stage.get_by_label("Touchpoint").fill("Checkout")
    stage.get_by_label("Channel").fill("Website")
    stage.get_by_label("Customer emotion (1–5)").select_option("2")
    stage.get_by_label("Pain point").fill("The card form resets on errors")
    stage.get_by_role("button", name="Add the touchpoint").click()
    page.locator("#stage-purchase").get_by_text("The touchpoint was added.").wait_for()
    assert page.locator("#stage-purchase .cx-touchpoint").count() == 1
    assert "emotion 2 of 5" in page.locator("#stage-purchase").inner_text()
    page.screenshot(path=f"{screenshot_dir}/plan-journey-map-en.png", full_page=True)

    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False
    )
    plain = context.new_page()
    plain.set_default_timeout(10_000)
    sign_in(plain, "consultant@example.com", PASSWORD)
    plain.goto(f"/audits/{audit.pk}/journey/")
    support = plain.locator("#stage-support")
    support.get_by_text("Add a touchpoint").click()
    support.get_by_label("Touchpoint").fill("Hotline")
    support.get_by_role("button", name="Add the touchpoint").click()
    plain.wait_for_url(f"**/audits/{audit.pk}/journey/#stage-support")
    assert "Hotline" in plain.locator("#stage-support").inner_text()
    context.close()
    assert sorted(audit.touchpoints.values_list("name", flat=True)) == ["Checkout", "Hotline"]
