"""Thin Celery entry points: ids in, a service call, nothing returned (STYLE §7)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def report_render(job_id: int) -> None:
    """Render one report job; a repeated delivery does nothing (the claim is conditional)."""
    services.report_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def report_sweep() -> None:
    """Every minute (celery beat): re-send jobs left queued, rescue jobs running too long."""
    services.report_sweep()


@shared_task(ignore_result=True)
def report_expire() -> None:
    """Every hour (celery beat): delete report files past the retention period."""
    services.report_expire()
