"""Quadrant chart: a scatter split into four named quadrants (key drivers: importance ×
performance, METHODOLOGY-drivers)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .style import (
    _LINE,
    _MUTED,
    _PAD,
    _SMALL,
    _TEXT,
    PALETTE,
    _check_range,
    _clean,
    _colour,
    _nice_ticks,
    _one_decimal,
    _Scale,
    _tick_text,
    _tint,
)
from .svg import (
    _ellipsize,
    _empty,
    _group,
    _line,
    _marker,
    _rect,
    _summary,
    _svg,
    _text,
    text_width,
)

QUADRANTS = ("top_left", "top_right", "bottom_left", "bottom_right")

Box = tuple[float, float, float, float]  # left, top, right, bottom


def quadrant_chart(
    points: Sequence[tuple[str, float | None, float | None]],
    *,
    title: str,
    x_split: float,
    y_split: float,
    quadrant_names: Mapping[str, str] | None = None,
    x_label: str = "",
    y_label: str = "",
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] = (0, 100),
    highlight: str | None = "bottom_right",
    emphasis: Sequence[bool] | None = None,
    desc: str | None = None,
    value_format: Callable[[float], str] | None = None,
    width: float = 560,
    plot_height: float = 300,
    missing_text: str = "\u2014",
    empty_text: str = "\u2014",
    chart_id: str | None = None,
    fluid: bool = False,
    decimal: str = ".",
) -> str:
    """Points (label, x, y) over four quadrants split at ``x_split`` and ``y_split``.

    For key drivers x is importance and y performance, so the bottom right is "fix first".
    ``quadrant_names`` maps ``QUADRANTS`` positions to translated names, printed in each
    quadrant's outer corner; ``highlight`` tints one quadrant. ``emphasis`` marks points
    (the drivers to fix first) with an orange diamond; which points, and which quadrant a
    point is in, the caller decides. ``x_range`` defaults to 0 up to a round number past
    the largest x. A point missing a coordinate is not drawn; it is listed under the chart
    with ``missing_text``.
    """
    names = dict(quadrant_names or {})
    if set(names) - set(QUADRANTS) or (highlight is not None and highlight not in QUADRANTS):
        raise ValueError(f"quadrants are named by position: {', '.join(QUADRANTS)}")
    flags = [bool(f) for f in emphasis] if emphasis is not None else [False] * len(points)
    if len(flags) != len(points):
        raise ValueError(f"emphasis has {len(flags)} flags for {len(points)} points")
    if not points:
        return _empty(width, title, desc, empty_text, fluid, chart_id)
    labels = [str(p[0]) for p in points]
    coordinates = [(_clean(p[1]), _clean(p[2])) for p in points]
    show = value_format or (lambda value: _one_decimal(value, decimal))
    x_low, x_high = _check_range(*(x_range or _default_range(coordinates, x_split)))
    y_low, y_high = _check_range(*y_range)
    x_ticks, y_ticks = _nice_ticks(x_low, x_high, 5), _nice_ticks(y_low, y_high, 5)

    left = _PAD + max(text_width(_tick_text(t, decimal), _SMALL) for t in y_ticks) + 6
    right = width - _PAD
    top = _PAD + (_SMALL * _LINE + 4 if y_label else 0)
    bottom = top + plot_height
    x_of, y_of = _Scale(x_low, x_high, left, right), _Scale(y_low, y_high, bottom, top)
    split_x, split_y = x_of(x_split), y_of(y_split)
    areas: dict[str, Box] = {
        "top_left": (left, top, split_x, split_y),
        "top_right": (split_x, top, right, split_y),
        "bottom_left": (left, split_y, split_x, bottom),
        "bottom_right": (split_x, split_y, right, bottom),
    }

    parts = []
    if highlight is not None:
        a, b, c, d = areas[highlight]
        fill = _tint(_colour("detractor"), 0.12)
        parts.append(_rect(a, b, c - a, d - b, fill, ' class="cx-highlight"'))
    for tick in x_ticks:
        x = x_of(tick)
        parts.append(_line(x, top, x, bottom, PALETTE["grid"]))
        parts.append(
            _text(
                x,
                bottom + _SMALL + 4,
                _tick_text(tick, decimal),
                size=_SMALL,
                anchor="middle",
                fill=_MUTED,
            )
        )
    for tick in y_ticks:
        y = y_of(tick)
        parts.append(_line(left, y, right, y, PALETTE["grid"]))
        tick_text = _tick_text(tick, decimal)
        parts.append(
            _text(left - 6, y + _SMALL * 0.35, tick_text, size=_SMALL, anchor="end", fill=_MUTED)
        )
    parts.append(_rect(left, top, right - left, bottom - top, "none", _frame_stroke()))
    dash = ' stroke-dasharray="5 3"'
    parts.append(_line(split_x, top, split_x, bottom, _MUTED, 1.5, dash + ' class="cx-split-x"'))
    parts.append(_line(left, split_y, right, split_y, _MUTED, 1.5, dash + ' class="cx-split-y"'))
    parts += _quadrant_names(names, areas, highlight)
    if y_label:
        shown = _ellipsize(y_label, width - 2 * _PAD, _SMALL)
        parts.append(_group([_text(_PAD, _PAD + _SMALL, shown, size=_SMALL, fill=_MUTED)]))
    below = bottom + _SMALL + 8
    if x_label:
        shown = _ellipsize(x_label, right - left, _SMALL)
        middle = (left + right) / 2
        parts.append(
            _text(middle, below + _SMALL, shown, size=_SMALL, anchor="middle", fill=_MUTED)
        )
        below += _SMALL * _LINE + 4

    texts = [
        missing_text if x is None or y is None else f"{show(x)}; {show(y)}" for x, y in coordinates
    ]
    drawn = [
        (i, x_of(x), y_of(y))
        for i, (x, y) in enumerate(coordinates)
        if x is not None and y is not None
    ]
    parts += _points(drawn, labels, texts, flags, (left, top, right, bottom))
    missing = [labels[i] for i, (x, y) in enumerate(coordinates) if x is None or y is None]
    if missing:
        note = _ellipsize(f"{', '.join(missing)}: {missing_text}", width - 2 * _PAD, _SMALL)
        parts.append(_text(_PAD, below + _SMALL, note, size=_SMALL, fill=_MUTED, italic=True))
        below += _SMALL * _LINE + 4
    return _svg(
        width=width,
        height=below + _PAD,
        title=title,
        desc=desc or _summary(list(zip(labels, texts, strict=True))),
        parts=parts,
        fluid=fluid,
        chart_id=chart_id,
    )


def _default_range(
    coordinates: Sequence[tuple[float | None, float | None]], split: float
) -> tuple[float, float]:
    """From 0 (or the smallest x) to the first round tick at least 15% past the largest x."""
    xs = [x for x, _y in coordinates if x is not None] + [float(split)]
    low = min(0.0, *xs)
    high = max(xs) * 1.15 if max(xs) > 0 else low + 1.0
    ticks = _nice_ticks(low, high, 5)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else high - low
    return low, ticks[-1] if ticks[-1] >= high else ticks[-1] + step


def _frame_stroke() -> str:
    return f' stroke="{PALETTE["axis"]}" stroke-width="1"'


def _quadrant_names(
    names: Mapping[str, str], areas: Mapping[str, Box], highlight: str | None
) -> list[str]:
    """Each name in its quadrant's outer corner, shortened to fit; the highlighted darker."""
    elements = []
    for position, name in names.items():
        a, b, c, d = areas[position]
        shown = _ellipsize(str(name), max(c - a - 12, 0.0), _SMALL, bold=True)
        if not shown.strip("\u2026") or d - b < _SMALL * 1.6:
            continue  # the quadrant is too small to hold its name
        end = position.endswith("right")
        x = c - 6 if end else a + 6
        y = b + _SMALL + 4 if position.startswith("top") else d - 6
        fill = _TEXT if position == highlight else _MUTED
        anchor = "end" if end else "start"
        text = _text(x, y, shown, size=_SMALL, anchor=anchor, fill=fill, bold=True)
        text = text.replace("<text ", '<text class="cx-quadrant-name" ', 1)
        elements.append(_group([text], None if shown == name else str(name)))
    return elements


def _points(
    drawn: Sequence[tuple[int, float, float]],
    labels: Sequence[str],
    texts: Sequence[str],
    flags: Sequence[bool],
    plot: Box,
) -> list[str]:
    """Markers and their labels, each label placed where it first fits inside the plot clear
    of other labels and markers (``_label_options``), else where it overlaps least."""
    markers = [(x - 5, y - 5, x + 5, y + 5) for _i, x, y in drawn]
    placed: list[Box] = []
    elements = []
    widest = (plot[2] - plot[0]) * 0.4
    for order, (i, x, y) in enumerate(drawn):
        shown = _ellipsize(labels[i], widest, _SMALL)
        options = _label_options(x, y, text_width(shown, _SMALL))
        others = placed + markers[:order] + markers[order + 1 :]
        tx, ty, anchor, box = min(options, key=lambda option: _cost(option[3], plot, others))
        placed.append(box)
        emphasised = flags[i]
        colour = _colour("detractor" if emphasised else "series1")
        kind = "diamond" if emphasised else "circle"
        marker = _marker(
            kind, x, y, colour, 4.5, "cx-point" + (" cx-emphasis" if emphasised else "")
        )
        label = _text(tx, ty, shown, size=_SMALL, anchor=anchor, bold=emphasised, halo=True)
        elements.append(_group([marker, label], f"{labels[i]}: {texts[i]}"))
    return elements


def _label_options(x: float, y: float, size: float) -> list[tuple[float, float, str, Box]]:
    """(x, baseline, anchor, box) beside the point, right then left, moved up or down by up
    to two lines when crowded, then above and below it."""
    options = []
    for lines in (0, -1, 1, -2, 2):
        base = y + _SMALL * 0.35 + lines * _SMALL * _LINE
        box_top, box_bottom = base - _SMALL * 1.05, base + _SMALL * 0.3
        options.append((x + 8, base, "start", (x + 7, box_top, x + 9 + size, box_bottom)))
        options.append((x - 8, base, "end", (x - 9 - size, box_top, x - 7, box_bottom)))
    options.append((x, y - 9, "middle", (x - size / 2, y - 10 - _SMALL, x + size / 2, y - 7)))
    below = y + 8 + _SMALL
    options.append((x, below, "middle", (x - size / 2, y + 6, x + size / 2, below + 3)))
    return options


def _cost(box: Box, plot: Box, others: Sequence[Box]) -> float:
    """How badly a label box fits: leaving the plot is worse than any overlap."""
    outside = box[0] < plot[0] or box[2] > plot[2] or box[1] < plot[1] or box[3] > plot[3]
    return (1e9 if outside else 0.0) + sum(_overlap(box, other) for other in others)


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
