"""Trend chart: values per wave with interval whiskers and significance rings."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .style import (
    _LINE,
    _MUTED,
    _PAD,
    _SMALL,
    _TEXT,
    PALETTE,
    ValueFormat,
    _check_range,
    _clean,
    _colour,
    _formatter,
    _nice_ticks,
    _one_decimal,
    _Scale,
    _tick_text,
)
from .svg import (
    _ellipsize,
    _empty,
    _group,
    _legend,
    _line,
    _marker,
    _points,
    _summary,
    _svg,
    _text,
    _text_block,
    _whisker,
    _wrap,
    text_width,
)


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
    left = _PAD + max(text_width(_tick_text(t, decimal), _SMALL) for t in ticks) + 6
    reference_room = max((text_width(t, _SMALL) + 8 for _v, t in references), default=0.0)
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
