"""API tokens: the page that creates (shown once) and revokes them, bearer authentication,
scopes, last use, the rate limit, JSON errors, and the schema and docs."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cxaudit.api.models import ApiToken
from cxaudit.api.selectors import token_digest
from tests.api_factories import api_token, bearer

pytestmark = pytest.mark.django_db

COMPANIES = "/api/v1/companies"


def test_manager_creates_a_token_shown_once_and_stored_as_a_digest(en, company, actors):
    client = en("manager")
    url = reverse("api:token-list", args=[company.pk])
    response = client.post(url, {"name": "Website widget", "scopes": ["submit-responses"]})
    assert response.status_code == 200
    secret = response.context["created"].secret
    assert secret.startswith("cxa_")
    assert secret in response.content.decode()
    token = ApiToken.objects.get(company=company)
    assert token.name == "Website widget"
    assert token.scopes == ["submit-responses"]
    assert token.created_by == actors["manager"]
    assert token.digest == token_digest(secret) and secret not in token.digest
    assert secret.startswith(f"cxa_{token.prefix}_")
    page = client.get(url).content.decode()
    assert secret not in page and f"cxa_{token.prefix}_" in page


def test_a_token_without_a_scope_is_refused_with_a_message_and_the_name_kept(en, company):
    response = en("consultant").post(
        reverse("api:token-list", args=[company.pk]), {"name": "Power BI"}
    )
    assert response.status_code == 400
    assert "Choose at least one scope." in response.content.decode()
    assert 'value="Power BI"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_is_refused_with_401(en, client, company):
    token, secret = api_token(company)
    assert client.get(COMPANIES, **bearer(secret)).status_code == 200
    response = en("consultant").post(reverse("api:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get(COMPANIES, **bearer(secret))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer cxa_",
        "Bearer cxa_nope_nope",
        "Bearer not-a-token",
        "Basic dXNlcjpwYXNz",
    ],
)
def test_requests_without_a_known_token_get_401_json(client, company, header):
    api_token(company)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    extra["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(COMPANIES, **extra)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized" and body["message"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_secret_with_a_known_prefix_but_wrong_rest_is_refused(client, company):
    token, _secret = api_token(company)
    response = client.get(COMPANIES, **bearer(f"cxa_{token.prefix}_wrong"))
    assert response.status_code == 401


def test_a_token_lacking_the_scope_gets_403(client, company):
    _token, secret = api_token(company, scopes=["submit-responses"])
    response = client.get(COMPANIES, **bearer(secret))
    assert response.status_code == 403
    assert response.json()["code"] == "scope_missing"


def test_a_token_sees_its_own_company_only(client, company, other_company):
    _token, secret = api_token(company)
    assert [c["id"] for c in client.get(COMPANIES, **bearer(secret)).json()] == [company.pk]
    assert client.get(f"{COMPANIES}/{company.pk}", **bearer(secret)).json()["name"] == company.name
    response = client.get(f"{COMPANIES}/{other_company.pk}", **bearer(secret))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}


def test_messages_follow_the_clients_language(client, company, other_company):
    _token, secret = api_token(company)
    response = client.get(f"{COMPANIES}/{other_company.pk}", **bearer(secret, language="ru"))
    assert response.json() == {"code": "not_found", "message": "Не найдено."}


@pytest.mark.parametrize("value", ["abc", "0", "-1", str(2**64)])
def test_a_bad_id_is_422_json_naming_the_field(client, company, value):
    _token, secret = api_token(company)
    response = client.get(f"{COMPANIES}/{value}", **bearer(secret))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and "company_id" in body["errors"]


def test_last_use_is_written_at_most_once_a_minute(client, company, django_assert_num_queries):
    token, secret = api_token(company)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(COMPANIES, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == start
    half_minute = start + datetime.timedelta(seconds=30)
    # The token's lookup, and no UPDATE:
    with time_machine.travel(half_minute, tick=False), django_assert_num_queries(1):
        assert client.get(COMPANIES, **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + datetime.timedelta(seconds=61)
    # The lookup and one UPDATE:
    with time_machine.travel(later, tick=False), django_assert_num_queries(2):
        client.get(COMPANIES, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == later


def test_the_rate_limit_answers_429_with_retry_after_per_token(client, company, settings):
    settings.API_RATE_LIMIT = 2
    _token, secret = api_token(company)
    _other, other_secret = api_token(company, name="Other")
    start = datetime.datetime(2026, 3, 2, 10, 0, 15, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            assert client.get(COMPANIES, **bearer(secret)).status_code == 200
        response = client.get(COMPANIES, **bearer(secret))
        assert response.status_code == 429
        assert response.json()["code"] == "rate_limited"
        assert response["Retry-After"] == "45"
        assert client.get(COMPANIES, **bearer(other_secret)).status_code == 200
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        assert client.get(COMPANIES, **bearer(secret)).status_code == 200


def test_an_unknown_api_path_and_method_answer_json(client, company):
    _token, secret = api_token(company)
    response = client.delete(COMPANIES, **bearer(secret))
    assert response.status_code == 405


def test_the_schema_documents_the_bearer_scheme_and_error_bodies(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "CX Audit API"
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    responses = schema["paths"]["/api/v1/companies"]["get"]["responses"]
    assert {"200", "401", "403", "429"} <= set(responses)


def test_the_docs_load_swagger_from_our_static_files_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui.css" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert "<script>" not in page  # no inline script: script-src 'self' allows none
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp


def test_a_reloaded_creation_page_creates_no_second_token(en, company):
    client = en("manager")
    url = reverse("api:token-list", args=[company.pk])
    once = client.get(url).context["form"]["once"].value()
    assert once
    data = {"name": "Website widget", "scopes": ["submit-responses"], "once": once}
    first = client.post(url, data)
    assert first.context["created"].secret in first.content.decode()
    assert first.context["form"]["once"].value() != once  # the next token gets a new key
    again = client.post(url, data, follow=True)  # the browser's "reload" re-sends the form
    assert ApiToken.objects.filter(company=company).count() == 1
    page = again.content.decode()
    assert "already created" in page and first.context["created"].secret not in page
