"""Key drivers of a wave (docs/methodology-drivers.md): what the analysis is computed from,
the complete cases in one query for the worker, and the stored result in words and SVG for
the results page and the PDF.

Drivers are a whole-wave figure: never by channel or team, and only from the minimum n of
the analysis on (at least 50, far above any anonymity threshold).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Case, FilteredRelation, Max, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import charts
from cxaudit import questions as question_rules
from cxaudit.l10n import decimal_mark
from cxaudit.recommendations import FixFirstDriver
from cxaudit.stats import drivers as method

from .. import library
from ..models import DriverAnalysis, DriverAnalysisStatus, Question, QuestionAnswer, Response, Wave
from .access import wave_threshold
from .charts import safe_svg
from .figures import METRIC_LABELS, number_text

# The outcome of each kind of survey: the Response column and its answer scale.
OUTCOME_SCALES = {"nps": range(11), "csat": range(1, 6), "enps": range(11)}
QUADRANT_LABELS = {
    method.FIX_FIRST: gettext_lazy("Fix first"),
    method.KEEP: gettext_lazy("Keep up"),
    method.SECONDARY: gettext_lazy("Lower priority"),
    method.OVER_SERVED: gettext_lazy("Possibly over-served"),
}
QUADRANT_POSITIONS = {  # x importance, y performance
    method.FIX_FIRST: "bottom_right",
    method.KEEP: "top_right",
    method.SECONDARY: "bottom_left",
    method.OVER_SERVED: "top_left",
}
R2_BANDS = {
    "weak": gettext_lazy("weak"),
    "moderate": gettext_lazy("moderate"),
    "strong": gettext_lazy("strong"),
}


@dataclass(frozen=True)
class DriverInputs:
    """What a wave's analysis is computed from; ``basis`` changes when any of it does."""

    outcome: str
    questions: tuple[Question, ...]  # own rating questions answered in the wave, in order
    responses: int
    basis: str


def driver_outcome(survey) -> str | None:
    """eNPS for employee surveys; NPS for customer surveys asking it, else CSAT."""
    if survey.is_employee:
        return "enps" if library.ENGAGEMENT in survey.blocks else None
    if library.NPS in survey.blocks:
        return "nps"
    return "csat" if library.CSAT in survey.blocks else None


def rating_key(question_id: int) -> str:
    return f"q{question_id}"


def driver_inputs(*, wave: Wave) -> DriverInputs | None:
    """The outcome and the rating questions of the analysis, or None when the wave has no
    analysis (no outcome question, or fewer than two own ratings answered). At most
    ``MAX_RATINGS`` ratings, the first in survey order. Two queries."""
    outcome = driver_outcome(wave.survey)
    if outcome is None:
        return None
    answered = QuestionAnswer.objects.filter(
        wave=wave, number__isnull=False, question__kind__in=question_rules.RATINGS
    ).values("question_id")
    questions = list(
        Question.objects.filter(pk__in=answered, survey_id=wave.survey_id).order_by(
            "position", "key", "version"
        )
    )
    if len(questions) < method.MIN_RATINGS:
        return None
    chosen = tuple(questions[: method.MAX_RATINGS])
    responses = Response.objects.filter(wave=wave).count()
    described = [
        outcome,
        responses,
        [[q.pk, q.key, q.version, q.kind] for q in chosen],
        wave_threshold(wave),
    ]
    basis = hashlib.sha256(json.dumps(described).encode()).hexdigest()
    return DriverInputs(outcome=outcome, questions=chosen, responses=responses, basis=basis)


def driver_table(*, wave: Wave, inputs: DriverInputs) -> npt.NDArray[np.float64]:
    """One row per response of the wave: the outcome answer, then each rating's (NaN for
    a skip), in ONE query grouping the wave's responses with their rating answers pivoted."""
    ids = [q.pk for q in inputs.questions]
    pivots = {
        rating_key(pk): Max(Case(When(rated__question_id=pk, then="rated__number"))) for pk in ids
    }
    rows = (
        Response.objects.filter(wave=wave)
        .annotate(
            rated=FilteredRelation(
                "question_answers", condition=Q(question_answers__question_id__in=ids)
            )
        )
        .values("id")
        .annotate(**pivots)
        .values_list(inputs.outcome, *pivots)
        .order_by()
    )
    table = np.array(list(rows), dtype=np.float64)
    return table.reshape(-1, len(ids) + 1)


def driver_analysis_current(*, wave: Wave, inputs: DriverInputs) -> DriverAnalysis | None:
    return DriverAnalysis.objects.filter(wave=wave, outcome=inputs.outcome).first()


# --------------------------------------------------------------------------- display


def _number(value: float) -> str:
    return number_text(Decimal(str(value)).quantize(Decimal("0.1")))


def _interval(estimate: dict[str, Any]) -> str:
    return f"{_number(estimate['low_shown'])}–{_number(estimate['high_shown'])}"


def _refusal(result: dict[str, Any], texts: dict[str, str], outcome_label: str) -> str:
    key, params = result["message"]
    if key == "too_few_cases":
        return _(
            "Key drivers need more complete responses (the outcome and every rating "
            "answered): this wave has %(n)s of the %(minimum)s needed."
        ) % {"n": params["n"], "minimum": params["minimum"]}
    if key == "no_responses":
        return _(
            "No response answered the outcome and every rating question, so key drivers "
            "cannot be computed: at least %(minimum)s such responses are needed."
        ) % {"minimum": result["minimum"]}
    if key == "constant_outcome":
        return _(
            "Every complete response gave the same answer to %(outcome)s: there is no "
            "variation for the ratings to explain."
        ) % {"outcome": outcome_label}
    if key == "constant_rating":
        return _(
            "Every complete response gave the same answer to “%(question)s”: key drivers "
            "need variation in every rating."
        ) % {"question": texts.get(params.get("key", ""), "")}
    return _("Key drivers cannot be computed for this wave.")


def _reading(result: dict[str, Any], texts: dict[str, str], outcome_label: str) -> list[str]:
    reading = result["reading"]
    lines = [
        _("The ratings explain %(r2)s%% of the variation in %(outcome)s (%(band)s).")
        % {
            "r2": _number(reading["r2"]),
            "outcome": outcome_label,
            "band": R2_BANDS[reading["r2_band"]],
        },
        _("The strongest driver is “%(question)s”: %(share)s%% of the explained variation.")
        % {
            "question": texts[reading["strongest"]],
            "share": _number(reading["strongest_share"]),
        },
    ]
    average = _number(result["performance_split"])
    fix = reading["fix_first"]
    if fix is None:
        lines.append(_("No important rating scores below the average: none needs fixing first."))
    elif fix == reading["strongest"]:
        lines.append(
            _(
                "It is also the one to fix first: its score is %(score)s of 100, below the "
                "average of %(average)s."
            )
            % {"score": _number(reading["fix_first_performance"]), "average": average}
        )
    else:
        lines.append(
            _(
                "The one to fix first is “%(question)s”: %(share)s%% of the explained "
                "variation, and its score, %(score)s of 100, is below the average of "
                "%(average)s."
            )
            % {
                "question": texts[fix],
                "share": _number(reading["fix_first_share"]),
                "score": _number(reading["fix_first_performance"]),
                "average": average,
            }
        )
    return lines


def _chart(result: dict[str, Any], texts: dict[str, str]) -> str:
    drivers = result["drivers"]
    return safe_svg(
        charts.quadrant_chart(
            [(texts[d["key"]], d["share"]["value"], d["performance"]["value"]) for d in drivers],
            title=_("Key drivers: importance and performance"),
            x_split=result["share_split"],
            y_split=result["performance_split"],
            quadrant_names={
                QUADRANT_POSITIONS[key]: str(label) for key, label in QUADRANT_LABELS.items()
            },
            x_range=(0, 100),
            x_label=_("Importance: share of the explained variation, %"),
            y_label=_("Performance, 0–100"),
            emphasis=[d["quadrant"] == method.FIX_FIRST for d in drivers],
            fluid=True,
            decimal=decimal_mark(),
            chart_id="drivers-quadrant",
        )
    )


def wave_drivers(*, wave: Wave, analysis: DriverAnalysis | None) -> dict[str, Any] | None:
    """The key-driver block of a closed wave: ``state`` done (chart, table, reading),
    refused (why, and the minimum), pending (being computed) or failed; None when the wave
    has no analysis. One query for the question texts."""
    if analysis is None or not wave.is_closed:
        return None
    outcome_label = str(METRIC_LABELS[analysis.outcome])
    context: dict[str, Any] = {"state": analysis.status, "outcome": outcome_label}
    result = analysis.result or {}
    if analysis.status in (DriverAnalysisStatus.PENDING, DriverAnalysisStatus.RUNNING):
        context["state"] = "pending"
        return context
    if analysis.status == DriverAnalysisStatus.FAILED or not result:
        context["state"] = DriverAnalysisStatus.FAILED
        return context
    ids = [int(key[1:]) for key in result.get("questions", [])]
    texts = {rating_key(q.pk): q.text() for q in Question.objects.filter(pk__in=ids)}
    context.update(n=result["n"], n_total=result["n_total"], minimum=result["minimum"])
    if analysis.status == DriverAnalysisStatus.REFUSED:
        context["refusal"] = _refusal(result, texts, outcome_label)
        return context
    context["rows"] = [
        {
            "question": texts[d["key"]],
            "share": _number(d["share"]["shown"]),
            "share_interval": _interval(d["share"]),
            "performance": _number(d["performance"]["shown"]),
            "performance_interval": _interval(d["performance"]),
            "quadrant": d["quadrant"],
            "quadrant_label": str(QUADRANT_LABELS[d["quadrant"]]),
        }
        for d in result["drivers"]
    ]
    context["r2"] = _number(result["r2"]["shown"])
    context["r2_interval"] = _interval(result["r2"])
    context["reading"] = _reading(result, texts, outcome_label)
    context["chart"] = _chart(result, texts)
    return context


def wave_drivers_done(*, wave: Wave) -> dict[str, Any] | None:
    """For reports: the wave's analysis only when it is done on the wave as it is now."""
    if not wave.is_closed:
        return None
    inputs = driver_inputs(wave=wave)
    if inputs is None:
        return None
    analysis = driver_analysis_current(wave=wave, inputs=inputs)
    if (
        analysis is None
        or analysis.basis != inputs.basis
        or analysis.status != DriverAnalysisStatus.DONE
    ):
        return None
    return wave_drivers(wave=wave, analysis=analysis)


def driver_fix_first(*, wave: Wave) -> FixFirstDriver | None:
    """For the recommendation rules: the driver to fix first of the wave's done analysis
    (on the wave as it is now), with its question's texts; None when there is none."""
    if not wave.is_closed:
        return None
    inputs = driver_inputs(wave=wave)
    analysis = None if inputs is None else driver_analysis_current(wave=wave, inputs=inputs)
    if (
        inputs is None
        or analysis is None
        or analysis.basis != inputs.basis
        or analysis.status != DriverAnalysisStatus.DONE
        or not analysis.result
    ):
        return None
    result = analysis.result
    key = result["reading"]["fix_first"]
    driver = next((d for d in result["drivers"] if d["key"] == key), None)
    question = next((q for q in inputs.questions if rating_key(q.pk) == key), None)
    if driver is None or question is None:
        return None
    return FixFirstDriver(
        ref=str(question.pk),
        title_ru=question.text("ru"),
        title_en=question.text("en"),
        outcome=analysis.outcome,
        share=Fraction(str(driver["share"]["value"])),
        share_split=Fraction(str(result["share_split"])),
        performance=Fraction(str(driver["performance"]["value"])),
    )
