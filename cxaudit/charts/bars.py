"""Horizontal bar chart."""

from __future__ import annotations

from collections.abc import Sequence

from .rows import _finish_rows, _frame
from .style import (
    _MUTED,
    _PAD,
    _SMALL,
    _TEXT,
    PALETTE,
    Band,
    ValueFormat,
    _check_range,
    _clamp,
    _clean,
    _colour,
    _formatter,
    _shade,
)
from .svg import (
    _HATCH,
    _empty,
    _group,
    _hatch_def,
    _line,
    _rect,
    _summary,
    _svg,
    _text,
    text_width,
)


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
    right = max(text_width(t, _SMALL, bold=True) for t in texts) + 2 * _PAD
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
