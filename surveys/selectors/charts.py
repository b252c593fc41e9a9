"""Charts of a wave's answers as SVG from ``cxaudit.charts``: distributions, choice shares
and the promoter/passive/detractor bar."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cxaudit import charts, stats
from cxaudit.l10n import decimal_mark

from .. import library
from .counts import Tally
from .figures import METRIC_LABELS, number_text


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


def tally_shares(tally: Tally) -> str:
    counts = tally.nps_counts()
    return safe_svg(
        charts.stacked_share_bar(
            [
                (_("Promoters"), counts.promoters, "promoter"),
                (_("Passives"), counts.passives, "passive"),
                (_("Detractors"), counts.detractors, "detractor"),
            ],
            title=_("Promoters, passives and detractors"),
            fluid=True,
            decimal=decimal_mark(),
            chart_id="nps-shares",
        )
    )
