"""Thin task entry points (STYLE 7): ids in, a service does the work, repeats are harmless."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def participant_notify(participant_id: int) -> None:
    from .services.audits import participant_notify as notify

    notify(participant_id=participant_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def participant_remind(participant_id: int) -> None:
    from .services.audits import participant_remind as remind

    remind(participant_id=participant_id)
