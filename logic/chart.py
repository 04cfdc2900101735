"""The viral-load course (``result["course"]``) as an accessible inline SVG and as an HTML table.

Pure standard library: the generator calls it at build time and the walkthrough's worker calls
it in Pyodide, so both draw the same picture. The output is deterministic (same course, same
bytes) and every piece of text in it is escaped.

The picture: copies/mL on a log10 axis against weeks on the regimen (with dates under the weeks
when the results carry them); reference lines at the LLOD, the failure level (200) and the level
for a resistance test (1,000), each labelled in text; each result a marker whose *shape* says
how logic classified it (below-LLOD results sit on the LLOD line as open down-pointing
triangles); episodes as hatched, outlined spans with their label written above the plot; a
legend in words. Colours come from CSS classes (``vl-chart__…``, see
``site_overrides/assets/stylesheets/chart.css``), never from the markup, and no meaning rests on
colour alone.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from html import escape as _escape

# Geometry in viewBox units. 400 wide: on a 375-px phone the chart is drawn at about 0.85 scale,
# so 13-unit text stays near 11 px; the stylesheet caps the width on large screens.
WIDTH = 400
LEFT, RIGHT = 60, 64  # y axis title and tick labels ("1,000"); reference-line labels
PLOT_HEIGHT = 200
FONT = 13  # tick labels, legend
SMALL = 12  # reference-line and episode labels
ROW = 16  # one row of labels above the plot
CHAR = 0.56  # average glyph width as a share of the font size, for layout estimates
WEEK_STEPS = (1, 2, 4, 8, 12, 24, 48, 96, 144, 192, 240, 480, 960, 1920)
# Month names of our own, not strftime's, which follow the locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")

# mark -> (marker shape, legend words, words in the table). Order is the legend's order.
MARKS = {
    "before_suppression": ("circle", "Before suppression", "Before suppression"),
    "suppressed": ("circle-open", "Suppressed, detected", "Suppressed"),
    "blip": ("diamond", "Blip", "Blip"),
    "low_level": ("square", "Low-level viremia", "Low-level viremia"),
    "episode": ("triangle-up", "Result in an episode", "Episode"),
    "unconfirmed": ("plus", "Not yet confirmed", "Not yet confirmed"),
    "detectable": ("cross", "Detectable result", "Detectable"),  # unclassified (quiz pages)
}
BELOW = "triangle-down-open"  # any result below the LLOD, whatever its mark


def _esc(text: str) -> str:
    """Escaped for XML and HTML, without the control characters XML 1.0 forbids."""
    return _escape(_CONTROL.sub("", text))


def _num(value: float, digits: int = 1) -> str:
    """Shortest text of ``value`` rounded to ``digits`` decimals: 12.0 -> "12", 12.25 -> "12.2"
    (coordinates, weeks). The hot spot of a render: kept to a round and a repr."""
    rounded = round(value, digits)
    whole = int(rounded)
    return str(whole) if rounded == whole else repr(rounded)


def _copies(value: float) -> str:
    """As a lab prints it: 5000 -> "5,000"."""
    return f"{round(value):,}"


def _value(point: dict, llod: float) -> str:
    return "<" + _copies(llod) if point["below_llod"] else _copies(point["copies"])


def _decade(power: int) -> str:
    if power <= 3:
        return f"{10**power:,}"
    if power <= 8:
        return f"{10 ** (power % 3)}{'kM'[power // 3 - 1]}"
    return "10" + str(power).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _line(cls: str, x1, y1, x2, y2, data: str = "") -> str:
    n = _num
    return (
        f'<line class="{cls}"{data} x1="{n(x1)}" y1="{n(y1)}" x2="{n(x2)}" y2="{n(y2)}" '
        'stroke="currentColor"/>'
    )


def _text(cls: str, x: float, y: float, text: str, extra: str = "") -> str:
    return f'<text class="{cls}" x="{_num(x)}" y="{_num(y)}"{extra}>{_esc(text)}</text>'


def _span(cls: str, x: float, y: float, width: float, height: float, p: str, data="") -> str:
    """A hatched, outlined rectangle (an episode, or its legend swatch)."""
    return (
        f'<rect class="{cls}"{data} x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" '
        f'height="{_num(height)}" fill="url(#{p}-hatch)" stroke="currentColor"/>'
    )


def _origin(points: list[dict]) -> date | None:
    """Day 0 of the regimen, from the first dated result (weeks were derived from dates)."""
    for point in points:
        if point.get("date"):
            return date.fromisoformat(point["date"]) - timedelta(days=round(point["week"] * 7))
    return None


def _week_ticks(first: float, last: float, most: int) -> tuple[float, float, list[int]]:
    """The week axis: its domain and ticks (a standard step, at most ``most`` ticks)."""
    start = 0.0 if first <= 0.3 * last else first  # from week 0 unless that squeezes the data
    span = max(last - start, 4.0)
    step = next((s for s in WEEK_STEPS if span / s <= most - 1), WEEK_STEPS[-1])
    if start:
        start = math.floor(start / step) * step
    end = max(last, start + 4.0)
    ticks = list(range(int(math.ceil(start / step) * step), int(end) + 1, step))
    return start, end, ticks


class _Layout:
    """Maps weeks and copies/mL to viewBox coordinates."""

    def __init__(self, course: dict, top: float) -> None:
        points = course["points"]
        self.llod = llod = float(course["llod"])
        weeks = [p["week"] for p in points] or [0.0]
        events = [course.get(key) for key in ("stopped_week", "restarted_week")]
        events = [w for w in events if w is not None]
        self.origin = _origin(points)
        self.x0, self.x1, self.ticks = _week_ticks(
            min([*weeks, *events]), max([*weeks, *events]), 5 if self.origin else 6
        )
        levels = [p["copies"] for p in points if not p["below_llod"] and p["copies"] > 0]
        refs = [llod, float(course["failure_copies"]), float(course["resistance_test_copies"])]
        self.lo = math.floor(math.log10(min([*levels, *refs])) - 0.1)
        self.hi = math.ceil(math.log10(max([*levels, *refs])) + 0.1)
        self.top, self.bottom = top, top + PLOT_HEIGHT
        self.left, self.right = LEFT, WIDTH - RIGHT
        self.pad = 8.0  # keeps markers at the first and last week inside the plot

    def x(self, week: float) -> float:
        share = (week - self.x0) / (self.x1 - self.x0)
        return self.left + self.pad + share * (self.right - self.left - 2 * self.pad)

    def y(self, copies: float) -> float:
        share = (math.log10(copies) - self.lo) / (self.hi - self.lo)
        return self.bottom - share * PLOT_HEIGHT

    def point_y(self, point: dict) -> float:
        below = point["below_llod"] or point["copies"] <= 0
        return self.y(self.llod if below else point["copies"])


def _marker(shape: str, x: float, y: float, r: float) -> str:
    n = _num
    cls = f'class="vl-chart__marker vl-chart__marker--{shape}"'
    if shape in ("circle", "circle-open"):
        return f'<circle {cls} cx="{n(x)}" cy="{n(y)}" r="{n(r)}"/>'
    if shape == "square":
        s = r * 0.9
        return f'<rect {cls} x="{n(x - s)}" y="{n(y - s)}" width="{n(2 * s)}" height="{n(2 * s)}"/>'
    if shape == "plus":
        s = r * 1.2
        d = f"M{n(x - s)} {n(y)}H{n(x + s)}M{n(x)} {n(y - s)}V{n(y + s)}"
        return f'<path {cls} d="{d}" fill="none" stroke="currentColor"/>'
    if shape == "cross":
        lo_x, hi_x, lo_y, hi_y = n(x - r), n(x + r), n(y - r), n(y + r)
        d = f"M{lo_x} {lo_y}L{hi_x} {hi_y}M{lo_x} {hi_y}L{hi_x} {lo_y}"
        return f'<path {cls} d="{d}" fill="none" stroke="currentColor"/>'
    corners = {
        "diamond": ((0, -1.35), (1.35, 0), (0, 1.35), (-1.35, 0)),
        "triangle-up": ((-1.2, 0.85), (1.2, 0.85), (0, -1.25)),
        BELOW: ((-1.2, -0.85), (1.2, -0.85), (0, 1.25)),
    }[shape]
    d = "M" + "L".join(f"{n(x + dx * r)} {n(y + dy * r)}" for dx, dy in corners) + "Z"
    return f'<path {cls} d="{d}"/>'


def _point_title(point: dict, llod: float, episode: str | None) -> str:
    when = f"Week {_num(point['week'])}" + (f" ({point['date']})" if point.get("date") else "")
    words = episode or _words(point["mark"])
    below = " (below the LLOD)" if point["below_llod"] else ""
    return f"{when}: {_value(point, llod)} copies/mL{below}. {words}"


def _words(mark: str) -> str:
    return MARKS[mark][2] if mark in MARKS else mark


def _episode_of(course: dict) -> dict[int, str]:
    return {i: e["label"] for e in course.get("episodes", []) for i in e.get("points", [])}


def render_svg(course: dict, *, title: str, description: str, id_prefix: str = "vl") -> str:
    """The course as an inline SVG (role="img", named by its <title>, described by its <desc>).

    ``id_prefix`` makes the ids unique when a page holds several charts."""
    if not _ID.match(id_prefix):
        raise ValueError(f"id_prefix {id_prefix!r}: use a letter, then letters, digits, - or _")
    points, episodes, p = course["points"], course.get("episodes", []), _esc(id_prefix)
    top, labels = _top_labels(course, episodes)
    at = _Layout(course, top)

    legend_top = at.bottom + (64 if at.origin else 50)  # under the x axis' title
    legend = _legend_entries(points, episodes, float(course["llod"]))
    height = legend_top + (len(legend) + 1) // 2 * 20 + 4

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="vl-chart" viewBox="0 0 {WIDTH} '
        f'{_num(height)}" role="img" aria-labelledby="{p}-title {p}-desc" '
        f'font-family="sans-serif" font-size="{FONT}">',
        f'<title id="{p}-title">{_esc(title)}</title>',
        f'<desc id="{p}-desc">{_esc(description)}</desc>',
        f'<defs><pattern id="{p}-hatch" class="vl-chart__hatch" patternUnits="userSpaceOnUse" '
        'width="6" height="6" patternTransform="rotate(45)">'
        '<rect class="vl-chart__hatch-bg" width="6" height="6" fill="none"/>'
        '<path class="vl-chart__hatch-line" d="M0 0V6" stroke="currentColor"/></pattern></defs>',
    ]
    out += _axes(at)
    out += _episodes(at, episodes, p)
    out += labels
    for key, kind in (("stopped_week", "stopped"), ("restarted_week", "restarted")):
        if course.get(key) is not None:
            x, data = at.x(course[key]), f' data-week="{_num(course[key], 2)}"'
            cls = f"vl-chart__event vl-chart__event--{kind}"
            out.append(_line(cls, x, at.top, x, at.bottom, data))
    out += _references(at, course)
    out += _points(at, points, _episode_of(course))
    out += _legend(legend, legend_top, p)
    out.append("</svg>")
    return "\n".join(out)


def _top_labels(course: dict, episodes: list[dict]) -> tuple[float, list[str]]:
    """Episode names and the regimen's stop and restart, written above the plot near their
    week, in as many rows as keep them apart (first fit). Returns the plot's top and the text."""
    probe = _Layout(course, 0)  # the x scale does not depend on the top
    items = []
    for index, episode in enumerate(episodes):
        text = episode["label"]
        if episode.get("ongoing") and "ongoing" not in text.lower():
            text += ", ongoing"
        items.append((episode["start_week"], text, f'episode-label" data-episode="{index}'))
    for key, text in (("stopped_week", "Stopped"), ("restarted_week", "Restarted")):
        if course.get(key) is not None:
            items.append((course[key], text, "event-label"))
    ends: list[float] = []  # right end of the last label in each row
    out = []
    for week, text, cls in items:
        width = len(text) * SMALL * CHAR
        left = max(4.0, min(probe.x(week) - 2, WIDTH - 4 - width))
        row = next((i for i, end in enumerate(ends) if end + 6 <= left), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = left + width
        out.append(_text(f"vl-chart__{cls}", left, 12 + row * ROW + SMALL * 0.8, text))
    return (18 + len(ends) * ROW if ends else 14), out


def _axes(at: _Layout) -> list[str]:
    out = ['<g class="vl-chart__axes">']
    middle = ' text-anchor="middle"'
    for power in range(at.lo, at.hi + 1):
        y = at.y(10**power)
        out.append(_line("vl-chart__grid", at.left, y, at.right, y, f' data-copies="{10**power}"'))
        # Past seven decades, every other label (a 1e9 course still reads on a phone).
        if (at.hi - at.lo) <= 7 or (power - at.lo) % 2 == 0:
            label = _decade(power)
            out.append(
                _text("vl-chart__tick-label", at.left - 5, y + 4, label, ' text-anchor="end"')
            )
    for week in at.ticks:
        x = at.x(week)
        out.append(_line("vl-chart__tick", x, at.bottom, x, at.bottom + 4, f' data-week="{week}"'))
        out.append(_text("vl-chart__tick-label", x, at.bottom + 17, str(week), middle))
        if at.origin is not None:
            day = at.origin + timedelta(days=round(week * 7))
            month = f"{MONTHS[day.month - 1]} {day.year}"
            cls = "vl-chart__tick-label vl-chart__tick-label--date"
            out.append(_text(cls, x, at.bottom + 32, month, middle))
    out.append(
        f'<path class="vl-chart__axis" d="M{at.left} {_num(at.top)}V{_num(at.bottom)}H{at.right}" '
        'fill="none" stroke="currentColor"/>'
    )
    x_title = "Weeks on the regimen" + (" (and date)" if at.origin else "")
    below = at.bottom + (50 if at.origin else 36)
    out.append(_text("vl-chart__axis-title", (at.left + at.right) / 2, below, x_title, middle))
    mid = at.top + PLOT_HEIGHT / 2
    turn = f'{middle} transform="rotate(-90 13 {_num(mid)})"'
    out.append(_text("vl-chart__axis-title", 13, mid, "copies/mL (log scale)", turn))
    out.append("</g>")
    return out


def _references(at: _Layout, course: dict) -> list[str]:
    """The LLOD, 200 and 1,000 lines, labelled in the right margin, labels kept apart."""
    lines = sorted(
        (float(course[key]), kind, prefix + _copies(course[key]))
        for key, kind, prefix in (
            ("llod", "llod", "LLOD "),
            ("failure_copies", "failure", ""),
            ("resistance_test_copies", "resistance", ""),
        )
    )
    out = ['<g class="vl-chart__refs">']
    label_y = math.inf
    for copies, kind, text in lines:  # bottom to top: each label clear of the one below
        y = at.y(copies)
        label_y = min(y + 4, label_y - SMALL)
        data = f' data-copies="{_num(copies, 3)}"'
        out.append(_line(f"vl-chart__ref vl-chart__ref--{kind}", at.left, y, at.right, y, data))
        cls = f"vl-chart__ref-label vl-chart__ref-label--{kind}"
        out.append(_text(cls, at.right + 4, label_y, text))
    out.append("</g>")
    return out


def _episodes(at: _Layout, episodes: list[dict], p: str) -> list[str]:
    out = []
    for index, episode in enumerate(episodes):
        left = at.x(episode["start_week"]) - 6
        right = at.right if episode.get("ongoing") else at.x(episode["end_week"]) + 6
        state = "confirmed" if episode.get("confirmed") else "unconfirmed"
        kinds = f"vl-chart__episode--{_esc(episode['kind'])} vl-chart__episode--{state}"
        cls = f"vl-chart__episode {kinds}"
        weeks = f"{_num(episode['start_week'], 2)}–{_num(episode['end_week'], 2)}"
        data = f' data-episode="{index}" data-weeks="{weeks}"'
        out.append(_span(cls, left, at.top, right - left, PLOT_HEIGHT, p, data))
    return out


def _points(at: _Layout, points: list[dict], episode_of: dict[int, str]) -> list[str]:
    if not points:
        middle = ((at.left + at.right) / 2, at.top + PLOT_HEIGHT / 2)
        return [_text("vl-chart__empty", *middle, "No results to draw", ' text-anchor="middle"')]
    # Smaller markers when results crowd the axis (>100 results stay distinguishable).
    r = max(2.5, min(5.0, (at.right - at.left) / len(points) / 2.5))
    coords = [(at.x(pt["week"]), at.point_y(pt)) for pt in points]
    line = " ".join(f"{_num(x)},{_num(y)}" for x, y in coords)
    out = [f'<polyline class="vl-chart__line" points="{line}" fill="none" stroke="currentColor"/>']
    for index, (point, (x, y)) in enumerate(zip(points, coords, strict=True)):
        mark = point["mark"]
        shape = BELOW if point["below_llod"] else MARKS[mark][0] if mark in MARKS else "circle"
        below = " vl-chart__point--below-llod" if point["below_llod"] else ""
        title = _point_title(point, at.llod, episode_of.get(index))
        out.append(
            f'<g class="vl-chart__point vl-chart__point--{_esc(mark)}{below}" '
            f'data-shape="{shape}" data-week="{_num(point["week"], 2)}">'
            f"<title>{_esc(title)}</title>{_marker(shape, x, y, r)}</g>"
        )
    return out


def _legend_entries(points: list[dict], episodes: list[dict], llod: float) -> list[tuple]:
    """(kind, shape or None, words) for what the chart shows, in a fixed order."""
    entries: list[tuple] = []
    if any(pt["below_llod"] for pt in points):
        entries.append(("below-llod", BELOW, f"<LLOD (<{_copies(llod)}), drawn on it"))
    shown = {pt["mark"] for pt in points if not pt["below_llod"]}
    entries += [(mark, shape, words) for mark, (shape, words, _) in MARKS.items() if mark in shown]
    if episodes:
        entries.append(("episode-span", None, "Episode (hatched span)"))
    return entries


def _legend(entries: list[tuple], top: float, p: str) -> list[str]:
    out = ['<g class="vl-chart__legend">']
    column = (WIDTH - 16) / 2
    for i, (kind, shape, words) in enumerate(entries):
        x = 8 + (i % 2) * column
        y = top + (i // 2) * 20
        if shape is None:
            swatch = _span("vl-chart__episode vl-chart__episode--confirmed", x, y - 6, 16, 12, p)
        else:
            swatch = _marker(shape, x + 8, y, 5)
        out.append(f'<g class="vl-chart__legend-item vl-chart__legend-item--{kind}">{swatch}')
        out.append(_text("vl-chart__legend-text", x + 22, y + 4.5, words) + "</g>")
    out.append("</g>")
    return out


def render_table(course: dict, *, caption: str = "Viral load results on this regimen") -> str:
    """The chart's data as an HTML table: week (and date), the value as the lab words it, and
    how logic read it."""
    llod, points, episode_of = course["llod"], course["points"], _episode_of(course)
    dated = any(pt.get("date") for pt in points)
    names = ["Week", *(["Date"] if dated else []), "Viral load (copies/mL)", "Reading"]
    head = [f'<th scope="col">{name}</th>' for name in names]
    rows = []
    for index, point in enumerate(points):
        reading = _words(point["mark"])
        if index in episode_of:
            reading = f"{reading}: {episode_of[index]}"
        cells = [f'<th scope="row">{_num(point["week"])}</th>']
        if dated:
            cells.append(f"<td>{_esc(point.get('date') or '')}</td>")
        cells += [f"<td>{_esc(_value(point, llod))}</td>", f"<td>{_esc(reading)}</td>"]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head_row = "<thead><tr>" + "".join(head) + "</tr></thead>"
    top = ['<table class="vl-table">', f"<caption>{_esc(caption)}</caption>", head_row]
    return "\n".join([*top, "<tbody>", *rows, "</tbody>", "</table>"])


def course_figure(course: dict, id_prefix: str = "vl") -> dict[str, str]:
    """The chart and its table for a result's course, named and described from the course's
    own summary: what the walkthrough and the teacher's sheets show beside an answer."""
    summary = course.get("summary") or []
    return {
        "svg": render_svg(
            course,
            title="Viral-load course on the current regimen",
            description=" ".join(summary) or "Viral-load results on the current regimen.",
            id_prefix=id_prefix,
        ),
        "table": render_table(course),
    }


def unclassified(course: dict) -> dict:
    """The same results without logic's reading (no episodes, no blip or episode marks): for a
    trainee's case page, where the classification is the question being asked."""
    points = [
        {**p, "mark": "suppressed" if p["below_llod"] else "detectable"} for p in course["points"]
    ]
    return {**course, "points": points, "episodes": [], "summary": []}
