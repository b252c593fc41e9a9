"""Headline figures from counts, with their bands and texts: ``cxaudit.stats`` computes the
numbers; this module says them (labels, bands, display rules, localised numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import stats

from .. import library
from ..models import Survey
from .counts import Tally

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
    margin_raw: float | None = None  # the unrounded margin behind ``margin`` (the API's)
    interval: str = ""
    n: int | None = None
    indicative: bool = False
    message: str = ""
    band: str = ""
    band_label: str = ""
    band_meaning: str = ""
    band_style: str = "secondary"
    details: list[tuple[str, str]] = field(default_factory=list)


def hidden_figure(key: str, k: int) -> Figure:
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
        return hidden_figure(key, k)
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
            figure.margin_raw = result.margin
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


def figure_places(key: str) -> int:
    return 2 if key in ("state_at_work", "process_ease") else 1


def figure_bounds(key: str) -> tuple[int, int]:
    """The range a figure can take: a chart's axis."""
    if key in ("nps", "enps"):
        return (-100, 100)
    if key in ("state_at_work", "process_ease"):
        return (0, 10)
    return (0, 100)
