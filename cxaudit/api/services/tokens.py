"""Writes of the API's own: tokens created, revoked and marked used, and the rate limit."""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit.accounts.models import Organisation
from cxaudit.caching import UNAVAILABLE

from ..models import ApiToken, Scope
from ..selectors import TOKEN_START, token_digest

logger = logging.getLogger(__name__)

USE_RESOLUTION = datetime.timedelta(minutes=1)  # last_used_at is written at most this often
RATE_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    secret: str  # shown once; only its digest is stored


@transaction.atomic
def api_token_create(*, company: Organisation, name: str, scopes: list[str], by) -> CreatedToken:
    """A new token for the company; the secret is returned once and never stored."""
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ValidationError(_("Choose at least one scope."), code="scopes")
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        company=company,
        name=name.strip(),
        scopes=[scope for scope in Scope.values if scope in scopes],
        prefix=prefix,
        digest=token_digest(secret),
        created_by=by,
    )
    token.full_clean()
    token.save()
    return CreatedToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token from now on; False when it was revoked already."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        token.revoked_at = now
    return bool(revoked)


def api_token_touch(*, token: ApiToken) -> None:
    """Record the token's use: one UPDATE, at most once a minute (a request within a minute
    of the last recorded use writes nothing)."""
    now = timezone.now()
    stale = now - USE_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now


def api_rate_limited(*, token: ApiToken) -> int | None:
    """Count a request of the token in the current minute; the seconds until the next
    minute when the token is over ``API_RATE_LIMIT``, else None. A fixed window in the
    default cache; when the cache is down nothing is counted (and it is logged)."""
    limit = settings.API_RATE_LIMIT
    now = timezone.now().timestamp()
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"api:rate:{token.prefix}:{window}"  # the random prefix: never reused
    try:
        added = cache.add(key, 1, timeout=RATE_WINDOW_SECONDS * 2)
        count = 1 if added else cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        count = 1
    except UNAVAILABLE as error:
        logger.warning("The API rate limit's cache is unavailable: %s", error)
        return None
    if count <= limit:
        return None
    return max(1, int((window + 1) * RATE_WINDOW_SECONDS - now))
