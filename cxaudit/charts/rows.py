"""The layout of row charts: labelled rows over a horizontal scale (bar and gap charts)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .style import (
    _FONT,
    _LINE,
    _MUTED,
    _PAD,
    _SMALL,
    PALETTE,
    Band,
    _band_edges,
    _colour,
    _nice_ticks,
    _Scale,
    _tick_text,
    _tint,
)
from .svg import _group, _legend, _line, _rect, _text, _text_block, _wrap, text_width

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
    column = min(max(text_width(label, _FONT) for label in labels), width * 0.36)
    plot_left, plot_right = 2 * _PAD + column, width - _PAD - right
    scale = _Scale(low, high, plot_left + inset, plot_right - inset)
    edges = _band_edges(bands or (), low, high)
    named = [(scale(s), scale(e), label) for s, e, _key, label in edges if label]
    on_top = bool(named) and all(text_width(t, _SMALL) <= b - a - 4 for a, b, t in named)
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
