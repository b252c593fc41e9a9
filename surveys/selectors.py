"""Reads for survey pages (STYLE 3). Counts come from one aggregate query (STYLE 14); the
figures from ``surveys.stats``; charts from ``cxaudit.reports.charts``."""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Value
from django.http import Http404
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxaudit import compiled
from cxaudit.accounts.models import Organisation
from cxaudit.accounts.selectors import CompanyAccess, company_role
from cxaudit.reports import charts

from . import library, stats
from .models import Channel, Response, Survey, SurveySettings, Wave, WaveInvitation

COMMENT_LIMIT = 100
NO_TEAM = ""

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
BANDS = {
    "critical": (
        gettext_lazy("Critical: more detractors than promoters"),
        gettext_lazy("More customers would warn others against you than recommend you."),
    ),
    "problems": (
        gettext_lazy("Loyalty problems"),
        gettext_lazy("Recommendations barely outweigh complaints; loyalty is fragile."),
    ),
    "good": (gettext_lazy("Good"), gettext_lazy("Clearly more promoters than detractors.")),
    "excellent": (gettext_lazy("Excellent"), gettext_lazy("Customers actively recommend you.")),
    "weak": (gettext_lazy("Weak"), gettext_lazy("Too many answers are at the low end.")),
    "acceptable": (
        gettext_lazy("Acceptable"),
        gettext_lazy("Most answers are positive; there is room to improve."),
    ),
    "strong": (gettext_lazy("Strong"), gettext_lazy("A clear majority of answers is positive.")),
    "concern": (
        gettext_lazy("Concern"),
        gettext_lazy("The answers point to a problem that needs attention."),
    ),
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


# --------------------------------------------------------------------------- access


def survey_get(*, user, pk: int) -> tuple[Survey, CompanyAccess]:
    """The survey with the user's role in its company; 404 for anyone outside (2 queries)."""
    survey = (
        Survey.objects.for_user(user)
        .select_related("company__parent", "company__survey_settings")
        .filter(pk=pk)
        .first()
    )
    role = company_role(user=user, company=survey.company) if survey else None
    if survey is None or role is None:
        raise Http404
    return survey, CompanyAccess(company=survey.company, role=role)


def wave_get(*, user, pk: int) -> tuple[Wave, CompanyAccess]:
    wave = (
        Wave.objects.filter(survey__in=Survey.objects.for_user(user).values("pk"))
        .select_related("survey__company__parent", "survey__company__survey_settings")
        .filter(pk=pk)
        .first()
    )
    role = company_role(user=user, company=wave.survey.company) if wave else None
    if wave is None or role is None:
        raise Http404
    return wave, CompanyAccess(company=wave.survey.company, role=role)


def anonymity_threshold(company: Organisation) -> int:
    try:
        return company.survey_settings.anonymity_threshold
    except SurveySettings.DoesNotExist:
        return stats.DEFAULT_ANONYMITY_THRESHOLD


def survey_list(*, company: Organisation) -> list[Survey]:
    surveys = list(
        Survey.objects.filter(company=company).prefetch_related("waves").order_by("-created_at")
    )
    totals = dict(
        Response.objects.filter(wave__survey__company=company)
        .values_list("wave__survey")
        .annotate(n=Count("pk"))
        .order_by()
    )
    today = timezone.localdate()
    for survey in surveys:
        survey.response_count = totals.get(survey.pk, 0)
        waves = list(survey.waves.all())
        survey.current_wave = next(
            (w for w in reversed(waves) if w.status_on(today) == Wave.Status.OPEN), None
        )
        survey.wave_count = len(waves)
    return surveys


# --------------------------------------------------------------------------- public page


def _wave_with_company(token):
    return Wave.objects.select_related("survey__company").filter(token=token).order_by()


WAVE_CACHE_SECONDS = 5


def wave_for_token(token: str) -> Wave | None:
    """The wave behind a public link, with its survey and company; read-only.

    Each process keeps it for up to ``WAVE_CACHE_SECONDS``, so most public page views and
    submits run no lookup query. Services that change what a public page shows clear this
    process's copies (``wave_cache_clear``); other processes see the change within that time,
    and whether the wave is open is checked again by the insert of an answer itself."""
    return _wave_in_period(token, int(time.monotonic() // WAVE_CACHE_SECONDS))


@functools.lru_cache(maxsize=1024)
def _wave_in_period(token: str, _period: int) -> Wave | None:
    return wave_for_token_uncached(token)


def wave_cache_clear() -> None:
    _wave_in_period.cache_clear()


def wave_for_token_uncached(token: str) -> Wave | None:
    """One query, compiled once per process: building it with the ORM cost ten times as
    much as running it."""
    waves = compiled.objects(_wave_with_company, token)
    return waves[0] if waves else None


def channel_for_code(*, wave: Wave, code: str) -> Channel | None:
    return Channel.objects.filter(survey_id=wave.survey_id, code=code).first()


# --------------------------------------------------------------------------- counting


ONE = Value(1)  # COUNT(1) FILTER (...): no column is read, so the scan stays narrow


def count_expressions(survey: Survey) -> dict[str, Count]:
    """Conditional counts for every answer value the survey can hold."""
    expressions: dict[str, Count] = {"n": Count("*")}
    for question in library.questions_for(survey.blocks):
        if question.kind == "scale":
            for value in question.scale:
                expressions[f"{question.key}_{value}"] = Count(
                    ONE, filter=Q(**{question.key: value})
                )
        elif question.kind == "choice":
            for key, _text in question.choices:
                expressions[f"{question.key}__{key}"] = Count(ONE, filter=Q(**{question.key: key}))
    expressions["comments"] = Count(ONE, filter=~Q(comment=""))
    return expressions


@dataclass
class Tally:
    """Counts of one group (a wave, a channel of it, a team of it), summed from SQL rows."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, row: dict[str, Any]) -> None:
        for key, value in row.items():
            if isinstance(value, int) and key not in ("wave_id", "channel_id"):
                self.counts[key] += value

    @property
    def n(self) -> int:
        return self.counts.get("n", 0)

    def scale(self, key: str) -> dict[int, int]:
        question = library.SCALE_QUESTIONS[key]
        return {value: self.counts.get(f"{key}_{value}", 0) for value in question.scale}

    def answered(self, key: str) -> int:
        return sum(self.scale(key).values())

    def nps_counts(self, key: str = "nps") -> stats.NpsCounts:
        counts = self.scale(key)
        return stats.NpsCounts(
            promoters=counts[9] + counts[10],
            passives=counts[7] + counts[8],
            detractors=sum(counts[v] for v in range(7)),
        )

    def choice(self, key: str) -> dict[str, int]:
        question = library.CHOICE_QUESTIONS[key]
        return {choice: self.counts.get(f"{key}__{choice}", 0) for choice, _t in question.choices}


@dataclass
class WaveCounts:
    total: Tally
    channels: dict[int | None, Tally]
    teams: dict[str, Tally]


def wave_counts(
    *, survey: Survey, waves: list[Wave], by_channel: bool = False
) -> dict[int, WaveCounts]:
    """Counts of every wave in ONE aggregate query, served by the ``response_wave_groups``
    index: per channel too when ``by_channel`` (the channel comparison), per team for an
    employee survey with teams (the team breakdown). Grouping only by what is shown keeps
    the aggregate nearly as cheap as one plain count."""
    result = {
        wave.pk: WaveCounts(total=Tally(), channels=defaultdict(Tally), teams=defaultdict(Tally))
        for wave in waves
    }
    if not waves:
        return result
    by_team = survey.is_employee and bool(survey.teams)
    groups = ["wave_id", *(["channel_id"] if by_channel else []), *(["team"] if by_team else [])]
    rows = (
        Response.objects.filter(wave_id__in=[wave.pk for wave in waves])
        .values(*groups)
        .annotate(**count_expressions(survey))
        .order_by()
    )
    for row in rows:
        counts = result[row["wave_id"]]
        counts.total.add(row)
        if by_channel:
            counts.channels[row["channel_id"]].add(row)
        if by_team:
            counts.teams[row["team"]].add(row)
    return result


# --------------------------------------------------------------------------- figures


def _d(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    places = max(0, -value.as_tuple().exponent) if isinstance(value, Decimal) else None
    text = number_format(value, places, use_l10n=True)
    return f"{text}{unit}".replace("-", "−")


def _pct(value: float | None) -> str:
    return _d(stats.display(value, 1), "%")


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
    if key == "nps":
        result = stats.nps(**tally.nps_counts()._asdict())
        figure = Figure(key=key, label=label, shown=result.status == "ok", n=result.n)
        if figure.shown:
            figure.value = _d(result.display)
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
            figure.value = _d(result.display, "%")
            scale_max = result.scale_max
            mean = _d(result.mean_display) + f" / {scale_max}"
            if result.mean_margin is not None:
                mean += " ± " + _d(stats.display(result.mean_margin, 2))
            low_label = _("Bottom-2-box") if key == "csat" else _("Disagree (1–3)")
            figure.details = [(_("Mean"), mean), (low_label, _pct(result.low_share))]
    elif key == "enps":
        result = stats.enps(**tally.nps_counts("enps")._asdict(), threshold=k)
        figure = Figure(key=key, label=label, shown=result.status == "ok", n=result.n)
        if figure.shown:
            figure.value = _d(result.display)
            figure.details = [
                (_("Promoters"), _pct(result.promoters_pct)),
                (_("Passives"), _pct(result.passives_pct)),
                (_("Detractors"), _pct(result.detractors_pct)),
            ]
    else:
        function = stats.state_at_work if key == "state_at_work" else stats.process_ease
        result = function(counts=tally.scale(key), threshold=k)
        figure = Figure(key=key, label=label, shown=result.status == "ok", n=result.n)
        if figure.shown:
            figure.value = _d(result.display) + " / 10"
            figure.details = [(_("Answers 0–6"), _pct(result.low_share))]
    figure.message = message_text(result.message)
    if not figure.shown:
        return figure
    figure.raw = result.value
    low, high = getattr(result, "low", None), getattr(result, "high", None)
    if low is not None and high is not None:
        figure.low, figure.high = low, high
        if result.interval_method == stats.WALD:  # symmetric: "± margin" reads true
            figure.margin = _d(stats.display(result.margin, 1))
        figure.interval = _("95%% interval %(low)s to %(high)s") % {
            "low": _d(stats.display(low, 1)),
            "high": _d(stats.display(high, 1)),
        }
    figure.indicative = bool(getattr(result, "indicative", False))
    if result.band:
        figure.band = result.band
        figure.band_label, figure.band_meaning = (str(t) for t in BANDS[result.band])
        figure.band_style = BAND_STYLE[result.band]
    return figure


def survey_metrics(survey: Survey) -> list[str]:
    return [key for block in survey.blocks for key in BLOCK_METRICS.get(block, ())]


# --------------------------------------------------------------------------- charts


def _safe(svg: str) -> str:
    return mark_safe(svg)  # noqa: S308 - charts.py escapes every label (STYLE 10)


def distribution_svg(key: str, tally: Tally) -> str:
    question = library.SCALE_QUESTIONS[key]
    counts = tally.scale(key)
    title = _("Distribution of answers: %(metric)s") % {"metric": METRIC_LABELS[key]}
    if key in ("nps", "enps"):
        return _safe(
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
                chart_id=f"dist-{key}",
            )
        )
    if key == "csat":
        labelled = [(question.label(v), counts[v]) for v in question.scale]
        colours = {question.label(v): f"level{v}" for v in question.scale}
        return _safe(
            charts.distribution_chart(
                labelled, colours=colours, title=title, fluid=True, chart_id="dist-csat"
            )
        )
    if key == "ces":
        colours = {
            v: "detractor" if v <= 3 else "passive" if v == 4 else "promoter" for v in counts
        }
        return _safe(
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
                chart_id="dist-ces",
            )
        )
    return _safe(
        charts.distribution_chart(
            counts,
            scale=question.scale,
            colours="series1",
            title=title,
            fluid=True,
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
    key: str, waves: list[Wave], counts: dict[int, WaveCounts], *, k: int, anonymous: bool
) -> tuple[list[TrendPoint], str]:
    points: list[TrendPoint] = []
    previous: Tally | None = None
    previous_figure: Figure | None = None
    for wave in waves:
        tally = counts[wave.pk].total
        figure = metric_figure(key, tally, k=k, anonymous=anonymous)
        point = TrendPoint(wave=wave, figure=figure)
        if previous is not None and figure.shown and previous_figure and previous_figure.shown:
            change = _change(key, previous, tally)
            if change is not None and change.delta is not None:
                point.delta = _d(change.delta_display)
                if change.delta_display is not None and change.delta_display > 0:
                    point.delta = "+" + point.delta
                point.verdict = str(VERDICTS.get(change.verdict, "")) or message_text(
                    change.message
                )
                point.significant = change.significant
            elif figure.raw is not None and previous_figure.raw is not None:
                delta = stats.display(figure.raw - previous_figure.raw, figure_places(key))
                point.delta = ("+" if delta and delta > 0 else "") + _d(delta)
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
    band_lines = [(0, "0"), (30, "30"), (50, "50")] if key == "nps" else None
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
        chart_id=f"trend-{key}",
    )
    return points, _safe(svg)


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
        chart_id=f"breakdown-{key}",
    )
    note = ""
    if anonymous:
        note = _(
            "Groups with fewer than %(k)d answers are hidden, and so is the smallest other "
            "group when needed to keep them from being worked out."
        ) % {"k": k}
    return Breakdown(title=title, rows=rows, svg=_safe(svg), note=note)


def choice_chart(key: str, tally: Tally, *, title: str) -> str:
    question = library.CHOICE_QUESTIONS[key]
    counts = tally.choice(key)
    total = sum(counts.values())
    bars = [
        (question.choice_label(choice), 100 * count / total if total else None)
        for choice, count in counts.items()
    ]
    bars.sort(key=lambda bar: -(bar[1] or 0))
    return _safe(
        charts.bar_chart(
            bars,
            title=title,
            value_format=lambda v: _d(stats.display(v, 1), "%"),
            fluid=True,
            chart_id=f"choice-{key}",
        )
    )


# --------------------------------------------------------------------------- results


def comment_classes(survey: Survey, tally: Tally, *, k: int) -> list[tuple[str, str]]:
    """Promoter/passive/detractor filters; under anonymity only classes that may be shown."""
    key = "enps" if survey.is_employee else "nps"
    if key not in survey_metrics(survey):
        return []
    counts = tally.nps_counts(key)._asdict()
    sizes = {
        "promoter": counts["promoters"],
        "passive": counts["passives"],
        "detractor": counts["detractors"],
    }
    shown = stats.suppress(sizes, k).shown if survey.anonymous else dict.fromkeys(sizes, True)
    return [(name, str(label)) for name, label in NPS_CLASSES if shown[name] and sizes[name]]


CLASS_FILTERS = {
    "promoter": {"gte": 9},
    "passive": {"gte": 7, "lte": 8},
    "detractor": {"lte": 6},
}


def comment_list(
    *, survey: Survey, wave: Wave, group: str | None, allowed: list[str]
) -> tuple[list[dict], bool]:
    """Comments in a random order that never changes (random UUID keys), with no dates."""
    key = "enps" if survey.is_employee else "nps"
    queryset = Response.objects.filter(wave=wave).exclude(comment="")
    if group in allowed and group in CLASS_FILTERS:
        queryset = queryset.filter(
            **{f"{key}__{op}": value for op, value in CLASS_FILTERS[group].items()}
        )
    rows = list(queryset.order_by("id").values("comment", key)[: COMMENT_LIMIT + 1])
    for row in rows:
        score = row[key]
        row["score"] = score
        row["class"] = (
            ""
            if score is None
            else "promoter"
            if score >= 9
            else "passive"
            if score >= 7
            else "detractor"
        )
    return rows[:COMMENT_LIMIT], len(rows) > COMMENT_LIMIT


def results_waves(survey: Survey, waves: list[Wave], *, can_manage: bool) -> list[Wave]:
    """Waves whose results may be shown: closed ones under anonymity (A5) and to staff;
    managers of a non-anonymous customer survey also follow an open wave live."""
    today = timezone.localdate()
    if survey.anonymous or not can_manage:
        return [w for w in waves if w.status_on(today) == Wave.Status.CLOSED]
    return [w for w in waves if w.status_on(today) != Wave.Status.SCHEDULED]


def survey_results(
    *, survey: Survey, can_manage: bool, wave_number: int | None = None, group: str | None = None
) -> dict[str, Any]:
    """Everything the results page shows, in 4 queries: waves, channels, the aggregate and
    the comments."""
    k = anonymity_threshold(survey.company)
    anonymous = survey.anonymous
    waves = list(survey.waves.order_by("number"))
    channels = {channel.pk: channel for channel in survey.channels.all()}
    shown_waves = results_waves(survey, waves, can_manage=can_manage)
    by_channel = bool(channels) and not survey.is_employee
    counts = wave_counts(survey=survey, waves=waves, by_channel=by_channel)
    today = timezone.localdate()
    open_waves = [
        (wave, counts[wave.pk].total.n)
        for wave in waves
        if wave.status_on(today) == Wave.Status.OPEN and wave not in shown_waves
    ]
    context: dict[str, Any] = {
        "k": k,
        "anonymous": anonymous,
        "waves": shown_waves,
        "pending_waves": open_waves,
        "wave": None,
    }
    if not shown_waves:
        return context
    wave = next((w for w in shown_waves if w.number == wave_number), shown_waves[-1])
    wave_tally = counts[wave.pk]
    total = wave_tally.total
    context["wave"] = wave
    context["n"] = total.n
    context["n_hidden"] = anonymous and total.n < k
    metrics = survey_metrics(survey)
    sections = []
    for key in metrics:
        figure = metric_figure(key, total, k=k, anonymous=anonymous)
        section: dict[str, Any] = {"figure": figure}
        if figure.shown:
            section["distribution"] = distribution_svg(key, total)
            if key == "nps":
                result = tally_shares(total)
                section["shares"] = result
        section["trend"], section["trend_svg"] = trend(
            key, shown_waves, counts, k=k, anonymous=anonymous
        )
        if by_channel:
            groups = {
                str(pk): (channel.name, wave_tally.channels.get(pk, Tally()))
                for pk, channel in channels.items()
            }
            if wave_tally.channels.get(None, Tally()).n:
                groups["-"] = (_("Main link"), wave_tally.channels[None])
            section["channels"] = breakdown(
                key,
                groups,
                k=k,
                anonymous=anonymous,
                title=_("%(metric)s by channel") % {"metric": METRIC_LABELS[key]},
            )
        if survey.is_employee and survey.teams:
            groups = {
                team: (team or _("Team not given"), tally)
                for team, tally in wave_tally.teams.items()
            }
            section["teams"] = breakdown(
                key,
                groups,
                k=k,
                anonymous=anonymous,
                title=_("%(metric)s by team") % {"metric": METRIC_LABELS[key]},
            )
        sections.append(section)
    context["sections"] = sections
    if library.EXIT in survey.blocks:
        if anonymous and total.n < k:
            context["exit_hidden"] = message_text(("hidden_below_threshold", {"k": k}))
        else:
            context["exit_charts"] = [
                choice_chart(
                    "exit_reason", total, title=_("Why customers left (share of answers)")
                ),
                choice_chart("exit_where", total, title=_("Where they went (share of answers)")),
            ]
    comments_visible = not (anonymous and total.n < k)
    context["comments_visible"] = comments_visible
    context["has_comments"] = bool(total.counts.get("comments"))
    context.update({"comments": [], "comment_classes": [], "group": ""})
    if comments_visible and context["has_comments"]:
        classes = comment_classes(survey, total, k=k)
        allowed = [name for name, _label in classes]
        context["comment_classes"] = classes
        context["group"] = group if group in allowed else ""
        context["comments"], context["comments_more"] = comment_list(
            survey=survey, wave=wave, group=group, allowed=allowed
        )
    return context


def tally_shares(tally: Tally) -> str:
    counts = tally.nps_counts()
    return _safe(
        charts.stacked_share_bar(
            [
                (_("Promoters"), counts.promoters, "promoter"),
                (_("Passives"), counts.passives, "passive"),
                (_("Detractors"), counts.detractors, "detractor"),
            ],
            title=_("Promoters, passives and detractors"),
            fluid=True,
            chart_id="nps-shares",
        )
    )


def wave_participation(*, wave: Wave) -> dict[str, Any]:
    """Invited, answered through the personal link, and the response rate (§5)."""
    totals = WaveInvitation.objects.filter(wave=wave).aggregate(
        invited=Count("pk"),
        answered=Count("pk", filter=Q(use__isnull=False)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    rate = stats.response_rate(responses=totals["answered"], invited=totals["invited"])
    totals["rate"] = _d(rate.display, "%") if rate.status == "ok" else "—"
    return totals


def survey_waves(*, survey: Survey) -> list[Wave]:
    """Waves with their response counts (one grouped query)."""
    waves = list(survey.waves.order_by("-number"))
    counts = dict(
        Response.objects.filter(wave__survey=survey)
        .values_list("wave_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for wave in waves:
        wave.response_count = counts.get(wave.pk, 0)
    return waves


def wave_invitation_list(*, wave: Wave):
    """Who was invited and when e-mails went out; never who answered (only how many)."""
    return WaveInvitation.objects.filter(wave=wave).only(
        "email", "sent_at", "reminders", "reminded_at", "wave_id"
    )


# --------------------------------------------------------------------------- export


class ExportRefused(Exception):
    """The wave's answers cannot leave the app yet; the message says why."""


def wave_export(*, wave: Wave) -> tuple[list[str], list[list]]:
    """A wave's answers as a table.

    Anonymous surveys: only after the wave closes (A5) and with at least k answers (A2); rows
    in a random order without dates, and the team left empty for groups that the results
    page hides (A2, A3), so the file reveals nothing the page does not.
    """
    survey = wave.survey
    k = anonymity_threshold(survey.company)
    questions = library.questions_for(survey.blocks, teams=survey.teams)
    keys = [q.key for q in questions]
    responses = Response.objects.filter(wave=wave).select_related("channel")
    if survey.anonymous:
        if not wave.is_closed:
            raise ExportRefused(_("Anonymous answers can be exported after the wave closes."))
        total = responses.count()
        if total < k:
            raise ExportRefused(message_text(("hidden_below_threshold", {"k": k})))
        hidden: set[str] = set()
        if "team" in keys:
            sizes = dict(responses.values_list("team").annotate(n=Count("pk")).order_by())
            hidden = set(stats.suppress(sizes, k).hidden)
        header = ["channel", *keys]
        rows = [
            [
                response.channel.name if response.channel else "",
                *(
                    ("" if key == "team" and response.team in hidden else getattr(response, key))
                    for key in keys
                ),
            ]
            for response in responses.order_by("id").iterator(chunk_size=2000)
        ]
        return header, rows
    header = ["date", "channel", *keys]
    rows = [
        [
            response.submitted_on.isoformat(),
            response.channel.name if response.channel else "",
            *(getattr(response, key) for key in keys),
        ]
        for response in responses.order_by("submitted_on", "id").iterator(chunk_size=2000)
    ]
    return header, rows
