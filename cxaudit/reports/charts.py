"""SVG charts for web pages and PDF reports (STYLE §10).

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

from __future__ import annotations

import hashlib
import html
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxaudit.rounding import round_half_up

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

PALETTE: Mapping[str, str] = {
    # Maturity levels (METHODOLOGY §7.3) and CSAT stars: L* 84, 70, 58, 48, 31.
    "level1": "#fcc5bb",
    "level2": "#ec9648",
    "level3": "#a8892a",
    "level4": "#3f7f3c",
    "level5": "#1d5230",
    # NPS classes (§2): L* 52, 71, 33.
    "detractor": "#cc5a1e",
    "passive": "#a8aeb6",
    "promoter": "#1d4f8c",
    # Series: consultant (circles, solid) and staff (squares, dashed); both >= 4.5:1 on white.
    "series1": "#1f5fa8",
    "series2": "#c2410c",
    "neutral": "#7b8794",
    "text": "#1f2933",
    "muted": "#52606d",
    "grid": "#cbd2d9",
    "axis": "#7b8794",
    "missing": "#9aa5b1",
}

Band = tuple[float, str] | tuple[float, str, str]
"""(upper limit, colour key) or (upper limit, colour key, name) for a chart background."""

MATURITY_BANDS: tuple[Band, ...] = (
    (20, "level1"),
    (40, "level2"),
    (60, "level3"),
    (80, "level4"),
    (100, "level5"),
)
"""The five maturity levels of METHODOLOGY §7.3 (levels include their lower limit)."""

NPS_COLOURS: Mapping[int, str] = {
    score: "detractor" if score <= 6 else "passive" if score <= 8 else "promoter"
    for score in range(11)
}
CSAT_COLOURS: Mapping[int, str] = {stars: f"level{stars}" for stars in range(1, 6)}

BLIND_SPOT = "blind_spot"
HIDDEN_STRENGTH = "hidden_strength"

ValueFormat = Callable[[float], str] | Sequence[str] | None

_TEXT = PALETTE["text"]
_MUTED = PALETTE["muted"]
_CID = "<cid/>"  # replaced by the chart id; escaped caller text can never contain "<"
_PAD = 8.0
_FONT = 12.0
_SMALL = 10.5
_LINE = 1.25  # line height in em


def maturity_bands(names: Sequence[str]) -> tuple[Band, ...]:
    """``MATURITY_BANDS`` with the five (translated) level names, shown with the bands."""
    if len(names) != len(MATURITY_BANDS):
        raise ValueError(f"Expected {len(MATURITY_BANDS)} level names, got {len(names)}")
    return tuple((band[0], band[1], name) for band, name in zip(MATURITY_BANDS, names, strict=True))


# --- numbers and colours ----------------------------------------------------------------


def _clean(value: float | None) -> float | None:
    """A finite float, or None for missing, NaN and infinite values."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _one_decimal(value: float, decimal: str = ".") -> str:
    """One decimal, half away from zero, with a true minus sign and never "-0.0"."""
    text = f"{value:.3g}" if abs(value) >= 1e15 else str(round_half_up(value, 1))
    text = "0.0" if text == "-0.0" else text.replace("-", "\u2212")
    return text.replace(".", decimal)


def _signed(value: float, decimal: str = ".") -> str:
    text = _one_decimal(value, decimal)
    zero = _one_decimal(0.0, decimal)
    return text if text.startswith("\u2212") or text == zero else "+" + text


def _percent(value: float, decimal: str = ".") -> str:
    return _one_decimal(value, decimal) + "%"


def _tick_text(value: float, decimal: str = ".") -> str:
    text = str(int(value)) if float(value).is_integer() else _one_decimal(value, decimal)
    return text.replace("-", "\u2212")


def _formatter(
    value_format: ValueFormat, count: int, decimal: str = "."
) -> Callable[[int, float], str]:
    """Turn ``value_format`` into a function of (index, value)."""
    if value_format is None:
        return lambda _index, value: _one_decimal(value, decimal)
    if callable(value_format):
        format_value = value_format
        return lambda _index, value: str(format_value(value))
    strings = [str(text) for text in value_format]
    if len(strings) != count:
        raise ValueError(f"value_format has {len(strings)} strings for {count} values")
    return lambda index, _value: strings[index]


def _colour(key: str) -> str:
    if key in PALETTE:
        return PALETTE[key]
    if re.fullmatch(r"#[0-9a-fA-F]{6}", key):
        return key.lower()
    raise ValueError(f"Unknown colour {key!r}: use a PALETTE key or #rrggbb")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(_clamp(c, 0, 255)):02x}" for c in (red, green, blue))


def _tint(colour: str, amount: float = 0.2) -> str:
    """Mix with white; keeps the lightness order of the levels."""
    return _hex(*(255 - (255 - c) * amount for c in _rgb(colour)))


def _shade(colour: str, factor: float = 0.7) -> str:
    return _hex(*(c * factor for c in _rgb(colour)))


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _text_on(colour: str) -> str:
    """White or dark text, whichever contrasts more with ``colour``."""
    luminance = _luminance(colour)
    on_white = 1.05 / (luminance + 0.05)
    on_dark = (luminance + 0.05) / (_luminance(_TEXT) + 0.05)
    return "#ffffff" if on_white >= on_dark else _TEXT


# --- scales ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scale:
    """Linear map from [low, high] to [start, end], clamping outside values."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        share = (_clamp(value, self.low, self.high) - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)


def _check_range(low: float, high: float) -> tuple[float, float]:
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"Invalid scale range {low}..{high}")
    return low, high


def _nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    raw = (high - low) / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if (high - low) / (m * magnitude) <= most)
    first = math.ceil(low / step - 1e-9)
    count = math.floor(high / step + 1e-9) - first
    return [round((first + i) * step, 10) for i in range(count + 1)]


def _band_edges(
    bands: Sequence[Band], low: float, high: float
) -> list[tuple[float, float, str, str]]:
    """(start, end, colour key, label) per band, clipped to [low, high]."""
    edges = []
    start = low
    for band in bands:
        limit, key = float(band[0]), band[1]
        label = band[2] if len(band) > 2 else ""
        end = _clamp(limit, low, high)
        if end > start:
            edges.append((start, end, key, label))
        start = max(start, end)
    return edges


# --- text --------------------------------------------------------------------------------

_WIDTH_CLASSES = (  # DejaVu Sans advance widths in em, rounded up per class
    (0.30, "'ijlIJ ,.:;/\\|f"),
    (0.41, "-()[]t!r"),
    (0.53, '"*_`\u2013szгз?'),
    (0.71, "KAVBRXZCАцБВХЧЬЯдСЭКъ"),
    (0.79, "UHNDG&OQИЙЛНПмДЦОы"),
    (0.94, "w#+<=>^~MЪюфМФЫжшщ"),
    (1.09, "%mW@\u2014\u2026№ШЖЮЩ"),
)
_CHAR_WIDTH = {char: width for width, chars in _WIDTH_CLASSES for char in chars}
_ELLIPSIS = "\u2026"


def _char_width(char: str) -> float:
    if char in _CHAR_WIDTH:
        return _CHAR_WIDTH[char]
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.65


def _text_width(text: str, size: float, bold: bool = False) -> float:
    return sum(_char_width(c) for c in text) * size * (1.12 if bold else 1.0)


def _ellipsize(
    text: str, width: float, size: float, bold: bool = False, force: bool = False
) -> str:
    if not force and _text_width(text, size, bold) <= width:
        return text
    while text and _text_width(text.rstrip() + _ELLIPSIS, size, bold) > width:
        text = text[:-1]
    return text.rstrip() + _ELLIPSIS


def _wrap(
    text: str, width: float, size: float, max_lines: int, bold: bool = False
) -> tuple[list[str], bool]:
    """Greedy word wrap into at most ``max_lines`` lines; returns (lines, cut).

    Text that does not fit, including a single word longer than a line, ends in an ellipsis.
    """
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and _text_width(candidate, size, bold) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    fitted = [_ellipsize(line, width, size, bold) for line in lines[:max_lines]]
    if len(lines) > max_lines and not fitted[-1].endswith(_ELLIPSIS):
        fitted[-1] = _ellipsize(fitted[-1], width, size, bold, force=True)
    return fitted, fitted != lines


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(text: str) -> str:
    """Escape for XML text and attributes, dropping characters XML cannot hold."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: float = _FONT,
    anchor: str = "start",
    fill: str = _TEXT,
    bold: bool = False,
    italic: bool = False,
    transform: str = "",
    markup: bool = False,
    halo: bool = False,
) -> str:
    """One ``<text>``; ``y`` is the baseline. ``markup`` means ``text`` is already escaped.

    ``halo`` first draws the text with a white outline so it stays legible over lines.
    """
    attributes = [f'x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{fill}"']
    if anchor != "start":
        attributes.append(f'text-anchor="{anchor}"')
    if bold:
        attributes.append('font-weight="bold"')
    if italic:
        attributes.append('font-style="italic"')
    if transform:
        attributes.append(f'transform="{transform}"')
    content = text if markup else _esc(text)
    element = f"<text {' '.join(attributes)}>{content}</text>"
    if halo:
        outline = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round"'
        return element.replace(f'fill="{fill}"', f'fill="#ffffff" {outline}', 1) + element
    return element


def _group(elements: Sequence[str], tooltip: str | None = None) -> str:
    """Group elements; ``tooltip`` (a cut label's full text, a mark's value) becomes a
    ``<title>`` that browsers show on hover and WeasyPrint ignores."""
    title = "" if tooltip is None else f"<title>{_esc(tooltip)}</title>"
    return f"<g>{title}{''.join(elements)}</g>"


def _text_block(
    x: float, top: float, lines: Sequence[str], *, size: float, anchor: str, fill: str = _TEXT
) -> list[str]:
    """Lines of text whose first line's box starts at ``top``."""
    return [
        _text(x, top + size * (0.95 + _LINE * i), line, size=size, anchor=anchor, fill=fill)
        for i, line in enumerate(lines)
    ]


# --- shapes --------------------------------------------------------------------------------


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _rect(x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0))}" '
        f'height="{_n(max(height, 0))}" fill="{fill}"{extra}/>'
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, extra: str = ""
) -> str:
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
        f'stroke="{stroke}" stroke-width="{_n(width)}"{extra}/>'
    )


def _hatch_def() -> str:
    return (
        f'<pattern id="{_CID}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#f5f7fa"/>'
        f'<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="{PALETTE["missing"]}" '
        'stroke-width="1"/></pattern>'
    )


_HATCH = f"url(#{_CID}-hatch)"


def _marker(kind: str, x: float, y: float, colour: str, size: float = 4.0, cls: str = "") -> str:
    """A data or legend marker centred on (x, y)."""
    klass = f' class="{cls}"' if cls else ""
    if kind == "circle":
        return f'<circle{klass} cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="{colour}"/>'
    if kind == "square":
        side = size * 1.7
        return _rect(x - side / 2, y - side / 2, side, side, colour, klass)
    if kind == "hollow":
        return (
            f'<circle{klass} cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="2 1.5"/>'
        )
    if kind == "ring":
        return (
            f'<circle{klass} cx="{_n(x)}" cy="{_n(y)}" r="{_n(size * 1.8)}" fill="none" '
            f'stroke="{colour}" stroke-width="1.5"/>'
        )
    if kind == "triangle":
        s = size * 1.3
        shape = [(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)]
        return f'<polygon{klass} points="{_points(shape)}" fill="{colour}"/>'
    if kind == "diamond":
        s = size * 1.3
        shape = [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
        return f'<polygon{klass} points="{_points(shape)}" fill="{colour}"/>'
    if kind == "whisker":
        return _whisker(x, y + size * 1.5, y - size * 1.5, colour, size * 0.8, cls)
    if kind == "swatch":
        return _rect(
            x - 6, y - 5, 12, 10, colour, f'{klass} stroke="{_shade(colour)}" stroke-width="1"'
        )
    raise ValueError(f"Unknown marker {kind!r}")


_SERIES_STYLE = {  # colour key, marker, dash
    1: ("series1", "circle", ""),
    2: ("series2", "square", ' stroke-dasharray="6 3"'),
}


def _legend(
    items: Sequence[tuple[str, str, str]], *, top: float, width: float
) -> tuple[list[str], float]:
    """Centred legend rows of (marker kind, colour, text); returns elements and height.

    Kinds are those of ``_marker`` plus "line-1"/"line-2" (a series line with its marker).
    """
    size = _SMALL
    gap, symbol = 18.0, 22.0
    usable = width - 2 * _PAD
    entries = []
    for kind, colour, text in items:
        shown = _ellipsize(text, usable - symbol, size)
        entries.append((kind, colour, text, shown, symbol + _text_width(shown, size)))
    rows: list[list[tuple[str, str, str, str, float]]] = [[]]
    for entry in entries:
        row_width = sum(e[4] for e in rows[-1]) + gap * len(rows[-1])
        if rows[-1] and row_width + entry[4] > usable:
            rows.append([])
        rows[-1].append(entry)
    elements: list[str] = []
    row_height = size * 1.8
    for r, row in enumerate(rows):
        x = (width - sum(e[4] for e in row) - gap * (len(row) - 1)) / 2
        y = top + r * row_height + row_height / 2
        for kind, colour, text, shown, entry_width in row:
            symbol_parts = []
            if kind.startswith("line-"):
                key, marker, dash = _SERIES_STYLE[int(kind[-1])]
                colour = _colour(key)
                symbol_parts.append(_line(x, y, x + 16, y, colour, 2, dash))
                symbol_parts.append(_marker(marker, x + 8, y, colour, 3.2))
            else:
                symbol_parts.append(_marker(kind, x + 7, y, colour, 3.5))
            label = _text(x + symbol, y + size * 0.35, shown, size=size, fill=_TEXT)
            elements.append(_group([*symbol_parts, label], None if shown == text else text))
            x += entry_width + gap
    return elements, len(rows) * row_height if items else 0.0


# --- document --------------------------------------------------------------------------


def _svg(
    *,
    width: float,
    height: float,
    title: str,
    desc: str,
    parts: Sequence[str],
    fluid: bool,
    chart_id: str | None,
    defs: Sequence[str] = (),
) -> str:
    if chart_id is not None and not re.fullmatch(r"[A-Za-z][\w-]{0,63}", chart_id):
        raise ValueError("chart_id must be a letter followed by letters, digits, _ or -")
    defs_markup = f"<defs>{''.join(defs)}</defs>\n" if defs else ""
    inner = (
        f'<title id="{_CID}-title">{_esc(title)}</title>\n'
        f'<desc id="{_CID}-desc">{_esc(desc)}</desc>\n{defs_markup}' + "\n".join(parts)
    )
    view_box = f"0 0 {_n(width)} {_n(height)}"
    if chart_id is None:
        digest = hashlib.sha256(f"{view_box}|{inner}".encode()).hexdigest()
        chart_id = "cx-chart-" + digest[:12]
    size = 'width="100%"' if fluid else f'width="{_n(width)}" height="{_n(height)}"'
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}" {size} role="img" '
        f'aria-labelledby="{_CID}-title {_CID}-desc" font-family="{FONT_FAMILY}">\n'
    )
    return (root + inner + "\n</svg>").replace(_CID, chart_id)


def _empty(
    width: float,
    title: str,
    desc: str | None,
    empty_text: str,
    fluid: bool,
    chart_id: str | None,
) -> str:
    height = 72.0
    text = _ellipsize(empty_text, width - 4 * _PAD, _FONT)
    parts = [
        _rect(
            1,
            1,
            width - 2,
            height - 2,
            "#ffffff",
            f' rx="6" stroke="{PALETTE["grid"]}" stroke-dasharray="4 3"',
        ),
        _text(
            width / 2, height / 2 + _FONT * 0.35, text, anchor="middle", fill=_MUTED, italic=True
        ),
    ]
    return _svg(
        width=width,
        height=height,
        title=title,
        desc=desc or empty_text,
        parts=parts,
        fluid=fluid,
        chart_id=chart_id,
    )


def _summary(pairs: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs)


# --- rows of labelled horizontal marks (bar and gap charts) ------------------------------


@dataclass(frozen=True)
class _Frame:
    """Row labels, a horizontal scale and its background, shared by bar and gap charts."""

    centres: list[float]
    scale: _Scale
    plot_left: float
    plot_right: float
    top: float  # of the first row
    rows_bottom: float
    bottom: float  # below the tick labels
    parts: list[str]  # bands, grid, ticks and row labels
    legend: list[tuple[str, str, str]]  # band names that did not fit above their bands


def _frame(
    labels: Sequence[str],
    *,
    low: float,
    high: float,
    bands: Sequence[Band] | None,
    width: float,
    right: float,
    inset: float = 0.0,
    decimal: str = ".",
) -> _Frame:
    """Lay out rows: wrapped labels on the left, ``right`` kept free right of the plot.

    ``inset`` keeps room inside the plot at both ends of the scale. Band names go above
    their bands when they all fit there, otherwise into a legend.
    """
    column = min(max(_text_width(label, _FONT) for label in labels), width * 0.36)
    plot_left, plot_right = 2 * _PAD + column, width - _PAD - right
    scale = _Scale(low, high, plot_left + inset, plot_right - inset)
    edges = _band_edges(bands or (), low, high)
    named = [(scale(s), scale(e), label) for s, e, _key, label in edges if label]
    on_top = bool(named) and all(_text_width(t, _SMALL) <= b - a - 4 for a, b, t in named)
    top = _PAD + (_SMALL + 8 if on_top else 0)

    parts = []
    wrapped = [_wrap(label, column, _FONT, 2) for label in labels]
    centres = []
    y = top
    for label, (lines, cut) in zip(labels, wrapped, strict=True):
        row = max(30.0, len(lines) * _FONT * _LINE + 12)
        block_top = y + (row - len(lines) * _FONT * _LINE) / 2
        texts = _text_block(plot_left - _PAD, block_top, lines, size=_FONT, anchor="end")
        parts.append(_group(texts, label if cut else None))
        centres.append(y + row / 2)
        y += row

    background = []
    for start, end, key, _label in edges:
        background.append(
            _rect(scale(start), top, scale(end) - scale(start), y - top, _tint(_colour(key)))
        )
    if on_top:
        background += [
            _text((a + b) / 2, top - 6, t, size=_SMALL, anchor="middle", fill=_MUTED)
            for a, b, t in named
        ]
    ticks = (
        [low, *(end for _start, end, _key, _label in edges)] if edges else _nice_ticks(low, high)
    )
    for tick in ticks:
        x = scale(tick)
        background.append(_line(x, top, x, y, PALETTE["grid"], 1))
        tick_text = _tick_text(tick, decimal)
        background.append(
            _text(x, y + _SMALL + 4, tick_text, size=_SMALL, anchor="middle", fill=_MUTED)
        )
    legend = [] if on_top else [("swatch", _tint(_colour(k)), t) for _s, _e, k, t in edges if t]
    return _Frame(
        centres, scale, plot_left, plot_right, top, y, y + _SMALL + 8, background + parts, legend
    )


def _finish_rows(
    frame: _Frame, legend: Sequence[tuple[str, str, str]], *, width: float
) -> tuple[list[str], float]:
    """The legend under a row chart and the chart's total height."""
    elements, height = _legend([*legend, *frame.legend], top=frame.bottom + 4, width=width)
    return elements, frame.bottom + 4 + height + _PAD


# --- 2. bar chart ----------------------------------------------------------------------


def bar_chart(
    bars: Sequence[tuple[str, float | None]],
    *,
    title: str,
    desc: str | None = None,
    max_value: float = 100,
    min_value: float = 0,
    bands: Sequence[Band] | None = None,
    value_format: ValueFormat = None,
    colour: str = "series1",
    width: float = 560,
    missing_text: str = "\u2014",
    empty_text: str = "\u2014",
    chart_id: str | None = None,
    fluid: bool = False,
    decimal: str = ".",
) -> str:
    """Horizontal bars from zero (or ``min_value``) with their values printed after them.

    ``bands`` tint the background: (upper limit, colour key[, name]), e.g.
    ``MATURITY_BANDS`` with translated level names. A ``None`` value shows
    ``missing_text`` beside a hatched bar.
    """
    if not bars:
        return _empty(width, title, desc, empty_text, fluid, chart_id)
    low, high = _check_range(min_value, max_value)
    labels = [str(label) for label, _value in bars]
    values = [_clean(value) for _label, value in bars]
    fmt = _formatter(value_format, len(values), decimal)
    texts = [missing_text if v is None else fmt(i, v) for i, v in enumerate(values)]
    right = max(_text_width(t, _SMALL, bold=True) for t in texts) + 2 * _PAD
    frame = _frame(
        labels, low=low, high=high, bands=bands, width=width, right=right, decimal=decimal
    )
    baseline = frame.scale(_clamp(0, low, high))
    parts = [
        *frame.parts,
        _line(baseline, frame.top, baseline, frame.rows_bottom, PALETTE["axis"]),
    ]
    fill = _colour(colour)
    thickness = 16.0
    for value, text, centre, label in zip(values, texts, frame.centres, labels, strict=True):
        y = centre - thickness / 2
        if value is None:
            span = frame.plot_right - frame.plot_left
            bar = _rect(frame.plot_left, y, span, thickness, _HATCH, ' class="cx-bar cx-missing"')
            end = frame.plot_right
        else:
            end = frame.scale(value)
            outline = f' class="cx-bar" stroke="{_shade(fill)}" stroke-width="1"'
            bar = _rect(min(baseline, end), y, abs(end - baseline), thickness, fill, outline)
        known = value is not None
        x, y = max(end, baseline) + 5, centre + _SMALL * 0.36
        printed = _text(x, y, text, size=_SMALL, bold=known, fill=_TEXT if known else _MUTED)
        parts.append(_group([bar, printed], f"{label}: {text}"))
    legend, height = _finish_rows(frame, [], width=width)
    return _svg(
        width=width,
        height=height,
        title=title,
        desc=desc or _summary(list(zip(labels, texts, strict=True))),
        parts=parts + legend,
        fluid=fluid,
        chart_id=chart_id,
        defs=[_hatch_def()] if None in values else [],
    )


# --- 1. radar chart --------------------------------------------------------------------


def _polar(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _radar_series(
    points: Sequence[tuple[float, float] | None],
    *,
    centre: tuple[float, float],
    index: int,
    filled: bool,
) -> list[str]:
    """A series as one polygon, or, around missing values, wedges and a broken outline."""
    key, marker, dash = _SERIES_STYLE[index]
    colour = _colour(key)
    fill = f'fill="{colour}" fill-opacity="0.14"' if filled else 'fill="none"'
    stroke = f'stroke="{colour}" stroke-width="2"{dash}'
    known = [p for p in points if p is not None]
    cls = f'class="cx-series cx-series-{index}"'
    if len(known) == len(points):
        elements = [f'<polygon {cls} points="{_points(known)}" {fill} {stroke}/>']
    else:
        following = [*points[1:], points[0]]
        pairs = [
            (a, b)
            for a, b in zip(points, following, strict=True)
            if a is not None and b is not None
        ]
        wedges = "".join(f"M{_points([centre, a, b])}Z" for a, b in pairs)
        outline = "".join(f"M{_points([a, b])}" for a, b in pairs)
        elements = [
            f'<path d="{wedges}" {fill}/>',
            f'<path {cls} d="{outline}" fill="none" {stroke}/>',
        ]
        elements = elements if pairs else []
    cls = f"cx-vertex cx-vertex-{index}"
    return elements + [_marker(marker, x, y, colour, 3.2, cls) for x, y in known]


def _value_markup(texts: Sequence[str], missing: Sequence[bool], bold: bool = False) -> str:
    """Values of one axis, each in its series colour, separated by slashes (no nested
    ``tspan``: WeasyPrint drops text between nested ones)."""
    spans = []
    weight = ' font-weight="bold"' if bold else ""
    for index, (text, gone) in enumerate(zip(texts, missing, strict=True), start=1):
        colour = _colour(_SERIES_STYLE[index][0])
        style = f'fill="{_MUTED}" font-style="italic"' if gone else f'fill="{colour}"'
        spans.append(f"<tspan {style}{weight}>{_esc(text)}</tspan>")
    return " / ".join(spans)


def _ray_room(cx: float, angle: float, start: float) -> float:
    """Length left along a ray from the centre of a square canvas of half-width ``cx``."""
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    edge = min(cx / cos if cos > 1e-9 else math.inf, cx / sin if sin > 1e-9 else math.inf)
    return edge - start - _PAD


def _radial_label(
    label: str,
    value_markup: str,
    position: tuple[float, float],
    angle: float,
    *,
    room: float,
    font: float,
) -> list[str]:
    """A one-line label along its axis, turned so it never reads upside down."""
    x, y = position
    markup = _esc(_ellipsize(label, max(room, 3 * font), font))
    if value_markup:
        markup += " " + value_markup
    flip = math.cos(angle) < -1e-9
    turn = f"rotate({_n(math.degrees(angle) + (180 if flip else 0))} {_n(x)} {_n(y)})"
    anchor = "end" if flip else "start"
    return [
        _text(x, y + font * 0.35, markup, size=font, anchor=anchor, markup=True, transform=turn)
    ]


def _horizontal_label(
    label: str,
    value_markup: str,
    position: tuple[float, float],
    angle: float,
    *,
    radius: float,
    count: float,
    width: float,
    font: float,
) -> tuple[list[str], tuple[float, float]]:
    """A wrapped label beside its axis end; returns the elements and the block's top/bottom.

    Labels at the top and bottom are centred and as wide as the gap to their neighbours;
    others run outwards to the edge of the canvas.
    """
    x, y = position
    cos, sin = math.cos(angle), math.sin(angle)
    if abs(cos) < 0.1:
        anchor = "middle"
        room = min(width - 2 * _PAD, 2 * radius * math.sin(2 * math.pi / count) - 10)
    else:
        anchor = "start" if cos > 0 else "end"
        room = (width - _PAD - x) if cos > 0 else (x - _PAD)
    wrapped, _cut = _wrap(label, room, font, 4 if count <= 8 else 2)
    height = (len(wrapped) + bool(value_markup)) * font * _LINE
    top = y - height if sin < -0.3 else y if sin > 0.3 else y - height / 2
    elements = _text_block(x, top, wrapped, size=font, anchor=anchor)
    if value_markup:
        baseline = top + font * (0.95 + _LINE * len(wrapped))
        elements.append(
            _text(x, baseline, value_markup, size=font, anchor=anchor, bold=True, markup=True)
        )
    return elements, (top, top + height)


def radar_chart(
    axes: Sequence[tuple[str, float | None]],
    *,
    title: str,
    desc: str | None = None,
    series2: Sequence[float | None] | None = None,
    series_labels: tuple[str, str] = ("Consultant", "Staff"),
    bands: Sequence[Band] | None = None,
    show_values: bool = True,
    value_format: Callable[[float], str] | None = None,
    size: float = 480,
    missing_text: str = "\u2014",
    missing_label: str | None = None,
    empty_text: str = "\u2014",
    chart_id: str | None = None,
    fluid: bool = False,
    decimal: str = ".",
) -> str:
    """Maturity radar on 0..100 with rings at 20, 40, 60, 80 and 100 (or the band limits).

    ``series2`` (e.g. staff) is drawn dashed with square markers over the main series
    (filled, circles). A ``None`` value breaks the outline, gets a hollow marker outside
    the 100 ring and ``missing_text`` in the label; ``missing_label`` adds a legend entry.
    ``bands`` (e.g. ``MATURITY_BANDS``) tint the rings. Up to 12 axes get wrapped
    horizontal labels, more get radial one-line labels; a cut label keeps its full text
    as a tooltip. Fewer than 3 axes are drawn with ``bar_chart``, or ``gap_chart`` when
    there are two series.
    """
    labels = [str(label) for label, _value in axes]
    series = [[_clean(value) for _label, value in axes]]
    if series2 is not None:
        if len(series2) != len(axes):
            raise ValueError(f"series2 has {len(series2)} values for {len(axes)} axes")
        series.append([_clean(value) for value in series2])
    if not axes:
        return _empty(size, title, desc, empty_text, fluid, chart_id)
    if len(axes) < 3:
        shared: dict[str, Any] = {"title": title, "desc": desc, "bands": bands, "width": size}
        shared |= {"value_format": value_format, "missing_text": missing_text}
        shared |= {"empty_text": empty_text, "chart_id": chart_id, "fluid": fluid}
        shared |= {"decimal": decimal}
        if series2 is None:
            return bar_chart(list(zip(labels, series[0], strict=True)), **shared)
        rows = list(zip(labels, series[1], series[0], strict=True))
        return gap_chart(rows, labels=(series_labels[1], series_labels[0]), **shared)

    count = len(labels)
    fmt = _formatter(value_format, count, decimal)
    texts = [[missing_text if v is None else fmt(i, v) for i, v in enumerate(s)] for s in series]
    values_shown = [" / ".join(t[i] for t in texts) if show_values else "" for i in range(count)]
    gaps = [any(s[i] is None for s in series) for i in range(count)]
    radial = count > 12
    font = 10.0 if radial else 11.0
    if radial:  # room for the longest label and its values, within reason
        lines = [f"{a} {b}" for a, b in zip(labels, values_shown, strict=True)]
    else:  # room for the longest word, as labels wrap
        lines = [word for label in labels for word in label.split()]
    needed = max((_text_width(line, font) for line in lines), default=0.0) + 28
    margin = _clamp(needed, 90, size * 0.3)
    cx, radius = size / 2, max(size / 2 - margin, size * 0.2)
    angles = [-math.pi / 2 + 2 * math.pi * i / count for i in range(count)]
    edges = _band_edges(bands or [(limit, "") for limit in (20, 40, 60, 80, 100)], 0, 100)

    # Drawn around (cx, 0), then moved down to fit the labels.
    plot = []
    for _start, limit, key, _label in reversed(edges):
        ring = [_polar(cx, 0, radius * limit / 100, a) for a in angles]
        fill = _tint(_colour(key)) if key else "none"
        grid = f'stroke="{PALETTE["grid"]}" stroke-width="1"'
        plot.append(f'<polygon points="{_points(ring)}" fill="{fill}" {grid}/>')
    plot += [_line(cx, 0, *_polar(cx, 0, radius, a), PALETTE["grid"], 1) for a in angles]
    for index, values in enumerate(series, start=1):
        points = [
            None if v is None else _polar(cx, 0, radius * _clamp(v, 0, 100) / 100, a)
            for v, a in zip(values, angles, strict=True)
        ]
        plot += _radar_series(points, centre=(cx, 0), index=index, filled=index == 1)
    for _start, limit, _key, _label in edges:
        y = -radius * limit / 100 - 2
        plot.append(_text(cx + 3, y, _tick_text(limit, decimal), size=9, fill=_MUTED, halo=True))
    plot += [
        _marker("hollow", *_polar(cx, 0, radius + 7, a), _MUTED, 3.5, "cx-missing")
        for a, gap in zip(angles, gaps, strict=True)
        if gap
    ]

    label_radius = radius + 16
    top, bottom = (-cx + _PAD, cx - _PAD) if radial else (-label_radius, label_radius)
    for i, (label, angle) in enumerate(zip(labels, angles, strict=True)):
        missing = [s[i] is None for s in series]
        value_markup = _value_markup([t[i] for t in texts], missing, radial) if show_values else ""
        position = _polar(cx, 0, label_radius, angle)
        if radial:
            room = _ray_room(cx, angle, label_radius) - _text_width(" " + values_shown[i], font)
            elements = _radial_label(label, value_markup, position, angle, room=room, font=font)
        else:
            layout = {"radius": label_radius, "count": count, "width": size, "font": font}
            elements, block = _horizontal_label(label, value_markup, position, angle, **layout)
            top, bottom = min(top, block[0]), max(bottom, block[1])
        plot.append(_group(elements, f"{label}: {' / '.join(t[i] for t in texts)}"))
    shift = _PAD - top
    parts = [f'<g transform="translate(0 {_n(shift)})">', *plot, "</g>"]

    legend_items = []
    if series2 is not None:
        legend_items += [("line-1", "", series_labels[0]), ("line-2", "", series_labels[1])]
    if missing_label and any(gaps):
        legend_items.append(("hollow", _MUTED, missing_label))
    plot_height = bottom - top + 2 * _PAD
    legend, legend_height = _legend(legend_items, top=plot_height, width=size)
    summary = _summary([(label, " / ".join(t[i] for t in texts)) for i, label in enumerate(labels)])
    if series2 is not None:
        summary = f"{series_labels[0]} / {series_labels[1]}. {summary}"
    return _svg(
        width=size,
        height=plot_height + legend_height + (_PAD if legend_height else 0),
        title=title,
        desc=desc or summary,
        parts=parts + legend,
        fluid=fluid,
        chart_id=chart_id,
    )


# --- 3. gap chart ----------------------------------------------------------------------

_FLAG_STYLE = {BLIND_SPOT: ("triangle", "detractor"), HIDDEN_STRENGTH: ("diamond", "promoter")}
_DEFAULT_FLAG_LABELS = {BLIND_SPOT: "Blind spot", HIDDEN_STRENGTH: "Hidden strength"}


def gap_chart(
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    title: str,
    desc: str | None = None,
    labels: tuple[str, str] = ("Staff", "Consultant"),
    flags: Sequence[str | None] | None = None,
    flag_labels: Mapping[str, str] | None = None,
    min_value: float = 0,
    max_value: float = 100,
    bands: Sequence[Band] | None = None,
    value_format: Callable[[float], str] | None = None,
    gap_format: Callable[[float], str] | None = None,
    width: float = 560,
    missing_text: str = "\u2014",
    empty_text: str = "\u2014",
    chart_id: str | None = None,
    fluid: bool = False,
    decimal: str = ".",
) -> str:
    """Dumbbell per row: the first value (staff: orange square) and the second
    (consultant: blue circle) joined by a line, and the gap, first minus second, printed
    on the right (signed, one decimal, unless ``gap_format``).

    ``flags`` holds ``BLIND_SPOT``, ``HIDDEN_STRENGTH`` or ``None`` per row, as decided by
    the scoring module (METHODOLOGY §8); ``flag_labels`` names them in the legend.
    """
    if not rows:
        return _empty(width, title, desc, empty_text, fluid, chart_id)
    low, high = _check_range(min_value, max_value)
    flags = list(flags) if flags is not None else [None] * len(rows)
    if len(flags) != len(rows) or any(f is not None and f not in _FLAG_STYLE for f in flags):
        raise ValueError("flags must hold one of BLIND_SPOT, HIDDEN_STRENGTH or None per row")
    flag_text = {**_DEFAULT_FLAG_LABELS, **(flag_labels or {})}
    names = [str(row[0]) for row in rows]
    pairs = [(_clean(row[1]), _clean(row[2])) for row in rows]
    fmt = _formatter(value_format, len(rows), decimal)
    texts = [
        [missing_text if v is None else fmt(i, v) for v in pair] for i, pair in enumerate(pairs)
    ]
    show_gap = gap_format or (lambda value: _signed(value, decimal))
    gaps = [missing_text if a is None or b is None else show_gap(a - b) for a, b in pairs]
    flag_room = 20.0 if any(flags) else 0.0
    right = max(_text_width(t, _SMALL, bold=True) for t in gaps) + flag_room + 2 * _PAD
    inset = max(_text_width(t, _SMALL) for pair in texts for t in pair) + 10
    frame = _frame(
        names,
        low=low,
        high=high,
        bands=bands,
        width=width,
        right=right,
        inset=inset,
        decimal=decimal,
    )
    styles = [(_colour("series2"), "square"), (_colour("series1"), "circle")]
    parts = list(frame.parts)
    for name, pair, values, gap, flag, y in zip(
        names, pairs, texts, gaps, flags, frame.centres, strict=True
    ):
        xs = [None if v is None else frame.scale(v) for v in pair]
        row = []
        if xs[0] is not None and xs[1] is not None:
            row.append(_line(xs[0], y, xs[1], y, PALETTE["missing"], 3, ' class="cx-gap-line"'))
        known = sorted((x, i) for i, x in enumerate(xs) if x is not None)
        for order, (x, i) in enumerate(known):
            colour, marker = styles[i]
            left = order == 0 and len(known) == 2
            row.append(_marker(marker, x, y, colour, 4.2, "cx-value"))
            row.append(
                _text(
                    x - 8 if left else x + 8,
                    y + _SMALL * 0.36,
                    values[i],
                    size=_SMALL,
                    anchor="end" if left else "start",
                    fill=colour,
                )
            )
        if flag:
            kind, key = _FLAG_STYLE[flag]
            row.append(
                _marker(
                    kind, frame.plot_right + _PAD + 7, y, _colour(key), 4.2, f"cx-flag cx-{flag}"
                )
            )
        row.append(
            _text(
                frame.plot_right + _PAD + flag_room, y + _SMALL * 0.36, gap, size=_SMALL, bold=True
            )
        )
        tooltip = f"{name}: {labels[0]} {values[0]}, {labels[1]} {values[1]}, {gap}"
        parts.append(_group(row, tooltip + (f" ({flag_text[flag]})" if flag else "")))
    legend_items = [("square", styles[0][0], labels[0]), ("circle", styles[1][0], labels[1])]
    legend_items += [
        (_FLAG_STYLE[f][0], _colour(_FLAG_STYLE[f][1]), flag_text[f])
        for f in _FLAG_STYLE
        if f in flags
    ]
    legend, height = _finish_rows(frame, legend_items, width=width)
    described = [
        (name, f"{t[0]} / {t[1]} ({gap}{', ' + flag_text[flag] if flag else ''})")
        for name, t, gap, flag in zip(names, texts, gaps, flags, strict=True)
    ]
    return _svg(
        width=width,
        height=height,
        title=title,
        desc=desc or f"{labels[0]} / {labels[1]}. {_summary(described)}",
        parts=parts + legend,
        fluid=fluid,
        chart_id=chart_id,
    )


# --- 4. distribution chart -------------------------------------------------------------

Colours = Mapping[int, str] | Mapping[str, str] | Callable[[int | str], str] | str | None


def distribution_chart(
    counts: Mapping[int, int] | Mapping[str, int] | Sequence[tuple[str, int]],
    *,
    title: str,
    desc: str | None = None,
    colours: Colours = None,
    scale: Sequence[int] | None = None,
    legend: Sequence[tuple[str, str]] | None = None,
    percent_format: Callable[[float], str] | None = None,
    width: float = 560,
    plot_height: float = 150,
    empty_text: str = "\u2014",
    chart_id: str | None = None,
    fluid: bool = False,
    decimal: str = ".",
) -> str:
    """Columns per answer category with count and percentage above each.

    ``counts`` maps answers to counts (``scale`` lists every answer to show, e.g.
    ``range(11)`` for NPS, so unused answers appear as zero) or is a sequence of
    (label, count). ``colours`` maps answers (or labels) to colour keys, e.g.
    ``NPS_COLOURS``, ``CSAT_COLOURS``, or is one key for all columns. ``legend`` is a
    list of (text, colour key). Counts must not be negative; all zero shows ``empty_text``.
    """
    if isinstance(counts, Mapping):
        lookup: dict[int | str, int] = dict(counts.items())
        keys: list[int | str] = list(scale) if scale is not None else list(lookup)
        if scale is None and all(isinstance(key, int) for key in keys):
            keys.sort(key=int)
        items = [(str(key), key, int(lookup.get(key) or 0)) for key in keys]
    else:
        items = [(str(label), label, int(count or 0)) for label, count in counts]
    if any(count < 0 for _l, _k, count in items):
        raise ValueError("Counts cannot be negative")
    total = sum(count for _l, _k, count in items)
    if total == 0:
        return _empty(width, title, desc, empty_text, fluid, chart_id)

    def colour_of(key: int | str) -> str:
        if colours is None:
            return _colour("series1")
        if isinstance(colours, str):
            return _colour(colours)
        if callable(colours):
            return _colour(colours(key))
        palette: dict[int | str, str] = dict(colours.items())
        return _colour(palette.get(key, "series1"))

    show_percent = percent_format or (lambda value: _percent(value, decimal))
    percents = [show_percent(100 * count / total) for _l, _k, count in items]
    slot = (width - 2 * _PAD) / len(items)
    column = min(slot * 0.7, 56)
    with_percent = max(_text_width(p, _SMALL) for p in percents) <= slot - 2
    plot_top = _PAD + (2 if with_percent else 1) * _SMALL * _LINE + 4
    plot_bottom = plot_top + plot_height
    y_of = _Scale(0, max(count for _l, _k, count in items), plot_bottom, plot_top)
    wrapped = [_wrap(label, slot - 4, _SMALL, 2)[0] for label, _k, _c in items]
    label_bottom = plot_bottom + max(len(lines) for lines in wrapped) * _SMALL * _LINE + 10
    parts = [_line(_PAD, plot_bottom, width - _PAD, plot_bottom, PALETTE["axis"])]
    for i, ((label, key, count), percent) in enumerate(zip(items, percents, strict=True)):
        x, top, fill = _PAD + slot * (i + 0.5), y_of(count), colour_of(key)
        outline = f' class="cx-column" stroke="{_shade(fill)}" stroke-width="1"'
        column_parts = [_rect(x - column / 2, top, column, plot_bottom - top, fill, outline)]
        above = [(str(count), True, _TEXT), (percent, False, _MUTED)][: 1 + with_percent]
        for line, (text, bold, colour) in enumerate(above):
            y = top - 4 - (len(above) - 1 - line) * _SMALL * _LINE
            column_parts.append(
                _text(x, y, text, size=_SMALL, anchor="middle", bold=bold, fill=colour)
            )
        column_parts += _text_block(x, plot_bottom + 4, wrapped[i], size=_SMALL, anchor="middle")
        parts.append(_group(column_parts, f"{label}: {count} ({percent})"))
    swatches = [("swatch", _colour(key), text) for text, key in legend or ()]
    legend_parts, legend_height = _legend(swatches, top=label_bottom, width=width)
    described = [
        (label, f"{count} ({p})") for (label, _k, count), p in zip(items, percents, strict=True)
    ]
    return _svg(
        width=width,
        height=label_bottom + legend_height + _PAD,
        title=title,
        desc=desc or _summary(described),
        parts=parts + legend_parts,
        fluid=fluid,
        chart_id=chart_id,
    )


# --- 5. trend chart --------------------------------------------------------------------


def _whisker(
    x: float, low: float, high: float, colour: str, cap: float = 4.0, cls: str = ""
) -> str:
    caps = "".join(f"M{_n(x - cap)},{_n(y)}h{_n(2 * cap)}" for y in (low, high))
    path = f"M{_n(x)},{_n(low)}V{_n(high)}{caps}"
    klass = f' class="{cls}"' if cls else ""
    return f'<path{klass} d="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>'


def trend_chart(
    points: Sequence[tuple[str, float | None, float | None, float | None]],
    *,
    title: str,
    desc: str | None = None,
    y_range: tuple[float, float] = (0, 100),
    significant: Sequence[bool] | None = None,
    band_lines: Sequence[tuple[float, str]] | None = None,
    value_format: ValueFormat = None,
    significant_label: str | None = None,
    interval_label: str | None = None,
    max_points: int = 8,
    width: float = 560,
    plot_height: float = 200,
    missing_text: str = "\u2014",
    empty_text: str = "\u2014",
    chart_id: str | None = None,
    fluid: bool = False,
    decimal: str = ".",
) -> str:
    """Values per wave (label, value, low, high) with whiskers for the interval.

    Only the last ``max_points`` (8, METHODOLOGY §10) are drawn. A whisker appears where
    both ``low`` and ``high`` are given; a ``None`` value breaks the line and prints
    ``missing_text``. ``significant`` rings the points whose change was significant.
    ``band_lines`` are dashed reference lines (value, label), e.g. the NPS band limits.
    ``significant_label`` and ``interval_label`` add legend entries.
    """
    if significant is not None and len(significant) != len(points):
        raise ValueError(f"significant has {len(significant)} flags for {len(points)} points")
    flags = [bool(f) for f in significant or [False] * len(points)][-max_points:]
    points = list(points)[-max_points:]
    if not points:
        return _empty(width, title, desc, empty_text, fluid, chart_id)
    low, high = _check_range(*y_range)
    labels = [str(p[0]) for p in points]
    values = [_clean(p[1]) for p in points]
    intervals = [(_clean(p[2]), _clean(p[3])) for p in points]
    fmt = _formatter(value_format, len(points), decimal)
    texts = [missing_text if v is None else fmt(i, v) for i, v in enumerate(values)]
    ticks = _nice_ticks(low, high, 5)
    references = [(float(v), str(t)) for v, t in band_lines or () if low <= float(v) <= high]
    left = _PAD + max(_text_width(_tick_text(t, decimal), _SMALL) for t in ticks) + 6
    reference_room = max((_text_width(t, _SMALL) + 8 for _v, t in references), default=0.0)
    right = width - _PAD - min(max(reference_room, 2 * _PAD), width * 0.25)
    slot = (right - left) / len(points)
    xs = [left + slot * (i + 0.5) for i in range(len(points))]
    top = _PAD + _SMALL + 8  # room for a value printed above a point at the top
    bottom = top + plot_height
    y_of = _Scale(low, high, bottom, top)
    colour = _colour("series1")

    parts = []
    for tick in ticks:
        y = y_of(tick)
        parts.append(_line(left, y, right, y, PALETTE["axis" if tick in (0, low) else "grid"]))
        tick_text = _tick_text(tick, decimal)
        parts.append(
            _text(left - 6, y + _SMALL * 0.35, tick_text, size=_SMALL, anchor="end", fill=_MUTED)
        )
    for reference, text in references:
        y = y_of(reference)
        parts.append(
            _line(left, y, right, y, _MUTED, 1, ' stroke-dasharray="5 3" class="cx-band-line"')
        )
        shown = _ellipsize(text, width - _PAD - right - 6, _SMALL)
        label = _text(right + 6, y + _SMALL * 0.35, shown, size=_SMALL, fill=_MUTED)
        parts.append(_group([label], None if shown == text else text))
    ends = [None if a is None or b is None else (y_of(a), y_of(b)) for a, b in intervals]
    parts += [
        _whisker(x, *end, colour, cls="cx-whisker") for x, end in zip(xs, ends, strict=True) if end
    ]
    path = "".join(
        f"M{_points([(xs[i], y_of(a)), (xs[i + 1], y_of(b))])}"
        for i, (a, b) in enumerate(itertools.pairwise(values))
        if a is not None and b is not None
    )
    if path:
        parts.append(
            f'<path class="cx-trend-line" d="{path}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )

    wrapped = [_wrap(label, slot - 4, _SMALL, 2)[0] for label in labels]
    for i, (label, value, text, x) in enumerate(zip(labels, values, texts, xs, strict=True)):
        point = _text_block(x, bottom + 5, wrapped[i], size=_SMALL, anchor="middle")
        if value is None:
            middle = (top + bottom) / 2
            point.append(
                _text(
                    x,
                    middle,
                    text,
                    size=_SMALL,
                    anchor="middle",
                    fill=_MUTED,
                    italic=True,
                    halo=True,
                )
            )
        else:
            y = y_of(value)
            point.append(_marker("circle", x, y, colour, 4.5, "cx-point"))
            if flags[i]:
                point.append(_marker("ring", x, y, _TEXT, 4.5, "cx-significant"))
            end = ends[i]
            above = min(y - (12 if flags[i] else 8), min(end) - 5 if end else y)
            point.append(_text(x, above, text, size=_SMALL, anchor="middle", bold=True, halo=True))
        parts.append(_group(point, f"{label}: {text}"))
    label_height = max(len(lines) for lines in wrapped) * _SMALL * _LINE + 8
    legend_items = []
    if interval_label and any(ends):
        legend_items.append(("whisker", colour, interval_label))
    if significant_label and any(flags):
        legend_items.append(("ring", _TEXT, significant_label))
    legend, legend_height = _legend(legend_items, top=bottom + label_height, width=width)

    bound = value_format if callable(value_format) else (lambda v: _one_decimal(v, decimal))
    described = []
    for i, label in enumerate(labels):
        (a, b), text = intervals[i], texts[i]
        if values[i] is not None and a is not None and b is not None:
            text += f" ({bound(a)}\u2013{bound(b)})"
        described.append((label, text + (" *" if flags[i] else "")))
    return _svg(
        width=width,
        height=bottom + label_height + legend_height + _PAD,
        title=title,
        desc=desc or _summary(described),
        parts=parts + legend,
        fluid=fluid,
        chart_id=chart_id,
    )


# --- 6. stacked share bar --------------------------------------------------------------


def stacked_share_bar(
    parts: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    desc: str | None = None,
    percent_format: Callable[[float], str] | None = None,
    width: float = 560,
    bar_height: float = 28,
    empty_text: str = "\u2014",
    chart_id: str | None = None,
    fluid: bool = False,
    decimal: str = ".",
) -> str:
    """One 100% bar of (label, count or share, colour key), e.g. promoters, passives and
    detractors, with percentages inside the segments that fit them and in the legend.
    Negative and missing amounts count as zero; a zero total shows ``empty_text``.
    """
    amounts = [max(_clean(amount) or 0.0, 0.0) for _label, amount, _key in parts]
    total = sum(amounts)
    if total <= 0:
        return _empty(width, title, desc, empty_text, fluid, chart_id)
    show_percent = percent_format or (lambda value: _percent(value, decimal))
    labels = [str(label) for label, _amount, _key in parts]
    fills = [_colour(key) for _label, _amount, key in parts]
    percents = [show_percent(100 * amount / total) for amount in amounts]
    x_of = _Scale(0, total, _PAD, width - _PAD)
    top, middle = _PAD, _PAD + bar_height / 2 + _SMALL * 0.36
    elements = []
    start = 0.0
    for label, amount, fill, percent in zip(labels, amounts, fills, percents, strict=True):
        if amount == 0:
            continue
        x0, x1 = x_of(start), x_of(start + amount)
        separated = ' class="cx-segment" stroke="#ffffff" stroke-width="1"'
        segment = [_rect(x0, top, x1 - x0, bar_height, fill, separated)]
        if _text_width(percent, _SMALL, bold=True) <= x1 - x0 - 6:
            on = _text_on(fill)
            segment.append(
                _text(
                    (x0 + x1) / 2, middle, percent, size=_SMALL, anchor="middle", bold=True, fill=on
                )
            )
        elements.append(_group(segment, f"{label}: {percent}"))
        start += amount
    frame = f' stroke="{PALETTE["axis"]}" stroke-width="1"'
    elements.append(_rect(_PAD, top, width - 2 * _PAD, bar_height, "none", frame))
    entries = [("swatch", f, f"{t} {p}") for t, f, p in zip(labels, fills, percents, strict=True)]
    legend, legend_height = _legend(entries, top=top + bar_height + 6, width=width)
    return _svg(
        width=width,
        height=top + bar_height + 6 + legend_height + _PAD,
        title=title,
        desc=desc or _summary(list(zip(labels, percents, strict=True))),
        parts=elements + legend,
        fluid=fluid,
        chart_id=chart_id,
    )
