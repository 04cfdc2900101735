"""The guideline's rating scheme, as the site shows it: one badge markup for every page.

A rating is a strength letter (A, B, C) and an evidence numeral (I, II, III); their meanings come
from the edition's ``rating_scheme`` (``context.guideline``) and are worded by
``logic.vocabulary`` (which the browser's worker runs too). The badge's markup lives in one Jinja
macro, ``generator/templates/reference/macros.md.j2`` (``rating_badge``); JavaScript that renders
results builds the same markup from :func:`rating_titles` passed as JSON.
"""

from __future__ import annotations

from generator import site_links
from logic import Guideline
from logic.vocabulary import vocabulary


def scheme(g: Guideline) -> tuple[dict[str, str], dict[str, str]]:
    """(strength code -> label, evidence code -> label), in the guideline's order."""
    return vocabulary(g).scheme()


def all_ratings(g: Guideline) -> list[str]:
    """Every combination of the scheme, strongest first: AI, AII, AIII, BI, ..."""
    strength, evidence = scheme(g)
    return [s + e for s in strength for e in evidence]


def split(code: str, g: Guideline) -> tuple[str, str] | None:
    """``"AIII"`` -> ``("A", "III")``; None when ``code`` is not a rating of the scheme."""
    return vocabulary(g).rating_parts(code)


def is_rating(code: str, g: Guideline) -> bool:
    return split(code, g) is not None


def rating_title(code: str, g: Guideline) -> str:
    """``"AI"`` -> ``"AI — Strong recommendation; data from randomized controlled trials"``."""
    return vocabulary(g).rating_title(code)


def rating_words(code: str, g: Guideline) -> str:
    """``"AI"`` -> ``"strong recommendation, based on data from randomized controlled trials"``:
    the rating in words, for a patient page, where a bare "AI" reads as artificial intelligence."""
    return vocabulary(g).rating_words(code)


def rating_titles(g: Guideline) -> dict[str, str]:
    """Every rating's tooltip, for JavaScript that renders badges from JSON."""
    return {code: rating_title(code, g) for code in all_ratings(g)}


def rating_anchor(code: str) -> str:
    """The anchor of a rating on the rating scheme page (``rating-AI``), as
    :func:`generator.site_links.rating_link` addresses it."""
    return site_links.rating_link(code).partition("#")[2]
