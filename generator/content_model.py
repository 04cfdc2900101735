"""Load and check the reference pages' content files (``generator/content/pages/*.toml``).

A page file is structured data, checked as a whole before anything is rendered::

    [page]
    path = "guideline/causes.md"          # where the page is written, relative to docs/
    title = "Causes of virologic failure"  # the page's heading
    description = "..."                    # one sentence: search results and link previews
    # audience = "patients"                # a plain-language page: ratings in words, and a
                                           # notice in the reader's voice (default "clinicians")

    [[blocks]]                             # optional: blocks before the first section
    text = "..."

    [[sections]]
    id = "causes"                          # a section of the source (logic's section id) ...
    # anchor = "hbv-coinfection"           # ... or a section of our own (never both)
    title = "What can cause failure"
    [[sections.blocks]]
    title = "Patient and adherence factors"   # optional sub-heading (anchor = optional id)
    text = "..."                              # exactly one block kind per block

Block kinds (exactly one per block):

* ``text``: Markdown in our own words, with references written ``{kind:id}`` or
  ``{kind:id|link text}`` (see :data:`REFERENCES`), resolved at build time.
* ``recommendations``: logic recommendation ids, rendered with their ratings.
* ``definitions``: logic definition ids. ``failure_types = true``: the three kinds of failure.
* ``cautions``: logic caution ids, rendered as warnings.
* ``text_notes``: Table 11 scenario ids: what the source's text adds to those rows.
* ``row``: a Table 11 scenario id: that row's options, ratings and differences, in short.
* ``differences``: Table 11 scenario ids, or ``"all"``: where the text and Table 11 differ.
* ``footnotes``: Table 11 footnote ids.
* ``component``: a generated part (:data:`COMPONENTS`).

Every problem raises :class:`~generator.core.ContentError` naming the file, the entry (the
section's id) and the field (``blocks[2].recommendations``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import ratings, site_links
from generator.core import DOCS_DIR, ContentError, Context, load_toml
from logic import Guideline

PAGES_DIR = "pages"
KINDS = (
    "text",
    "recommendations",
    "definitions",
    "failure_types",
    "cautions",
    "text_notes",
    "row",
    "differences",
    "footnotes",
    "component",
)
COMPONENTS = (
    "rating_scheme",
    "table11",
    "glossary",
    "decision_map",
    "source_map",
    "ways_in",
    "source_facts",
    "genotype_facts",
)
# {kind:id} or {kind:id|link text}
REFERENCE = re.compile(r"\{([a-z_]+):([^{}|\s]+)(?:\|([^{}]+))?\}")
REFERENCES = {
    "t": "a threshold from logic, e.g. {t:failure_copies} -> 200",
    "rating": "a rating badge, e.g. {rating:AIII}",
    "badge": "the rating badge of a recommendation, e.g. {badge:nnrti_dtg_2nrti}",
    "rec": "a recommendation's text with its rating badge",
    "section": "a link to a section of the source on this site",
    "row": "a link to a Table 11 row",
    "def": "a link to a definition",
    "page": "a link to another page, e.g. {page:guideline/table-11.md|Table 11}",
    "source": "a fact about the source: title, publisher, section, last_updated, last_reviewed",
    "abbr": "an abbreviation's expansion, e.g. {abbr:DTG} -> dolutegravir",
}
SOURCE_FACTS = ("title", "publisher", "section", "last_updated", "last_reviewed")
_ANCHOR = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PATH = re.compile(r"^[a-z0-9][a-z0-9/_-]*\.md$")

PAGE_KEYS = {"path", "title", "description", "hide", "audience"}
AUDIENCES = ("clinicians", "patients")
# Material's front-matter `hide`: parts of the page chrome a page can do without.
HIDEABLE = ("toc", "navigation")
SECTION_KEYS = {"id", "anchor", "title", "blocks"}
BLOCK_KEYS = {"title", "anchor", *KINDS}
TOP_KEYS = {"page", "blocks", "sections"}


@dataclass(frozen=True)
class Block:
    kind: str
    value: Any
    title: str | None
    anchor: str | None
    field: str  # "blocks[2]", for messages


@dataclass
class Section:
    id: str | None  # the source's section id, or None for a section of our own
    anchor: str
    title: str
    blocks: list[Block]
    entry: str  # the name messages use for this section


@dataclass
class Page:
    file: Path
    path: str
    title: str
    description: str
    blocks: list[Block]
    hide: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    audience: str = "clinicians"

    def all_blocks(self) -> list[tuple[str, Block]]:
        """(entry, block) for every block of the page, in order."""
        out = [("blocks", block) for block in self.blocks]
        for section in self.sections:
            out.extend((section.entry, block) for block in section.blocks)
        return out


# --------------------------------------------------------------------------- small checks


def _unknown_keys(
    table: dict, allowed: set[str], file: Path, entry: str | None, prefix: str = ""
) -> None:
    for key in table:
        if key not in allowed:
            raise ContentError(
                file, entry, prefix + key, f"unknown field (allowed: {', '.join(sorted(allowed))})"
            )


def _text(
    table: dict,
    key: str,
    file: Path,
    entry: str | None,
    prefix: str = "",
    required: bool = True,
) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            raise ContentError(file, entry, prefix + key, "required field is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, entry, prefix + key, "must be a non-empty string")
    return value.strip()


def _ids(value: Any, file: Path, entry: str, field: str) -> list[str]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and item for item in value)
    ):
        raise ContentError(file, entry, field, "must be a non-empty list of ids")
    if len(set(value)) != len(value):
        twice = sorted({item for item in value if value.count(item) > 1})
        raise ContentError(file, entry, field, f"listed twice: {', '.join(twice)}")
    return value


def _known(ids: list[str], known: Any, what: str, file: Path, entry: str, field: str) -> None:
    for item in ids:
        if item not in known:
            raise ContentError(file, entry, field, f"unknown {what} '{item}'")


# --------------------------------------------------------------------------- loading


def _block(raw: Any, file: Path, entry: str, field: str, g: Guideline) -> Block:
    if not isinstance(raw, dict):
        raise ContentError(file, entry, field, "must be a table")
    _unknown_keys(raw, BLOCK_KEYS, file, entry, field + ".")
    kinds = [kind for kind in KINDS if kind in raw]
    if len(kinds) != 1:
        found = ", ".join(kinds) or "none"
        raise ContentError(
            file, entry, field, f"needs exactly one of {', '.join(KINDS)} (found: {found})"
        )
    kind = kinds[0]
    title = _text(raw, "title", file, entry, field + ".", required=False)
    anchor = _text(raw, "anchor", file, entry, field + ".", required=False)
    if anchor and not _ANCHOR.match(anchor):
        raise ContentError(file, entry, f"{field}.anchor", "use lowercase letters, digits, - and _")
    if anchor and not title:
        raise ContentError(file, entry, f"{field}.anchor", "an anchor needs a title")
    value = raw[kind]
    where = f"{field}.{kind}"
    if kind == "text":
        value = _text(raw, kind, file, entry, field + ".")
    elif kind == "recommendations":
        _known(
            _ids(value, file, entry, where), g.recommendations, "recommendation", file, entry, where
        )
    elif kind == "definitions":
        _known(_ids(value, file, entry, where), g.definitions, "definition", file, entry, where)
    elif kind == "cautions":
        _known(_ids(value, file, entry, where), g.cautions, "caution", file, entry, where)
    elif kind == "text_notes":
        _known(_ids(value, file, entry, where), g.rows, "Table 11 scenario", file, entry, where)
        for scenario in value:
            if not g.rows[scenario].get("text_notes"):
                raise ContentError(file, entry, where, f"row '{scenario}' has no text notes")
    elif kind == "footnotes":
        _known(
            _ids(value, file, entry, where), g.footnotes, "Table 11 footnote", file, entry, where
        )
    elif kind == "row":
        if not isinstance(value, str) or value not in g.rows:
            raise ContentError(file, entry, where, f"unknown Table 11 scenario '{value}'")
    elif kind == "differences":
        if value != "all":
            _ids(value, file, entry, where)
            _known(value, g.rows, "Table 11 scenario", file, entry, where)
            with_differences = {d["scenario"] for d in g.text_differences()}
            for scenario in value:
                if scenario not in with_differences:
                    raise ContentError(
                        file, entry, where, f"Table 11 row '{scenario}' has no text differences"
                    )
    elif kind == "failure_types":
        if value is not True:
            raise ContentError(file, entry, where, "must be true")
    elif kind == "component" and value not in COMPONENTS:
        raise ContentError(
            file, entry, where, f"unknown component '{value}' (allowed: {', '.join(COMPONENTS)})"
        )
    return Block(kind, value, title, anchor, field)


def _blocks(raw: Any, file: Path, entry: str, required: bool, g: Guideline) -> list[Block]:
    if raw is None:
        if required:
            raise ContentError(file, entry, "blocks", "required field is missing")
        return []
    if not isinstance(raw, list) or (required and not raw):
        raise ContentError(file, entry, "blocks", "must be a non-empty list of [[blocks]]")
    return [_block(item, file, entry, f"blocks[{index}]", g) for index, item in enumerate(raw)]


def _section(raw: Any, index: int, file: Path, g: Guideline) -> Section:
    entry = f"sections[{index}]"
    if not isinstance(raw, dict):
        raise ContentError(file, entry, None, "must be a table")
    name = raw.get("id") or raw.get("anchor")
    if isinstance(name, str) and name:
        entry = name
    _unknown_keys(raw, SECTION_KEYS, file, entry)
    section_id = _text(raw, "id", file, entry, required=False)
    anchor = _text(raw, "anchor", file, entry, required=False)
    if bool(section_id) == bool(anchor):
        raise ContentError(
            file,
            entry,
            "id",
            "give either 'id' (a section of the source) or 'anchor' (a section of our own)",
        )
    if section_id and section_id not in g.sections:
        raise ContentError(file, entry, "id", f"unknown section '{section_id}'")
    if anchor and (not _ANCHOR.match(anchor) or anchor in g.sections):
        raise ContentError(
            file,
            entry,
            "anchor",
            "use lowercase letters, digits, - and _, and not the id of a source section",
        )
    title = _text(raw, "title", file, entry)
    blocks = _blocks(raw.get("blocks"), file, entry, required=True, g=g)
    return Section(section_id, section_id or anchor, title, blocks, entry)


def _hide(value: Any, file: Path) -> list[str]:
    if not isinstance(value, list) or any(item not in HIDEABLE for item in value):
        raise ContentError(file, "page", "hide", f"must be a list of: {', '.join(HIDEABLE)}")
    return value


def load_page(file: Path, g: Guideline) -> Page:
    raw = load_toml(file)
    _unknown_keys(raw, TOP_KEYS, file, None)
    head = raw.get("page")
    if not isinstance(head, dict):
        raise ContentError(file, "page", None, "required [page] table is missing")
    _unknown_keys(head, PAGE_KEYS, file, "page")
    path = _text(head, "path", file, "page")
    if not _PATH.match(path) or path.startswith("about/") or path.startswith("includes/"):
        raise ContentError(
            file,
            "page",
            "path",
            f"'{path}': a lowercase .md path relative to docs/, outside about/ and includes/",
        )
    page = Page(
        file=file,
        path=path,
        title=_text(head, "title", file, "page"),
        description=_text(head, "description", file, "page"),
        blocks=_blocks(raw.get("blocks"), file, "blocks", required=False, g=g),
        hide=_hide(head.get("hide", []), file),
        audience=head.get("audience", "clinicians"),
    )
    if page.audience not in AUDIENCES:
        raise ContentError(
            file, "page", "audience", f"'{page.audience}' (allowed: {', '.join(AUDIENCES)})"
        )
    sections = raw.get("sections", [])
    if not isinstance(sections, list):
        raise ContentError(file, "sections", None, "must be a list of [[sections]]")
    page.sections = [_section(item, index, file, g) for index, item in enumerate(sections)]
    if not page.blocks and not page.sections:
        raise ContentError(file, "page", "sections", "a page needs blocks or sections")
    return page


def load_pages(context: Context) -> list[Page]:
    """Every page file, loaded and cross-checked (paths, anchors, the site map, references)."""
    folder = context.content_dir / PAGES_DIR
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ContentError(folder, message="no page files (*.toml) found")
    pages = [load_page(file, context.guideline) for file in files]
    _check_site(pages, context)
    return pages


# --------------------------------------------------------------------------- cross-checks


def _check_site(pages: list[Page], context: Context) -> None:
    by_path: dict[str, Page] = {}
    for page in pages:
        if page.path in by_path:
            raise ContentError(
                page.file, "page", "path", f"'{page.path}' is also {by_path[page.path].file.name}"
            )
        by_path[page.path] = page
    placed = site_links.section_pages(context.guideline)  # section id -> page, checked
    seen: dict[str, Page] = {}
    for page in pages:
        anchors: set[str] = set()
        recs: set[str] = set()
        for section in page.sections:
            if section.id:
                expected = placed[section.id]
                if expected != page.path:
                    raise ContentError(
                        page.file,
                        section.entry,
                        "id",
                        f"section '{section.id}' belongs on {expected} "
                        f"(generator/content/site_map.toml)",
                    )
                if section.id in seen:
                    raise ContentError(page.file, section.entry, "id", "section given twice")
                seen[section.id] = page
            names = [section.anchor] + [b.anchor for b in section.blocks if b.anchor]
            for name in names:
                if name in anchors:
                    raise ContentError(page.file, section.entry, "anchor", f"'{name}' used twice")
                anchors.add(name)
        check_references(page.description, page, by_path, context, "page", "description")
        for section in page.sections:
            check_references(section.title, page, by_path, context, section.entry, "title")
        for entry, block in page.all_blocks():
            if block.title:
                check_references(block.title, page, by_path, context, entry, f"{block.field}.title")
            if block.kind == "recommendations":
                for rec in block.value:
                    if rec in recs:
                        raise ContentError(
                            page.file,
                            entry,
                            f"{block.field}.recommendations",
                            f"recommendation '{rec}' is already on this page",
                        )
                    recs.add(rec)
            if block.kind == "text":
                check_references(block.value, page, by_path, context, entry, f"{block.field}.text")
    missing = [section for section in placed if section not in seen]
    if missing:
        pages_needed = sorted({placed[s] for s in missing})
        raise ContentError(
            context.content_dir / PAGES_DIR,
            None,
            "sections",
            f"source sections with no content: {', '.join(missing)} "
            f"(expected on {', '.join(pages_needed)})",
        )


def hand_written_pages() -> set[str]:
    """Pages under docs/about/ (tracked by git, never generated)."""
    about = DOCS_DIR / "about"
    return {f"about/{p.relative_to(about).as_posix()}" for p in about.rglob("*.md")}


def check_references(
    text: str,
    page: Page,
    pages: dict[str, Page],
    context: Context,
    entry: str,
    field: str,
) -> None:
    """Every ``{kind:id}`` in ``text`` must resolve."""
    g = context.guideline
    for match in REFERENCE.finditer(text):
        kind, key, _label = match.groups()
        problem = None
        if kind not in REFERENCES:
            problem = f"unknown reference kind '{kind}' in '{match.group(0)}' (allowed: " + (
                ", ".join(REFERENCES) + ")"
            )
        elif kind == "t" and key not in g.thresholds:
            problem = f"unknown threshold '{key}'"
        elif kind == "rating" and not ratings.is_rating(key, g):
            problem = f"unknown rating '{key}' (allowed: {', '.join(ratings.all_ratings(g))})"
        elif kind in ("badge", "rec") and key not in g.recommendations:
            problem = f"unknown recommendation '{key}'"
        elif kind == "badge" and not g.recommendations[key].get("rating"):
            problem = f"recommendation '{key}' has no rating"
        elif kind == "section" and key not in g.sections:
            problem = f"unknown section '{key}'"
        elif kind == "row" and key not in g.rows:
            problem = f"unknown Table 11 scenario '{key}'"
        elif kind == "def" and key not in g.definitions:
            problem = f"unknown definition '{key}'"
        elif kind == "source" and key not in SOURCE_FACTS:
            problem = f"unknown source fact '{key}' (allowed: {', '.join(SOURCE_FACTS)})"
        elif kind == "abbr" and key not in g.abbreviations:
            problem = f"unknown abbreviation '{key}'"
        elif kind == "page":
            target = key.partition("#")[0]
            if target not in pages and target not in hand_written_pages():
                problem = f"no page '{target}'"
        if problem:
            raise ContentError(page.file, entry, field, problem)
