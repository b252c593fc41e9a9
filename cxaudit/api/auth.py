"""Bearer tokens: which token, whether it may do this (its scopes), and its rate limit."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from cxaudit.accounts.models import Role

from . import selectors, services
from .errors import RATE_LIMITED, SCOPE_MISSING, ApiError
from .models import ApiToken, Scope

# A token acts with the rights of a company manager (policy checks take this role).
TOKEN_ROLE = Role.MANAGER


class TokenRequest(HttpRequest):
    """A request that passed ``TokenAuth``: ``auth`` is its token (for type checking)."""

    auth: ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer cxa_…`` with one required scope. Unknown or revoked: 401;
    over the limit: 429 with Retry-After; without the scope: 403."""

    def __init__(self, scope: Scope):
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = selectors.api_token_for_secret(secret=token)
        if api_token is None:
            return None
        retry_after = services.api_rate_limited(token=api_token)
        if retry_after is not None:
            raise ApiError(
                429,
                RATE_LIMITED,
                _("Too many requests with this token. Try again in %(seconds)d seconds.")
                % {"seconds": retry_after},
                headers={"Retry-After": str(retry_after)},
            )
        if self.scope not in api_token.scopes:
            raise ApiError(
                403,
                SCOPE_MISSING,
                _("This token lacks the scope “%(scope)s”.") % {"scope": self.scope.value},
            )
        services.api_token_touch(token=api_token)
        return api_token


read_results = TokenAuth(Scope.READ_RESULTS)
submit_responses = TokenAuth(Scope.SUBMIT_RESPONSES)
write_metrics = TokenAuth(Scope.WRITE_METRICS)
