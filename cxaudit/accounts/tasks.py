from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send(invitation_id: str) -> None:
    services.invitation_send(invitation_id=invitation_id)
