"""Figures, bands and charts from counts: ``cxaudit.stats`` for the numbers,
``cxaudit.charts`` for the SVG."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import bands, charts, stats
from cxaudit.l10n import decimal_mark

from .. import library
from ..models import Survey, Wave
from .counts import Tally, WaveCounts

METRIC_LABELS = {
    "nps": gettext_lazy("Net Promoter Score"),
    "csat": gettext_lazy("Satisfaction (CSAT), top-2-box"),
    "ces": gettext_lazy("Ease (CES 2.0) — higher means easier"),
    "enps": gettext_lazy("Employee NPS (eNPS)"),
    "state_at_work": gettext_lazy("State at work (mean of 0–10)"),
    "process_ease": gettext_lazy("Ease of work processes (mean of 0–10)"),
}
BLOCK_METRICS = {
    library.NPS: ("nps",),
    library.CSAT: ("csat",),
    library.CES: ("ces",),
    library.EXIT: (),
    library.ENGAGEMENT: ("enps", "state_at_work", "process_ease"),
}
BAND_LABELS = {
    "critical": gettext_lazy("Critical: more detractors than promoters"),
    "problems": gettext_lazy("Loyalty problems"),
    "good": gettext_lazy("Good"),
    "excellent": gettext_lazy("Excellent"),
    "weak": gettext_lazy("Weak"),
    "acceptable": gettext_lazy("Acceptable"),
    "strong": gettext_lazy("Strong"),
    "concern": gettext_lazy("Concern"),
}
BAND_MEANINGS = {
    # What each band of METHODOLOGY §2-§5 says, true for every value inside the band.
    ("nps", "critical"): gettext_lazy("More customers are detractors (0–6) than promoters (9–10)."),
    ("nps", "problems"): gettext_lazy(
        "Promoters at best outnumber detractors by under 30 points; loyalty is fragile."
    ),
    ("nps", "good"): gettext_lazy("Promoters outnumber detractors by 30 to 50 points."),
    ("nps", "excellent"): gettext_lazy(
        "More than half of the customers are promoters, far more than detractors."
    ),
    ("csat", "weak"): gettext_lazy("Fewer than 70 in 100 customers gave 4 or 5 stars."),
    ("csat", "acceptable"): gettext_lazy(
        "70 to 85 in 100 customers gave 4 or 5 stars; there is room to improve."
    ),
    ("csat", "strong"): gettext_lazy("At least 85 in 100 customers gave 4 or 5 stars."),
    ("ces", "weak"): gettext_lazy("Fewer than 60 in 100 customers found it easy."),
    ("ces", "acceptable"): gettext_lazy(
        "60 to 80 in 100 customers found it easy; there is room to improve."
    ),
    ("ces", "strong"): gettext_lazy("At least 80 in 100 customers found it easy."),
    ("enps", "concern"): gettext_lazy("More employees are detractors (0–6) than promoters (9–10)."),
    ("enps", "acceptable"): gettext_lazy(
        "Employee promoters at best outnumber detractors by under 30 points."
    ),
    ("enps", "strong"): gettext_lazy(
        "Employee promoters outnumber detractors by 30 points or more."
    ),
    ("state_at_work", "concern"): gettext_lazy(
        "The average state at work is below 6 of 10: a problem that needs attention."
    ),
    ("state_at_work", "acceptable"): gettext_lazy(
        "The average state at work is 6 to 8 of 10; there is room to improve."
    ),
    ("state_at_work", "strong"): gettext_lazy("The average state at work is 8 of 10 or higher."),
}
BAND_STYLE = {
    "critical": "danger",
    "concern": "danger",
    "weak": "danger",
    "problems": "warning",
    "acceptable": "warning",
    "good": "success",
    "strong": "success",
    "excellent": "success",
}
NPS_CLASSES = (
    ("promoter", gettext_lazy("Promoters (9–10)")),
    ("passive", gettext_lazy("Passives (7–8)")),
    ("detractor", gettext_lazy("Detractors (0–6)")),
)


def message_text(message: stats.Message | None) -> str:
    """The translated text of a ``stats`` message key."""
    if message is None:
        return ""
    key, params = message
    texts = {
        "no_responses": _("No responses yet"),
        "too_few": _("Not enough responses to show a score (%(n)d of %(minimum)d)"),
        "indicative": _("Fewer than 30 responses: read with care."),
        "hidden_below_threshold": _("Hidden: fewer than %(k)d responses"),
        "too_few_to_test": _("Too few responses to test the change"),
        "zero_variance": _("All answers fell in one class in both waves"),
    }
    text = texts.get(key, _("These figures cannot be computed from the data."))
    try:
        return text % params
    except (KeyError, TypeError):
        return text


# --------------------------------------------------------------------------- figures


def number_text(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    places = max(0, -value.as_tuple().exponent) if isinstance(value, Decimal) else None
    text = number_format(value, places, use_l10n=True)
    return f"{text}{unit}".replace("-", "−")


def _pct(value: float | None) -> str:
    return number_text(stats.display(value, 1), "%")


@dataclass
class Figure:
    key: str
    label: str
    shown: bool
    value: str = "—"
    raw: float | None = None
    low: float | None = None
    high: float | None = None
    margin: str = ""
    interval: str = ""
    n: int | None = None
    indicative: bool = False
    message: str = ""
    band: str = ""
    band_label: str = ""
    band_meaning: str = ""
    band_style: str = "secondary"
    details: list[tuple[str, str]] = field(default_factory=list)


def _hidden(key: str, k: int) -> Figure:
    return Figure(
        key=key,
        label=str(METRIC_LABELS[key]),
        shown=False,
        message=message_text(("hidden_below_threshold", {"k": k})),
    )


def metric_figure(key: str, tally: Tally, *, k: int, anonymous: bool) -> Figure:
    """One headline figure from a group's counts, with the display rules of §1.4 and §5."""
    label = str(METRIC_LABELS[key])
    answered = tally.answered(key)
    if anonymous and answered < k:
        return _hidden(key, k)
    if key in ("nps", "enps"):
        counts = tally.nps_counts(key)._asdict()
        result = stats.nps(**counts) if key == "nps" else stats.enps(**counts, threshold=k)
        figure = Figure(key=key, label=label, shown=result.status == "ok", n=result.n)
        if figure.shown:
            figure.value = number_text(result.display)
            figure.details = [
                (_("Promoters"), _pct(result.promoters_pct)),
                (_("Passives"), _pct(result.passives_pct)),
                (_("Detractors"), _pct(result.detractors_pct)),
            ]
    elif key in ("csat", "ces"):
        function = stats.csat if key == "csat" else stats.ces
        result = function(counts=tally.scale(key))
        figure = Figure(key=key, label=label, shown=result.status == "ok", n=result.n)
        if figure.shown:
            figure.value = number_text(result.display, "%")
            scale_max = result.scale_max
            mean = number_text(result.mean_display) + f" / {scale_max}"
            if result.mean_margin is not None:
                mean += " ± " + number_text(stats.display(result.mean_margin, 2))
            low_label = _("Bottom-2-box") if key == "csat" else _("Disagree (1–3)")
            figure.details = [(_("Mean"), mean), (low_label, _pct(result.low_share))]
    else:
        function = stats.state_at_work if key == "state_at_work" else stats.process_ease
        result = function(counts=tally.scale(key), threshold=k)
        figure = Figure(key=key, label=label, shown=result.status == "ok", n=result.n)
        if figure.shown:
            figure.value = number_text(result.display) + " / 10"
            figure.details = [(_("Answers 0–6"), _pct(result.low_share))]
    figure.message = message_text(result.message)
    if not figure.shown:
        return figure
    figure.raw = result.value
    low, high = getattr(result, "low", None), getattr(result, "high", None)
    if low is not None and high is not None:
        figure.low, figure.high = low, high
        if result.interval_method == stats.WALD:  # symmetric: "± margin" reads true
            figure.margin = number_text(stats.display(result.margin, 1))
        figure.interval = _("95%% interval %(low)s to %(high)s") % {
            "low": number_text(stats.display(low, 1)),
            "high": number_text(stats.display(high, 1)),
        }
    figure.indicative = bool(getattr(result, "indicative", False))
    if result.band:
        figure.band = result.band
        figure.band_label = str(BAND_LABELS[result.band])
        figure.band_meaning = str(BAND_MEANINGS.get((key, result.band), ""))
        figure.band_style = BAND_STYLE[result.band]
    return figure


def survey_metrics(survey: Survey) -> list[str]:
    return [key for block in survey.blocks for key in BLOCK_METRICS.get(block, ())]


# --------------------------------------------------------------------------- charts


def safe_svg(svg: str) -> str:
    return mark_safe(svg)  # noqa: S308 - cxaudit.charts escapes every label (STYLE 10)


def distribution_svg(key: str, tally: Tally) -> str:
    question = library.SCALE_QUESTIONS[key]
    counts = tally.scale(key)
    title = _("Distribution of answers: %(metric)s") % {"metric": METRIC_LABELS[key]}
    if key in ("nps", "enps"):
        return safe_svg(
            charts.distribution_chart(
                counts,
                scale=range(11),
                colours=charts.NPS_COLOURS,
                title=title,
                legend=[
                    (_("Detractors (0–6)"), "detractor"),
                    (_("Passives (7–8)"), "passive"),
                    (_("Promoters (9–10)"), "promoter"),
                ],
                fluid=True,
                decimal=decimal_mark(),
                chart_id=f"dist-{key}",
            )
        )
    if key == "csat":
        labelled = [(question.label(v), counts[v]) for v in question.scale]
        colours = {question.label(v): f"level{v}" for v in question.scale}
        return safe_svg(
            charts.distribution_chart(
                labelled,
                colours=colours,
                title=title,
                fluid=True,
                chart_id="dist-csat",
                decimal=decimal_mark(),
            )
        )
    if key == "ces":
        colours = {
            v: "detractor" if v <= 3 else "passive" if v == 4 else "promoter" for v in counts
        }
        return safe_svg(
            charts.distribution_chart(
                counts,
                scale=question.scale,
                colours=colours,
                title=title,
                legend=[
                    (_("Disagree (1–3)"), "detractor"),
                    (_("Neutral (4)"), "passive"),
                    (_("Agree (5–7)"), "promoter"),
                ],
                fluid=True,
                decimal=decimal_mark(),
                chart_id="dist-ces",
            )
        )
    return safe_svg(
        charts.distribution_chart(
            counts,
            scale=question.scale,
            colours="series1",
            title=title,
            fluid=True,
            decimal=decimal_mark(),
            chart_id=f"dist-{key}",
        )
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
    y_range = (
        (-100, 100)
        if key in ("nps", "enps")
        else (0, 10)
        if key in ("state_at_work", "process_ease")
        else (0, 100)
    )
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


def figure_places(key: str) -> int:
    return 2 if key in ("state_at_work", "process_ease") else 1


@dataclass
class Breakdown:
    title: str
    rows: list[tuple[str, Figure]]
    svg: str
    note: str = ""


def breakdown(
    key: str,
    groups: dict[str, tuple[str, Tally]],
    *,
    k: int,
    anonymous: bool,
    title: str,
) -> Breakdown | None:
    """Per-group figures; under anonymity with A2 and A3 (complementary suppression)."""
    if len(groups) < 2:
        return None
    sizes = {name: tally.answered(key) for name, (_label, tally) in groups.items()}
    shown = stats.suppress(sizes, k).shown if anonymous else dict.fromkeys(sizes, True)
    rows = []
    for name, (label, tally) in sorted(groups.items(), key=lambda item: item[1][0]):
        figure = (
            metric_figure(key, tally, k=k, anonymous=anonymous) if shown[name] else _hidden(key, k)
        )
        rows.append((label, figure))
    bounds = (
        (-100, 100)
        if key in ("nps", "enps")
        else (0, 10)
        if key in ("state_at_work", "process_ease")
        else (0, 100)
    )
    svg = charts.bar_chart(
        [(label, figure.raw if figure.shown else None) for label, figure in rows],
        title=title,
        min_value=bounds[0],
        max_value=bounds[1],
        missing_text=_("hidden"),
        fluid=True,
        decimal=decimal_mark(),
        chart_id=f"breakdown-{key}",
    )
    note = ""
    if anonymous:
        note = _(
            "Groups with fewer than %(k)d answers are hidden, and so is the smallest other "
            "group when needed to keep them from being worked out."
        ) % {"k": k}
    return Breakdown(title=title, rows=rows, svg=safe_svg(svg), note=note)


HIDDEN_GROUP = gettext_lazy("[hidden group]")


def group_dimension(survey: Survey) -> str | None:
    """The one grouping an anonymous survey's pages, exports and comment lists use (A4):
    teams for an employee survey with teams, channels for a customer survey, else none."""
    if survey.is_employee:
        return "team" if survey.teams else None
    return "channel"


def hidden_groups(survey: Survey, groups: Mapping[Any, Tally], *, k: int) -> frozenset:
    """Groups hidden by A2 and A3 in any breakdown the page shows (one per metric), or by
    the same rules applied to their number of responses (comments, exit answers).

    The union keeps every pool of hidden answers at 0 or at least k answers to each metric:
    a group hidden for one metric only has either no answers to another, at least k, or is
    hidden there too, where A3 already made that metric's pool reach k."""
    if not survey.anonymous or len(groups) < 2:
        return frozenset()
    keys = {name: "-" if name is None else str(name) for name in groups}  # the page's keys
    sizes = [
        {keys[name]: tally.answered(key) for name, tally in groups.items()}
        for key in survey_metrics(survey)
    ]
    sizes.append({keys[name]: tally.n for name, tally in groups.items()})
    hidden: set = set()
    for group_sizes in sizes:
        shown = stats.suppress(group_sizes, k).shown
        # A group nobody in which answered a question has nothing to hide for it.
        hidden.update(name for name in groups if not shown[keys[name]] and group_sizes[keys[name]])
    return frozenset(hidden)


def choice_chart(key: str, tally: Tally, *, title: str) -> str:
    question = library.CHOICE_QUESTIONS[key]
    counts = tally.choice(key)
    total = sum(counts.values())
    bars = [
        (question.choice_label(choice), 100 * count / total if total else None)
        for choice, count in counts.items()
    ]
    bars.sort(key=lambda bar: -(bar[1] or 0))
    return safe_svg(
        charts.bar_chart(
            bars,
            title=title,
            value_format=lambda v: number_text(stats.display(v, 1), "%"),
            fluid=True,
            decimal=decimal_mark(),
            chart_id=f"choice-{key}",
        )
    )
