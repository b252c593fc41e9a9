"""Access rows for recommendations, the action plan, the journey map and the next round.

The world's audit is run by the consultant, its results are not published yet, and the
company's staff member is invited to self-assess. POST-only URLs answer 405 to any
signed-in visitor before looking anything up.
"""

from tests.integration.access import company_page, post_page, signed_in

RUNNER_ONLY = company_page(manager=404, staff=404)
PLAN_EDITORS = company_page(staff=404)  # runners and the client manager
PARTICIPANTS = company_page(manager=404)  # runners and invited staff

MATRIX = {
    "assessments:recommendation-list": (lambda w: [w["plan_audit"].pk], RUNNER_ONLY),
    "assessments:recommendation-refresh": (lambda w: [w["plan_audit"].pk], signed_in(405)),
    "assessments:recommendation-accept-many": (lambda w: [w["plan_audit"].pk], signed_in(405)),
    "assessments:recommendation-create": (lambda w: [w["plan_audit"].pk], RUNNER_ONLY),
    "assessments:recommendation-accept": (
        lambda w: [w["plan_audit"].pk, w["plan_recommendation"].pk],
        signed_in(405),
    ),
    "assessments:recommendation-reject": (
        lambda w: [w["plan_audit"].pk, w["plan_recommendation"].pk],
        signed_in(405),
    ),
    "assessments:recommendation-edit": (
        lambda w: [w["plan_audit"].pk, w["plan_recommendation"].pk],
        RUNNER_ONLY,
    ),
    "assessments:action-list": (lambda w: [w["plan_audit"].pk], PLAN_EDITORS),
    "assessments:action-edit": (lambda w: [w["plan_action"].pk], PLAN_EDITORS),
    "assessments:journey-map": (lambda w: [w["plan_audit"].pk], PARTICIPANTS),
    "assessments:touchpoint-create": (lambda w: [w["plan_audit"].pk], signed_in(405)),
    "assessments:touchpoint-edit": (
        lambda w: [w["plan_audit"].pk, w["plan_touchpoint"].pk],
        RUNNER_ONLY,
    ),
    "assessments:touchpoint-delete": (
        lambda w: [w["plan_audit"].pk, w["plan_touchpoint"].pk],
        signed_in(405),
    ),
    "assessments:round-start": (lambda w: [w["plan_audit"].pk], RUNNER_ONLY),
}

POST = {
    "assessments:recommendation-refresh": post_page(manager=404),
    "assessments:recommendation-accept-many": post_page(manager=404),
    "assessments:recommendation-create": RUNNER_ONLY,
    "assessments:recommendation-accept": post_page(manager=404),
    "assessments:recommendation-reject": post_page(manager=404),
    "assessments:recommendation-edit": RUNNER_ONLY,
    "assessments:action-edit": PLAN_EDITORS,
    "assessments:touchpoint-create": post_page(manager=404),
    "assessments:touchpoint-edit": RUNNER_ONLY,
    "assessments:touchpoint-delete": post_page(manager=404),
    "assessments:round-start": RUNNER_ONLY,
}

POST_DATA = {
    "assessments:touchpoint-create": lambda w: {
        "stage_key": w["plan_touchpoint"].stage_key,
        "name": "Delivery",
        "emotion": 3,
    },
}


def build_world(world):
    from assessments.services.plan import recommendation_accept
    from tests.audit_factories import audit_with_recommendations, staff_add

    consultant = world["actors"]["consultant"]
    audit = audit_with_recommendations(
        company=world["company"],
        by=consultant,
        title="Plan audit",
        touchpoints=[{"name": "Checkout", "emotion": 2}],
    )
    staff_add(audit=audit, users=[world["actors"]["staff"]], by=consultant)
    recommendation, accepted = audit.recommendations.all()[:2]
    action = recommendation_accept(recommendation=accepted, by=consultant)
    return {
        "plan_audit": audit,
        "plan_recommendation": recommendation,
        "plan_action": action,
        "plan_touchpoint": audit.touchpoints.get(),
    }
