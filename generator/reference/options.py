"""A row of the options table (Table 11) as the pages show it: each option with its qualifiers,
footnote links, rating badge and the note where the section's text differs. Used by the row
blocks of content pages (blocks.py) and by the whole table (components.py).
"""

from __future__ import annotations

from generator import site_links
from generator.reference.site import Renderer


def option_items(r: Renderer, scenario: str) -> list[dict]:
    """A Table 11 row's options, ready to render: text, qualifiers, footnote links, badge and
    the visible note where the text differs."""
    row = next(row for row in r.g.options_table()["rows"] if row["id"] == scenario)
    out = []
    for option in row["options"]:
        variant = option["text_variant"]
        out.append(
            {
                "text": option["text"],
                "qualifiers": option["qualifiers"],
                "footnotes": [
                    r.link(f"{site_links.TABLE11_PAGE}#t11-note-{note}", note)
                    for note in option["footnotes"]
                ],
                "badge": r.badge(option["rating"]) if option["rating"] else "",
                "difference": difference_note(r, variant) if variant else "",
            }
        )
    return out


def difference_note(r: Renderer, variant: dict) -> str:
    """One sentence saying how the text differs from Table 11 for an option."""
    parts = []
    if variant["qualifier"]:
        parts.append(
            "Table 11 prints the qualifier without a rating (the badge beside it is the "
            f"option's); the section's text rates it {r.badge(variant['text_rating'])}."
        )
    elif variant["rating_differs"]:
        text_rating = r.badge(variant["text_rating"]) if variant["text_rating"] else "no rating"
        table_side = (
            f"Table 11 rates it {r.badge(variant['table_rating'])}"
            if variant["table_rating"]
            else "Table 11 gives it no rating"
        )
        parts.append(f"The section's text rates this {text_rating}; {table_side}.")
    if variant["wording"]:
        parts.append(variant["wording"])
    parts.append(r.rec_link(variant["recommendation"], "Read the text's recommendation."))
    return " ".join(parts)
