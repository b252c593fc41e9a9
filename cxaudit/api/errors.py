"""Every refusal of the API as JSON ``{"code": ..., "message": ...}`` with a stable code.

The codes are part of the API: clients branch on them, the messages are for people."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

BAD_REQUEST = "bad_request"
UNAUTHORIZED = "unauthorized"
SCOPE_MISSING = "scope_missing"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
CONFLICT = "conflict"
INVALID = "invalid"
RATE_LIMITED = "rate_limited"
SERVER_ERROR = "server_error"

CODE_BY_STATUS = {
    400: BAD_REQUEST,
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    404: NOT_FOUND,
    405: METHOD_NOT_ALLOWED,
    409: CONFLICT,
    422: INVALID,
    429: RATE_LIMITED,
}


class Error(Schema):
    code: str
    message: str
    errors: dict[str, list[str]] | None = None


class ApiError(Exception):
    """A refusal with its status, stable code, message, optional per-field errors and
    headers (``Retry-After``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors, self.headers = errors, headers or {}


def documented(*statuses: int) -> dict[int, type[Error]]:
    """Response schemas of the refusals an operation may answer with: always 401 and 429
    (every operation needs a token and counts against its limit) and 422 (parameters of
    the wrong type or range, or a malformed header)."""
    return dict.fromkeys(sorted({401, 422, 429, *statuses}), Error)


def error_response(api: NinjaAPI, request: HttpRequest, error: ApiError) -> HttpResponse:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.errors:
        body["errors"] = error.errors
    response = api.create_response(request, body, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def _field(location: list[Any]) -> str:
    """A validation error's place as a dotted path without ninja's wrappers ("body",
    the parameter name): ``answers.nps``."""
    parts = [str(part) for part in location]
    if parts[:1] in (["body"], ["query"], ["path"]):
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    return ".".join(parts) or "request"


def install(api: NinjaAPI) -> None:
    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, exc)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(api, request, ApiError(404, NOT_FOUND, _("Not found.")))

    def unauthorized(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("A valid API token is required: Authorization: Bearer <token>.")
        error = ApiError(401, UNAUTHORIZED, message, headers={"WWW-Authenticate": "Bearer"})
        return error_response(api, request, error)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        status = exc.status_code
        code = CODE_BY_STATUS.get(status, BAD_REQUEST)
        if status == 400:
            message = _("The request body is not valid JSON.")
        else:
            message = str(exc.message) if hasattr(exc, "message") else str(exc)
        return error_response(api, request, ApiError(status, code, message))

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for item in exc.errors:
            errors.setdefault(_field(list(item.get("loc", []))), []).append(str(item.get("msg")))
        message = _("Some values are missing or invalid.")
        return error_response(api, request, ApiError(422, INVALID, message, errors=errors))

    def server_error(request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("API request failed: %s %s", request.method, request.path)
        message = _("Something went wrong on our side. Please try again later.")
        return error_response(api, request, ApiError(500, SERVER_ERROR, message))

    api.add_exception_handler(Exception, server_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(ApiError, api_error)
