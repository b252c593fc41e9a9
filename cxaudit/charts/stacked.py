"""Stacked share bar: one 100% bar split into shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .style import _PAD, _SMALL, PALETTE, _clean, _colour, _percent, _Scale, _text_on
from .svg import _empty, _group, _legend, _rect, _summary, _svg, _text, text_width


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
        if text_width(percent, _SMALL, bold=True) <= x1 - x0 - 6:
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
