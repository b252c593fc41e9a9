"""Audits through the API: domain scores and levels as the results page computes them,
recommendations and the action plan once published, an action's status through the plan's
service, the token's company only."""

import pytest
from django.utils import translation

from assessments.models import ActionStatus
from assessments.selectors.results import audit_results
from assessments.services import audits as audit_services
from assessments.services import plan as plan_services
from tests.api_factories import api_token, bearer
from tests.audit_factories import audit_with_recommendations

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(actors):
    return actors["consultant"]


@pytest.fixture
def audit(company, consultant):
    return audit_with_recommendations(company=company, by=consultant)


@pytest.fixture
def published(audit, consultant):
    audit_services.results_publish(audit=audit, by=consultant)
    audit.refresh_from_db()
    return audit


@pytest.fixture
def action(published, consultant):
    recommendation = published.recommendations.get(rule_id="strategy-weak")
    return plan_services.recommendation_accept(recommendation=recommendation, by=consultant)


@pytest.fixture
def secret(company):
    return api_token(company)[1]


@pytest.fixture
def call(client, secret):
    def send(method, path, body=None, key=None):
        headers = bearer(key or secret)
        url = f"/api/v1{path}"
        if method == "get":
            return client.get(url, **headers)
        return client.patch(url, body or {}, content_type="application/json", **headers)

    return send


def test_unpublished_results_are_withheld_from_the_company(call, audit, company):
    assert [a["id"] for a in call("get", f"/companies/{company.pk}/audits").json()] == [audit.pk]
    for path in (f"/audits/{audit.pk}", f"/audits/{audit.pk}/recommendations"):
        response = call("get", path)
        assert response.status_code == 403
        assert response.json()["code"] == "results_withheld"


def test_domain_scores_and_levels_are_the_results_pages(call, published):
    body = call("get", f"/audits/{published.pk}").json()
    with translation.override("en"):
        results = audit_results(audit=published, with_charts=False)
    assert body["audit"]["results_published"] is True
    assert body["level"] == results.level
    assert [(d["ref"], d["level"]) for d in body["domains"]] == [
        (d.ref, d.level) for d in results.domains
    ]
    scores = [None if d["score"] is None else float(d["score"]) for d in body["domains"]]
    assert scores == [None if d.display is None else float(d.display) for d in results.domains]
    assert any(d["level"] for d in body["domains"])


def test_recommendations_and_actions_once_published(call, published, action):
    rows = call("get", f"/audits/{published.pk}/recommendations").json()
    accepted = next(r for r in rows if r["rule_id"] == "strategy-weak")
    assert accepted["status"] == "accepted" and accepted["action_id"] == action.pk
    assert accepted["text"] and accepted["reasons"]
    actions = call("get", f"/audits/{published.pk}/actions").json()
    assert [a["id"] for a in actions] == [action.pk]
    assert actions[0]["status"] == "proposed"


def test_an_action_moves_on_through_the_plans_rules(call, action, actors):
    response = call("patch", f"/actions/{action.pk}", {"status": "planned"})
    assert response.status_code == 422
    assert "owner" in " ".join(response.json()["errors"]["action"])
    action.refresh_from_db()
    assert action.status == ActionStatus.PROPOSED
    plan_services.action_update(
        action=action, by=actors["consultant"], by_role="consultant", owner=actors["staff"]
    )
    response = call("patch", f"/actions/{action.pk}", {"status": "planned", "notes": "Go"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["notes"]) == ("planned", "Go")
    response = call("patch", f"/actions/{action.pk}", {"status": "done"})
    assert response.status_code == 422  # planned cannot skip to done
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_updating_an_action_needs_a_write_scope(call, company, action):
    _token, read_only = api_token(company, scopes=["read-results"])
    response = call("patch", f"/actions/{action.pk}", {"notes": "x"}, key=read_only)
    assert response.status_code == 403


def test_another_companys_audits_are_not_found(call, other_company, actors, action):
    _token, other = api_token(other_company)
    audit = action.audit
    for path in (f"/audits/{audit.pk}", f"/audits/{audit.pk}/actions"):
        assert call("get", path, key=other).status_code == 404
    assert call("patch", f"/actions/{action.pk}", {"notes": "x"}, key=other).status_code == 404
    assert call("get", f"/companies/{audit.company_id}/audits", key=other).status_code == 404


def test_audit_pages_take_a_bounded_number_of_queries(
    call, published, action, company, django_assert_max_num_queries
):
    for rule in ("measurement-weak", "empowerment-missing"):
        recommendation = published.recommendations.filter(rule_id=rule).first()
        if recommendation is not None:
            plan_services.recommendation_accept(recommendation=recommendation, by=published.owner)
    with django_assert_max_num_queries(6):
        assert len(call("get", f"/audits/{published.pk}/actions").json()) >= 2
    with django_assert_max_num_queries(10):
        assert call("get", f"/audits/{published.pk}/recommendations").status_code == 200
    with django_assert_max_num_queries(4):
        assert call("get", f"/companies/{company.pk}/audits").status_code == 200
