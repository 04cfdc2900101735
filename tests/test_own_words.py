"""Sentences are ours: the content restates the sources without copying them, and nothing of the
weak web article (its text, its invented experts, its author) reaches the site.

Checked against fingerprints of the sources (tests/source_fingerprints.py), not the sources.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import logic
from generator.core import ROOT
from tests import source_fingerprints
from tests.source_fingerprints import Fingerprints
from tests.support import text_of

# The edition whose files quote the source (every edition's files are checked).
EDITION = ROOT / "logic" / "editions" / logic.DEFAULT_EDITION
# Fields that quote the source by design, exactly: its citation, section titles and rating
# scheme, Table 11's cells, footnotes and qualifiers, and the abbreviation key's expansions.
# Every other string is our wording, in these files too (Table 11's text_notes, for one).
QUOTATIONS = {
    "edition.toml": {"source.title", "source.section"},
    "guideline.toml": {
        "sections[].title",
        "rating_scheme.strength[].label",
        "rating_scheme.evidence[].label",
    },
    "table11.toml": {
        "table.title",
        "table.preamble",
        "footnotes[].text",
        "qualifiers[].text",
        "rows[].group",
        "rows[].failing_regimen",
        "rows[].resistance",
        "rows[].goal",
        "rows[].row_note",
        "rows[].options[].text",
    },
    "abbreviations.toml": {"abbreviations[].expansion"},
}


@pytest.fixture(scope="module")
def fingerprints() -> Fingerprints:
    return Fingerprints.load()


def _strings(value, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _field(entry: str) -> str:
    """The field an entry belongs to, as QUOTATIONS names it ("rows[3].goal" -> "rows[].goal")."""
    return re.sub(r"\[\d+\]", "[]", entry)


def our_wording() -> Iterator[tuple[str, str, str]]:
    """(file, entry, text) for all we wrote: content TOML, templates, our pages and scripts."""
    tomls = [
        *(ROOT / "generator" / "content").rglob("*.toml"),
        *(ROOT / "logic" / "data").glob("*.toml"),
        *(ROOT / "logic" / "editions").glob("*/*.toml"),
    ]
    for file in sorted(tomls):
        in_logic = file.is_relative_to(ROOT / "logic")
        quoted = QUOTATIONS.get(file.name, set()) if in_logic else set()
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        for entry, text in _strings(data, ""):
            if _field(entry) not in quoted:
                yield str(file.relative_to(ROOT)), entry, text
    written = [
        *(ROOT / "generator" / "templates").rglob("*.j2"),
        *(ROOT / "docs" / "about").glob("*.md"),
        *(ROOT / "site_overrides").rglob("*.html"),
        *(ROOT / "site_overrides").rglob("*.mjs"),
    ]
    for file in sorted(written):
        yield str(file.relative_to(ROOT)), "whole file", file.read_text(encoding="utf-8")


def test_our_prose_copies_no_sentence_of_the_sources(fingerprints):
    copied = [
        f"{file}: {entry}: {copy.source}: {copy.text!r}"
        for file, entry, text in our_wording()
        for copy in fingerprints.copies(text)
    ]
    assert not copied, "Write these in our own words:\n" + "\n".join(copied)


def test_the_check_sees_what_we_quote_on_purpose(fingerprints):
    """Table 11 is quoted exactly, so the same check must find it: the fingerprints work."""
    table11 = (EDITION / "table11.toml").read_text(encoding="utf-8")
    found = {copy.source for copy in fingerprints.copies(table11)}
    assert found == {"dhhs-2019-virologic-failure.txt"}


def test_no_built_page_carries_the_weak_article(built_site: Path, fingerprints):
    problems = []
    for page in sorted(built_site.rglob("*.html")):
        text = text_of(page.read_text(encoding="utf-8"))
        name = page.relative_to(built_site)
        problems += [f"{name}: copied {c.text!r}" for c in fingerprints.copies(text, ("weak",))]
        problems += [f"{name}: names {who!r}" for who in fingerprints.people_named(text)]
    assert not problems, "\n".join(problems)


def test_the_weak_article_checks_catch_its_text_and_its_people(tmp_path: Path):
    """On stand-in sources: an 8-word run of the weak article and its people are found."""
    for name in source_fingerprints.ROLES:
        (tmp_path / name).write_text("Nothing in common with anything here.\n", encoding="utf-8")
    (tmp_path / "web-article-salvage-therapy-overview.txt").write_text(
        "Expert Perspectives\n\n"
        "Professor Ada Placeholder (Invented Role, Nowhere). Salvage therapy is a last resort "
        "that every reader of this stand-in article should treat with invented caution.\n\n"
        "Author Profile\n\nBea Standin\nBea Standin writes about other things.\n",
        encoding="utf-8",
    )
    check = Fingerprints(source_fingerprints.fingerprint(tmp_path))
    ours = "As Ada Placeholder put it, salvage therapy is a last resort that every reader knows."
    assert [c.text for c in check.copies(ours)] == [
        "salvage therapy is a last resort that every reader"
    ]
    assert check.people_named(ours) == ["ada placeholder"]
    assert check.people_named("Thanks to Bea Standin.") == ["bea standin"]
    assert check.copies("Salvage therapy is a last resort.") == []  # 6 words: too short to count


def test_the_fingerprints_match_the_sources():
    sources = source_fingerprints.DEFAULT_SOURCES
    if not sources.is_dir():
        pytest.skip(f"the sources are not beside this checkout ({sources})")
    stored = json.loads(source_fingerprints.FINGERPRINTS.read_text(encoding="utf-8"))
    assert source_fingerprints.fingerprint(sources) == stored, (
        "the sources changed: run `python -m tests.source_fingerprints ../shared/sources`"
    )


def test_every_quoted_field_exists():
    """A renamed field would silently leave the exemption list: each one names real strings."""
    found: dict[str, set[str]] = {}
    for name in QUOTATIONS:
        data = tomllib.loads((EDITION / name).read_text(encoding="utf-8"))
        found[name] = {_field(entry) for entry, _ in _strings(data, "")}
    assert {name: fields - found[name] for name, fields in QUOTATIONS.items()} == {
        name: set() for name in QUOTATIONS
    }
