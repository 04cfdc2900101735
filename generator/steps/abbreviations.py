"""Write ``docs/includes/abbreviations.md`` from logic's abbreviations
(``logic/editions/<id>/abbreviations.toml``) plus the few the site's prose adds
(``generator/content/glossary.toml``), and the plurals of drug-class abbreviations ("NRTIs").

``pymdownx.snippets`` appends that file to every page (``auto_append`` in ``mkdocs.yml``), so each
abbreviation gets a tooltip wherever it appears; the file itself is excluded from the built pages.
The glossary page (``guideline/glossary.md``) lists the same abbreviations.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.core import Context, Output
from generator.reference.extras import load_glossary, plural_forms

OUTPUT = "includes/abbreviations.md"


def definitions(context: Context) -> dict[str, str]:
    """Abbreviation -> expansion, for every abbreviation the site explains."""
    glossary = load_glossary(context)
    found = {item.abbr: item.expansion for item in glossary.abbreviations.values()}
    found.update(plural_forms(glossary))
    return {key: found[key] for key in sorted(found)}


def step(context: Context) -> Iterator[Output]:
    lines = [f"*[{key}]: {value}" for key, value in definitions(context).items()]
    yield OUTPUT, "\n".join(lines) + "\n"
