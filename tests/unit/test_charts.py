import ast
import itertools
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxaudit import charts
from cxaudit.charts.svg import text_width

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "quotes"'
RU = ["Стратегия", "Измерение", "Сотрудники", "Ожидания клиентов"]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output, under test
    assert root.tag == f"{SVG}svg"
    return root


def find(root: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}{tag}") if cls in (e.get("class") or "").split()]


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


def floats(element: ET.Element, name: str) -> float:
    return float(element.get(name, "nan"))


def point_count(element: ET.Element) -> int:
    return len(element.get("points", "").split())


# One builder per chart: (labels, values) -> svg. Values may be None, NaN or out of range.
def radar(labels, values, **kw):
    return charts.radar_chart(list(zip(labels, values, strict=True)), title="Radar", **kw)


def bars(labels, values, **kw):
    return charts.bar_chart(list(zip(labels, values, strict=True)), title="Bars", **kw)


def gaps(labels, values, **kw):
    rows = [
        (label, v, None if v is None else 100 - v) for label, v in zip(labels, values, strict=True)
    ]
    return charts.gap_chart(rows, title="Gap", **kw)


def distribution(labels, values, **kw):
    counts = [
        (label, 0 if v is None or not math.isfinite(v) else abs(int(v)))
        for label, v in zip(labels, values, strict=True)
    ]
    return charts.distribution_chart(counts, title="Distribution", **kw)


def trend(labels, values, **kw):
    points = [
        (label, v, None if v is None else v - 5, None if v is None else v + 5)
        for label, v in zip(labels, values, strict=True)
    ]
    return charts.trend_chart(points, title="Trend", **kw)


def stacked(labels, values, **kw):
    keys = ["promoter", "passive", "detractor", "level1", "level3", "level5"]
    parts = [
        (label, v, keys[i % len(keys)])
        for i, (label, v) in enumerate(zip(labels, values, strict=True))
    ]
    return charts.stacked_share_bar(parts, title="Share", **kw)


BUILDERS = [radar, bars, gaps, distribution, trend, stacked]
LABELS = ["Strategy", "Measurement", "People", "Expectations"]
VALUES = [72.5, 43.75, 18.0, 88.25]


@pytest.fixture(params=BUILDERS, ids=lambda b: b.__name__)
def build(request):
    return request.param


def test_charts_package_imports_no_django():
    paths = sorted(Path(charts.__file__).parent.glob("*.py"))
    assert len(paths) > 1
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        modules += [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ]
        assert not [m for m in modules if m.split(".")[0] == "django"], path.name


def test_every_chart_module_stays_under_400_lines():
    for path in Path(charts.__file__).parent.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name


def test_every_chart_is_a_complete_accessible_svg(build):
    svg = build(LABELS, VALUES)
    root = parse(svg)
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    assert root.get("width") and root.get("height")
    assert root.get("role") == "img"
    assert root.get("font-family") == "DejaVu Sans, Arial, sans-serif"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_every_chart_has_no_script_external_reference_or_foreign_object(build):
    svg = build(LABELS, VALUES)
    root = parse(svg)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "foreignObject", "image", "style", "a"}
    assert "href" not in svg
    assert not re.search(r"url\((?!#)", svg)
    assert not [name for e in root.iter() for name in e.attrib if name.startswith("on")]


def test_every_chart_escapes_hostile_labels_and_titles(build):
    svg = build([HOSTILE, *LABELS[1:]], VALUES, desc=HOSTILE)
    root = parse(svg)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}desc").text == HOSTILE


def test_every_chart_puts_the_callers_title_in_title_escaped():
    svg = charts.bar_chart([("a", 1.0)], title="<b>Scores</b> & levels")
    assert parse(svg).find(f"{SVG}title").text == "<b>Scores</b> & levels"
    assert "&lt;b&gt;Scores&lt;/b&gt; &amp; levels" in svg


def test_every_chart_is_deterministic(build):
    first = build(LABELS, VALUES, chart_id=None)
    assert build(LABELS, VALUES, chart_id=None) == first


def test_chart_ids_differ_between_charts_and_can_be_chosen(build):
    first = parse(build(LABELS, VALUES)).find(f"{SVG}title").get("id")
    other = parse(build(LABELS, [1.0, 2.0, 3.0, 4.0])).find(f"{SVG}title").get("id")
    assert first != other
    chosen = parse(build(LABELS, VALUES, chart_id="maturity-radar"))
    assert chosen.find(f"{SVG}title").get("id") == "maturity-radar-title"


def test_an_unsafe_chart_id_is_refused():
    with pytest.raises(ValueError, match="chart_id"):
        charts.bar_chart([("a", 1.0)], title="t", chart_id='x" onload="alert(1)')


@pytest.mark.parametrize(
    "chart",
    [
        lambda: charts.radar_chart([], title="t", empty_text="Нет данных"),
        lambda: charts.bar_chart([], title="t", empty_text="Нет данных"),
        lambda: charts.gap_chart([], title="t", empty_text="Нет данных"),
        lambda: charts.distribution_chart({}, title="t", empty_text="Нет данных"),
        lambda: charts.distribution_chart({9: 0, 10: 0}, title="t", empty_text="Нет данных"),
        lambda: charts.trend_chart([], title="t", empty_text="Нет данных"),
        lambda: charts.stacked_share_bar([], title="t", empty_text="Нет данных"),
        lambda: charts.stacked_share_bar(
            [("P", 0, "promoter")], title="t", empty_text="Нет данных"
        ),
    ],
)
def test_empty_input_shows_the_callers_empty_text(chart):
    root = parse(chart())
    assert "Нет данных" in texts(root)
    assert root.find(f"{SVG}desc").text == "Нет данных"


def test_every_chart_survives_missing_nan_and_out_of_range_values(build):
    values = [None, float("nan"), 250.0, -40.0]
    root = parse(build(LABELS, values))
    assert root.find(f"{SVG}title") is not None
    assert "nan" not in ET.tostring(root, encoding="unicode").lower()


def test_every_chart_renders_cyrillic_labels(build):
    root = parse(build(RU, VALUES))
    shown = " ".join(texts(root))
    assert "Стратегия" in shown and "Измерение" in shown


# --- values and formatting --------------------------------------------------------------


def test_values_are_printed_with_one_decimal_half_away_from_zero():
    shown = texts(
        parse(
            charts.bar_chart([("a", 43.75), ("b", -12.25), ("c", -0.01)], title="t", min_value=-100)
        )
    )
    assert {"43.8", "\u221212.3", "0.0"} <= set(shown)


def test_value_format_accepts_a_function_or_display_strings():
    by_function = texts(
        parse(charts.bar_chart([("a", 45.0)], title="t", value_format=lambda v: f"{v:.0f} pts"))
    )
    by_strings = texts(
        parse(charts.bar_chart([("a", 45.0), ("b", None)], title="t", value_format=["45,0", "—"]))
    )
    assert "45 pts" in by_function
    assert "45,0" in by_strings
    with pytest.raises(ValueError, match="value_format"):
        charts.bar_chart([("a", 45.0)], title="t", value_format=["1", "2"])


def test_default_description_summarises_labels_and_values():
    desc = (
        parse(charts.bar_chart([("Стратегия", 72.5), ("Люди", None)], title="t"))
        .find(f"{SVG}desc")
        .text
    )
    assert desc == "Стратегия: 72.5; Люди: \u2014"


def test_fluid_charts_scale_to_their_container():
    root = parse(charts.bar_chart([("a", 1.0)], title="t", fluid=True))
    assert root.get("width") == "100%"
    assert root.get("height") is None


def test_unknown_colours_are_refused_and_hex_colours_accepted():
    assert "#123abc" in charts.bar_chart([("a", 1.0)], title="t", colour="#123ABC")
    with pytest.raises(ValueError, match="colour"):
        charts.bar_chart([("a", 1.0)], title="t", colour="red; stroke:url(x)")


# --- palette ----------------------------------------------------------------------------


def luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str = "#ffffff") -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_maturity_levels_darken_steadily_so_greyscale_keeps_them_apart():
    levels = [luminance(charts.PALETTE[f"level{n}"]) for n in range(1, 6)]
    assert levels == sorted(levels, reverse=True)
    assert all(
        contrast(charts.PALETTE[f"level{n}"], charts.PALETTE[f"level{n + 1}"]) > 1.3
        for n in range(1, 5)
    )


def test_text_and_series_colours_meet_wcag_aa_on_white():
    for key in ("text", "muted", "series1", "series2"):
        assert contrast(charts.PALETTE[key]) >= 4.5, key


def test_maturity_bands_take_translated_names():
    bands = charts.maturity_bands(
        ["Реактивный", "Начальный", "Определённый", "Управляемый", "Клиентоцентричный"]
    )
    assert bands[0] == (20, "level1", "Реактивный") and bands[-1][0] == 100
    with pytest.raises(ValueError):
        charts.maturity_bands(["one"])


# --- radar ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 4, 5, 8, 12, 13, 20, 30])
def test_radar_has_one_vertex_per_axis(count):
    axes = [(f"Domain {i} " + "with a long name " * (i % 3), (i * 37) % 101) for i in range(count)]
    root = parse(charts.radar_chart(axes, title="t", series2=[50.0] * count))
    (polygon,) = find(root, "polygon", "cx-series-1")
    assert point_count(polygon) == count
    assert point_count(find(root, "polygon", "cx-series-2")[0]) == count
    assert len(find(root, "circle", "cx-vertex-1")) == count
    assert len(find(root, "rect", "cx-vertex-2")) == count


def test_radar_vertices_sit_at_their_share_of_the_radius():
    # Axes run clockwise from the top: a up, b right, c down, d left.
    axes = [("a", 100.0), ("b", 50.0), ("c", 0.0), ("d", 150.0)]
    (polygon,) = find(parse(charts.radar_chart(axes, title="t")), "polygon", "cx-series-1")
    a, b, c, d = (tuple(map(float, p.split(","))) for p in polygon.get("points").split())
    radius = c[1] - a[1]  # c (0) is the centre, a (100) a full radius above it
    assert radius > 0
    assert b == pytest.approx((c[0] + radius / 2, c[1]), abs=0.02)
    assert d == pytest.approx((c[0] - radius, c[1]), abs=0.02)  # 150 is clamped to 100


def test_radar_marks_missing_values_with_a_gap_a_hollow_marker_and_a_label():
    axes = [
        ("Стратегия", 60.0),
        ("Измерение", None),
        ("Сотрудники", 70.0),
        ("Ожидания клиентов", 80.0),
    ]
    root = parse(
        charts.radar_chart(axes, title="t", missing_text="н/д", missing_label="Недостаточно данных")
    )
    assert not find(root, "polygon", "cx-series-1")
    (outline,) = find(root, "path", "cx-series-1")
    assert outline.get("d").count("M") == 2  # 3-4 and 4-1; the segments to the gap are left out
    assert len(find(root, "circle", "cx-vertex-1")) == 3
    assert len(find(root, "circle", "cx-missing")) == 1
    shown = " ".join(texts(root))
    assert "н/д" in shown and "Недостаточно данных" in shown


def test_radar_with_fewer_than_three_axes_falls_back_to_bars_or_gaps():
    root = parse(charts.radar_chart([("a", 40.0), ("b", 60.0)], title="t"))
    assert len(find(root, "rect", "cx-bar")) == 2
    root = parse(
        charts.radar_chart([("a", 40.0)], title="t", series2=[70.0], series_labels=("C", "S"))
    )
    assert "+30.0" in texts(root)


@pytest.mark.parametrize("count", [5, 20])
def test_radar_can_leave_values_out_of_the_labels(count):
    axes = [(f"Axis {i}", 12.5) for i in range(count)]
    shown = " ".join(texts(parse(charts.radar_chart(axes, title="t", show_values=False))))
    assert "Axis 1" in shown and "12.5" not in shown


def test_radar_refuses_a_second_series_of_another_length():
    with pytest.raises(ValueError, match="series2"):
        charts.radar_chart([("a", 1), ("b", 2), ("c", 3)], title="t", series2=[1, 2])


def test_radar_cuts_long_labels_and_keeps_the_full_text_as_a_tooltip():
    long = "Ожидания клиентов и их систематическое измерение во всех каналах обслуживания"
    root = parse(charts.radar_chart([(long, 50.0)] * 20, title="t"))
    shown = texts(root)
    assert all(long not in t for t in shown)
    assert any("\u2026" in t for t in shown)
    assert any(long in (title.text or "") for title in root.iter(f"{SVG}title"))


# --- bars -------------------------------------------------------------------------------


def test_bar_widths_are_proportional_to_values():
    root = parse(charts.bar_chart([("a", 10.0), ("b", 25.0), ("c", 50.0), ("d", 100.0)], title="t"))
    widths = [floats(rect, "width") for rect in find(root, "rect", "cx-bar")]
    full = widths[-1]
    assert widths == pytest.approx([full * 0.1, full * 0.25, full * 0.5, full], abs=0.02)


def test_bars_outside_the_scale_are_clamped_but_show_their_value():
    root = parse(charts.bar_chart([("over", 130.0), ("full", 100.0), ("under", -5.0)], title="t"))
    over, full, under = find(root, "rect", "cx-bar")
    assert floats(over, "width") == floats(full, "width")
    assert floats(under, "width") == 0
    assert {"130.0", "\u22125.0"} <= set(texts(root))


def test_a_missing_bar_is_hatched_and_shows_the_missing_text():
    root = parse(charts.bar_chart([("a", 50.0), ("b", None)], title="t", missing_text="н/д"))
    (missing,) = find(root, "rect", "cx-missing")
    assert missing.get("fill").startswith("url(#") and missing.get("fill").endswith("-hatch)")
    assert root.find(f"{SVG}defs/{SVG}pattern") is not None
    assert "н/д" in texts(root)


def test_bars_can_go_below_zero_when_the_scale_does():
    root = parse(charts.bar_chart([("down", -50.0), ("up", 50.0)], title="t", min_value=-100))
    down, up = find(root, "rect", "cx-bar")
    assert floats(down, "width") == pytest.approx(floats(up, "width"))
    assert floats(down, "x") + floats(down, "width") == pytest.approx(floats(up, "x"), abs=0.02)


def test_named_bands_are_drawn_above_or_in_a_legend():
    names = ["Reactive", "Emerging", "Defined", "Managed", "Customer-led"]
    bands = charts.maturity_bands(names)
    wide = texts(parse(charts.bar_chart([("a", 50.0)], title="t", bands=bands, width=900)))
    narrow = texts(parse(charts.bar_chart([("a", 50.0)], title="t", bands=bands, width=400)))
    assert set(names) <= set(wide) and set(names) <= set(narrow)


# --- gap --------------------------------------------------------------------------------


def test_gap_chart_prints_signed_gaps_and_flags():
    rows = [("M1", 100.0, 0.0), ("M3", 70.0, 50.0), ("M4", 1 / 6 * 100, 100.0), ("M5", None, 40.0)]
    flags = [charts.BLIND_SPOT, None, charts.HIDDEN_STRENGTH, None]
    root = parse(
        charts.gap_chart(
            rows, title="t", flags=flags, flag_labels={charts.BLIND_SPOT: "Слепая зона"}
        )
    )
    shown = texts(root)
    assert {"+100.0", "+20.0", "\u221283.3", "\u2014", "Слепая зона", "Hidden strength"} <= set(
        shown
    )
    assert len(find(root, "polygon", "cx-blind_spot")) == 1
    assert len(find(root, "polygon", "cx-hidden_strength")) == 1
    assert len(find(root, "line", "cx-gap-line")) == 3


def test_gap_chart_refuses_unknown_flags():
    with pytest.raises(ValueError, match="flags"):
        charts.gap_chart([("a", 1.0, 2.0)], title="t", flags=["bad"])


# --- distribution -----------------------------------------------------------------------


def test_nps_distribution_colours_classes_and_shows_counts_and_percentages():
    counts = {0: 2, 6: 3, 7: 5, 9: 6, 10: 4}
    root = parse(
        charts.distribution_chart(counts, title="t", scale=range(11), colours=charts.NPS_COLOURS)
    )
    columns = find(root, "rect", "cx-column")
    assert len(columns) == 11
    fills = [c.get("fill") for c in columns]
    assert fills[0] == fills[6] == charts.PALETTE["detractor"]
    assert fills[7] == fills[8] == charts.PALETTE["passive"]
    assert fills[9] == fills[10] == charts.PALETTE["promoter"]
    heights = [floats(c, "height") for c in columns]
    assert heights[9] == pytest.approx(heights[6] * 2, abs=0.02)
    assert heights[1] == 0
    assert {"30.0%", "0.0%", "6", "25.0%"} <= set(texts(root))


def test_distribution_accepts_labelled_counts_and_refuses_negative_ones():
    root = parse(charts.distribution_chart([("★", 1), ("★★★★★", 3)], title="t", colours="level5"))
    assert {"25.0%", "75.0%", "★★★★★"} <= set(texts(root))
    with pytest.raises(ValueError, match="negative"):
        charts.distribution_chart([("a", -1)], title="t")


# --- trend ------------------------------------------------------------------------------


def test_trend_draws_whiskers_only_where_both_bounds_are_given():
    points = [
        ("W1", 10.0, 0.0, 20.0),
        ("W2", 20.0, None, 30.0),
        ("W3", 30.0, None, None),
        ("W4", 40.0, 35.0, 45.0),
    ]
    root = parse(charts.trend_chart(points, title="t", interval_label="95%"))
    assert len(find(root, "path", "cx-whisker")) == 2


def test_trend_breaks_the_line_at_missing_values():
    points = [
        ("W1", 10.0, None, None),
        ("W2", 20.0, None, None),
        ("W3", None, None, None),
        ("W4", 40.0, None, None),
        ("W5", 50.0, None, None),
    ]
    root = parse(charts.trend_chart(points, title="t", missing_text="мало ответов"))
    (line,) = find(root, "path", "cx-trend-line")
    assert line.get("d").count("M") == 2
    assert len(find(root, "circle", "cx-point")) == 4
    assert "мало ответов" in texts(root)


def test_trend_keeps_the_last_eight_waves_and_rings_significant_changes():
    points = [(f"W{i}", float(i), None, None) for i in range(1, 11)]
    significant = [i in (2, 9) for i in range(1, 11)]
    root = parse(
        charts.trend_chart(points, title="t", significant=significant, significant_label="Значимо")
    )
    shown = texts(root)
    assert "W1" not in shown and "W2" not in shown and "W3" in shown and "W10" in shown
    assert len(find(root, "circle", "cx-point")) == 8
    assert len(find(root, "circle", "cx-significant")) == 1  # W9; W2 is cut off


def test_trend_scales_values_and_clamps_them_to_the_range():
    points = [
        ("a", -100.0, None, None),
        ("b", 0.0, None, None),
        ("c", 100.0, None, None),
        ("d", 250.0, None, None),
    ]
    root = parse(
        charts.trend_chart(points, title="t", y_range=(-100, 100), band_lines=[(30, "Good")])
    )
    ys = [floats(c, "cy") for c in find(root, "circle", "cx-point")]
    assert ys[1] == pytest.approx((ys[0] + ys[2]) / 2)
    assert ys[3] == ys[2]
    assert "250.0" in texts(root) and "Good" in texts(root)
    assert len(find(root, "line", "cx-band-line")) == 1


# --- stacked share bar ------------------------------------------------------------------


def test_stacked_share_bar_splits_one_bar_by_share():
    parts = [
        ("Promoters", 130, "promoter"),
        ("Passives", 30, "passive"),
        ("Detractors", 40, "detractor"),
    ]
    root = parse(charts.stacked_share_bar(parts, title="NPS"))
    widths = [floats(r, "width") for r in find(root, "rect", "cx-segment")]
    assert [w / sum(widths) for w in widths] == pytest.approx([0.65, 0.15, 0.20], abs=1e-3)
    assert {"65.0%", "Promoters 65.0%", "Detractors 20.0%"} <= set(texts(root))


def test_stacked_share_bar_counts_negative_and_missing_parts_as_zero():
    parts = [("a", 1, "level1"), ("b", -5, "level2"), ("c", None, "level3")]
    root = parse(charts.stacked_share_bar(parts, title="t"))
    assert len(find(root, "rect", "cx-segment")) == 1
    assert {"a 100.0%", "b 0.0%", "c 0.0%"} <= set(texts(root))


# --- properties and rendering -------------------------------------------------------------

maybe_value = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(-1e6, 1e6)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=40), maybe_value), max_size=14))
def test_any_bars_give_valid_svg_with_bars_inside_the_plot(rows):
    root = parse(charts.bar_chart(rows, title="t"))
    width = floats(root, "width")
    for rect in find(root, "rect", "cx-bar"):
        assert floats(rect, "x") >= 0
        assert floats(rect, "x") + floats(rect, "width") <= width


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=60), maybe_value), min_size=3, max_size=30))
def test_any_radar_gives_valid_svg_with_one_vertex_per_known_value(axes):
    root = parse(charts.radar_chart(axes, title="t"))
    known = [v for _label, v in axes if v is not None and math.isfinite(v)]
    assert len(find(root, "circle", "cx-vertex-1")) == len(known)


def test_weasyprint_renders_every_chart_without_warnings(caplog):
    weasyprint = pytest.importorskip("weasyprint")
    svgs = [build(RU, VALUES) for build in BUILDERS] + [
        build(RU, [None, 5.0, -3.0, 140.0]) for build in BUILDERS
    ]
    page = '<html><head><meta charset="utf-8"></head><body>' + "".join(svgs) + "</body></html>"
    with caplog.at_level("WARNING", logger="weasyprint"):
        pdf = weasyprint.HTML(string=page).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= 30]


# --- the reader's decimal mark -------------------------------------------------------


def test_a_russian_decimal_mark_reaches_every_number_a_chart_prints():
    ru = {"decimal": ","}
    radar_texts = " ".join(
        texts(parse(charts.radar_chart([("a", 50.0), ("b", 12.25), ("c", 0.0)], title="t", **ru)))
    )
    assert "50,0" in radar_texts and "12,3" in radar_texts and "50.0" not in radar_texts
    bar_texts = texts(parse(charts.bar_chart([("a", 50.0)], title="t", **ru)))
    assert "50,0" in bar_texts
    gap_texts = texts(parse(charts.gap_chart([("a", 62.5, 50.0)], title="t", **ru)))
    assert "62,5" in gap_texts and "+12,5" in gap_texts
    trend = charts.trend_chart(
        [("W1", 1.5, 1.0, 2.0), ("W2", 2.25, None, None)], title="t", y_range=(0, 2.5), **ru
    )
    trend_texts = texts(parse(trend))
    assert "1,5" in trend_texts and "2,3" in trend_texts
    assert any(re.fullmatch(r"\d,\d", text) for text in trend_texts if text != "1,5")  # ticks
    assert "(1,0–2,0)" in parse(trend).find(f"{SVG}desc").text
    shares = texts(parse(charts.distribution_chart([("x", 1), ("y", 2)], title="t", **ru)))
    assert "33,3%" in shares and "66,7%" in shares
    stacked = texts(parse(charts.stacked_share_bar([("x", 1, "promoter")], title="t", **ru)))
    assert any("100,0%" in text for text in stacked)


def test_the_english_decimal_mark_stays_the_default():
    assert "50.0" in texts(parse(charts.bar_chart([("a", 50.0)], title="t")))
    assert "50.0" in texts(parse(charts.bar_chart([("a", 50.0)], title="t", decimal=".")))


def test_a_zero_gap_has_no_sign_in_either_language():
    assert "0,0" in texts(parse(charts.gap_chart([("a", 50.0, 50.0)], title="t", decimal=",")))
    assert "+0,0" not in texts(parse(charts.gap_chart([("a", 50.0, 50.0)], title="t", decimal=",")))


@pytest.mark.parametrize("count", [3, 6, 10])
def test_a_radar_of_up_to_ten_long_labels_keeps_them_apart(count):
    """Wrapped labels of neighbouring axes do not overlap (text boxes estimated as the
    chart itself estimates them), and a shortened label keeps its full text as a title."""
    long = "Структура управления клиентским опытом по Голдингу"
    axes = [(f"{long} {i}", 50.0) for i in range(count)]
    root = parse(charts.radar_chart(axes, title="t", size=640))
    boxes = []
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        lines = [t for t in group.findall(f"{SVG}text") if (t.text or "").strip()]
        if title is None or not (title.text or "").startswith(long) or not lines:
            continue
        xs, ys = [], []
        for line in lines:
            x, y = float(line.get("x")), float(line.get("y"))
            width = text_width(line.text, float(line.get("font-size")))
            anchor = line.get("text-anchor", "start")
            left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
            xs += [left, left + width]
            ys += [y - 11, y + 2]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    assert len(boxes) == count
    for a, b in itertools.combinations(boxes, 2):
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, (a, b)
