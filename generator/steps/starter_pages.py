"""Render the home page (``docs/index.md``) and the disclaimer (``docs/disclaimer.md``) from
``generator/templates/`` and ``generator/content/site.toml``.

A deliberately small first content step: later steps replace it with the real guideline,
patient, walkthrough and case pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from generator.core import ContentError, Context, Output, load_toml

CONTENT_FILE = "site.toml"
PAGES = {
    "index.md": "home.md.j2",
    "disclaimer.md": "disclaimer.md.j2",
}
SOURCE_FIELDS: dict[str, type] = {
    "publisher": str,
    "guideline": str,
    "section": str,
    "last_updated": date,
    "last_reviewed": date,
}


def load_source(context: Context) -> dict[str, Any]:
    path = context.content_dir / CONTENT_FILE
    source = load_toml(path).get("source")
    if not isinstance(source, dict):
        raise ContentError(path, message="expected a [source] table")
    for name, kind in SOURCE_FIELDS.items():
        value = source.get(name)
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            expected = "a date (YYYY-MM-DD)" if kind is date else "a non-empty string"
            raise ContentError(path, entry="source", field=name, message=f"must be {expected}")
    for name in source.keys() - SOURCE_FIELDS.keys():
        raise ContentError(
            path,
            entry="source",
            field=name,
            message=f"unknown field (allowed: {', '.join(SOURCE_FIELDS)})",
        )
    return source


def step(context: Context) -> Iterator[Output]:
    source = load_source(context)
    for output, template in PAGES.items():
        yield output, context.render(template, source=source)
