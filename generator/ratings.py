"""The guideline's rating scheme, as the site shows it: one badge markup for every page.

A rating is a strength letter (A, B, C) and an evidence numeral (I, II, III); their meanings come
from the edition's ``rating_scheme`` (``context.guideline``). The badge's markup lives in one Jinja
macro, ``generator/templates/reference/macros.md.j2`` (``rating_badge``); JavaScript that renders
results builds the same markup from :func:`rating_titles` passed as JSON.
"""

from __future__ import annotations

import re
from functools import cache

from generator import site_links
from logic import Guideline

_RATING = re.compile(r"^([A-Z])(I{1,3})$")


@cache
def scheme(g: Guideline) -> tuple[dict[str, str], dict[str, str]]:
    """(strength code -> label, evidence code -> label), in the guideline's order."""
    data = g.rating_scheme
    strength = {item["code"]: item["label"] for item in data["strength"]}
    evidence = {item["code"]: item["label"] for item in data["evidence"]}
    return strength, evidence


def all_ratings(g: Guideline) -> list[str]:
    """Every combination of the scheme, strongest first: AI, AII, AIII, BI, ..."""
    strength, evidence = scheme(g)
    return [s + e for s in strength for e in evidence]


def split(code: str, g: Guideline) -> tuple[str, str] | None:
    """``"AIII"`` -> ``("A", "III")``; None when ``code`` is not a rating of the scheme."""
    match = _RATING.match(code or "")
    strength, evidence = scheme(g)
    if not match or match.group(1) not in strength or match.group(2) not in evidence:
        return None
    return match.group(1), match.group(2)


def is_rating(code: str, g: Guideline) -> bool:
    return split(code, g) is not None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def rating_title(code: str, g: Guideline) -> str:
    """``"AI"`` -> ``"AI — Strong recommendation; data from randomized controlled trials"``."""
    parts = split(code, g)
    if parts is None:
        raise ValueError(f"unknown rating {code!r} (allowed: {', '.join(all_ratings(g))})")
    strength, evidence = scheme(g)
    return f"{code} — {strength[parts[0]]} recommendation; {_lower_first(evidence[parts[1]])}"


def rating_words(code: str, g: Guideline) -> str:
    """``"AI"`` -> ``"strong recommendation, based on data from randomized controlled trials"``:
    the rating in words, for a patient page, where a bare "AI" reads as artificial intelligence."""
    parts = split(code, g)
    if parts is None:
        raise ValueError(f"unknown rating {code!r} (allowed: {', '.join(all_ratings(g))})")
    strength, evidence = scheme(g)
    return (
        f"{strength[parts[0]].lower()} recommendation, based on {_lower_first(evidence[parts[1]])}"
    )


def rating_titles(g: Guideline) -> dict[str, str]:
    """Every rating's tooltip, for JavaScript that renders badges from JSON."""
    return {code: rating_title(code, g) for code in all_ratings(g)}


def rating_anchor(code: str) -> str:
    """The anchor of a rating on the rating scheme page (``rating-AI``), as
    :func:`generator.site_links.rating_link` addresses it."""
    return site_links.rating_link(code).partition("#")[2]
