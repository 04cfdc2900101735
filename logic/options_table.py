"""A Table 11 row's options as printed, and where the section's text differs from them.

Shared by the answer to a case (logic/evaluate.py) and the whole table as the site prints it
(:meth:`logic.guideline.Guideline.options_table`).
"""

from __future__ import annotations

from collections.abc import Iterable

from logic.guideline_data import GuidelineData as Guideline


def options(guideline: Guideline, row: dict, cautions: Iterable[str] = ()) -> list[dict]:
    """A row's options in Table 11's order, with qualifiers, footnotes and text variants.

    `cautions` are the ones this case raised: an option lists those that restate one of its
    own footnotes (the DTG caution for a DTG option), so the caution stands beside the option
    it limits, not only in the list of cautions.
    """
    out = []
    for option in row["options"]:
        footnotes = list(option.get("footnotes", []))
        item = {
            "text": option["text"],
            "rating": option.get("rating", ""),
            "qualifiers": [guideline.qualifiers[q]["text"] for q in option.get("qualifiers", [])],
            "footnotes": footnotes,
            "text_variant": text_variant(guideline, option),
            "cautions": [c for c in cautions if _limits(guideline.cautions[c], option)],
        }
        out.append(item)
    return out


def _limits(caution: dict, option: dict) -> bool:
    """Does this caution stand beside this option? It restates one of the option's
    footnotes, or names the option's text or one of its qualifiers."""
    return (
        caution.get("footnote", "") in option.get("footnotes", [])
        or option["text"] in caution.get("option_texts", [])
        or bool(set(option.get("qualifiers", [])) & set(caution.get("option_qualifiers", [])))
    )


def text_variant(guideline: Guideline, option: dict) -> dict | None:
    """How the section's text differs from this Table 11 option, or None if it does not.

    The difference is the option's own, or else one of its qualifiers': Table 11 prints a
    qualifier without a rating, where the text may rate the same statement on its own.
    """
    own = _variant(
        guideline,
        option.get("text_recommendation"),
        option.get("rating", ""),
        option.get("text_wording", ""),
    )
    if own:
        return own
    for qualifier_id in option.get("qualifiers", []):
        qualifier = guideline.qualifiers[qualifier_id]
        variant = _variant(guideline, qualifier.get("text_recommendation"), "")
        if variant:
            variant["qualifier"] = qualifier["text"]  # the renderers word it from this
            return variant
    return None


def _variant(
    guideline: Guideline, rec_id: str | None, table_rating: str, wording: str = ""
) -> dict | None:
    if not rec_id:
        return None
    rec = guideline.recommendations[rec_id]
    rating_differs = rec.get("rating", "") != table_rating
    if not rating_differs and not wording:
        return None
    return {
        "recommendation": rec_id,
        "text_rating": rec.get("rating", ""),
        "table_rating": table_rating,
        "rating_differs": rating_differs,
        "wording": wording,
        "text": rec["text"],
        "qualifier": "",  # the qualifier's text, where the difference is a qualifier's
    }
