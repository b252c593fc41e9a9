"""A metric across a survey's waves: a figure per wave under its own k, the change from the
wave before with its significance, and the trend chart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import bands, charts, stats
from cxaudit.l10n import decimal_mark

from ..models import Wave
from .charts import safe_svg
from .counts import Tally, WaveCounts
from .figures import (
    METRIC_LABELS,
    Figure,
    figure_bounds,
    figure_places,
    message_text,
    metric_figure,
    number_text,
)


def _change(key: str, before: Tally, after: Tally) -> stats.Change | None:
    if key == "nps":
        return stats.nps_change(before.nps_counts(), after.nps_counts())
    if key in ("csat", "ces"):
        high = range(4, 6) if key == "csat" else range(5, 8)
        successes = [sum(t.scale(key)[v] for v in high) for t in (before, after)]
        return stats.proportion_change(
            stats.ProportionCounts(successes[0], before.answered(key)),
            stats.ProportionCounts(successes[1], after.answered(key)),
        )
    return None  # employee waves show deltas only (§10)


VERDICTS = {
    "significant_increase": gettext_lazy("Significant increase at 95%"),
    "significant_decline": gettext_lazy("Significant decline at 95%"),
    "not_significant": gettext_lazy("Within normal variation"),
}


@dataclass
class TrendPoint:
    wave: Wave
    figure: Figure
    delta: str = ""
    verdict: str = ""
    significant: bool = False


def trend(
    key: str,
    waves: list[Wave],
    counts: dict[int, WaveCounts],
    *,
    thresholds: Mapping[int, int],
    anonymous: bool,
) -> tuple[list[TrendPoint], str]:
    """A point per wave, each under its own k (``thresholds`` by wave id)."""
    points: list[TrendPoint] = []
    previous: Tally | None = None
    previous_figure: Figure | None = None
    for wave in waves:
        tally = counts[wave.pk].total
        figure = metric_figure(key, tally, k=thresholds[wave.pk], anonymous=anonymous)
        point = TrendPoint(wave=wave, figure=figure)
        if previous is not None and figure.shown and previous_figure and previous_figure.shown:
            change = _change(key, previous, tally)
            if change is not None and change.delta is not None:
                point.delta = number_text(change.delta_display)
                if change.delta_display is not None and change.delta_display > 0:
                    point.delta = "+" + point.delta
                point.verdict = str(VERDICTS.get(change.verdict, "")) or message_text(
                    change.message
                )
                point.significant = change.significant
            elif figure.raw is not None and previous_figure.raw is not None:
                delta = stats.display(figure.raw - previous_figure.raw, figure_places(key))
                point.delta = ("+" if delta and delta > 0 else "") + number_text(delta)
        points.append(point)
        previous, previous_figure = tally, figure
    if len(points) < 2:
        return points, ""
    y_range = figure_bounds(key)
    band_lines = (
        [(b, str(b)) for b in (bands.NPS_PROBLEMS_FROM, bands.NPS_GOOD_FROM, bands.NPS_GOOD_UP_TO)]
        if key == "nps"
        else None
    )
    svg = charts.trend_chart(
        [
            (
                _("Wave %(number)d") % {"number": p.wave.number},
                p.figure.raw if p.figure.shown else None,
                p.figure.low,
                p.figure.high,
            )
            for p in points
        ],
        title=_("Trend across waves: %(metric)s") % {"metric": METRIC_LABELS[key]},
        y_range=y_range,
        significant=[p.significant for p in points],
        band_lines=band_lines,
        significant_label=_("Significant change at 95%"),
        interval_label=_("Interval (95%)"),
        missing_text=_("hidden"),
        fluid=True,
        decimal=decimal_mark(),
        chart_id=f"trend-{key}",
    )
    return points, safe_svg(svg)
