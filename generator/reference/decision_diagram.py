"""The decision map as a picture: an inline SVG flowchart of logic's decision tables.

One column, top to bottom: a header node per stage (``data-stage``), then a node per rule
(``data-rule``, linking to its card ``#rule-<id>``) with its conditions in the map's words and
what it concludes, then a node per Table 11 row (``data-scenario``, linking to ``#map-row-<id>``).
The cards are on the same page, or (the walkthrough) on the page at ``cards_url``.
In a "first match" table an arrow marked "else" leads from each rule to the next.

The column is 328 units wide so that on a 375-px phone the text keeps about its set size; SVG
cannot wrap text, so lines are broken here with a conservative estimate of glyph widths (a
browser test checks that no line overflows its box). Colours are Material's custom properties
(reference.css), so the picture follows the light and dark schemes and prints.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from html import escape
from typing import Any

from logic import Guideline

# The words of a condition (decision_map.Describer.condition) and the label of a row: the map
# passes them in, so this module needs nothing from it.
Condition = Callable[[str, Any], str]
RowLabel = Callable[[str], str]

WIDTH = 328  # the content width of a 375-px phone under either builder: text at its set size
GUTTER = 22  # left of the boxes: the "else" arrows and the on-path tick
BOX_X, BOX_W = GUTTER, WIDTH - GUTTER - 4
PAD = 7
LINE = {"small": 15, "main": 17}
SIZE = {"small": 12, "main": 13}
ID_SEP = "\u2002"  # after a rule's id, in the text to wrap: drawn as a space
EM_WIDTH = 0.6  # wider than Roboto's or Arial's average glyph, so lines never overflow


def plain(markdown: str) -> str:
    """Text of a Markdown fragment with links ([label](href)) and tags removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"<[^>]+>", "", text)


def wrap(text: str, size: str, width: float = BOX_W - 2 * PAD) -> list[str]:
    chars = int(width / (SIZE[size] * EM_WIDTH))
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


def first_clause(text: str) -> str:
    return re.split(r"[:.](?:\s|$)", text, maxsplit=1)[0]


def outcome(then: dict[str, Any], row_label: Callable[[str], str], g: Guideline) -> str:
    """What a rule concludes, in a few words (its card says it in full)."""
    parts = []
    if "response" in then:
        parts.append(g.responses[then["response"]]["label"])
    if "level" in then:
        parts.append(g.viremia_levels[then["level"]]["label"])
    if "scenario" in then:
        parts.append("Table 11 row: " + row_label(then["scenario"]))
    elif "ask" in then:
        parts.append("Ask: " + "; ".join(g.fields[f]["label"] for f in then["ask"]))
    elif "reason" in then:
        parts.append("No row: " + first_clause(g.reasons[then["reason"]]["text"]))
    if "repeat" in then:
        parts.append("repeat the viral load")
    if "recommendations" in then:
        count = len(then["recommendations"])
        parts.append(f"{count} recommendation{'s' if count > 1 else ''}")
    if "caution" in then:
        parts.append("Caution: " + g.cautions[then["caution"]]["title"])
    return "; ".join(parts)


class Drawing:
    def __init__(self) -> None:
        self.y = 0
        self.parts: list[str] = []

    def text_lines(self, lines: list[tuple[str, str, str]], x: float) -> None:
        """Lines of (size, css class, text), top-aligned at self.y."""
        for size, css, line in lines:
            self.y += LINE[size]
            rule_id, sep, rest = line.partition(ID_SEP)  # a rule's id starts its first line
            if sep:
                line = f'<tspan class="dmap-d-id">{escape(rule_id)}</tspan> {escape(rest)}'
            else:
                line = escape(line)
            self.parts.append(f'<text class="{css}" x="{x}" y="{self.y - 4}">{line}</text>')

    def node(
        self, attrs: str, href: str, lines: list[tuple[str, str, str]], css: str, x: float = BOX_X
    ) -> None:
        height = sum(LINE[size] for size, _, _ in lines) + 2 * PAD
        width = WIDTH - 4 - x
        # xlink:href, not href: Material's instant navigation assigns a.href = ... to every
        # [href] it loads, which throws on an SVG link (its href is read-only).
        self.parts.append(f'<a xlink:href="{href}" class="dmap-d-node {css}" {attrs}>')
        self.parts.append(
            f'<rect class="dmap-d-box" x="{x}" y="{self.y}" width="{width}" height="{height}"'
            ' rx="4"/>'
        )
        self.parts.append(
            f'<text class="dmap-d-mark" x="{GUTTER / 2}" y="{self.y + 18}"'
            ' text-anchor="middle" aria-hidden="true">✓</text>'
        )
        top = self.y
        self.y += PAD
        self.text_lines(lines, x + PAD)
        self.y = top + height
        self.parts.append("</a>")

    def arrow(self, length: float, x: float, label: str = "") -> None:
        top, self.y = self.y, self.y + length
        self.parts.append(
            f'<path class="dmap-d-edge" d="M{x} {top} V{self.y - 1}"/>'
            f'<path class="dmap-d-head" d="M{x - 4} {self.y - 6} L{x} {self.y}'
            f' L{x + 4} {self.y - 6} z"/>'
        )
        if label:
            self.parts.append(
                f'<text class="dmap-d-edge-label" x="{x + 6}" y="{top + length / 2 + 4}">'
                f"{escape(label)}</text>"
            )


def rule_lines(
    condition: Condition, row_label: RowLabel, g: Guideline, rule: dict[str, Any]
) -> list[tuple[str, str, str]]:
    when = [plain(condition(f, c)) for f, c in rule.get("when", {}).items()]
    condition = ("If " + " and ".join(when)) if when else "Otherwise"
    then = outcome(rule["then"], row_label, g)
    first = wrap(rule["id"] + ID_SEP + condition, "small")
    lines = [("small", "dmap-d-when", line) for line in first]
    lines += [("main", "dmap-d-then", line) for line in wrap("→ " + then, "main")]
    return lines


def svg(key: str, title: str, d: Drawing) -> str:
    height = d.y + 4
    return (
        f'<svg class="dmap-svg" role="group" aria-labelledby="dmap-svg-{key}"'
        f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        ' xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<title id="dmap-svg-{key}">{escape(title)}</title>\n' + "\n".join(d.parts) + "\n</svg>"
    )


def stage_header(d: Drawing, key: str, lines: list[tuple[str, str, str]], cards_url: str) -> None:
    d.y = 4
    d.node(f'data-stage="{key}"', f"{cards_url}#map-{key}", lines, "dmap-d-stagebox", x=4)


def render(
    condition: Condition,
    row_label: RowLabel,
    g: Guideline,
    stages: list[tuple[str, str]],
    cards_url: str = "",
) -> str:
    """One panel (an SVG) per stage and one for the Table 11 rows, in the cards' order. The
    boxes link to their cards: below, or on the page at ``cards_url`` (a built URL)."""
    names = [f"{number}. {short}" for number, (_, short) in enumerate(stages, 1)]
    names.append(f"{len(stages) + 1}. Table 11 rows")
    panels = []
    for number, (table_id, _) in enumerate(stages):
        table = g.tables[table_id]
        first = table["hit_policy"] == "first"
        policy = "the first rule that matches decides" if first else "every rule that matches"
        d = Drawing()
        stage_header(
            d,
            table_id,
            # "1. Response:" and its policy, read as one sentence by a screen reader
            [("main", "dmap-d-stage", line) for line in wrap(f"{names[number]}:", "main")]
            + [("small", "dmap-d-when", line) for line in wrap(policy, "small")],
            cards_url,
        )
        for index, rule in enumerate(table["rules"]):
            if not index:
                d.arrow(12, GUTTER + 14)  # from the stage's header
            elif first:
                d.arrow(16, GUTTER + 14, "else")
            else:
                d.y += 6  # every rule is checked, in no particular order
            d.node(
                f'data-rule="{rule["id"]}"',
                f"{cards_url}#rule-{rule['id']}",
                rule_lines(condition, row_label, g, rule),
                "",
            )
        if number + 1 < len(stages):  # the rows panel comes last but is no stage of its own
            d.y += 4
            d.text_lines([("small", "dmap-d-next", f"Then: {names[number + 1]}")], BOX_X)
        panels.append(svg(table_id, f"{names[number]}: its rules as a flowchart", d))
    d = Drawing()
    stage_header(d, "rows", [("main", "dmap-d-stage", names[-1])], cards_url)
    for row_id, row in g.rows.items():
        d.arrow(12, GUTTER + 14)
        count = len(row["options"])
        label = f"{row_label(row_id)}: {count} option{'s' if count > 1 else ''}"
        d.node(
            f'data-scenario="{row_id}"',
            f"{cards_url}#map-row-{row_id}",
            [("main", "dmap-d-then", line) for line in wrap(label, "main")],
            "dmap-d-row",
        )
    panels.append(svg("rows", f"{names[-1]}: the rows a case can reach", d))
    # The skip link passes some 90 links, for a keyboard: to the cards, or, when they are on
    # another page, to the link to them.
    if cards_url:
        skip, skip_text, where = "#dmap-after", "Skip the flowchart", "on the decision map page"
        path = "A tick and a heavier outline mark the case's path."
        after = (
            '\n<p class="dmap-after" id="dmap-after">Each rule in full, with its source:'
            f' <a href="{cards_url}">the decision map page</a>.</p>'
        )
    else:
        skip, where, after = f"#map-{stages[0][0]}", "below", ""
        skip_text = "Skip the flowchart: go to the rule cards"
        path = "On the walkthrough, a tick and a heavier outline mark the case's path."
    return (
        f'<p class="dmap-skip"><a href="{skip}">{skip_text}</a></p>\n'
        # Out of the site search: the cards say the same.
        '<figure class="dmap-diagram" data-search-exclude>\n<div class="dmap-panels">\n'
        + "\n".join(panels)
        + "\n</div>\n"
        '<figcaption class="dmap-caption">The decision tables as a flowchart, one panel per'
        " stage. In a first-match stage the rules are tried in order (arrows marked “else”); in"
        f" the others every rule that matches applies. Each box links to its rule card {where},"
        f" which says the same in full. {path}</figcaption>\n</figure>" + after
    )
