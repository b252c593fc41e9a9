"""Distribution chart: a column per answer with its count and share."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .style import _LINE, _MUTED, _PAD, _SMALL, _TEXT, PALETTE, _colour, _percent, _Scale, _shade
from .svg import (
    _empty,
    _group,
    _legend,
    _line,
    _rect,
    _summary,
    _svg,
    _text,
    _text_block,
    _wrap,
    text_width,
)

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
    with_percent = max(text_width(p, _SMALL) for p in percents) <= slot - 2
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
