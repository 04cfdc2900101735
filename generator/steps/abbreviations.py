"""Write ``docs/includes/abbreviations.md`` from ``generator/content/abbreviations.toml``.

``pymdownx.snippets`` appends that file to every page (``auto_append`` in ``mkdocs.yml``), so each
abbreviation gets a tooltip wherever it appears; the file itself is excluded from the built pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.core import ContentError, Context, Output, load_toml

CONTENT_FILE = "abbreviations.toml"
OUTPUT = "includes/abbreviations.md"
# Markdown's abbr syntax is `*[ABBR]: expansion`; brackets or line breaks would break it.
_ABBREVIATION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/+.-]*$")


def load(context: Context) -> dict[str, str]:
    path = context.content_dir / CONTENT_FILE
    data = load_toml(path)
    table = data.get("abbreviations")
    if not isinstance(table, dict) or not table:
        raise ContentError(path, message="expected a non-empty [abbreviations] table")
    for key in data.keys() - {"abbreviations"}:
        raise ContentError(path, entry=key, message="unknown table (allowed: abbreviations)")
    for abbreviation, expansion in table.items():
        if not _ABBREVIATION.match(abbreviation):
            raise ContentError(
                path,
                entry=abbreviation,
                message="an abbreviation is letters, digits and / + . - (no spaces or brackets)",
            )
        if not isinstance(expansion, str) or not expansion.strip() or "\n" in expansion:
            raise ContentError(
                path,
                entry=abbreviation,
                field="expansion",
                message="must be a non-empty, single-line string",
            )
    return {key: table[key].strip() for key in sorted(table)}


def step(context: Context) -> Iterator[Output]:
    lines = [f"*[{key}]: {value}" for key, value in load(context).items()]
    yield OUTPUT, "\n".join(lines) + "\n"
