"""The survey and business-metric chapters of the Word report, as ``_surveys.html`` and
``_metrics.html`` (with their partials) show them: the same figures, the same charts."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext, ngettext

from .audit import _band, _metric_band, day, pct, survey_value
from .writer import Writer, clean


def surveys(w: Writer, context: dict[str, Any]) -> None:
    results = context["results"]
    w.heading(gettext("Survey results"), anchor="surveys", page_break=True)
    figures = context.get("survey_figures") or []
    if figures:
        waves = results.surveys.waves
        w.paragraph(
            ngettext(
                "Customer and employee surveys of the audit period, from %(counter)s closed "
                "survey wave.",
                "Customer and employee surveys of the audit period, from %(counter)s closed "
                "survey waves.",
                waves,
            )
            % {"counter": waves}
        )
        left_out = results.surveys.left_out
        if left_out:
            w.note(
                ngettext(
                    "%(counter)s wave hidden on its survey page is left out of these figures.",
                    "%(counter)s waves hidden on their survey pages are left out of these figures.",
                    left_out,
                )
                % {"counter": left_out}
            )
        figure_table(w, figures)
        kinds = context.get("survey_kinds") or {}
        margin_note(w, customers=kinds.get("customer"), employees=kinds.get("employee"))
    for summary in context.get("surveys") or ():
        survey_summary(w, summary)


def figure_table(w: Writer, figures) -> None:
    rows = []
    for figure in figures:
        meaning: list = []
        if figure.shown and figure.band:
            meaning += [_band(figure), (figure.band_meaning, "note")]
        details = " · ".join(f"{clean(label)}: {clean(value)}" for label, value in figure.details)
        if details:
            meaning.append((details, "note"))
        rows.append([figure.label, survey_value(figure), figure.n if figure.shown else "", meaning])
    header = [gettext("Measure"), gettext("Value"), "n", gettext("What it means")]
    w.table(header, rows, widths=(4.6, 4.2, 1.4, 7.2))


def margin_note(w: Writer, *, customers, employees) -> None:
    parts = []
    if customers:
        parts.append(
            pct(
                gettext(
                    "± is the margin of error at 95%% confidence: the value for all customers "
                    "lies within this distance of the figure shown, with 95%% confidence. Where "
                    "the interval is not symmetric (few responses, extreme shares), the 95%% "
                    "interval is given instead. Figures from fewer than 30 responses are "
                    "indicative; with fewer than 5 responses no figure is shown."
                )
            )
        )
    parts.append(
        gettext(
            "In anonymous surveys, a figure from fewer responses than the anonymity threshold "
            "is hidden."
        )
    )
    if employees:
        parts.append(
            gettext("Employee surveys cover nearly everyone, so they show n instead of a margin.")
        )
    w.note(" ".join(parts))


def survey_summary(w: Writer, summary: dict[str, Any]) -> None:
    wave = summary["wave"]
    w.heading(summary["survey"].title, 2)
    line = gettext("Wave %(number)s, %(opens)s – %(closes)s") % {
        "number": wave.number,
        "opens": day(wave.opens_on),
        "closes": day(wave.closes_on),
    }
    if not summary.get("n_hidden"):
        n = summary["n"]
        line += " · " + ngettext("%(counter)s response", "%(counter)s responses", n) % {
            "counter": n
        }
    if summary.get("anonymous"):
        line += " · " + gettext("anonymous: groups of fewer than %(k)s responses are hidden") % {
            "k": summary["k"]
        }
    w.note(line)
    w.rich(summary.get("conclusion"))
    for section in summary["sections"]:
        w.heading(section["figure"].label, 3)
        trend(w, section)
    own_questions(w, summary)
    themes(w, summary.get("themes"))
    if summary.get("drivers"):
        drivers(w, summary["drivers"])


def trend(w: Writer, section: dict[str, Any]) -> None:
    if section.get("trend_svg"):
        w.chart(section["trend_svg"])
    points = section.get("trend") or []
    if not points:
        return
    rows = []
    for point in points:
        shown = point.figure.shown
        verdict = (point.verdict, "strong") if point.significant else point.verdict
        rows.append(
            [
                point.wave.number,
                f"{day(point.wave.opens_on, 'SHORT_DATE_FORMAT')} – "
                f"{day(point.wave.closes_on, 'SHORT_DATE_FORMAT')}",
                survey_value(point.figure),
                point.figure.n if shown else "",
                point.delta,
                verdict,
            ]
        )
    header = [
        gettext("Wave"),
        gettext("Dates"),
        gettext("Value"),
        "n",
        gettext("Change"),
        gettext("Verdict"),
    ]
    w.table(header, rows, widths=(1.8, 3.6, 4.5, 1.3, 2.1, 4.1))


def own_questions(w: Writer, summary: dict[str, Any]) -> None:
    """The compact form of ``_own_questions.html``: the figures table."""
    results = summary.get("own_questions") or []
    if not results:
        return
    w.heading(gettext("Own questions"), 2)
    if summary.get("own_versions"):
        w.note(
            gettext(
                "A question reworded during the survey is shown once per version, marked with "
                "its version number; each version is its own series across waves."
            )
        )
    rows = []
    for result in results:
        if result.question.is_text:
            continue
        figure = result.figure
        if not figure.shown:
            value: list = [(figure.message, "note")]
        elif figure.options:
            value = [f"{clean(label)}: {clean(share)}" for label, share, _i in figure.options]
            if result.multiple:
                value.append(
                    (
                        gettext(
                            "Several answers could be picked: the shares are of the people who "
                            "answered and add up to more than 100%."
                        ),
                        "note",
                    )
                )
        else:
            word = gettext("top-2-box") if result.question.is_rating else gettext("said yes")
            value = [f"{clean(figure.value)} {word}"]
            if figure.interval:
                value.append((figure.interval, "note"))
            if figure.mean:
                mean = f"{gettext('Mean')}: {clean(figure.mean)}"
                if figure.mean_margin:
                    mean += f" ± {clean(figure.mean_margin)}"
                value.append((mean, "note"))
        rows.append([result.label, value, figure.n if figure.shown else ""])
    header = [gettext("Question"), gettext("Value"), "n"]
    w.table(header, rows, widths=(8.0, 7.8, 1.6))


def _share(item) -> str:
    """``surveys/_theme_share.html``: a theme's share and its interval, or "hidden"."""
    if not item:
        return gettext("hidden")
    text = f"{floatformat(item.value.percent, 0)}%"
    interval = item.value.interval
    if interval:
        text += f" ({floatformat(interval.low, 0)}–{floatformat(interval.high, 0)})"
    return text


def themes(w: Writer, data) -> None:
    """``surveys/_themes.html``: the top themes of a ``ThemeTable``."""
    if not data or not data.rows:
        return
    w.heading(gettext("Top comment themes"), 3)
    rows = []
    for row in data.rows[:5]:
        detractors = _share(row.classes.get("detractor"))
        if row.comparison is not None and row.comparison.significant:
            detractors += "*"
        promoters = _share(row.classes.get("promoter"))
        rows.append([row.label, _share(row.overall), detractors, promoters])
    header = [gettext("Theme"), gettext("Share"), gettext("Detractors"), gettext("Promoters")]
    w.table(header, rows, widths=(8.0, 3.1, 3.1, 3.2))
    w.note(
        gettext(
            "* the share among detractors differs significantly from that among promoters. "
            "Groups with too few comments are hidden."
        )
    )


def drivers(w: Writer, data) -> None:
    """``_drivers.html``: the analysis mapping of ``wave_drivers_done``."""
    outcome = clean(data["outcome"])
    w.heading(gettext("Key drivers of %(outcome)s") % {"outcome": outcome}, 3)
    for line in data["reading"]:
        w.paragraph(line)
    w.chart(data["chart"])
    rows = [
        [
            row["question"],
            f"{clean(row['share'])} ({clean(row['share_interval'])})",
            f"{clean(row['performance'])} ({clean(row['performance_interval'])})",
            row["quadrant_label"],
        ]
        for row in data["rows"]
    ]
    header = [
        gettext("Question"),
        pct(gettext("Importance, %%")),
        gettext("Performance, 0–100"),
        gettext("Quadrant"),
    ]
    w.table(header, rows, widths=(7.4, 3.2, 3.4, 3.4))
    w.note(
        f"R² = {clean(data['r2'])}% ("
        + gettext("95%% interval %(interval)s") % {"interval": clean(data["r2_interval"])}
        + ") · "
        + gettext("complete responses: %(n)s of %(total)s")
        % {"n": clean(data["n"]), "total": clean(data["n_total"])}
        + " · "
        + pct(
            gettext(
                "In brackets: the range that holds the true value with 95%% probability. "
                "Importance is association in this wave, not proof of cause: check a fix in "
                "the next wave."
            )
        )
    )


# ----------------------------------------------------------------------------- metrics


def metrics(w: Writer, context: dict[str, Any]) -> None:
    business = context["business"]
    w.heading(gettext("Business metrics"), anchor="metrics", page_break=True)
    intro = gettext("The latest period recorded in the audit period: %(period)s.") % {
        "period": clean(business["period"].label)
    }
    if business.get("previous"):
        intro += " " + gettext("Changes are against %(period)s.") % {
            "period": clean(business["previous"].label)
        }
    w.paragraph(intro)
    rows = []
    for row in business["rows"]:
        label: list = [row["label"], *((note, "note") for note in row["notes"])]
        change = ""
        for entry in row["changes"][:1]:
            if entry.text:
                change = f"{clean(entry.arrow)} {clean(entry.text)}"
        rows.append([label, row["value"], _metric_band(row), change])
    header = [gettext("Metric"), gettext("Value"), gettext("Band"), gettext("Change")]
    w.table(header, rows, widths=(6.1, 3.4, 4.0, 3.9))
    if not business.get("banded") and business.get("dashboard_latest"):
        w.note(
            gettext(
                "Bands and changes are shown on the metrics dashboard for the company's latest "
                "period, %(period)s; the recommendations below say which of this period's "
                "metrics need attention."
            )
            % {"period": clean(business["dashboard_latest"].label)}
        )
    charts = business.get("charts") or []
    if charts:
        w.heading(gettext("Trends"), 2)
        w.note(gettext("The last recorded periods, up to eight; dashed lines are targets."))
        for chart in charts:
            w.paragraph(chart["title"], "CX Caption")
            w.chart(chart["svg"], max_width_cm=12.0)
