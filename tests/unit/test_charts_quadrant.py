"""The key-driver quadrant chart (cxaudit/charts/quadrant.py)."""

import itertools
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxaudit import charts
from cxaudit.charts.svg import text_width
from tests.unit.test_charts import HOSTILE, SVG, find, floats, parse, texts

NAMES = {
    "top_left": "Over-served",
    "top_right": "Keep",
    "bottom_left": "Secondary",
    "bottom_right": "Fix first",
}
RU_NAMES = {
    "top_left": "Перевыполнено",
    "top_right": "Сохранять",
    "bottom_left": "Второстепенное",
    "bottom_right": "Исправить в первую очередь",
}
POINTS = [("Friendliness", 34.2, 62.0), ("Speed", 28.1, 41.5), ("Price", 8.0, 35.0)]


def chart(points=POINTS, **kw):
    kw.setdefault("quadrant_names", NAMES)
    return charts.quadrant_chart(points, title="Drivers", x_split=33.3, y_split=46.2, **kw)


def test_a_quadrant_chart_is_a_complete_accessible_svg():
    root = parse(chart())
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Drivers"
    assert "Speed: 28.1; 41.5" in root.find(f"{SVG}desc").text
    assert "<script" not in chart() and "href" not in chart()


def test_points_sit_at_their_coordinates_and_the_split_lines_at_the_splits():
    root = parse(chart(x_range=(0, 40), y_range=(0, 100)))
    (x_line,) = find(root, "line", "cx-split-x")
    (y_line,) = find(root, "line", "cx-split-y")
    left, right = floats(y_line, "x1"), floats(y_line, "x2")
    top, bottom = floats(x_line, "y1"), floats(x_line, "y2")
    assert floats(x_line, "x1") == pytest.approx(left + (right - left) * 33.3 / 40, abs=0.01)
    assert floats(y_line, "y1") == pytest.approx(bottom - (bottom - top) * 0.462, abs=0.01)
    for (_label, x, y), point in zip(POINTS, find(root, "circle", "cx-point"), strict=True):
        assert floats(point, "cx") == pytest.approx(left + (right - left) * x / 40, abs=0.01)
        assert floats(point, "cy") == pytest.approx(bottom - (bottom - top) * y / 100, abs=0.01)


def test_quadrant_names_go_in_their_corners_and_the_fix_first_quadrant_is_tinted():
    root = parse(chart())
    (x_line,) = find(root, "line", "cx-split-x")
    (y_line,) = find(root, "line", "cx-split-y")
    split_x, split_y = floats(x_line, "x1"), floats(y_line, "y1")
    placed = {e.text: e for e in find(root, "text", "cx-quadrant-name")}
    assert set(placed) == set(NAMES.values())
    assert floats(placed["Fix first"], "x") > split_x and floats(placed["Fix first"], "y") > split_y
    assert floats(placed["Keep"], "x") > split_x and floats(placed["Keep"], "y") < split_y
    assert floats(placed["Over-served"], "x") < split_x
    assert floats(placed["Secondary"], "y") > split_y
    (tint,) = find(root, "rect", "cx-highlight")
    assert floats(tint, "x") == pytest.approx(split_x) and floats(tint, "y") == pytest.approx(
        split_y
    )
    assert not find(parse(chart(highlight=None)), "rect", "cx-highlight")


def test_emphasised_points_are_orange_diamonds_with_bold_labels():
    root = parse(chart(emphasis=[False, True, False]))
    (diamond,) = find(root, "polygon", "cx-emphasis")
    assert diamond.get("fill") == charts.PALETTE["detractor"]
    assert len(find(root, "circle", "cx-point")) == 2
    with pytest.raises(ValueError, match="emphasis"):
        chart(emphasis=[True])


def test_unknown_quadrant_positions_are_refused():
    with pytest.raises(ValueError, match="position"):
        chart(quadrant_names={"fix_first": "Fix first"})
    with pytest.raises(ValueError, match="position"):
        chart(highlight="middle")


def test_a_point_missing_a_coordinate_is_listed_not_drawn():
    root = parse(chart([*POINTS, ("Delivery", None, 50.0), ("Returns", 5.0, math.nan)]))
    assert len(find(root, "circle", "cx-point")) == 3
    assert "Delivery, Returns: \u2014" in texts(root)
    assert "Delivery: \u2014" in root.find(f"{SVG}desc").text


def test_empty_input_shows_the_empty_text():
    assert "No drivers" in texts(
        parse(charts.quadrant_chart([], title="t", x_split=1, y_split=1, empty_text="No drivers"))
    )


def test_the_default_x_range_ends_on_a_round_tick_past_the_largest_value():
    root = parse(chart([("a", 61.0, 50.0), ("b", 3.0, 20.0)]))
    ticks = [float(t) for t in texts(root) if re.fullmatch(r"\d+", t)]
    assert max(ticks) >= 61.0 * 1.15 and max(ticks) in (80.0, 100.0)


def test_hostile_labels_and_names_are_escaped():
    svg = chart([(HOSTILE, 10.0, 10.0)], quadrant_names={"top_left": HOSTILE}, x_label=HOSTILE)
    assert "<script>" not in svg
    assert HOSTILE in texts(parse(svg))


def test_labels_of_nearby_points_do_not_overlap():
    points = [(f"Driver number {i}", 20.0 + i, 50.0 + (i % 3)) for i in range(6)]
    root = parse(chart(points, width=640, plot_height=360))
    boxes = []
    for group in root.iter(f"{SVG}g"):
        label = [t for t in group.findall(f"{SVG}text") if t.get("fill") != "#ffffff"]
        if group.find(f"{SVG}title") is None or not label:
            continue
        (text,) = label
        x, y, size = floats(text, "x"), floats(text, "y"), floats(text, "font-size")
        width = text_width(text.text, size)
        anchor = text.get("text-anchor", "start")
        left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        boxes.append((left, y - size * 0.75, left + width, y + 1))
    assert len(boxes) == 6
    for a, b in itertools.combinations(boxes, 2):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_the_decimal_mark_reaches_every_printed_number():
    svg = chart([("a", 12.25, 50.0)], x_range=(0, 2.5), y_range=(0, 2.5), decimal=",")
    printed = texts(parse(svg))
    assert "2,5" in printed and "2.5" not in printed
    assert "a: 12,3; 50,0" in parse(svg).find(f"{SVG}desc").text


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=30),
            st.none() | st.floats(allow_nan=True, allow_infinity=True),
            st.none() | st.floats(-1e6, 1e6),
        ),
        max_size=12,
    )
)
def test_any_points_give_valid_svg_with_markers_inside_the_plot(points):
    root = parse(charts.quadrant_chart(points, title="t", x_split=10, y_split=50, x_range=(0, 40)))
    width = floats(root, "width")
    for point in find(root, "circle", "cx-point"):
        assert 0 <= floats(point, "cx") <= width


def test_weasyprint_renders_quadrant_charts_without_warnings(caplog):
    weasyprint = pytest.importorskip("weasyprint")
    ru = [("Дружелюбие персонала", 34.2, 62.0), ("Скорость ответа", 28.1, 41.5), ("Цена", None, 3)]
    svgs = [
        chart(ru, quadrant_names=RU_NAMES, x_label="Важность, %", y_label="Оценка, 0–100"),
        chart(POINTS, emphasis=[True, False, False], fluid=True),
    ]
    page = '<html><head><meta charset="utf-8"></head><body>' + "".join(svgs) + "</body></html>"
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = weasyprint.HTML(string=page).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= 30]
