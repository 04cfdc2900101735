"""The reference pages' smaller content files, loaded and checked:

* ``table11.toml``: an example case per Table 11 row (it must reach the row through
  ``logic.evaluate``; the row's label is logic's, in ``logic/vocabulary.toml``);
* ``glossary.toml``: abbreviations the site's prose uses beyond logic's, and plain-language terms;
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core import ContentError, Context, load_toml
from logic import CaseError
from logic.vocabulary import vocabulary

TABLE11_FILE = "table11.toml"
GLOSSARY_FILE = "glossary.toml"
# Markdown's abbreviation syntax is `*[ABBR]: expansion`: no brackets, spaces or line breaks.
_ABBREVIATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/+.-]*$")
_ANCHOR = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _table_list(data: dict, key: str, file: Path) -> list[dict]:
    items = data.get(key)
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise ContentError(file, key, None, f"expected a non-empty list of [[{key}]] tables")
    return items


def _string(item: dict, key: str, file: Path, entry: str, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if value is None:
        raise ContentError(file, entry, key, "required field is missing")
    if not isinstance(value, str) or not value.strip() or "\n" in value.strip():
        raise ContentError(file, entry, key, "must be a non-empty, single-line string")
    return value.strip()


def _only(item: dict, allowed: set[str], file: Path, entry: str) -> None:
    for key in item:
        if key not in allowed:
            raise ContentError(
                file, entry, key, f"unknown field (allowed: {', '.join(sorted(allowed))})"
            )


# --------------------------------------------------------------------------- Table 11 rows


@dataclass(frozen=True)
class RowExtra:
    scenario: str
    label: str
    example: dict[str, Any]


def load_table11(context: Context) -> dict[str, RowExtra]:
    """Scenario id -> label and checked example case, one per Table 11 row."""
    file = context.content_dir / TABLE11_FILE
    rows = context.guideline.rows
    out: dict[str, RowExtra] = {}
    for index, item in enumerate(_table_list(load_toml(file), "rows", file)):
        entry = item.get("scenario") if isinstance(item.get("scenario"), str) else f"rows[{index}]"
        _only(item, {"scenario", "example"}, file, entry)
        scenario = _string(item, "scenario", file, entry)
        if scenario not in rows:
            raise ContentError(file, entry, "scenario", f"unknown Table 11 scenario '{scenario}'")
        if scenario in out:
            raise ContentError(file, entry, "scenario", "row given twice")
        example = item.get("example")
        if not isinstance(example, dict):
            raise ContentError(file, entry, "example", "required table [rows.example] is missing")
        try:
            reached = context.guideline.evaluate(example)["scenario"]
        except CaseError as error:
            raise ContentError(file, entry, f"example.{error.field}", error.message) from None
        if reached != scenario:
            raise ContentError(
                file,
                entry,
                "example",
                f"this case reaches {reached or 'no row'} through logic.evaluate, not {scenario}",
            )
        out[scenario] = RowExtra(scenario, vocabulary(context.guideline).rows[scenario], example)
    missing = [row for row in rows if row not in out]
    if missing:
        raise ContentError(file, None, "rows", f"Table 11 rows missing: {', '.join(missing)}")
    return {row: out[row] for row in rows}  # Table 11's order


# --------------------------------------------------------------------------- glossary


@dataclass(frozen=True)
class Abbreviation:
    abbr: str
    expansion: str
    definition: str
    origin: str  # the file that defines it


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    text: str


@dataclass(frozen=True)
class Glossary:
    abbreviations: dict[str, Abbreviation]  # logic's and the site's, sorted for display
    terms: list[Term]


def sort_key(abbr: str) -> tuple[str, str]:
    return abbr.lstrip("0123456789").upper() or abbr, abbr


def load_glossary(context: Context) -> Glossary:
    file = context.content_dir / GLOSSARY_FILE
    data = load_toml(file)
    _only(data, {"abbreviations", "terms"}, file, None)
    found: dict[str, Abbreviation] = {}
    logic_file = f"{context.guideline.folder}/abbreviations.toml"
    for item in context.guideline.abbreviations.values():
        found[item["abbr"]] = Abbreviation(
            item["abbr"], item["expansion"], item.get("definition", ""), logic_file
        )
    for index, item in enumerate(_table_list(data, "abbreviations", file)):
        entry = item.get("abbr") if isinstance(item.get("abbr"), str) else f"abbreviations[{index}]"
        _only(item, {"abbr", "expansion", "definition"}, file, entry)
        abbr = _string(item, "abbr", file, entry)
        if not _ABBREVIATION.match(abbr):
            raise ContentError(
                file, entry, "abbr", "letters, digits and / + . - only (no spaces or brackets)"
            )
        if abbr in found:
            raise ContentError(
                file,
                entry,
                "abbr",
                f"abbreviation '{abbr}' defined twice (also in {found[abbr].origin})",
            )
        found[abbr] = Abbreviation(
            abbr,
            _string(item, "expansion", file, entry),
            _string(item, "definition", file, entry, required=False) or "",
            file.name,
        )
    terms: list[Term] = []
    seen: set[str] = set()
    for index, item in enumerate(_table_list(data, "terms", file)):
        entry = item.get("id") if isinstance(item.get("id"), str) else f"terms[{index}]"
        _only(item, {"id", "term", "text"}, file, entry)
        term_id = _string(item, "id", file, entry)
        if not _ANCHOR.match(term_id):
            raise ContentError(file, entry, "id", "lowercase letters, digits and - only")
        if term_id in seen:
            raise ContentError(file, entry, "id", "term defined twice")
        seen.add(term_id)
        terms.append(
            Term(term_id, _string(item, "term", file, entry), _string(item, "text", file, entry))
        )
    ordered = {key: found[key] for key in sorted(found, key=sort_key)}
    return Glossary(ordered, sorted(terms, key=lambda t: t.term.lower()))


def plural_forms(glossary: Glossary) -> dict[str, str]:
    """Plurals of drug-class abbreviations ("NRTIs"), derived so they get tooltips too."""
    out = {}
    for item in glossary.abbreviations.values():
        if item.expansion.endswith("inhibitor") and item.abbr.isalpha():
            plural = item.abbr + "s"
            if plural not in glossary.abbreviations:
                out[plural] = item.expansion + "s"
    return out
