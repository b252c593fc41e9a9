"""SVG charts for web pages and PDF reports (STYLE §10), one module per chart kind.

Every public function turns numbers into one complete, self-contained ``<svg>`` string that
web templates and WeasyPrint include unchanged: no JavaScript, no external references, no
CSS, only presentation attributes. Output is deterministic (same input, byte-identical
string), so it can be cached and compared in tests. Callers pass already-translated plain
strings; every one of them goes through ``html.escape`` here, which makes this output safe
for ``mark_safe``.

Conventions shared by all charts:

- ``title`` becomes the ``<title>`` and ``desc`` the ``<desc>`` that screen readers announce
  (``aria-labelledby``); without ``desc`` a language-neutral "label: value" summary is used.
- ``None``, NaN and infinities are "no value": a gap, a hollow marker or a hatched bar, with
  ``missing_text`` (default an em dash) where the value would be printed.
- Values outside the scale are clamped when drawn; the printed value stays the real one.
- Empty input gives a small SVG showing ``empty_text``.
- ``fluid=True`` sets ``width="100%"`` (no height) so the chart scales on phones; sizes
  are otherwise viewBox units (CSS pixels).
- Values are printed with one decimal, rounded half away from zero (METHODOLOGY §1.3),
  unless the caller passes ``value_format``: a function of the value, or the display
  strings themselves, one per value.
- ``decimal`` is the reader's decimal mark ("." in English, "," in Russian): every number
  the chart prints itself (ticks, values, percentages, gaps) uses it. The caller, which
  knows the language, passes it in; this module knows no locale.
- Colours are keys of ``PALETTE`` (or ``#rrggbb``). Maturity levels 1-5 run from pale red
  to dark green with falling lightness, so they stay distinct for colour-blind readers and
  in greyscale; the two series differ by colour, marker shape and dash.
"""

from .bars import bar_chart
from .distribution import Colours, distribution_chart
from .gap import gap_chart
from .quadrant import QUADRANTS, quadrant_chart
from .radar import radar_chart
from .stacked import stacked_share_bar
from .style import (
    BLIND_SPOT,
    CSAT_COLOURS,
    FONT_FAMILY,
    HIDDEN_STRENGTH,
    MATURITY_BANDS,
    NPS_COLOURS,
    PALETTE,
    Band,
    ValueFormat,
    maturity_bands,
)
from .trend import trend_chart

__all__ = [
    "BLIND_SPOT",
    "CSAT_COLOURS",
    "FONT_FAMILY",
    "HIDDEN_STRENGTH",
    "MATURITY_BANDS",
    "NPS_COLOURS",
    "PALETTE",
    "QUADRANTS",
    "Band",
    "Colours",
    "ValueFormat",
    "bar_chart",
    "distribution_chart",
    "gap_chart",
    "maturity_bands",
    "quadrant_chart",
    "radar_chart",
    "stacked_share_bar",
    "trend_chart",
]
