"""Thin task entry points (STYLE 7): ids in, a service does the work, repeats are harmless."""

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def wave_invitation_send(invitation_id: int) -> None:
    services.wave_invitation_send(invitation_id=invitation_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def wave_invitation_remind(invitation_id: int, reminders: int) -> None:
    services.wave_invitation_remind(invitation_id=invitation_id, reminders=reminders)


@shared_task(acks_late=True)
def driver_analysis_run(analysis_id: int) -> None:
    services.driver_analysis_run(analysis_id=analysis_id)


@shared_task
def driver_sweep() -> None:
    services.driver_analysis_sweep()


@shared_task(acks_late=True)
def themes_apply(codebook_id: int, revision: int) -> None:
    from .services.themes import themes_apply_run

    themes_apply_run(codebook_id=codebook_id, revision=revision)


@shared_task(acks_late=True)
def theme_suggestion_run(job_id: int) -> None:
    from .services.theme_suggestions import theme_suggestion_run as run

    run(job_id=job_id)
