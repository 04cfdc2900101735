"""What every reference page needs to know about the rest of the site, and the renderer that
turns a page's blocks and ``{kind:id}`` references into Markdown.

Links are Markdown links to ``.md`` files (relative to the page), so the strict MkDocs build
checks every one of them, anchors included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

from generator import ratings, site_links
from generator.content_model import REFERENCE, Page
from generator.core import ROOT, ContentError, Context, long_date, render
from generator.reference.extras import (
    Glossary,
    RowExtra,
    load_glossary,
    load_table11,
)
from logic import Guideline

MACROS = "reference/macros.md.j2"


def nav_paths(context: Context) -> list[str]:
    """Every page in ``nav:`` of mkdocs.yml, in order (whatever the file's custom tags say)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = ROOT / "mkdocs.yml"
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(config, message=f"cannot read nav: {error}") from None
    out: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, str):
            if item.endswith(".md"):
                out.append(item)
        elif isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, dict):
            for child in item.values():
                walk(child)

    walk((data or {}).get("nav", []))
    return out


def source_facts(g: Guideline) -> dict[str, str]:
    """The source's title, publisher, section and dates (long form), from the edition."""
    source = g.source
    out = {key: str(source[key]) for key in ("title", "publisher", "section")}
    for key in ("last_updated", "last_reviewed"):
        out[key] = long_date(source[key])
    return out


@dataclass
class Site:
    """The whole set of reference pages plus the data they share."""

    context: Context
    pages: list[Page]
    rows: dict[str, RowExtra] = field(init=False)
    glossary: Glossary = field(init=False)

    def __post_init__(self) -> None:
        self.rows = load_table11(self.context)
        self.glossary = load_glossary(self.context)

    @cached_property
    def by_path(self) -> dict[str, Page]:
        return {page.path: page for page in self.pages}

    @cached_property
    def nav(self) -> list[str]:
        return nav_paths(self.context)

    @property
    def walkthrough(self) -> str | None:
        """The walkthrough page, if the site has one (it is in the nav)."""
        return site_links.WALKTHROUGH_PAGE if site_links.WALKTHROUGH_PAGE in self.nav else None

    @property
    def cases(self) -> str | None:
        """The first page of the worked cases, if the site has them."""
        return next((path for path in self.nav if path.startswith("cases/")), None)

    @cached_property
    def section_titles(self) -> dict[str, str]:
        """Source section id -> the title of our section that presents it."""
        return {s.id: s.title for page in self.pages for s in page.sections if s.id}

    @cached_property
    def recommendation_homes(self) -> dict[str, str]:
        """Recommendation id -> ``page.md#rec-<id>``: where it is listed in its own section
        (the first section logic names for it), else where it is first listed."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        for page in self.pages:
            for section in page.sections:
                for block in section.blocks:
                    if block.kind == "recommendations":
                        for rec in block.value:
                            found.setdefault(rec, []).append((page.path, section.id))
            for block in page.blocks:
                if block.kind == "recommendations":
                    for rec in block.value:
                        found.setdefault(rec, []).append((page.path, None))
        homes = {}
        recs = self.context.guideline.recommendations
        for rec, places in found.items():
            own = [path for path, section in places if section == recs[rec]["sections"][0]]
            homes[rec] = f"{(own or [places[0][0]])[0]}#rec-{rec}"
        return homes

    def row_label(self, scenario: str) -> str:
        return self.rows[scenario].label

    def walkthrough_link(self, scenario: str) -> str | None:
        """``walkthrough/index.md?case=...`` pre-filled with the row's example, if the site
        has a walkthrough."""
        if not self.walkthrough:
            return None
        return site_links.walkthrough_link(self.rows[scenario].example, self.context.guideline)


class Renderer:
    """Renders Markdown for one page: links relative to it, badges, references."""

    def __init__(self, site: Site, page_path: str, file: Any = None) -> None:
        self.site = site
        self.g = site.context.guideline  # the edition this page is built from
        self.page = page_path
        self.file = file
        page = site.by_path.get(page_path)
        self.audience = page.audience if page else "clinicians"
        try:
            self._macros = site.context.env.get_template(MACROS).module
        except Exception:  # a broken macros file: let core.render report it properly
            render(site.context.env, MACROS)
            raise

    # -- links and badges ---------------------------------------------------------------

    def href(self, target: str) -> str:
        return site_links.relative(target, self.page)

    def link(self, target: str, label: str) -> str:
        return f"[{label}]({self.href(target)})"

    def badge(self, code: str) -> str:
        if not code:
            return str(self._macros.no_rating())
        if self.audience == "patients":  # the words first; the badge only links to the scheme
            return str(
                self._macros.rating_in_words(
                    code,
                    self.href(site_links.rating_link(code)),
                    ratings.rating_title(code, self.g),
                    ratings.rating_words(code, self.g),
                )
            )
        return str(
            self._macros.rating_badge(
                code, self.href(site_links.rating_link(code)), ratings.rating_title(code, self.g)
            )
        ).strip()

    def section_link(self, section: str, label: str | None = None) -> str:
        return self.link(
            site_links.section_link(section, self.g), label or self.site.section_titles[section]
        )

    def row_link(self, scenario: str, label: str | None = None) -> str:
        return self.link(
            site_links.row_link(scenario, self.g), label or self.site.row_label(scenario)
        )

    def rec_link(self, rec: str, label: str) -> str:
        home = self.site.recommendation_homes.get(rec)
        if home is None:
            section = self.g.recommendations[rec]["sections"][0]
            home = site_links.section_link(section, self.g)
        return self.link(home, label)

    # -- text with {kind:id} references ------------------------------------------------

    def expand(self, text: str, entry: str | None = None, field: str | None = None) -> str:
        g = self.g

        def replace(match) -> str:
            kind, key, label = match.groups()
            if kind == "t":
                value = g.thresholds[key]
                return f"{value:,}" if isinstance(value, int | float) else str(value)
            if kind == "rating":
                return self.badge(key)
            if kind == "badge":
                return self.badge(g.recommendations[key]["rating"])
            if kind == "rec":
                rec = g.recommendations[key]
                return f"{rec['text']} {self.badge(rec.get('rating', ''))}"
            if kind == "section":
                return self.section_link(key, label)
            if kind == "row":
                return self.row_link(key, label)
            if kind == "def":
                term = g.definitions[key]["term"]
                return self.link(f"guideline/definitions.md#def-{key}", label or term)
            if kind == "page":
                target = key.partition("#")[0]
                page = self.site.by_path.get(target)
                return self.link(key, label or (page.title if page else target))
            if kind == "source":
                return source_facts(self.g)[key]
            if kind == "abbr":
                return g.abbreviations[key]["expansion"]
            raise ContentError(self.file or self.page, entry, field, f"unknown reference {kind}")

        return REFERENCE.sub(replace, text)
