"""Gap (dumbbell) chart: two values per row and their difference."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .rows import _finish_rows, _frame
from .style import (
    _PAD,
    _SMALL,
    BLIND_SPOT,
    HIDDEN_STRENGTH,
    PALETTE,
    Band,
    _check_range,
    _clean,
    _colour,
    _formatter,
    _signed,
)
from .svg import _empty, _group, _line, _marker, _summary, _svg, _text, text_width

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
    right = max(text_width(t, _SMALL, bold=True) for t in gaps) + flag_room + 2 * _PAD
    inset = max(text_width(t, _SMALL) for pair in texts for t in pair) + 10
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
