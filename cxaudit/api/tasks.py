"""Thin Celery entry points of the API's webhooks: ids in, a service call (STYLE §7)."""

from celery import shared_task

from .services import webhooks


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def webhook_deliver(delivery_id: int) -> None:
    """Post one delivery; a repeated message does nothing (the claim is conditional)."""
    webhooks.webhook_delivery_run(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhook_sweep() -> None:
    """Every minute (celery beat): re-send deliveries left pending, rescue lost ones."""
    webhooks.webhook_sweep()
