"""Key-driver analyses of closed waves (docs/methodology-drivers.md), computed by the worker.

``driver_analysis_request`` records what the analysis is computed from (its basis) and
queues the task once the transaction commits; ``driver_analysis_run`` (the task's service)
claims the row with a conditional UPDATE, reads the complete cases in one query, calls
``cxaudit.stats.key_drivers`` and stores the result as JSON. A result is written only while
the row still holds the basis it was claimed with: a request on a changed wave in the
meantime wins, and its own task computes again.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cxaudit.stats import drivers as method

from ..models import DriverAnalysis, DriverAnalysisStatus, QuestionAnswer, Wave
from ..selectors.drivers import (
    OUTCOME_SCALES,
    DriverInputs,
    driver_analysis_current,
    driver_inputs,
    driver_table,
    rating_key,
)

logger = logging.getLogger(__name__)

Status = DriverAnalysisStatus
STALE_AFTER = timedelta(minutes=15)  # pending or running this long: the task was lost
RETRY_FAILED_AFTER = timedelta(hours=1)


def _needs_run(analysis: DriverAnalysis, basis: str) -> bool:
    if analysis.basis != basis:
        return True
    age = timezone.now() - analysis.requested_at
    if analysis.status in (Status.PENDING, Status.RUNNING):
        return age > STALE_AFTER
    if analysis.status == Status.FAILED:
        return age > RETRY_FAILED_AFTER
    return False


def driver_analysis_request(
    *, wave: Wave, outcome: str | None = None, inputs: DriverInputs | None = None
) -> DriverAnalysis | None:
    """The wave's analysis for ``outcome`` (by default the survey's: NPS, CSAT or eNPS),
    queued for the worker unless one on the same basis is stored or under way. None when
    the wave has no analysis (no outcome question, fewer than two own ratings answered)."""
    inputs = inputs or driver_inputs(wave=wave)
    if inputs is None or (outcome is not None and outcome != inputs.outcome):
        return None
    from ..tasks import driver_analysis_run as driver_analysis_run_task

    with transaction.atomic():
        analysis, created = DriverAnalysis.objects.select_for_update().get_or_create(
            wave=wave, outcome=inputs.outcome, defaults={"basis": inputs.basis}
        )
        if not created and not _needs_run(analysis, inputs.basis):
            return analysis
        analysis.basis = inputs.basis
        analysis.status = Status.PENDING
        analysis.result = None
        analysis.requested_at = timezone.now()
        analysis.finished_at = None
        analysis.save()
        transaction.on_commit(partial(driver_analysis_run_task.delay, analysis.pk))
    return analysis


SWEEP_DAYS = 30  # waves that closed by date this long ago at most are looked at again


def driver_analysis_sweep(*, today=None) -> int:
    """Request the analysis of every wave that closed (by date or by hand) in the last
    ``SWEEP_DAYS`` days, has own answers and no analysis yet: a wave that closed by date
    and whose page nobody opened still feeds the audit's recommendations. Run by beat;
    returns how many were requested. Closing in the app and reading the page request it
    too; a closed wave takes no new answers, so one analysis per wave is enough."""
    today = today or timezone.localdate()
    since = today - timedelta(days=SWEEP_DAYS)
    waves = (
        Wave.objects.filter(
            Q(closes_on__lt=today, closes_on__gte=since) | Q(closed_at__date__gte=since)
        )
        .filter(Exists(QuestionAnswer.objects.filter(wave=OuterRef("pk"))))
        .exclude(Exists(DriverAnalysis.objects.filter(wave=OuterRef("pk"))))
        .select_related("survey__company")
    )
    return sum(driver_analysis_request(wave=wave) is not None for wave in waves)


def driver_analysis_for_page(*, wave: Wave) -> DriverAnalysis | None:
    """The results page's read of a closed wave's analysis: the stored row when its basis
    is the wave's now, else a new request (a wave that closed by date is noticed here)."""
    if not wave.is_closed:
        return None
    inputs = driver_inputs(wave=wave)
    if inputs is None:
        return None
    analysis = driver_analysis_current(wave=wave, inputs=inputs)
    if analysis is not None and not _needs_run(analysis, inputs.basis):
        return analysis
    return driver_analysis_request(wave=wave, inputs=inputs)


def _estimate(estimate: method.Estimate) -> dict[str, float]:
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "shown": estimate.shown,
        "low_shown": estimate.low_shown,
        "high_shown": estimate.high_shown,
    }


def driver_result_json(result: method.DriversResult, inputs: DriverInputs) -> dict[str, Any]:
    """What is stored: shares, intervals, performance, quadrants, the reading's keys, n and
    R², with ratings keyed ``q<question id>``."""
    data: dict[str, Any] = {
        "status": result.status,
        "outcome": inputs.outcome,
        "questions": [rating_key(q.pk) for q in inputs.questions],
        "versions": {rating_key(q.pk): [q.key, q.version] for q in inputs.questions},
        "n": result.n,
        "n_total": result.n_total,
        "minimum": result.minimum,
        "message": list(result.message) if result.message else None,
        "method": result.method,
        "replicates": result.replicates,
        "seed": result.seed,
    }
    if result.status != "ok" or result.r2 is None or result.reading is None:
        return data
    data.update(
        r2=_estimate(result.r2),
        r2_band=result.r2_band,
        share_split=result.share_split,
        performance_split=result.performance_split,
        reading=asdict(result.reading),
        drivers=[
            {
                "key": driver.key,
                "rank": driver.rank,
                "importance": _estimate(driver.importance),
                "share": _estimate(driver.share),
                "mean": _estimate(driver.mean),
                "performance": _estimate(driver.performance),
                "quadrant": driver.quadrant,
            }
            for driver in result.drivers
        ],
    )
    return data


def driver_analysis_compute(*, wave: Wave, inputs: DriverInputs) -> dict[str, Any]:
    """Read the complete cases (one query) and analyse them: the JSON to store."""
    table = driver_table(wave=wave, inputs=inputs)
    ratings = [
        method.Rating(key=rating_key(q.pk), answers=table[:, j + 1], scale=q.scale or range(2))
        for j, q in enumerate(inputs.questions)
    ]
    result = method.key_drivers(
        outcome=table[:, 0], outcome_scale=OUTCOME_SCALES[inputs.outcome], ratings=ratings
    )
    return driver_result_json(result, inputs)


def driver_analysis_run(*, analysis_id: int) -> str | None:
    """The task's work; returns the status stored, or None when another delivery of the
    message, or a newer request, has the row."""
    claimed = DriverAnalysis.objects.filter(pk=analysis_id, status=Status.PENDING).update(
        status=Status.RUNNING
    )
    if not claimed:
        return None
    analysis = DriverAnalysis.objects.select_related("wave__survey__company__survey_settings").get(
        pk=analysis_id
    )
    mine = DriverAnalysis.objects.filter(
        pk=analysis_id, status=Status.RUNNING, basis=analysis.basis
    )
    try:
        inputs = driver_inputs(wave=analysis.wave)
        if inputs is None or inputs.outcome != analysis.outcome:
            # The wave lost what the analysis needs (a survey edit): nothing to compute.
            mine.delete()
            return None
        data = driver_analysis_compute(wave=analysis.wave, inputs=inputs)
    except Exception:
        logger.exception("Key-driver analysis %s failed", analysis_id)
        mine.update(status=Status.FAILED, finished_at=timezone.now())
        return Status.FAILED
    status = Status.DONE if data["status"] == "ok" else Status.REFUSED
    mine.update(status=status, result=data, basis=inputs.basis, finished_at=timezone.now())
    return status
