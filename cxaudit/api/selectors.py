"""Reads of the API: tokens, and the company's objects a token reaches (its company only)."""

from __future__ import annotations

import hashlib
import hmac

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.models import ActionItem, Audit
from cxaudit.accounts.models import Organisation
from surveys.models import Response, Survey, Wave

from .models import ApiToken, Webhook, WebhookDelivery

TOKEN_START = "cxa_"  # noqa: S105 (the public start of every token, no secret)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_prefix(secret: str) -> str | None:
    """The prefix part of ``cxa_<prefix>_<secret>``; None for anything else."""
    if not secret.startswith(TOKEN_START):
        return None
    prefix, _sep, rest = secret[len(TOKEN_START) :].partition("_")
    return prefix if prefix and rest else None


def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The active token the secret belongs to (one query), None for an unknown, malformed
    or revoked one. The digest is compared in constant time."""
    prefix = token_prefix(secret)
    if prefix is None:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("company__parent", "company__survey_settings")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, token_digest(secret)):
        return None
    return token


def api_token_list(*, company: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(company=company).select_related("created_by")


def company_get(*, token: ApiToken, pk: int) -> Organisation:
    """The token's company; any other id is not found (404), existing or not."""
    if pk != token.company_id:
        raise Http404
    return token.company


def survey_list(*, token: ApiToken) -> QuerySet[Survey]:
    return Survey.objects.filter(company_id=token.company_id).order_by("-created_at", "-pk")


def survey_get(*, token: ApiToken, pk: int) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("company__parent", "company__survey_settings"),
        company_id=token.company_id,
        pk=pk,
    )


def wave_get(*, token: ApiToken, pk: int) -> Wave:
    return get_object_or_404(
        Wave.objects.select_related("survey__company__parent", "survey__company__survey_settings"),
        survey__company_id=token.company_id,
        pk=pk,
    )


def audit_list(*, token: ApiToken) -> QuerySet[Audit]:
    return Audit.objects.filter(company_id=token.company_id).order_by("-created_at", "-pk")


def audit_get(*, token: ApiToken, pk: int) -> Audit:
    return get_object_or_404(
        Audit.objects.select_related("company"), company_id=token.company_id, pk=pk
    )


def action_get(*, token: ApiToken, pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.select_related("audit", "owner"),
        audit__company_id=token.company_id,
        pk=pk,
    )


def wave_response_count(*, wave: Wave) -> int:
    """The rows a wave's export has: one per response."""
    return Response.objects.filter(wave=wave).count()


DELIVERY_LOG_SIZE = 50


def webhook_list(*, company: Organisation) -> list[Webhook]:
    """The company's webhooks, newest first (one query)."""
    return list(Webhook.objects.filter(company=company).select_related("created_by"))


def webhook_delivery_log(
    *, company: Organisation, limit: int = DELIVERY_LOG_SIZE
) -> list[WebhookDelivery]:
    """The latest deliveries to the company's webhooks (one query, at most ``limit``)."""
    return list(
        WebhookDelivery.objects.filter(webhook__company=company)
        .select_related("webhook")
        .defer("body")
        .order_by("-created_at", "-pk")[:limit]
    )
