"""One tooltip per abbreviation per page: the first use keeps its ``title``, later ones lose it.

The ``abbr`` extension marks every occurrence of every abbreviation, and Material's
``content.tooltips`` builds a tooltip for each element with a title when the page loads. On
Table 11 that is 247 tooltips, about 1.1 s of main-thread work on a throttled phone
(tests/benchmarks/bench_lighthouse.py). Explaining an abbreviation at its first use on a page is
the usual convention; every later use is still an ``<abbr>`` (read as such by assistive
technology), and the glossary lists them all.
"""

from __future__ import annotations

import re
from pathlib import Path

_ABBR = re.compile(r'<abbr title="([^"]*)">([^<]*)</abbr>')


def first_use_only(page: str) -> tuple[str, int]:
    """The page with a title on the first ``<abbr>`` of each text only; how many were removed."""
    seen: set[str] = set()
    removed = 0

    def keep_first(match: re.Match) -> str:
        nonlocal removed
        text = match.group(2)
        if text not in seen:
            seen.add(text)
            return match.group(0)
        removed += 1
        return f"<abbr>{text}</abbr>"

    return _ABBR.sub(keep_first, page), removed


def apply(site_dir: Path) -> int:
    """Rewrite every page under ``site_dir``; returns the number of titles removed."""
    total = 0
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        new, removed = first_use_only(text)
        if removed:
            path.write_text(new, encoding="utf-8")
            total += removed
    return total
