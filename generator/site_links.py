"""Where things live on the site: the source's sections, Table 11 rows, the rating scheme and
the walkthrough. Every page, the walkthrough and the cases link through these functions, so a
page can move by editing ``generator/content/site_map.toml`` alone.

Paths are docs-relative Markdown paths (``guideline/scenarios.md#cns-escape``); use
:func:`relative` to turn one into a link from another page (MkDocs validates ``.md`` links).
"""

from __future__ import annotations

import base64
import json
import posixpath
from functools import cache
from typing import Any

from generator.core import CONTENT_DIR, ContentError, load_toml
from logic import Guideline

SITE_MAP = CONTENT_DIR / "site_map.toml"
RATINGS_PAGE = "guideline/ratings.md"
TABLE11_PAGE = "guideline/table-11.md"
DECISION_MAP_PAGE = "guideline/decision-map.md"
WALKTHROUGH_PAGE = "walkthrough/index.md"


@cache
def section_pages(g: Guideline) -> dict[str, str]:
    """Section id -> page path, checked against logic's section list."""
    pages = load_toml(SITE_MAP).get("pages", [])
    if not isinstance(pages, list) or not all(isinstance(page, dict) for page in pages):
        raise ContentError(SITE_MAP, "pages", None, "expected a list of [[pages]] tables")
    known = g.sections
    where: dict[str, str] = {}
    for index, page in enumerate(pages):
        if not isinstance(page.get("path"), str):
            raise ContentError(SITE_MAP, f"pages[{index}]", "path", "required text is missing")
        if not isinstance(page.get("sections", []), list):
            raise ContentError(SITE_MAP, page["path"], "sections", "expected a list of ids")
        for section in page.get("sections", []):
            if section not in known:
                raise ContentError(
                    SITE_MAP, page.get("path"), "sections", f"unknown section '{section}'"
                )
            if section in where:
                raise ContentError(
                    SITE_MAP,
                    page.get("path"),
                    "sections",
                    f"'{section}' already on {where[section]}",
                )
            where[section] = page["path"]
    missing = [s for s in known if s not in where]
    if missing:
        raise ContentError(
            SITE_MAP, None, "sections", f"sections with no page: {', '.join(missing)}"
        )
    return where


def section_link(section: str, g: Guideline) -> str:
    """``page.md#section`` for a section id of the source."""
    pages = section_pages(g)
    if section not in pages:
        raise ContentError(SITE_MAP, None, "sections", f"unknown section '{section}'")
    return f"{pages[section]}#{section}"


def row_link(scenario: str, g: Guideline) -> str:
    """Table 11 row, deep-linked by its scenario id."""
    if scenario not in g.rows:
        raise ContentError(SITE_MAP, None, "scenario", f"unknown Table 11 row '{scenario}'")
    return f"{TABLE11_PAGE}#{scenario}"


def rating_link(rating: str) -> str:
    return f"{RATINGS_PAGE}#rating-{rating}"


def encode_case(case: dict[str, Any]) -> str:
    """The walkthrough's URL fragment for a case: ``case=`` + base64url(JSON), no padding."""
    data = json.dumps(case, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return "case=" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def walkthrough_link(case: dict[str, Any], g: Guideline) -> str:
    """Link that opens the walkthrough pre-filled with ``case`` (validated by logic first).

    The case rides in the query (``walkthrough/index.md?case=...``), written as a Markdown link
    that both builders resolve: MkDocs and Zensical each rewrite a Markdown link to a page, but
    Zensical also rewrites relative raw-HTML links as if they were relative to the source file,
    where MkDocs leaves them alone, and neither accepts ``#case=`` as a heading anchor. The page
    moves the query into its fragment on load (walkthrough.mjs), where the case is kept."""
    g.evaluate(case)  # a case that logic rejects must never be linked
    return f"{WALKTHROUGH_PAGE}?{encode_case(case)}"


def built_url(target: str, from_page: str) -> str:
    """A link to docs-relative ``target`` (``page.md#anchor``) as the built site addresses it
    (directory URLs: ``a/b.md`` is ``a/b/``), relative to ``from_page``. For raw HTML and page
    JSON, which MkDocs does not rewrite; the one page-to-URL helper of the generator."""

    def folder(md_path: str) -> str:
        stem = md_path.removesuffix(".md")
        return "" if stem == "index" else stem.removesuffix("/index")

    path, _, anchor = target.partition("#")
    link = posixpath.relpath(folder(path) or ".", folder(from_page) or ".")
    link = "./" if link == "." else link + "/"
    return f"{link}#{anchor}" if anchor else link


def relative(target: str, from_page: str) -> str:
    """A link to docs-relative ``target`` (may carry ``#anchor``) from page ``from_page``."""
    path, _, anchor = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(from_page) or ".")
    return f"{link}#{anchor}" if anchor else link
