"""The viral-load chart (logic/chart.py): structure read back with xml.etree, geometry checked
against the chart's own axes, determinism, escaping, the table, and the stylesheet's schemes."""

from __future__ import annotations

import copy
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from logic.chart import BELOW, MARKS, WIDTH, render_svg, render_table, unclassified
from tests.node_runner import run_node

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "site_overrides" / "assets" / "stylesheets" / "chart.css"
SVG = "{http://www.w3.org/2000/svg}"


def point(week, copies, mark, below=False, date=None):
    band = "undetectable" if below else "low_level" if copies < 200 else "failure_level"
    return {
        "week": float(week),
        "date": date,
        "copies": float(copies),
        "below_llod": below,
        "band": band,
        "mark": mark,
    }


def course(points, episodes=(), llod=50, stopped=None, restarted=None):
    suppressed = [p["week"] for p in points if p["below_llod"]]
    return {
        "llod": llod,
        "failure_copies": 200,
        "resistance_test_copies": 1000,
        "points": list(points),
        "episodes": list(episodes),
        "first_suppressed_week": suppressed[0] if suppressed else None,
        "stopped_week": stopped,
        "restarted_week": restarted,
    }


REBOUND = course(
    [
        point(0, 85000, "before_suppression"),
        point(4, 2300, "before_suppression"),
        point(12, 40, "suppressed", below=True),
        point(16, 40, "suppressed", below=True),
        point(20, 150, "blip"),
        point(24, 5000, "episode"),
        point(28, 6000, "episode"),
        point(32, 150, "low_level"),
        point(36, 600, "unconfirmed"),
    ],
    [
        {
            "kind": "rebound",
            "label": "Confirmed rebound",
            "start_week": 24.0,
            "end_week": 28.0,
            "points": [5, 6],
            "confirmed": True,
            "ongoing": False,
        }
    ],
)
DATED = course(
    [
        point(0, 120000, "before_suppression", date="2024-01-10"),
        point(8, 900, "before_suppression", date="2024-03-06"),
        point(24, 10, "suppressed", below=True, date="2024-06-26"),
        point(48, 300, "episode", date="2024-12-11"),
        point(52, 400, "episode", date="2025-01-08"),
        point(64, 30, "suppressed", date="2025-04-02"),  # detected, below 200: open circle
    ],
    [
        {
            "kind": "intermittent_viremia",
            "label": "Repeated results ≥200",
            "start_week": 48.0,
            "end_week": 52.0,
            "points": [3, 4],
            "confirmed": False,
            "ongoing": True,
        }
    ],
    llod=20,
    stopped=56.0,
    restarted=60.0,
)
HUGE = course([point(0, 1e9, "before_suppression"), point(4, 3e7, "before_suppression")])
ONE = course([point(20, 50000, "before_suppression")])
ALL_BELOW = course([point(w, 40, "suppressed", below=True) for w in (0, 12, 24, 48)])
MANY = course(
    [
        point(2 * i, 40, "suppressed", below=True) if i % 3 else point(2 * i, 900, "blip")
        for i in range(130)
    ]
)
COURSES = {
    "rebound": REBOUND,
    "dated": DATED,
    "huge": HUGE,
    "one": ONE,
    "below": ALL_BELOW,
    "many": MANY,
}


def draw(c, **kw):
    kw = {"title": "Viral load", "description": "The course.", **kw}
    return ET.fromstring(render_svg(c, **kw))


def classes(element) -> set[str]:
    return set(element.get("class", "").split())


def find(root, cls):
    return [e for e in root.iter() if cls in classes(e)]


def polyline(root) -> list[tuple[float, float]]:
    (line,) = find(root, "vl-chart__line")
    return [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]


def y_scale(root):
    """copies -> y, from the lowest and highest decade grid lines (the chart's own axis)."""
    grid = {float(e.get("data-copies")): float(e.get("y1")) for e in find(root, "vl-chart__grid")}
    (a, ya), (b, yb) = min(grid.items()), max(grid.items())
    return lambda copies: (
        ya + (math.log10(copies) - math.log10(a)) * (yb - ya) / (math.log10(b) - math.log10(a))
    )


def x_scale(root):
    """week -> x, from the first and last week ticks."""
    ticks = sorted(
        (float(e.get("data-week")), float(e.get("x1"))) for e in find(root, "vl-chart__tick")
    )
    (wa, xa), (wb, xb) = ticks[0], ticks[-1]
    return lambda week: xa + (week - wa) * (xb - xa) / (wb - wa)


@pytest.mark.parametrize("name", COURSES)
def test_the_chart_is_valid_svg_named_and_described(name):
    root = draw(COURSES[name], title="VL <chart>", description="Desc & more", id_prefix="c1")
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    ids = {e.get("id"): e for e in root.iter() if e.get("id")}
    named = root.get("aria-labelledby").split()
    assert [ids[i].tag for i in named] == [SVG + "title", SVG + "desc"]
    assert [ids[i].text for i in named] == ["VL <chart>", "Desc & more"]
    assert root[0].tag == SVG + "title"  # the first child, as assistive technology expects
    assert all(i.startswith("c1-") for i in ids)
    assert re.fullmatch(r"0 0 \d+ \d+(\.\d)?", root.get("viewBox"))


def test_two_charts_on_one_page_share_no_id():
    first, second = draw(REBOUND, id_prefix="a"), draw(REBOUND, id_prefix="b")
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) >= 6
    for root in (first, second):
        hatch = next(e.get("id") for e in root.iter() if e.tag == SVG + "pattern")
        assert {e.get("fill") for e in find(root, "vl-chart__episode")} == {f"url(#{hatch})"}


@pytest.mark.parametrize("prefix", ["", "1vl", 'a"b', "a b", "é"])
def test_a_bad_id_prefix_is_refused(prefix):
    with pytest.raises(ValueError, match="id_prefix"):
        render_svg(REBOUND, title="t", description="d", id_prefix=prefix)


@pytest.mark.parametrize("name", COURSES)
def test_one_marker_per_point_with_the_shape_of_its_reading(name):
    c = COURSES[name]
    root = draw(c)
    markers = find(root, "vl-chart__point")
    assert len(markers) == len(c["points"])
    for element, p in zip(markers, c["points"], strict=True):
        shape = BELOW if p["below_llod"] else MARKS[p["mark"]][0]
        assert f"vl-chart__point--{p['mark']}" in classes(element)
        (mark,) = find(element, "vl-chart__marker")
        assert f"vl-chart__marker--{shape}" in classes(mark)
        assert float(element.get("data-week")) == p["week"]
        assert element.find(SVG + "title").text.startswith(f"Week {p['week']:g}")


def test_every_reading_has_its_own_shape():
    shapes = [shape for shape, *_words in MARKS.values()] + [BELOW]
    assert len(shapes) == len(set(shapes))
    drawn = {c for m in find(draw(REBOUND), "vl-chart__marker") for c in classes(m)}
    expected = {BELOW} | {MARKS[p["mark"]][0] for p in REBOUND["points"] if not p["below_llod"]}
    assert drawn == {"vl-chart__marker"} | {f"vl-chart__marker--{s}" for s in expected}


@pytest.mark.parametrize("name", COURSES)
def test_points_sit_on_the_log_scale_and_below_llod_results_on_the_llod_line(name):
    c = COURSES[name]
    root = draw(c)
    y, x = y_scale(root), x_scale(root)
    (llod_line,) = find(root, "vl-chart__ref--llod")
    for (px, py), p in zip(polyline(root), c["points"], strict=True):
        assert px == pytest.approx(x(p["week"]), abs=0.15)
        if p["below_llod"]:
            assert py == pytest.approx(float(llod_line.get("y1")), abs=0.15)
        else:
            assert py == pytest.approx(y(p["copies"]), abs=0.15)
    grid = [float(g.get("y1")) for g in find(root, "vl-chart__grid")]
    assert all(min(grid) <= py <= max(grid) for _px, py in polyline(root))


@pytest.mark.parametrize("name", COURSES)
def test_reference_lines_at_the_llod_200_and_1000_labelled_in_text(name):
    c = COURSES[name]
    root = draw(c)
    y = y_scale(root)
    expected = {"llod": c["llod"], "failure": 200, "resistance": 1000}
    for kind, copies in expected.items():
        (line,) = find(root, f"vl-chart__ref--{kind}")
        assert float(line.get("y1")) == float(line.get("y2")) == pytest.approx(y(copies), abs=0.15)
    labels = [e.text for e in find(root, "vl-chart__ref-label")]
    assert sorted(labels) == sorted([f"LLOD {c['llod']}", "200", "1,000"])
    # Labels at least a line of text apart, even when the lines are close (a 1e9 course).
    ys = sorted(float(e.get("y")) for e in find(root, "vl-chart__ref-label"))
    assert all(b - a >= 11.9 for a, b in zip(ys, ys[1:], strict=False))


def test_the_y_axis_reaches_a_billion_and_stays_readable():
    root = draw(HUGE)
    decades = sorted(float(e.get("data-copies")) for e in find(root, "vl-chart__grid"))
    assert decades[0] <= 10 and decades[-1] >= 1e9
    labels = [e for e in find(root, "vl-chart__tick-label") if e.get("text-anchor") == "end"]
    ys = sorted(float(e.get("y")) for e in labels)
    assert all(b - a >= 14 for a, b in zip(ys, ys[1:], strict=False))  # no label on another
    assert "10⁹" in {e.text for e in labels} or "10¹⁰" in {e.text for e in labels}


def test_episode_spans_cover_their_weeks_and_are_named_in_text():
    for c in (REBOUND, DATED):
        root = draw(c)
        x = x_scale(root)
        spans = find(root, "vl-chart__episode")
        spans = [s for s in spans if s.get("data-episode") is not None]
        assert len(spans) == len(c["episodes"])
        labels = find(root, "vl-chart__episode-label")
        for span, label, episode in zip(spans, labels, c["episodes"], strict=True):
            left, width = float(span.get("x")), float(span.get("width"))
            assert left <= x(episode["start_week"]) < x(episode["end_week"]) <= left + width
            assert f"vl-chart__episode--{episode['kind']}" in classes(span)
            assert span.get("stroke")  # outlined, not a fill alone
            assert label.text.startswith(episode["label"])
            assert label.get("data-episode") == span.get("data-episode")
    ongoing = draw(DATED)
    (span,) = [s for s in find(ongoing, "vl-chart__episode") if s.get("data-episode")]
    axis_right = max(float(g.get("x2")) for g in find(ongoing, "vl-chart__grid"))
    assert float(span.get("x")) + float(span.get("width")) == pytest.approx(axis_right)
    assert "vl-chart__episode--unconfirmed" in classes(span)
    assert find(ongoing, "vl-chart__episode-label")[0].text == "Repeated results ≥200, ongoing"


def test_stop_and_restart_are_drawn_at_their_week_and_named():
    root = draw(DATED)
    x = x_scale(root)
    for kind, week in (("stopped", 56.0), ("restarted", 60.0)):
        (line,) = find(root, f"vl-chart__event--{kind}")
        assert float(line.get("x1")) == pytest.approx(x(week), abs=0.15)
    assert [e.text for e in find(root, "vl-chart__event-label")] == ["Stopped", "Restarted"]
    labels = find(root, "vl-chart__event-label") + find(root, "vl-chart__episode-label")
    boxes = sorted((float(e.get("y")), float(e.get("x")), len(e.text)) for e in labels)
    assert len({y for y, _x, _n in boxes}) >= 2  # close labels went to a second row
    for (ya, xa, na), (yb, xb, _nb) in zip(boxes, boxes[1:], strict=False):
        assert ya != yb or xb - xa >= na * 12 * 0.5  # in one row, each clear of the next


def test_dated_points_give_date_tick_labels():
    root = draw(DATED)
    dates = [e.text for e in find(root, "vl-chart__tick-label--date")]
    weeks = [e.get("data-week") for e in find(root, "vl-chart__tick")]
    assert len(dates) == len(weeks) and dates[0] == "Jan 2024"
    assert "Jun 2024" in dates  # week 24 = 2024-06-26
    assert not find(draw(REBOUND), "vl-chart__tick-label--date")


def test_the_legend_names_every_shape_drawn_and_the_llod_in_words():
    root = draw(REBOUND)
    items = find(root, "vl-chart__legend-item")
    words = [i.find(SVG + "text").text for i in items]
    assert words[0].startswith("<LLOD (<50)")
    for mark, (shape, text, _table_words) in MARKS.items():
        drawn = any(p["mark"] == mark and not p["below_llod"] for p in REBOUND["points"])
        assert (text in words) == drawn
        if drawn:
            (item,) = [i for i in items if f"vl-chart__legend-item--{mark}" in classes(i)]
            assert find(item, f"vl-chart__marker--{shape}")
    assert "Episode (hatched span)" in words
    assert [i.find(SVG + "text").text for i in find(draw(ALL_BELOW), "vl-chart__legend-item")] == [
        "<LLOD (<50), drawn on it"
    ]


def test_text_is_escaped():
    c = copy.deepcopy(REBOUND)
    c["episodes"][0]["label"] = 'Rebound <b>"&'
    svg = render_svg(c, title="<script>alert(1)</script>", description="a & b", id_prefix="x")
    assert "<script>" not in svg and "<b>" not in svg
    root = ET.fromstring(svg)
    assert find(root, "vl-chart__episode-label")[0].text == 'Rebound <b>"&'
    assert root.find(SVG + "title").text == "<script>alert(1)</script>"
    # Control characters XML forbids are dropped, not left to break the page's parser.
    bad = render_svg(REBOUND, title="a\x01b\x1f", description="c\x0bd", id_prefix="x")
    assert [ET.fromstring(bad)[i].text for i in (0, 1)] == ["ab", "cd"]


def test_the_same_course_gives_the_same_bytes():
    for c in COURSES.values():
        first = render_svg(c, title="t", description="d")
        assert render_svg(copy.deepcopy(c), title="t", description="d") == first
        assert render_table(copy.deepcopy(c)) == render_table(c)
    assert render_svg(REBOUND, title="t", description="d") != render_svg(
        DATED, title="t", description="d"
    )


def test_crowded_courses_keep_markers_and_the_plot_inside_the_view():
    root = draw(MANY)
    width = float(root.get("viewBox").split()[2])
    assert all(0 <= x <= width for x, _y in polyline(root))
    assert len(find(root, "vl-chart__marker")) >= 130
    weeks = [e.get("data-week") for e in find(root, "vl-chart__tick")]
    assert 2 <= len(weeks) <= 6


@pytest.mark.parametrize("name", COURSES)
def test_text_stays_readable_on_a_375px_phone(name):
    """At 343 px (a 375-px screen less Material's margins) no text is drawn below 10 px, the
    week labels do not run into each other, and nothing starts outside the view."""
    root = draw(COURSES[name])
    _x, _y, width, _height = map(float, root.get("viewBox").split())
    assert width == WIDTH
    scale = 343 / width
    sizes = {float(root.get("font-size"))} | {
        float(m) for m in re.findall(r"font-size:\s*([\d.]+)px", CSS.read_text())
    }
    assert min(sizes) * scale >= 10
    ticks = sorted(float(e.get("x1")) for e in find(root, "vl-chart__tick"))
    longest = max(len(e.text) for e in find(root, "vl-chart__tick-label"))
    assert all(b - a >= longest * 12 * 0.6 for a, b in zip(ticks, ticks[1:], strict=False))
    for text in root.iter(SVG + "text"):
        if text.get("transform") is None:
            assert 0 <= float(text.get("x")) <= width


def test_one_point_and_no_point():
    root = draw(ONE)
    assert len(find(root, "vl-chart__point")) == 1
    empty = draw(course([]))
    assert not find(empty, "vl-chart__point")
    assert find(empty, "vl-chart__empty")[0].text == "No results to draw"


def test_the_svg_carries_no_colour_only_classes():
    svg = render_svg(REBOUND, title="t", description="d")
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|rgb|hsl|style=", svg)
    assert all(
        value in ("none", "currentColor") or value.startswith("url(#")
        for value in re.findall(r'(?:fill|stroke)="([^"]*)"', svg)
    )


def test_the_stylesheet_covers_light_dark_and_print_and_every_class_it_styles_exists():
    css = CSS.read_text()
    assert '[data-md-color-scheme="slate"] .vl-chart' in css
    assert "@media print" in css
    print_block = css[css.index("@media print") :]
    for prop in sorted(set(re.findall(r"(--vl-[a-z-]+):", css))):
        assert f"{prop}:" in print_block, f"{prop} is not set for print"
    drawn_courses = [*COURSES.values(), *(unclassified(c) for c in COURSES.values())]
    svg = "".join(render_svg(c, title="t", description="d") for c in drawn_courses)
    for cls in sorted(set(re.findall(r"\.(vl-chart__[a-z-]+)", css))):
        assert cls in svg, f"chart.css styles .{cls}, which the renderer never writes"
    # Everything that draws a line or a shape takes its colour from a rule.
    styled = set(re.findall(r"\.(vl-chart__[a-z-]+)", css))
    drawn = ("grid", "axis", "tick", "ref", "line", "marker", "episode", "event", "hatch-line")
    assert {f"vl-chart__{name}" for name in drawn} <= styled


def test_mkdocs_loads_the_stylesheet():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert "assets/stylesheets/chart.css" in config["extra_css"]


def test_the_table_gives_the_same_data_in_lab_wording():
    table = ET.fromstring(render_table(REBOUND))
    assert table.find("caption").text
    head = [th.text for th in table.find("thead").iter("th")]
    assert head == ["Week", "Viral load (copies/mL)", "Reading"]
    assert {th.get("scope") for th in table.find("thead").iter("th")} == {"col"}
    rows = table.find("tbody").findall("tr")
    assert len(rows) == len(REBOUND["points"])
    cells = [[c.text for c in row] for row in rows]
    assert [row[0].get("scope") for row in rows] == ["row"] * len(rows)
    assert cells[0] == ["0", "85,000", "Before suppression"]
    assert cells[2] == ["12", "<50", "Suppressed"]
    assert cells[4] == ["20", "150", "Blip"]
    assert cells[5] == ["24", "5,000", "Episode: Confirmed rebound"]
    assert cells[8] == ["36", "600", "Not yet confirmed"]
    assert "&lt;50" in render_table(REBOUND)


def test_the_table_has_a_date_column_when_results_are_dated():
    table = ET.fromstring(render_table(DATED))
    assert [th.text for th in table.find("thead").iter("th")][:2] == ["Week", "Date"]
    first = [c.text for c in table.find("tbody").find("tr")]
    assert first == ["0", "2024-01-10", "120,000", "Before suppression"]
    huge = [c.text for c in ET.fromstring(render_table(HUGE)).find("tbody").find("tr")]
    assert huge[1] == "1,000,000,000"


@pytest.mark.node
def test_pyodide_draws_the_same_bytes_as_cpython(tmp_path):
    """The walkthrough's worker (Pyodide) and the generator (CPython) draw the same chart."""
    courses = tmp_path / "courses.json"
    courses.write_text(json.dumps(COURSES))
    pyodide = json.loads(run_node("chart_replay.mjs", ROOT / "logic" / "chart.py", courses))
    assert pyodide["python"] >= [3, 14]
    for name, c in COURSES.items():
        assert pyodide["svg"][name] == render_svg(c, title=name, description="d", id_prefix=name)
        assert pyodide["table"][name] == render_table(c)


@st.composite
def courses(draw_):
    """Random valid courses: 1–120 results at increasing weeks, any level up to 1e9, dated or
    not, with episodes over runs of results and perhaps a stop and a restart."""
    n = draw_(st.integers(1, 120))
    gaps = draw_(st.lists(st.floats(0.1, 60), min_size=n, max_size=n))
    weeks = [round(sum(gaps[:i]), 2) for i in range(n)]
    llod = draw_(st.sampled_from([20, 40, 50, 200]))
    dated = draw_(st.booleans())
    points = []
    for i, week in enumerate(weeks):
        below = draw_(st.booleans())
        copies = float(llod - 1) if below else draw_(st.floats(llod, 1e9))
        day = f"2020-01-{1 + i % 28:02d}" if dated else None  # only the first date sets the axis
        points.append(point(week, copies, draw_(st.sampled_from(list(MARKS))), below, day))
    episodes = []
    start = 0
    while start < n and draw_(st.booleans()):
        end = draw_(st.integers(start, min(n - 1, start + 5)))
        episodes.append(
            {
                "kind": draw_(st.sampled_from(["rebound", "low_level_viremia"])),
                "label": draw_(st.text(min_size=1, max_size=30)),
                "start_week": weeks[start],
                "end_week": weeks[end],
                "points": list(range(start, end + 1)),
                "confirmed": draw_(st.booleans()),
                "ongoing": end == n - 1,
            }
        )
        start = end + 2
    stopped = draw_(st.none() | st.just(weeks[-1] + 4))
    return course(points, episodes, llod=llod, stopped=stopped)


@settings(max_examples=40, deadline=None)
@given(courses())
def test_any_valid_course_draws_inside_its_view(c):
    svg = render_svg(c, title="t", description="d")
    assert svg == render_svg(copy.deepcopy(c), title="t", description="d")
    root = ET.fromstring(svg)
    _x, _y, width, height = map(float, root.get("viewBox").split())
    assert len(find(root, "vl-chart__point")) == len(c["points"])
    grid = [float(e.get("y1")) for e in find(root, "vl-chart__grid")]
    plot_left = min(float(e.get("x1")) for e in find(root, "vl-chart__grid"))
    plot_right = max(float(e.get("x2")) for e in find(root, "vl-chart__grid"))
    for x, y in polyline(root):
        assert plot_left <= x <= plot_right and min(grid) <= y <= max(grid)
    for text in root.iter(SVG + "text"):
        assert 0 <= float(text.get("y")) <= height
    table = ET.fromstring(render_table(c))
    assert len(table.find("tbody").findall("tr")) == len(c["points"])
