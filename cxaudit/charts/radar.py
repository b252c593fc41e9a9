"""Maturity radar chart; fewer than three axes fall back to the bar or gap chart."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .bars import bar_chart
from .gap import gap_chart
from .style import (
    _LINE,
    _MUTED,
    _PAD,
    PALETTE,
    Band,
    _band_edges,
    _clamp,
    _clean,
    _colour,
    _formatter,
    _n,
    _tick_text,
    _tint,
)
from .svg import (
    _SERIES_STYLE,
    _ellipsize,
    _empty,
    _esc,
    _group,
    _legend,
    _line,
    _marker,
    _points,
    _summary,
    _svg,
    _text,
    _text_block,
    _wrap,
    text_width,
)


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
    needed = max((text_width(line, font) for line in lines), default=0.0) + 28
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
            room = _ray_room(cx, angle, label_radius) - text_width(" " + values_shown[i], font)
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
