"""Reads for survey pages (STYLE 3). Counts come from one aggregate query (STYLE 14); the
figures from ``cxaudit.stats``; charts from ``cxaudit.charts``."""

from .access import (
    WAVE_CACHE_SECONDS,
    anonymity_threshold,
    channel_for_code,
    comments_held,
    response_for_moderation,
    survey_get,
    survey_list,
    survey_waves,
    wave_cache_clear,
    wave_for_moderation,
    wave_for_token,
    wave_for_token_uncached,
    wave_get,
    wave_invitation_list,
    wave_participation,
    wave_threshold,
)
from .counts import Tally, WaveCounts, count_expressions, wave_counts
from .exports import ExportRefused, wave_export
from .figures import METRIC_LABELS, Figure, metric_figure
from .respond import (
    OwnQuestion,
    questions_unchanged,
    respond_cache_clear,
    respond_questions,
    respond_questions_uncached,
)
from .results import results_waves, survey_results
from .trends import trend
from .waves import (
    WaveCloseSummary,
    wave_close_summary,
    wave_published,
    wave_reopen_refusal,
    wave_reopen_until,
)

__all__ = [
    "METRIC_LABELS",
    "WAVE_CACHE_SECONDS",
    "ExportRefused",
    "Figure",
    "OwnQuestion",
    "Tally",
    "WaveCloseSummary",
    "WaveCounts",
    "anonymity_threshold",
    "channel_for_code",
    "comments_held",
    "count_expressions",
    "metric_figure",
    "questions_unchanged",
    "respond_cache_clear",
    "respond_questions",
    "respond_questions_uncached",
    "response_for_moderation",
    "results_waves",
    "survey_get",
    "survey_list",
    "survey_results",
    "survey_waves",
    "trend",
    "wave_cache_clear",
    "wave_close_summary",
    "wave_counts",
    "wave_export",
    "wave_for_moderation",
    "wave_for_token",
    "wave_for_token_uncached",
    "wave_get",
    "wave_invitation_list",
    "wave_participation",
    "wave_published",
    "wave_reopen_refusal",
    "wave_reopen_until",
    "wave_threshold",
]
