"""Surveys, waves with their figures, and a wave's responses: read through the results
page's and the export's own selectors, so the API shows what the pages show, under the
same anonymity rules (A2-A6), with the rights of a company manager."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema

from cxaudit.accounts.policy import manages
from surveys import policy as survey_policy
from surveys.selectors.access import response_count_shown, wave_threshold
from surveys.selectors.counts import wave_counts
from surveys.selectors.figures import Figure as PageFigure
from surveys.selectors.results import survey_results

from .. import selectors
from ..auth import TOKEN_ROLE, TokenRequest, read_results
from ..errors import documented
from ..params import Id

router = Router(tags=["surveys"])


class Survey(Schema):
    id: int
    title: str
    audience: str = Field(description="customer or employee")
    blocks: list[str] = Field(description="Question blocks: nps, csat, ces, exit, engagement")
    anonymous: bool
    teams: list[str]
    created_at: datetime.datetime


class Wave(Schema):
    id: int
    survey_id: int
    number: int
    opens_on: datetime.date
    closes_on: datetime.date
    status: str = Field(description="scheduled, open or closed")
    responses: int | None = Field(
        description="How many answered; null while anonymity hides it (an open wave of an "
        "anonymous survey, or fewer than k answers)."
    )


class Figure(Schema):
    """A headline figure as the results page shows it: the unrounded value and its 95%
    interval (``low``/``high``), the margin where the interval is symmetric."""

    key: str
    label: str
    shown: bool
    value: float | None
    low: float | None
    high: float | None
    margin: float | None
    n: int | None
    indicative: bool
    band: str
    message: str


class GroupFigure(Schema):
    group: str
    figure: Figure


class WaveMetric(Schema):
    figure: Figure
    groups: list[GroupFigure] = Field(
        description="By channel (customer surveys) or team (employee surveys); hidden "
        "groups have shown=false, as on the page."
    )


class WaveResults(Schema):
    wave: Wave
    results_shown: bool = Field(
        description="False while the wave's results may not be shown (anonymous: until it "
        "closes; a scheduled wave)."
    )
    k: int = Field(description="The anonymity threshold in force for the wave")
    n: int | None = Field(description="Responses; null when hidden below k")
    metrics: list[WaveMetric]


def _wave(wave, responses: int | None) -> dict[str, Any]:
    return {
        "id": wave.pk,
        "survey_id": wave.survey_id,
        "number": wave.number,
        "opens_on": wave.opens_on,
        "closes_on": wave.closes_on,
        "status": wave.status,
        "responses": responses,
    }


def _figure(figure: PageFigure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "label": figure.label,
        "shown": figure.shown,
        "value": figure.raw,
        "low": figure.low,
        "high": figure.high,
        "margin": figure.margin_raw,
        "n": figure.n if figure.shown else None,
        "indicative": figure.indicative,
        "band": figure.band,
        "message": figure.message,
    }


def _counts_shown(survey, waves) -> dict[int, int | None]:
    """Each wave's response count as staff pages show it (one aggregate)."""
    counts = wave_counts(survey=survey, waves=waves, by_channel=False)
    today = timezone.localdate()
    return {
        wave.pk: response_count_shown(
            survey=survey, wave=wave, n=counts[wave.pk].total.n, k=wave_threshold(wave), today=today
        )
        for wave in waves
    }


@router.get(
    "/companies/{company_id}/surveys",
    response={200: list[Survey], **documented(403, 404)},
    auth=read_results,
)
def survey_list(request: TokenRequest, company_id: Id):
    selectors.company_get(token=request.auth, pk=company_id)
    return selectors.survey_list(token=request.auth)


@router.get(
    "/surveys/{survey_id}", response={200: Survey, **documented(403, 404)}, auth=read_results
)
def survey_detail(request: TokenRequest, survey_id: Id):
    return selectors.survey_get(token=request.auth, pk=survey_id)


@router.get(
    "/surveys/{survey_id}/waves",
    response={200: list[Wave], **documented(403, 404)},
    auth=read_results,
)
def wave_list(request: TokenRequest, survey_id: Id):
    survey = selectors.survey_get(token=request.auth, pk=survey_id)
    waves = list(survey.waves.order_by("number"))
    for wave in waves:
        wave.survey = survey  # the company's k comes along, with no query per wave
    shown = _counts_shown(survey, waves)
    return [_wave(wave, shown[wave.pk]) for wave in waves]


@router.get(
    "/waves/{wave_id}", response={200: WaveResults, **documented(403, 404)}, auth=read_results
)
def wave_detail(request: TokenRequest, wave_id: Id):
    """The wave's figures from the results page's own selector (``survey_results``): the
    same numbers, intervals, bands and hidden groups."""
    wave = selectors.wave_get(token=request.auth, pk=wave_id)
    survey = wave.survey
    count = _counts_shown(survey, [wave])[wave.pk]
    shown = survey_policy.role_allows(TOKEN_ROLE, "wave.results.view", wave)
    context = survey_results(survey=survey, can_manage=manages(TOKEN_ROLE), wave_number=wave.number)
    page_wave = context.get("wave")
    if not shown or page_wave is None or page_wave.pk != wave.pk:
        return {
            "wave": _wave(wave, count),
            "results_shown": False,
            "k": context["k"],
            "n": None,
            "metrics": [],
        }
    metrics = []
    for section in context["sections"]:
        breakdown = section.get("channels") or section.get("teams")
        groups = (
            [{"group": label, "figure": _figure(figure)} for label, figure in breakdown.rows]
            if breakdown
            else []
        )
        metrics.append({"figure": _figure(section["figure"]), "groups": groups})
    return {
        "wave": _wave(wave, count),
        "results_shown": True,
        "k": context["k"],
        "n": None if context["n_hidden"] else context["n"],
        "metrics": metrics,
    }
