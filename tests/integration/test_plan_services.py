"""Recommendations and the action plan: services.plan (METHODOLOGY §9)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from assessments.models import ActionItem, ActionStatus, Recommendation, RecommendationStatus
from assessments.services import audits as audit_services
from assessments.services import journey as journey_services
from assessments.services import plan as services
from tests.audit_factories import (
    GOLDING_ALL_NO,
    GOLDING_ALL_YES,
    answers_give,
    audit_build,
    audit_with_recommendations,
    touchpoint_add,
)
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CUSTOMER_VIEW = "golding-cx-framework:measurement.customer-view"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English; the default interface language is Russian."""
    with translation.override("en"):
        yield


@pytest.fixture
def consultant(actors):
    return actors["consultant"]


@pytest.fixture
def audit(company, consultant):
    return audit_with_recommendations(company=company, by=consultant)


def rule_ids(audit):
    return set(audit.recommendations.values_list("rule_id", flat=True))


# --------------------------------------------------------------------------- refresh


def test_refresh_stores_the_engine_recommendations_by_priority(audit):
    rows = list(audit.recommendations.all())
    assert {"strategy-weak", "measurement-weak", "empowerment-missing"} <= rule_ids(audit)
    assert all(r.status == RecommendationStatus.PROPOSED for r in rows)
    priorities = [r.priority for r in rows]
    assert priorities == sorted(priorities, reverse=True)
    strategy = audit.recommendations.get(rule_id="strategy-weak")
    assert strategy.severity == 3
    assert strategy.priority == Decimal("3.00")
    assert {"kind": "domain", "ref": "golding-cx-framework:strategy"}.items() <= {
        k: v for k, v in strategy.reasons[0].items() if k in ("kind", "ref")
    }.items()


def test_refresh_twice_changes_nothing(audit, consultant):
    before = list(audit.recommendations.values_list("pk", "rule_id", "priority"))
    services.recommendations_refresh(audit=audit, by=consultant)
    after = list(audit.recommendations.values_list("pk", "rule_id", "priority"))
    assert before == after


def test_refresh_keeps_decisions_and_own_recommendations_and_drops_stale_proposals(
    audit, consultant
):
    accepted = audit.recommendations.get(rule_id="strategy-weak")
    services.recommendation_accept(recommendation=accepted, by=consultant)
    rejected = audit.recommendations.get(rule_id="empowerment-missing")
    services.recommendation_reject(recommendation=rejected, by=consultant)
    own = services.recommendation_add(audit=audit, by=consultant, text="Hire a CX lead", severity=3)
    answers_give(audit=audit, answers=GOLDING_ALL_YES)

    services.recommendations_refresh(audit=audit, by=consultant)

    remaining = set(audit.recommendations.values_list("pk", flat=True))
    assert remaining == {accepted.pk, rejected.pk, own.pk}
    accepted.refresh_from_db()
    assert accepted.status == RecommendationStatus.ACCEPTED


def test_refresh_keeps_an_edited_text_and_updates_the_priority(audit, consultant):
    row = audit.recommendations.get(rule_id="measurement-weak")
    services.recommendation_edit(recommendation=row, by=consultant, text="Start measuring NPS")
    answers_give(audit=audit, answers={"golding-cx-framework:measurement.execution-plan": 1})
    services.recommendations_refresh(audit=audit, by=consultant)
    row.refresh_from_db()
    assert row.text == "Start measuring NPS"
    assert row.status == RecommendationStatus.PROPOSED


def test_touchpoint_pain_is_one_recommendation_per_touchpoint(company, consultant):
    audit = audit_with_recommendations(
        company=company,
        by=consultant,
        touchpoints=[
            {"name": "Checkout", "emotion": 2},
            {"name": "Delivery", "stage_key": "onboarding", "emotion": 1},
            {"name": "Website", "stage_key": "choice", "emotion": 4},
        ],
    )
    pains = audit.recommendations.filter(rule_id="touchpoint-pain").select_related("touchpoint")
    assert sorted(r.touchpoint.name for r in pains) == ["Checkout", "Delivery"]
    checkout = next(r for r in pains if r.touchpoint.name == "Checkout")
    assert checkout.reasons[0]["title"] == "Checkout"
    services.recommendations_refresh(audit=audit, by=consultant)
    assert audit.recommendations.filter(rule_id="touchpoint-pain").count() == 2


def test_deleting_a_painful_touchpoint_removes_its_proposal(company, consultant):
    audit = audit_with_recommendations(
        company=company, by=consultant, touchpoints=[{"name": "Checkout", "emotion": 1}]
    )
    touchpoint = audit.touchpoints.get()
    journey_services.touchpoint_delete(touchpoint=touchpoint, by=consultant)
    services.recommendations_refresh(audit=audit, by=consultant)
    assert not audit.recommendations.filter(rule_id="touchpoint-pain").exists()


# --------------------------------------------------------------------------- decisions


def test_accept_creates_an_action_with_frozen_priority_and_default_due_date(audit, consultant):
    today = timezone.localdate()
    for rule, days in (("strategy-weak", 30), ("empowerment-missing", 60)):
        recommendation = audit.recommendations.get(rule_id=rule)
        action = services.recommendation_accept(recommendation=recommendation, by=consultant)
        assert action.title == recommendation.text
        assert action.priority == recommendation.priority
        assert action.rule_id == rule
        assert action.status == ActionStatus.PROPOSED
        assert action.due_date == today + timedelta(days=days)
        recommendation.refresh_from_db()
        assert recommendation.status == RecommendationStatus.ACCEPTED
        assert recommendation.decided_by == consultant


def test_advisory_due_date_is_ninety_days_after_publication(company, consultant):
    audit = audit_build(company=company, by=consultant)
    with time_machine.travel(date(2025, 4, 10)):
        audit_services.results_publish(audit=audit, by=consultant)
    own = services.recommendation_add(audit=audit, by=consultant, text="Smile", severity=1)
    action = services.recommendation_accept(recommendation=own, by=consultant)
    assert action.due_date == date(2025, 7, 9)


def test_accepting_twice_keeps_one_action(audit, consultant):
    recommendation = audit.recommendations.first()
    first = services.recommendation_accept(recommendation=recommendation, by=consultant)
    second = services.recommendation_accept(recommendation=recommendation, by=consultant)
    assert first.pk == second.pk
    assert ActionItem.objects.filter(recommendation=recommendation).count() == 1


def test_the_priority_of_an_action_is_frozen(audit, consultant):
    recommendation = audit.recommendations.get(rule_id="strategy-weak")
    action = services.recommendation_accept(recommendation=recommendation, by=consultant)
    Recommendation.objects.filter(pk=recommendation.pk).update(priority=Decimal("0.10"))
    action.refresh_from_db()
    assert action.priority == Decimal("3.00")


def test_bulk_accept_accepts_only_undecided_ones(audit, consultant):
    ids = list(audit.recommendations.values_list("pk", flat=True)[:3])
    actions = services.recommendations_accept(audit=audit, ids=ids, by=consultant)
    assert len(actions) == 3
    with pytest.raises(ValidationError, match="at least one"):
        services.recommendations_accept(audit=audit, ids=ids, by=consultant)


def test_bulk_accept_ignores_another_audits_recommendations(audit, company, consultant):
    other = audit_with_recommendations(company=company, by=consultant, title="Other")
    ids = list(other.recommendations.values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.recommendations_accept(audit=audit, ids=ids, by=consultant)


def test_rejecting_an_accepted_one_removes_its_untouched_action(audit, consultant):
    recommendation = audit.recommendations.first()
    services.recommendation_accept(recommendation=recommendation, by=consultant)
    services.recommendation_reject(recommendation=recommendation, by=consultant)
    assert not audit.actions.exists()
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.REJECTED


def test_rejecting_is_refused_once_work_has_started(audit, consultant, actors):
    recommendation = audit.recommendations.first()
    action = services.recommendation_accept(recommendation=recommendation, by=consultant)
    services.action_update(
        action=action,
        by=consultant,
        by_role="consultant",
        owner=actors["manager"],
        status=ActionStatus.PLANNED,
    )
    with pytest.raises(ValidationError, match="drop its action"):
        services.recommendation_reject(recommendation=recommendation, by=consultant)


def test_edit_and_add_need_text(audit, consultant):
    recommendation = audit.recommendations.first()
    with pytest.raises(ValidationError):
        services.recommendation_edit(recommendation=recommendation, by=consultant, text="  ")
    with pytest.raises(ValidationError):
        services.recommendation_add(audit=audit, by=consultant, text="", severity=2)
    with pytest.raises(ValidationError):
        services.recommendation_add(audit=audit, by=consultant, text="Do it", severity=4)
    own = services.recommendation_add(audit=audit, by=consultant, text=" Do it ", severity=2)
    assert (own.text, own.priority, own.rule_id) == ("Do it", Decimal("2"), "")


# --------------------------------------------------------------------------- action items


@pytest.fixture
def action(audit, consultant):
    recommendation = audit.recommendations.get(rule_id="strategy-weak")
    return services.recommendation_accept(recommendation=recommendation, by=consultant)


def update(action, role="consultant", by=None, **changes):
    return services.action_update(action=action, by=by, by_role=role, **changes)


def test_planning_needs_an_owner_and_a_due_date(action, actors):
    with pytest.raises(ValidationError) as error:
        update(action, status=ActionStatus.PLANNED, due_date=None)
    messages = " ".join(error.value.messages)
    assert "owner" in messages
    assert "due date" in messages
    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED
    planned = update(action, status=ActionStatus.PLANNED, owner=actors["staff"])
    assert planned.status == ActionStatus.PLANNED


def test_the_owner_must_be_a_member_of_the_company(action, actors):
    with pytest.raises(ValidationError, match="not a member"):
        update(action, owner=actors["other_staff"])
    with pytest.raises(ValidationError, match="not a member"):
        update(action, owner=actors["consultant"])


def test_the_whole_lifecycle(action, actors):
    update(action, owner=actors["staff"], status=ActionStatus.PLANNED)
    update(action, status=ActionStatus.IN_PROGRESS, role="manager")
    done = update(action, status=ActionStatus.DONE, notes="Strategy written", role="manager")
    assert (done.status, done.notes) == (ActionStatus.DONE, "Strategy written")


def test_statuses_cannot_be_skipped(action, actors):
    with pytest.raises(ValidationError, match="cannot go from"):
        update(action, owner=actors["staff"], status=ActionStatus.DONE)


def test_dropping_needs_a_reason_from_any_status(action, actors):
    with pytest.raises(ValidationError, match="why"):
        update(action, status=ActionStatus.DROPPED)
    update(action, owner=actors["staff"], status=ActionStatus.PLANNED)
    update(action, status=ActionStatus.IN_PROGRESS)
    dropped = update(action, status=ActionStatus.DROPPED, drop_reason="Budget cut")
    assert dropped.drop_reason == "Budget cut"
    restored = update(action, status=ActionStatus.PLANNED, drop_reason="Budget cut")
    assert restored.drop_reason == ""


def test_clearing_the_owner_of_a_planned_action_is_refused(action, actors):
    update(action, owner=actors["staff"], status=ActionStatus.PLANNED)
    with pytest.raises(ValidationError, match="owner"):
        update(action, owner=None)


def test_the_manager_changes_status_and_notes_only(action, actors):
    update(action, owner=actors["staff"], status=ActionStatus.PLANNED)
    update(action, role="manager", status=ActionStatus.IN_PROGRESS, notes="Started")
    with pytest.raises(ValidationError, match="Only those running"):
        update(action, role="manager", owner=actors["manager"])
    with pytest.raises(ValidationError, match="Only those running"):
        update(action, role="manager", title="Something else")
    # Sending the unchanged values (as the form does) is fine.
    update(action, role="manager", title=action.title, status=ActionStatus.IN_PROGRESS)


def test_staff_cannot_update_actions(action):
    with pytest.raises(ValidationError):
        update(action, role="staff", notes="Me too")


def test_overdue_is_open_and_past_due(action, actors):
    update(action, owner=actors["staff"], status=ActionStatus.PLANNED)
    with time_machine.travel(action.due_date + timedelta(days=1)):
        action.refresh_from_db()
        assert action.is_overdue
        assert list(ActionItem.objects.overdue()) == [action]
        update(action, status=ActionStatus.DROPPED, drop_reason="No longer relevant")
        action.refresh_from_db()
        assert not action.is_overdue


# --------------------------------------------------------------------------- rounds


def test_a_done_action_is_flagged_recurred_when_its_rule_fires_in_the_next_round(
    audit, action, consultant, actors
):
    update(action, owner=actors["staff"], status=ActionStatus.PLANNED)
    update(action, status=ActionStatus.IN_PROGRESS)
    update(action, status=ActionStatus.DONE)
    audit_services.audit_close(audit=audit, by=consultant)
    new = audit_services.next_round_start(
        audit=audit,
        by=consultant,
        by_role="consultant",
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
    )
    answers_give(audit=new, answers=GOLDING_ALL_NO)
    services.recommendations_refresh(audit=new, by=consultant)
    action.refresh_from_db()
    assert action.recurred

    answers_give(audit=new, answers=GOLDING_ALL_YES)
    services.recommendations_refresh(audit=new, by=consultant)
    action.refresh_from_db()
    assert not action.recurred


def test_a_carried_over_action_is_updated_in_the_new_round_only(audit, action, consultant, actors):
    update(action, owner=actors["staff"], status=ActionStatus.PLANNED)
    new = audit_services.next_round_start(
        audit=audit,
        by=consultant,
        by_role="consultant",
        period_start=date(2025, 4, 1),
        period_end=date(2025, 6, 30),
    )
    with pytest.raises(ValidationError, match="next round"):
        update(action, status=ActionStatus.IN_PROGRESS)
    carried = new.actions.get()
    assert update(carried, status=ActionStatus.IN_PROGRESS).status == ActionStatus.IN_PROGRESS


# --------------------------------------------------------------------------- journey map


def test_touchpoints_are_checked(company, consultant):
    audit = audit_build(company=company, by=consultant)
    with pytest.raises(ValidationError, match="stage"):
        touchpoint_add(audit=audit, name="Checkout", stage_key="nowhere")
    with pytest.raises(ValidationError, match="1 to 5"):
        touchpoint_add(audit=audit, name="Checkout", emotion=6)
    with pytest.raises(ValidationError):
        touchpoint_add(audit=audit, name="  ")
    first = touchpoint_add(audit=audit, name="Checkout", emotion=3, channel=" web ")
    second = touchpoint_add(audit=audit, name="Payment")
    assert (first.channel, first.position, second.position) == ("web", 1, 2)
    updated = journey_services.touchpoint_update(
        touchpoint=first, by=consultant, stage_key="support", name="Hotline", emotion=None
    )
    assert (updated.stage_key, updated.name, updated.emotion) == ("support", "Hotline", None)


def test_a_closed_audit_freezes_the_journey_map(company, consultant):
    audit = audit_build(company=company, by=consultant)
    touchpoint = touchpoint_add(audit=audit, name="Checkout")
    audit_services.audit_close(audit=audit, by=consultant)
    with pytest.raises(ValidationError, match="closed"):
        touchpoint_add(audit=audit, name="Payment")
    touchpoint.refresh_from_db()
    touchpoint.audit.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        journey_services.touchpoint_delete(touchpoint=touchpoint, by=consultant)


def test_an_audit_without_a_journey_map_has_no_stages(company, consultant):
    audit = audit_build(company=company, by=consultant, instruments=["golding-cx-framework"])
    with pytest.raises(ValidationError, match="stage"):
        touchpoint_add(audit=audit, name="Checkout")


def test_a_new_member_can_own_an_action(action, company):
    newcomer = UserFactory()
    MembershipFactory(user=newcomer, organisation=company, role="staff")
    assert update(action, owner=newcomer).owner == newcomer


def test_golding_all_no_fires_a_rule_per_item():
    assert len(GOLDING_ALL_NO) == 9
