"""Writes of the API's own: tokens (``tokens``) and webhooks (``webhooks``)."""

from .tokens import (
    RATE_WINDOW_SECONDS,
    USE_RESOLUTION,
    CreatedToken,
    api_rate_limited,
    api_token_create,
    api_token_revoke,
    api_token_touch,
)
from .webhooks import (
    webhook_create,
    webhook_delete,
    webhook_delivery_run,
    webhook_event_fire,
    webhook_set_active,
    webhook_sweep,
    webhook_test_send,
)

__all__ = [
    "RATE_WINDOW_SECONDS",
    "USE_RESOLUTION",
    "CreatedToken",
    "api_rate_limited",
    "api_token_create",
    "api_token_revoke",
    "api_token_touch",
    "webhook_create",
    "webhook_delete",
    "webhook_delivery_run",
    "webhook_event_fire",
    "webhook_set_active",
    "webhook_sweep",
    "webhook_test_send",
]
