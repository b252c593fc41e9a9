"""The API tokens and webhooks pages: the company's managers and its consultancy's
consultants; staff and outsiders 404. The API itself (``api-v1:``) ignores sessions:
without a bearer token every endpoint answers 401, whoever is signed in; its schema and
docs are public."""

from tests.integration.access import company_page, everyone, post_page, signed_in

MANAGING = company_page(staff=404)
NO_TOKEN = everyone(401)

MATRIX = {
    "api:token-list": (lambda w: [w["company"].pk], MANAGING),
    "api:token-revoke": (lambda w: [w["api_token"].pk], signed_in(405)),
    "api:webhook-list": (lambda w: [w["company"].pk], MANAGING),
    "api:webhook-toggle": (lambda w: [w["webhook"].pk], signed_in(405)),
    "api:webhook-delete": (lambda w: [w["webhook"].pk], signed_in(405)),
    "api:webhook-test": (lambda w: [w["webhook"].pk], signed_in(405)),
    "api-v1:openapi-json": (lambda w: [], everyone(200)),
    "api-v1:openapi-view": (lambda w: [], everyone(200)),
    "api-v1:api-root": (lambda w: [], everyone(404)),
    "api-v1:company_list": (lambda w: [], NO_TOKEN),
    "api-v1:company_detail": (lambda w: [w["company"].pk], NO_TOKEN),
    "api-v1:survey_list": (lambda w: [w["company"].pk], NO_TOKEN),
    "api-v1:survey_detail": (lambda w: [w["survey"].pk], NO_TOKEN),
    "api-v1:wave_list": (lambda w: [w["survey"].pk], NO_TOKEN),
    "api-v1:wave_detail": (lambda w: [w["wave"].pk], NO_TOKEN),
    "api-v1:response_list": (lambda w: [w["wave"].pk], NO_TOKEN),
    "api-v1:audit_list": (lambda w: [w["company"].pk], NO_TOKEN),
    "api-v1:audit_detail": (lambda w: [w["plan_audit"].pk], NO_TOKEN),
    "api-v1:recommendation_list": (lambda w: [w["plan_audit"].pk], NO_TOKEN),
    "api-v1:action_list": (lambda w: [w["plan_audit"].pk], NO_TOKEN),
    "api-v1:action_change": (lambda w: [w["plan_action"].pk], everyone(405)),  # PATCH only
    "api-v1:metric_period_list_read": (lambda w: [w["company"].pk], NO_TOKEN),
    "api-v1:metric_period_put": (lambda w: [w["company"].pk, "2025-Q1"], everyone(405)),  # PUT
    # The same path as response_list (ninja names each method's operation).
    "api-v1:response_submit": (lambda w: [w["wave"].pk], NO_TOKEN),
}

POST = {
    "api:token-list": post_page(consultant=200, manager=200),
    "api:token-revoke": post_page(),
    "api:webhook-list": post_page(),
    "api:webhook-toggle": post_page(),
    "api:webhook-delete": post_page(),
    "api:webhook-test": post_page(),
    "api-v1:response_list": NO_TOKEN,
    "api-v1:response_submit": NO_TOKEN,
    # django-ninja's root view: a page only with DEBUG on, else 404 for any method.
    "api-v1:api-root": everyone(404),
}

POST_DATA = {
    "api-v1:response_list": lambda w: {"submission_token": "x" * 20, "answers": {"nps": 9}},
    "api-v1:response_submit": lambda w: {"submission_token": "y" * 20, "answers": {"nps": 9}},
    "api:token-list": lambda w: {"name": "Website widget", "scopes": ["submit-responses"]},
    "api:webhook-list": lambda w: {
        "url": "https://hooks.example.com/in",
        "events": ["wave.closed"],
    },
}


def build_world(world):
    from cxaudit.api.services import api_token_create, webhook_create

    by = world["actors"]["consultant"]
    created = api_token_create(company=world["company"], name="BI", scopes=["read-results"], by=by)
    webhook = webhook_create(
        company=world["company"], url="https://hooks.example.com/in", events=["wave.closed"], by=by
    )
    return {"api_token": created.token, "api_secret": created.secret, "webhook": webhook}
