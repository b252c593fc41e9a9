"""Figures of the consultant's own questions from grouped counts: ``cxaudit.stats.questions``
computes the numbers; this module says them (texts, display rules, charts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cxaudit import charts, stats
from cxaudit import questions as rules
from cxaudit.l10n import decimal_mark
from cxaudit.stats.intervals import Interval
from cxaudit.stats.questions import choice_result, rating_result

from ..models import Question
from .charts import safe_svg
from .figures import message_text, number_text


@dataclass
class OwnCounts:
    """Counts of the own questions' answers of one group (a wave, or one group of it), as
    the GROUP BY queries give them: per question, per number or per option."""

    numbers: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    choices: dict[int, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    respondents: dict[int, int] = field(default_factory=dict)  # choice questions

    def answered(self, question: Question) -> int:
        if question.is_choice:
            return self.respondents.get(question.pk, 0)
        return sum(self.numbers.get(question.pk, {}).values())


def question_label(question: Question) -> str:
    """The question's text; a version no longer asked says which one it was."""
    text = question.text()
    if question.retired_at is not None:
        return f"{text} (v{question.version})"
    return text


def _pct(value: float | None) -> str:
    return number_text(stats.display(value, 1), "%")


def interval_text(interval: Interval | None) -> str:
    if interval is None:
        return ""
    return _("95%% interval %(low)s to %(high)s") % {
        "low": _pct(interval.low),
        "high": _pct(interval.high),
    }


@dataclass
class OwnFigure:
    """One own question's result in one group; ``shown`` False says why in ``message``."""

    question_id: int
    kind: str
    label: str
    shown: bool
    n: int = 0
    message: str = ""
    value: str = "—"  # the headline: top-2-box % (ratings), yes % (yes/no)
    raw: float | None = None  # the headline as a number, for charts
    low: float | None = None
    high: float | None = None
    interval: str = ""
    mean: str = ""
    mean_margin: str = ""
    options: list[tuple[str, str, str]] = field(default_factory=list)  # label, share, interval
    svg: str = ""


def hidden_own_figure(question: Question, k: int) -> OwnFigure:
    return OwnFigure(
        question_id=question.pk,
        kind=question.kind,
        label=question_label(question),
        shown=False,
        message=message_text(("hidden_below_threshold", {"k": k})),
    )


def own_figure(
    question: Question,
    counts: OwnCounts,
    *,
    k: int,
    anonymous: bool,
    chart: bool = True,
    chart_id: str = "",
) -> OwnFigure:
    """The figure of ``question`` from ``counts``: hidden below k under anonymity (A2)."""
    n = counts.answered(question)
    if anonymous and n < k:
        return hidden_own_figure(question, k)
    figure = OwnFigure(
        question_id=question.pk, kind=question.kind, label=question_label(question), shown=True
    )
    figure.n = n
    if n == 0:
        figure.shown = False
        figure.message = message_text(("no_responses", {}))
        return figure
    chart_id = chart_id or f"own-{question.pk}"
    if question.is_choice:
        _choice_figure(figure, question, counts, chart=chart, chart_id=chart_id)
    else:
        _numbered_figure(figure, question, counts, chart=chart, chart_id=chart_id)
    return figure


def _numbered_figure(
    figure: OwnFigure, question: Question, counts: OwnCounts, *, chart: bool, chart_id: str
) -> None:
    scale = rules.SCALES[question.kind]
    result = rating_result(
        counts.numbers.get(question.pk, {}), scale=scale, top=rules.TOP_BOX[question.kind]
    )
    if result is None:
        figure.shown = False
        figure.message = message_text(("invalid", {}))
        return
    share = result.top_box_share
    figure.raw = 100 * result.top_box / result.n
    figure.value = _pct(figure.raw)
    if share is not None:
        figure.low, figure.high = share.low, share.high
        figure.interval = interval_text(share)
    if question.kind == rules.YES_NO:
        if chart:
            figure.svg = safe_svg(
                charts.stacked_share_bar(
                    [
                        (_("Yes"), result.top_box, "promoter"),
                        (_("No"), result.n - result.top_box, "detractor"),
                    ],
                    title=_("Yes and no: %(question)s") % {"question": figure.label},
                    fluid=True,
                    decimal=decimal_mark(),
                    chart_id=chart_id,
                )
            )
        return
    mean = result.mean
    figure.mean = number_text(mean.display) + f" / {scale.stop - 1}"
    if mean.margin is not None:
        figure.mean_margin = number_text(mean.margin_display)
    if chart:
        top = rules.TOP_BOX[question.kind]
        figure.svg = safe_svg(
            charts.distribution_chart(
                {item.value: item.count for item in result.distribution.items},
                scale=scale,
                colours={v: "promoter" if v in top else "series1" for v in scale},
                title=_("Distribution of answers: %(metric)s") % {"metric": figure.label},
                fluid=True,
                decimal=decimal_mark(),
                chart_id=chart_id,
            )
        )


def _choice_figure(
    figure: OwnFigure, question: Question, counts: OwnCounts, *, chart: bool, chart_id: str
) -> None:
    options = list(question.choices.all())  # prefetched
    picked = counts.choices.get(question.pk, {})
    result = choice_result(
        {str(option.pk): picked.get(option.pk, 0) for option in options},
        respondents=figure.n,
        choices=[str(option.pk) for option in options],
    )
    labels = {str(option.pk): option.label() for option in options}
    shares = [(labels[s.key], 100 * s.count / figure.n, s.share) for s in result.shares]
    figure.options = [(label, _pct(raw), interval_text(share)) for label, raw, share in shares]
    if chart:
        figure.svg = safe_svg(
            charts.bar_chart(
                [(label, raw) for label, raw, _share in shares],
                title=_("Share of respondents: %(question)s") % {"question": figure.label},
                value_format=_pct,
                fluid=True,
                decimal=decimal_mark(),
                chart_id=chart_id,
            )
        )
