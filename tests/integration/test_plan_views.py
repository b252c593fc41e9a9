"""Recommendations page, action plan, journey map editor and next round: views."""

import re
from datetime import date

import pytest
from django.urls import reverse

from assessments.models import ActionItem, ActionStatus, RecommendationStatus
from assessments.services import audits as audit_services
from assessments.services import plan as services
from assessments.services.answers import answer_save
from tests.audit_factories import (
    GOLDING_ALL_NO,
    answers_give,
    audit_build,
    audit_with_recommendations,
    staff_add,
    touchpoint_add,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def consultant(actors):
    return actors["consultant"]


@pytest.fixture
def audit(company, consultant):
    """Ten Golding rules and three painful touchpoints: thirteen recommendations."""
    return audit_with_recommendations(
        company=company,
        by=consultant,
        touchpoints=[{"name": f"Queue {n}", "emotion": 1} for n in range(3)],
    )


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


# --------------------------------------------------------------------------- recommendations


def test_the_list_shows_priority_reasons_and_preselects_the_top_ten(audit, en):
    response = en("consultant").get(url("recommendation-list", audit.pk))
    assert response.status_code == 200
    html = response.content.decode()
    rows = response.context["rows"]
    assert len(rows) > 10
    assert [row.preselected for row in rows] == [True] * 10 + [False] * (len(rows) - 10)
    assert html.count('form="bulk-accept"') == len(rows)
    assert html.count("checked") == 10
    assert "domain score 0.0 is below 40" in html
    assert "answered “No”" in html


def test_the_list_speaks_russian_by_default(audit, client_for):
    response = client_for("consultant").get(url("recommendation-list", audit.pk))
    strategy = next(
        r for r in response.context["rows"] if r.recommendation.rule_id == "strategy-weak"
    )
    assert "Стратегия" in strategy.reasons[0]
    assert any("а" <= ch <= "я" for ch in strategy.text.lower())


def test_an_unedited_rule_text_follows_the_readers_language(audit, en, client_for):
    # stored while the consultant worked in Russian
    english = en("consultant").get(url("recommendation-list", audit.pk)).context["rows"][0]
    russian = client_for("consultant").get(url("recommendation-list", audit.pk)).context["rows"][0]
    assert english.text != russian.text
    assert english.recommendation.pk == russian.recommendation.pk


def test_refresh_is_a_post_that_stores_recommendations(company, consultant, en):
    audit = audit_build(company=company, by=consultant)
    client = en("consultant")
    empty = client.get(url("recommendation-list", audit.pk))
    assert "No recommendations are stored yet" in empty.content.decode()
    response = client.post(url("recommendation-refresh", audit.pk))
    assert response.status_code == 302
    assert audit.recommendations.exists() is False  # nothing answered, nothing fires
    answer_save(
        participant=audit.participants.get(),
        audit_instrument=audit.instruments.get(version__instrument__key="golding-cx-framework"),
        item_key="measurement.customer-view",
        value=0,
    )
    client.post(url("recommendation-refresh", audit.pk))
    assert audit.recommendations.filter(rule_id="measurement-weak").exists()


def test_accept_with_htmx_returns_the_row(audit, en):
    recommendation = audit.recommendations.first()
    response = en("consultant").post(
        url("recommendation-accept", audit.pk, recommendation.pk), **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="rec-{recommendation.pk}"' in html
    assert "Added to the action plan." in html
    assert 'form="bulk-accept"' not in html
    assert audit.actions.get().recommendation == recommendation


def test_accept_without_javascript_redirects_to_the_list(audit, en):
    recommendation = audit.recommendations.first()
    response = en("consultant").post(url("recommendation-accept", audit.pk, recommendation.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#rec-{recommendation.pk}")


def test_reject_then_a_refused_reject_shows_the_message_in_the_row(audit, en, actors):
    recommendation = audit.recommendations.first()
    client = en("consultant")
    client.post(url("recommendation-reject", audit.pk, recommendation.pk), **HTMX)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.REJECTED
    action = services.recommendation_accept(recommendation=recommendation, by=actors["consultant"])
    services.action_update(
        action=action,
        by=actors["consultant"],
        by_role="consultant",
        owner=actors["staff"],
        status=ActionStatus.PLANNED,
    )
    response = client.post(url("recommendation-reject", audit.pk, recommendation.pk), **HTMX)
    assert "drop its action" in response.content.decode()


def test_bulk_accept_adds_the_ticked_ones_and_goes_to_the_plan(audit, en):
    ids = list(audit.recommendations.values_list("pk", flat=True)[:2])
    response = en("consultant").post(url("recommendation-accept-many", audit.pk), {"ids": ids})
    assert response.status_code == 302
    assert response["Location"] == url("action-list", audit.pk)
    assert set(audit.actions.values_list("recommendation_id", flat=True)) == set(ids)


def test_bulk_accept_with_nothing_ticked_says_so(audit, en):
    response = en("consultant").post(url("recommendation-accept-many", audit.pk), follow=True)
    assert "Choose at least one recommendation" in response.content.decode()
    assert not audit.actions.exists()


def test_edit_inline_and_as_a_page(audit, en):
    recommendation = audit.recommendations.first()
    client = en("consultant")
    inline = client.get(url("recommendation-edit", audit.pk, recommendation.pk), **HTMX)
    assert 'hx-post="' in inline.content.decode()
    page = client.get(url("recommendation-edit", audit.pk, recommendation.pk))
    assert "hx-post" not in page.content.decode().split("<main", 1)[1]
    response = client.post(
        url("recommendation-edit", audit.pk, recommendation.pk), {"text": "Measure NPS"}, **HTMX
    )
    assert "Measure NPS" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.text == "Measure NPS"
    blank = client.post(url("recommendation-edit", audit.pk, recommendation.pk), {"text": " "})
    assert blank.status_code == 200
    assert blank.context["form"].errors


def test_add_own_recommendation(audit, en):
    client = en("consultant")
    response = client.post(
        url("recommendation-create", audit.pk), {"text": "Hire a CX lead", "severity": "3"}
    )
    assert response.status_code == 302
    own = audit.recommendations.get(rule_id="")
    assert (own.text, own.severity) == ("Hire a CX lead", 3)
    listing = client.get(url("recommendation-list", audit.pk)).content.decode()
    assert "Added by the consultant" in listing


def test_staff_see_recommendations_read_only_once_published(audit, en, actors):
    audit_services.results_publish(audit=audit, by=actors["consultant"])
    response = en("staff").get(url("recommendation-list", audit.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "bulk-accept" not in html
    assert "Update from the answers" not in html
    assert en("staff").post(url("recommendation-refresh", audit.pk)).status_code == 404


def test_recommendations_page_query_budget(company, consultant, en, django_assert_max_num_queries):
    audit = audit_with_recommendations(
        company=company,
        by=consultant,
        touchpoints=[{"name": f"Point {n}", "emotion": 1 + n % 2} for n in range(20)],
    )
    for recommendation in audit.recommendations.all()[:8]:
        services.recommendation_accept(recommendation=recommendation, by=consultant)
    assert audit.recommendations.count() > 25
    client = en("consultant")
    with django_assert_max_num_queries(9):
        response = client.get(url("recommendation-list", audit.pk))
    assert response.status_code == 200


# --------------------------------------------------------------------------- action plan


@pytest.fixture
def actions(audit, consultant):
    return [
        services.recommendation_accept(recommendation=r, by=consultant)
        for r in audit.recommendations.all()[:2]
    ]


def test_the_plan_lists_actions_with_owner_due_date_and_overdue(audit, actions, en, actors):
    first = actions[0]
    services.action_update(
        action=first,
        by=actors["consultant"],
        by_role="consultant",
        owner=actors["staff"],
        due_date=date(2020, 1, 1),
        status=ActionStatus.PLANNED,
    )
    response = en("manager").get(url("action-list", audit.pk))
    html = response.content.decode()
    assert response.context["plan"].overdue == 1
    assert "Overdue: 1" in html
    assert "Vera Staff" in html
    assert html.count("table-danger") == 1


def test_priorities_read_as_words_on_both_plan_pages(audit, actions, en, client_for):
    """Issue 14: «приоритет 2,00» told the reader nothing; the priority is a word."""
    number = re.compile(r"(?<![\d.,])\d{1,2}[.,]\d\d(?![\d.,])")  # "2,00", not a date
    for name in ("recommendation-list", "action-list"):
        html = en("consultant").get(url(name, audit.pk)).content.decode()
        assert re.search(r"\b(high|medium|low)\b", html), name
        text = re.sub(r"<[^>]+>", " ", html)
        assert not number.search(text), (name, number.search(text))
    russian = client_for("consultant").get(url("action-list", audit.pk)).content.decode()
    assert "приоритет" in russian and not number.search(re.sub(r"<[^>]+>", " ", russian))


def test_the_consultant_plans_an_action_with_htmx(audit, actions, en, actors):
    action = actions[0]
    client = en("consultant")
    form = client.get(url("action-edit", action.pk), **HTMX).content.decode()
    assert 'name="owner"' in form
    assert "Boris Manager" in form
    assert "Anna Consultant" not in form  # consultants are not company members
    response = client.post(
        url("action-edit", action.pk),
        {
            "title": action.display_title,
            "owner": actors["staff"].pk,
            "due_date": "2030-01-31",
            "status": ActionStatus.PLANNED,
            "notes": "",
            "drop_reason": "",
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="action-{action.pk}"' in html
    assert "Planned" in html
    action.refresh_from_db()
    assert (action.owner, action.due_date) == (actors["staff"], date(2030, 1, 31))


def test_planning_without_an_owner_shows_the_rule(audit, actions, en):
    action = actions[0]
    response = en("consultant").post(
        url("action-edit", action.pk),
        {
            "title": action.display_title,
            "owner": "",
            "due_date": "",
            "status": ActionStatus.PLANNED,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose an owner" in html
    assert "Set a due date" in html


def test_the_manager_sees_status_and_notes_only(audit, actions, en, actors):
    action = actions[0]
    services.action_update(
        action=action,
        by=actors["consultant"],
        by_role="consultant",
        owner=actors["staff"],
        status=ActionStatus.PLANNED,
    )
    client = en("manager")
    form = client.get(url("action-edit", action.pk)).content.decode()
    assert 'name="owner"' not in form
    assert 'name="status"' in form
    response = client.post(
        url("action-edit", action.pk),
        {"status": ActionStatus.IN_PROGRESS, "notes": "Kick-off on Monday"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.notes) == (ActionStatus.IN_PROGRESS, "Kick-off on Monday")
    # a forged owner field is ignored: the manager's form has none
    client.post(
        url("action-edit", action.pk),
        {"status": ActionStatus.IN_PROGRESS, "owner": actors["manager"].pk},
    )
    action.refresh_from_db()
    assert action.owner == actors["staff"]


def test_staff_see_the_plan_once_published_but_cannot_edit(audit, actions, en, actors):
    audit_services.results_publish(audit=audit, by=actors["consultant"])
    response = en("staff").get(url("action-list", audit.pk))
    assert response.status_code == 200
    assert url("action-edit", actions[0].pk) not in response.content.decode()
    assert en("staff").get(url("action-edit", actions[0].pk)).status_code == 404


def test_action_plan_query_budget(company, consultant, actors, en, django_assert_max_num_queries):
    audit = audit_with_recommendations(company=company, by=consultant)
    for recommendation in audit.recommendations.all():
        action = services.recommendation_accept(recommendation=recommendation, by=consultant)
        services.action_update(
            action=action, by=consultant, by_role="consultant", owner=actors["staff"]
        )
    assert audit.actions.count() == 10
    client = en("manager")
    with django_assert_max_num_queries(7):
        response = client.get(url("action-list", audit.pk))
    assert response.status_code == 200


# --------------------------------------------------------------------------- journey map


def test_the_journey_map_lists_stages_and_touchpoints(audit, en):
    touchpoint_add(audit=audit, name="Checkout", emotion=2, pain_point="Long queue")
    response = en("consultant").get(url("journey-map", audit.pk))
    html = response.content.decode()
    assert "Awareness" in html
    assert "Long queue" in html
    assert "emotion 2 of 5" in html
    assert html.count("Add a touchpoint") == 6


def test_adding_a_touchpoint_with_htmx_returns_the_stage(audit, en):
    response = en("consultant").post(
        url("touchpoint-create", audit.pk),
        {"stage_key": "support", "name": "Hotline", "channel": "phone", "emotion": "1"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section id="stage-support"')
    assert "Hotline" in html
    touchpoint = audit.touchpoints.get(name="Hotline")
    assert (touchpoint.stage_key, touchpoint.emotion) == ("support", 1)


def test_adding_a_touchpoint_without_javascript_redirects(audit, en):
    response = en("consultant").post(
        url("touchpoint-create", audit.pk), {"stage_key": "support", "name": "Hotline"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#stage-support")


def test_an_invalid_touchpoint_shows_the_errors(audit, en):
    client = en("consultant")
    response = client.post(
        url("touchpoint-create", audit.pk), {"stage_key": "support", "name": ""}, **HTMX
    )
    assert "This field is required" in response.content.decode()
    page = client.post(url("touchpoint-create", audit.pk), {"stage_key": "support", "name": ""})
    assert page.status_code == 200
    assert not audit.touchpoints.filter(stage_key="support").exists()
    unknown = client.post(url("touchpoint-create", audit.pk), {"stage_key": "moon", "name": "X"})
    assert unknown.status_code == 404


def test_editing_and_deleting_a_touchpoint(audit, en):
    touchpoint = touchpoint_add(audit=audit, name="Checkout", emotion=2)
    client = en("consultant")
    form = client.get(url("touchpoint-edit", audit.pk, touchpoint.pk), **HTMX)
    assert f'id="touchpoint-{touchpoint.pk}"' in form.content.decode()
    response = client.post(
        url("touchpoint-edit", audit.pk, touchpoint.pk),
        {"stage_key": "purchase", "name": "Till", "emotion": "4"},
        **HTMX,
    )
    assert "Till" in response.content.decode()
    touchpoint.refresh_from_db()
    assert (touchpoint.name, touchpoint.emotion) == ("Till", 4)
    moved = client.post(
        url("touchpoint-edit", audit.pk, touchpoint.pk),
        {"stage_key": "support", "name": "Till"},
        **HTMX,
    )
    assert moved["HX-Refresh"] == "true"
    response = client.post(url("touchpoint-delete", audit.pk, touchpoint.pk), **HTMX)
    assert response.status_code == 200
    assert not audit.touchpoints.filter(pk=touchpoint.pk).exists()


def test_a_closed_audit_shows_the_journey_map_read_only(audit, en, actors):
    touchpoint_add(audit=audit, name="Checkout")
    audit_services.audit_close(audit=audit, by=actors["consultant"])
    client = en("consultant")
    html = client.get(url("journey-map", audit.pk)).content.decode()
    assert "Checkout" in html
    assert "Add a touchpoint" not in html
    assert "can no longer change" in html


def test_staff_participants_see_the_journey_map_without_editing(audit, en, actors):
    staff_add(audit=audit, users=[actors["staff"]], by=actors["consultant"])
    html = en("staff").get(url("journey-map", audit.pk)).content.decode()
    assert "Add a touchpoint" not in html


def test_no_journey_map_instrument_means_404(company, consultant, en):
    audit = audit_build(company=company, by=consultant, instruments=["golding-cx-framework"])
    assert en("consultant").get(url("journey-map", audit.pk)).status_code == 404


def test_journey_map_query_budget(audit, en, django_assert_max_num_queries):
    for n in range(30):
        touchpoint_add(audit=audit, name=f"Point {n}", stage_key="support", emotion=1 + n % 5)
    client = en("consultant")
    with django_assert_max_num_queries(8):
        response = client.get(url("journey-map", audit.pk))
    assert response.status_code == 200


# --------------------------------------------------------------------------- next round


def test_start_the_next_round(audit, actions, en, actors):
    client = en("consultant")
    page = client.get(url("round-start", audit.pk))
    assert page.context["form"].initial["period_start"] == date(2025, 4, 1)
    assert "2 open actions are carried over" in page.content.decode()
    response = client.post(
        url("round-start", audit.pk), {"period_start": "2025-04-01", "period_end": "2025-06-30"}
    )
    assert response.status_code == 302
    new = audit.next_round
    assert response["Location"] == url("audit-detail", new.pk)
    assert new.actions.count() == 2
    assert all(a.carried_from_id for a in ActionItem.objects.filter(audit=new))
    again = client.get(url("round-start", audit.pk))
    assert "has already started" in again.content.decode()


def test_the_next_round_needs_a_valid_period(audit, en):
    response = en("consultant").post(
        url("round-start", audit.pk), {"period_start": "2025-06-01", "period_end": "2025-04-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_recurring_problem_is_marked_on_both_rounds(audit, actions, en, actors):
    consultant = actors["consultant"]
    done = actions[0]
    for status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        services.action_update(
            action=done, by=consultant, by_role="consultant", owner=actors["staff"], status=status
        )
    audit_services.audit_close(audit=audit, by=consultant)
    new = audit_services.next_round_start(
        audit=audit,
        by=consultant,
        by_role="consultant",
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
    )
    assert new.actions.count() == 1  # the open one is carried over, the done one is not
    answers_give(audit=new, answers=GOLDING_ALL_NO)
    services.recommendations_refresh(audit=new, by=consultant)
    client = en("consultant")
    current = client.get(url("recommendation-list", new.pk)).content.decode()
    assert current.count("recurred after the previous round") == 1
    previous = client.get(url("action-list", audit.pk)).content.decode()
    assert "recurred: the problem came back" in previous
    assert "continues in the next round" in previous
