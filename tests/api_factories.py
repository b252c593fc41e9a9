"""API tokens for tests: a token and the header that carries its secret."""

from cxaudit.api.services import api_token_create

ALL_SCOPES = ["read-results", "submit-responses", "write-metrics"]


def api_token(company, scopes=None, name="Test token"):
    """(token row, secret) for the company."""
    created = api_token_create(
        company=company, name=name, scopes=list(scopes or ALL_SCOPES), by=None
    )
    return created.token, created.secret


def bearer(secret: str, language: str = "en") -> dict:
    """The request headers carrying the token (messages in English unless asked)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": language}
