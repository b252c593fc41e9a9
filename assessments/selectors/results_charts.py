"""The SVG charts of an audit's results, drawn onto its ``AuditResults``: the maturity radar
and bars and the round trend (results page), the staff and consultant gaps (gaps page) and
all four in the PDF report."""

from django.utils.translation import gettext as _

from cxaudit import charts, scoring
from cxaudit.l10n import decimal_mark

from ..levels import level_names

RADAR_MAX_AXES = 10
"""More domains than this and the radar shows one axis per instrument instead."""

CHART_KINDS = frozenset({"radar", "bars", "gap", "trend"})
RESULTS_PAGE_CHARTS = frozenset({"radar", "bars", "trend"})
GAPS_PAGE_CHARTS = frozenset({"gap"})


def _as_float(value) -> float | None:
    return None if value is None else float(value)


def results_charts_draw(results, *, kinds: frozenset[str] = CHART_KINDS) -> None:
    """Set ``radar_svg``, ``bars_svg``, ``gap_svg`` and ``trend_svg`` of ``results`` (an
    ``AuditResults``) for the chart ``kinds`` asked for; the others stay blank."""
    bands = charts.maturity_bands(level_names())
    decimal = decimal_mark()
    axes = [(row.label, _as_float(row.display)) for row in results.domains]
    compared = results.staff_compared
    if "radar" in kinds:
        staff = [_as_float(gap.staff) for gap in results.gaps] if compared else None
        radar_axes, radar_title = axes, _("Maturity by domain")
        if results.radar_by_instrument:
            radar_axes = [(title, _as_float(score)) for title, score in results.instrument_scores]
            radar_title, staff = _("Maturity by instrument"), None
        results.radar_svg = charts.radar_chart(
            radar_axes,
            title=radar_title,
            series2=staff,
            series_labels=(_("Consultant"), _("Staff")),
            bands=bands,
            missing_text="—",
            missing_label=_("— insufficient evidence"),
            size=560 if results.radar_by_instrument or len(radar_axes) > 6 else 480,
            chart_id="radar",
            fluid=True,
            decimal=decimal,
        )
    if "bars" in kinds:
        results.bars_svg = charts.bar_chart(
            axes,
            title=_("Score by domain"),
            bands=bands,
            missing_text=_("insufficient evidence"),
            width=960,
            fluid=True,
            decimal=decimal,
        )
    if "gap" in kinds and compared:
        results.gap_svg = charts.gap_chart(
            [(gap.title, _as_float(gap.staff), _as_float(gap.consultant)) for gap in results.gaps],
            title=_("Staff and consultant by domain"),
            labels=(_("Staff"), _("Consultant")),
            flags=[gap.flag for gap in results.gaps],
            flag_labels={
                scoring.BLIND_SPOT: _("blind spot"),
                scoring.HIDDEN_STRENGTH: _("hidden strength"),
            },
            decimal=decimal,
        )
    if "trend" in kinds and results.rounds:
        points = [(r["title"], _as_float(r["overall"]), None, None) for r in results.rounds] + [
            (results.audit.title, _as_float(results.overall), None, None)
        ]
        results.trend_svg = charts.trend_chart(
            points[-8:], title=_("Overall score by round"), decimal=decimal
        )
