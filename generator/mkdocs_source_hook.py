"""MkDocs hook (``hooks:`` in mkdocs.yml): the source notice's facts come from ``logic``.

``site_overrides/main.html`` prints a notice on every page from ``config.extra.source``. This
hook fills that in from ``logic/data/guideline.toml`` ``[source]``, so the guideline's name and
dates are written in one place only (never typed into mkdocs.yml). The data is read afresh on
every build, so ``mkdocs serve`` picks up an edited date on reload.
"""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # mkdocs loads hooks by path; make the packages importable
    sys.path.insert(0, str(ROOT))


def long_date(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day:%B} {day.day}, {day.year}"


def notice_facts() -> dict[str, str]:
    """The notice's facts, read from logic's data files (not a cached copy)."""
    from logic.guideline import load_from

    source = load_from(None).source
    short = re.search(r"\(([A-Z]{2,})\)", source["publisher"])
    return {
        "guideline": f"{short.group(1)} {source['title']}" if short else source["title"],
        "section": source["section"],
        "last_updated": long_date(str(source["last_updated"])),
        "last_reviewed": long_date(str(source["last_reviewed"])),
    }


def on_config(config, **kwargs):
    config.extra["source"] = notice_facts()
    return config
