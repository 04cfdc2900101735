"""Render a page's blocks (see :mod:`generator.content_model`) to Markdown.

Python gathers the data from ``logic`` and resolves links; the templates under
``generator/templates/reference/blocks/`` decide the markup.
"""

from __future__ import annotations

import textwrap

from generator import later_evidence, site_links
from generator.content_model import Block
from generator.reference import components
from generator.reference.course_examples import load_examples
from generator.reference.options import option_items
from generator.reference.site import Renderer


def recommendation_items(r: Renderer, ids: list[str]) -> list[dict]:
    recs = r.g.recommendations
    return [
        {
            "id": rec,
            "text": recs[rec]["text"],
            "badge": r.badge(recs[rec].get("rating", "")),
        }
        for rec in ids
    ]


def _based_on(r: Renderer, rec: dict) -> str:
    """A recommendation a caution rests on: in full, or its opening words where this page
    lists it in full anyway (the link leads there)."""
    home = r.site.recommendation_homes.get(rec["id"], "")
    text = rec["text"]
    if home.split("#")[0] == r.page:
        text = textwrap.shorten(text, width=70, placeholder="…")
    return f"{r.rec_link(rec['id'], text)} {r.badge(rec['rating'])}"


def caution_items(r: Renderer, ids: list[str]) -> list[dict]:
    g = r.g
    out = []
    for caution_id in ids:
        caution = g.cautions[caution_id]
        based_on = [
            _based_on(r, g.recommendations[rec])
            for rec in caution.get("recommendations", [])
            if g.recommendations[rec].get("rating")
        ]
        footnote = caution.get("footnote")
        out.append(
            {
                "id": caution_id,
                "title": caution["title"],
                "text": caution["text"],
                "based_on": based_on,
                "footnote": (
                    r.link(
                        f"{site_links.TABLE11_PAGE}#t11-note-{footnote}",
                        f"Table 11, note {footnote}",
                    )
                    if footnote
                    else ""
                ),
                "after_edition": later_evidence.load(r.site.context).for_caution(caution_id),
            }
        )
    return out


def differences(r: Renderer, scenarios: list[str] | str) -> list[dict]:
    items = []
    for diff in r.g.text_differences():
        if scenarios != "all" and diff["scenario"] not in scenarios:
            continue
        items.append(
            {
                "scenario": diff["scenario"],
                "row": r.row_link(diff["scenario"]),
                "row_label": r.site.row_label(diff["scenario"]),
                "option": diff["option"],
                "option_badge": r.badge(diff["option_rating"]),  # "not rated" if it is not
                "qualifier": diff["qualifier"],
                "table_badge": r.badge(diff["table_rating"]),
                "text": diff["text"],
                "text_badge": r.badge(diff["text_rating"]) if diff["text_rating"] else "",
                "wording": diff["wording"],
                "rating_differs": diff["rating_differs"],
                "text_link": r.rec_link(diff["recommendation"], "the text's recommendation"),
            }
        )
    return items


def row_summary(r: Renderer, scenario: str) -> dict:
    g = r.g
    row = g.rows[scenario]
    try_link = r.site.walkthrough_link(scenario)
    return {
        "scenario": scenario,
        "label": r.site.row_label(scenario),
        "failing_regimen": row["failing_regimen"],
        "resistance": row["resistance"],
        "options": option_items(r, scenario),
        "row_note": row.get("row_note", ""),
        "goal": row["goal"],
        "row_link": r.row_link(scenario, "See this row in Table 11"),
        "try_link": r.link(try_link, "Try this scenario in the walkthrough") if try_link else "",
    }


def render_block(r: Renderer, block: Block, entry: str, level: int) -> str:
    """Markdown for one block; ``level`` is the heading level of the block's own title."""
    context = r.site.context
    g = r.g
    heading = ""
    if block.title:
        anchor = f" {{ #{block.anchor} }}" if block.anchor else ""
        heading = (
            f"{'#' * level} {r.expand(block.title, entry, block.field + '.title')}{anchor}\n\n"
        )
        level += 1
    kind, value = block.kind, block.value
    if kind == "text":
        body = r.expand(value, entry, f"{block.field}.text") + "\n"
    elif kind == "recommendations":
        body = context.render(
            "reference/blocks/recommendations.md.j2", items=recommendation_items(r, value)
        )
    elif kind == "definitions":
        examples = load_examples(context)
        items = [
            {**g.definitions[d], "anchor": f"def-{d}", "example": examples.get(d)} for d in value
        ]
        body = context.render(
            "reference/blocks/definitions.md.j2",
            items=items,
            level=level,
            walkthrough=r.link(r.site.walkthrough, "walkthrough") if r.site.walkthrough else "",
        )
    elif kind == "failure_types":
        body = context.render(
            "reference/blocks/failure_types.md.j2",
            items=g.failure_types,
            sequence=g.failure_types_sequence,
            level=level,
        )
    elif kind == "cautions":
        body = context.render("reference/blocks/cautions.md.j2", items=caution_items(r, value))
    elif kind == "text_notes":
        items = [
            {
                "label": r.site.row_label(s),
                "notes": g.rows[s]["text_notes"],
                "row": r.row_link(s, "See the row in Table 11"),
            }
            for s in value
        ]
        body = context.render("reference/blocks/text_notes.md.j2", items=items)
    elif kind == "row":
        body = context.render("reference/blocks/row.md.j2", row=row_summary(r, value))
    elif kind == "differences":
        body = context.render("reference/blocks/differences.md.j2", items=differences(r, value))
    elif kind == "footnotes":
        items = [
            {
                "id": note,
                "text": g.footnotes[note]["text"],
                "link": r.link(
                    f"{site_links.TABLE11_PAGE}#t11-note-{note}", f"Table 11, note {note}"
                ),
            }
            for note in value
        ]
        body = context.render("reference/blocks/footnotes.md.j2", items=items)
    elif kind == "component":
        body = components.render(r, value, level)
    else:  # the content model lets no other kind through
        raise AssertionError(kind)
    return heading + body
