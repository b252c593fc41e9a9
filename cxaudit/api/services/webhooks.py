"""Webhook services: endpoints registered, paused and deleted; events turned into one
delivery per subscribed endpoint; each delivery claimed by a conditional UPDATE, posted
signed, and retried with backoff (``cxaudit.webhook_rules``) until delivered or failed.

As for report jobs (``cxaudit.reports.services``), the row is the source of truth and
Celery carries only its id: a message delivered twice posts once (the claim), a message
never delivered is sent again by the sweeper.
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cxaudit import events
from cxaudit import webhook_rules as rules
from cxaudit.accounts.models import Organisation

from ..models import DeliveryStatus, Event, Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
STALE_AFTER = timedelta(minutes=5)
"""A delivery RUNNING this long lost its worker (a post times out after seconds)."""
USER_AGENT = "CXAudit-Webhooks/1"


# ----------------------------------------------------------------------------- endpoints


def webhook_url_check(url: str) -> str:
    """The URL stripped, or ``ValidationError`` saying what is wrong with it. Hosts that
    resolve to private, loopback or link-local addresses are refused unless
    ``WEBHOOK_ALLOW_PRIVATE`` (requests from our servers must not reach our own network)."""
    url = url.strip()
    problem = rules.url_problem(url, allow_http=settings.WEBHOOK_ALLOW_HTTP)
    if problem == rules.URL_SCHEME:
        raise ValidationError(_("The address must start with https://."), code="scheme")
    if problem == rules.URL_CREDENTIALS:
        raise ValidationError(
            _(
                "Leave the user name and password out of the address; the signature proves "
                "each delivery is ours."
            ),
            code="credentials",
        )
    if problem:
        raise ValidationError(_("Enter the full address, such as https://example.com/hooks."))
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        _refuse_private(url)
    return url


def _refuse_private(url: str) -> None:
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise ValidationError(
            _("The host %(host)s could not be found.") % {"host": parts.hostname}, code="dns"
        ) from error
    if any(rules.address_private(str(info[4][0])) for info in infos):
        raise ValidationError(
            _("The host %(host)s is on a private or local network; use a public address.")
            % {"host": parts.hostname},
            code="private",
        )


@transaction.atomic
def webhook_create(*, company: Organisation, url: str, events: list[str], by) -> Webhook:
    """A new active endpoint with a fresh signing secret."""
    subscribable = [event for event in Event.values if event != Event.TEST]
    if not events or set(events) - set(subscribable):
        raise ValidationError(_("Choose at least one event."), code="events")
    webhook = Webhook(
        company=company,
        url=webhook_url_check(url),
        events=[event for event in subscribable if event in events],
        secret=secrets.token_hex(32),
        created_by=by,
    )
    webhook.full_clean()
    webhook.save()
    return webhook


def webhook_set_active(*, webhook: Webhook, active: bool) -> None:
    """Pause or resume: a paused endpoint gets no new deliveries (pending ones are kept and
    sent once it is resumed)."""
    Webhook.objects.filter(pk=webhook.pk).update(active=active)
    webhook.active = active
    if active:
        for pk in WebhookDelivery.objects.filter(
            webhook=webhook, status=DeliveryStatus.PENDING
        ).values_list("pk", flat=True)[:200]:
            transaction.on_commit(partial(webhook_delivery_dispatch, delivery_id=pk))


def webhook_delete(*, webhook: Webhook) -> None:
    """Delete the endpoint with its delivery log."""
    webhook.delete()


# ----------------------------------------------------------------------------- events


def _body(*, event: str, company_id: int, data: dict[str, Any], created: str) -> str:
    payload = {
        "event": event,
        "id": uuid.uuid4().hex,
        "created": created,
        "company": company_id,
        "data": data,
    }
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def _created(event: str, data: dict[str, Any]) -> str:
    """The event's time to the second; for an anonymous survey's response only the day."""
    now = timezone.localtime()
    if event == Event.RESPONSE_RECEIVED and data.get("anonymous"):
        return now.date().isoformat()
    return now.isoformat(timespec="seconds")


def webhook_event_fire(*, company_id: int, event: str, data: events.Data) -> int:
    """One delivery for each active endpoint of the company subscribed to ``event``, sent
    to the worker on commit; ``data`` is computed only when there is one (a function
    returning None: nothing to send). Returns how many were made (one query when none)."""
    webhooks = [  # a company has a handful: filtered here, the same on every database
        webhook
        for webhook in Webhook.objects.filter(company_id=company_id, active=True)
        if event in webhook.events
    ]
    if not webhooks:
        return 0
    payload = data() if callable(data) else data
    if payload is None:
        return 0
    created = _created(event, payload)
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                webhook=webhook,
                event=event,
                body=_body(event=event, company_id=company_id, data=payload, created=created),
            )
            for webhook in webhooks
        ]
    )
    for delivery in deliveries:
        transaction.on_commit(partial(webhook_delivery_dispatch, delivery_id=delivery.pk))
    return len(deliveries)


def webhook_event_listener(*, company_id: int, event: str, data: events.Data) -> None:
    """``cxaudit.events`` listener: an event from any app becomes deliveries; a failure
    here is logged and never breaks the service that announced the event."""
    try:
        webhook_event_fire(company_id=company_id, event=event, data=data)
    except Exception:
        logger.exception("Webhook deliveries for %s of company %s not made", event, company_id)


def webhook_test_send(*, webhook: Webhook) -> WebhookDelivery:
    """A ``test`` event for this endpoint only, paused or not."""
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event=Event.TEST,
        body=_body(
            event=Event.TEST,
            company_id=webhook.company_id,
            data={"message": "This is a test event from CX Audit."},
            created=timezone.localtime().isoformat(timespec="seconds"),
        ),
    )
    transaction.on_commit(lambda: webhook_delivery_dispatch(delivery_id=delivery.pk))
    return delivery


# ----------------------------------------------------------------------------- delivery


def webhook_delivery_dispatch(*, delivery_id: int, countdown: int = 0) -> bool:
    """Send the delivery to the broker; when the broker is down it stays pending and the
    sweeper sends it later."""
    from kombu.exceptions import OperationalError as BrokerError

    from ..tasks import webhook_deliver as webhook_deliver_task

    due = timezone.now() + timedelta(seconds=countdown)
    WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
        dispatched_at=due
    )
    try:
        webhook_deliver_task.apply_async(
            (delivery_id,), countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY
        )
    except (BrokerError, ConnectionError) as exc:
        logger.warning("Webhook delivery %s kept pending, broker unreachable: %s", delivery_id, exc)
        WebhookDelivery.objects.filter(pk=delivery_id, dispatched_at=due).update(dispatched_at=None)
        return False
    return True


def webhook_delivery_claim(*, delivery_id: int, now: datetime | None = None) -> str | None:
    """Claim a due pending delivery of an active endpoint (a test delivery: any); ``None``
    when another delivery of the message has it, it is not due, or it is done."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(webhook__active=True) | Q(event=Event.TEST))
        .update(
            status=DeliveryStatus.RUNNING,
            claim_token=token,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
            next_attempt_at=None,
        )
    )
    return token if claimed else None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a 3xx is an answer, not delivered; never follow it elsewhere


def webhook_post(*, url: str, secret: str, event: str, delivery_id: int, body: bytes):
    """POST ``body`` signed; ``(status, error)``: status None when there was no answer."""
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-CXAudit-Event": event,
        "X-CXAudit-Delivery": str(delivery_id),
        "X-CXAudit-Timestamp": str(timestamp),
        "X-CXAudit-Signature": rules.signature(secret=secret, timestamp=timestamp, body=body),
    }
    try:
        webhook_url_check(url)  # again: what the host resolves to may have changed
    except ValidationError as error:
        return None, " ".join(error.messages)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - https checked
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"[:500]
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, str(reason)[:500] or error.__class__.__name__


def webhook_delivery_run(*, delivery_id: int) -> str | None:
    """The worker's job: claim, post, record. The final status of this attempt, or None
    when this message had nothing to do."""
    token = webhook_delivery_claim(delivery_id=delivery_id)
    if token is None:
        return None
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    status, error = webhook_post(
        url=delivery.webhook.url,
        secret=delivery.webhook.secret,
        event=delivery.event,
        delivery_id=delivery.pk,
        body=delivery.body.encode(),
    )
    return webhook_delivery_record(
        delivery=delivery, token=token, response_status=status, error=error
    )


def webhook_delivery_record(
    *, delivery: WebhookDelivery, token: str, response_status: int | None, error: str
) -> str | None:
    """Store an attempt's outcome: delivered on a 2xx, else pending again after the
    backoff, or failed after the last attempt."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.RUNNING, claim_token=token
    )
    outcome = {"response_status": response_status, "claim_token": ""}
    if rules.delivered(response_status):
        done = claimed.update(status=DeliveryStatus.DELIVERED, error="", **outcome)
        return DeliveryStatus.DELIVERED if done else None
    delay = rules.retry_delay(delivery.attempts)
    error = error or _("No answer.")
    if delay is None:
        done = claimed.update(status=DeliveryStatus.FAILED, error=error[:500], **outcome)
        return DeliveryStatus.FAILED if done else None
    done = claimed.update(
        status=DeliveryStatus.PENDING,
        error=error[:500],
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        **outcome,
    )
    if not done:
        return None
    transaction.on_commit(
        lambda: webhook_delivery_dispatch(delivery_id=delivery.pk, countdown=delay)
    )
    return DeliveryStatus.PENDING


def webhook_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Every minute: deliveries running past ``STALE_AFTER`` lost their worker and count as
    a failed attempt; due pending deliveries the broker never got (or lost) are sent again."""
    now = now or timezone.now()
    rescued = 0
    for delivery in WebhookDelivery.objects.filter(
        status=DeliveryStatus.RUNNING, last_attempt_at__lt=now - STALE_AFTER
    )[:200]:
        if webhook_delivery_record(
            delivery=delivery,
            token=delivery.claim_token,
            response_status=None,
            error="worker lost",
        ):
            rescued += 1
    resend_before = now - STALE_AFTER
    due = (
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(webhook__active=True) | Q(event=Event.TEST))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=resend_before))
        .order_by("created_at")
        .values_list("pk", flat=True)[:200]
    )
    sent = sum(webhook_delivery_dispatch(delivery_id=pk) for pk in list(due))
    return {"rescued": rescued, "sent": sent}
