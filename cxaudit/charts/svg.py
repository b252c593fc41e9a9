"""SVG building blocks: text measuring and escaping, shapes, markers, legends and the
``<svg>`` document itself."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Sequence

from .style import (
    _CID,
    _FONT,
    _LINE,
    _MUTED,
    _PAD,
    _SMALL,
    _TEXT,
    FONT_FAMILY,
    PALETTE,
    _colour,
    _n,
    _shade,
)

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


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The estimated width of ``text`` in pixels at font ``size``, for laying out labels."""
    return sum(_char_width(c) for c in text) * size * (1.12 if bold else 1.0)


def _ellipsize(
    text: str, width: float, size: float, bold: bool = False, force: bool = False
) -> str:
    if not force and text_width(text, size, bold) <= width:
        return text
    while text and text_width(text.rstrip() + _ELLIPSIS, size, bold) > width:
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
        if lines and text_width(candidate, size, bold) <= width:
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
        entries.append((kind, colour, text, shown, symbol + text_width(shown, size)))
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


# --- whiskers (trend intervals and their legend marker) ---------------------------------


def _whisker(
    x: float, low: float, high: float, colour: str, cap: float = 4.0, cls: str = ""
) -> str:
    caps = "".join(f"M{_n(x - cap)},{_n(y)}h{_n(2 * cap)}" for y in (low, high))
    path = f"M{_n(x)},{_n(low)}V{_n(high)}{caps}"
    klass = f' class="{cls}"' if cls else ""
    return f'<path{klass} d="{path}" fill="none" stroke="{colour}" stroke-width="1.5"/>'
