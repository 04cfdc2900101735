"""Abbreviation tooltips without JavaScript: the first use on a page explains itself.

The ``abbr`` extension writes ``<abbr title="…">`` at every occurrence of every abbreviation.
A browser shows a ``title`` only to a mouse, after a delay; Material's ``content.tooltips``
mends that with a script that builds a tooltip per titled element when the page loads: on
Table 11, 247 of them, about 1.1 s of main-thread work on a throttled phone, and still 0.2 s
when only first uses kept a title (tests/benchmarks/bench_lighthouse.py). The site no longer
turns that feature on (mkdocs.yml): other titles (rating badges, an abbreviation inside a
label or link) are the browser's own. So this step, run on
the built HTML (builder-neutral), rewrites each page:

- the **first use** of an abbreviation becomes ``<abbr class="htf-abbr" tabindex="0"
  aria-describedby="htf-abbr-1">ART<span class="htf-abbr__tip" id="htf-abbr-1"
  role="tooltip">antiretroviral therapy</span></abbr>`` (the WAI-ARIA tooltip pattern): CSS
  alone shows the expansion as a bubble on hover, keyboard focus and tap (the tabindex makes it
  focusable), styled in site.css; it is hidden otherwise (``display: none``), so it is neither
  copied with the text nor part of a heading's name, and screen readers announce it as the
  abbreviation's description;
- **later uses** stay ``<abbr>`` without a title, the usual convention (the glossary lists all).

Nothing runs at page load, and nothing depends on Material's JavaScript (which ends its life on
2027-05-05).
"""

from __future__ import annotations

import re
from pathlib import Path

# An abbreviation, or the start or end of an element a focusable tooltip must not sit inside
# (a focusable element in a link or a <summary> is "nested interactive" for assistive technology).
_TOKEN = re.compile(
    r'<abbr title="(?P<expansion>[^"]*)">(?P<text>[^<]*)</abbr>'
    r"|<(?P<close>/?)(?P<tag>a|button|label|summary|select|textarea)\b[^>]*>"
)

TIP_CLASS = "htf-abbr"


def first_use_explained(page: str) -> tuple[str, int]:
    """The page with the first ``<abbr>`` of each text explained in place and the rest plain;
    how many abbreviations it rewrote. Inside a link or other control an abbreviation keeps its
    plain ``title`` (the browser's own tooltip) and does not count as the first use."""
    seen: set[str] = set()
    rewritten = 0
    inside_control = 0
    # Ids already on the page (a second run over the same page keeps them unique).
    taken = len(re.findall(rf'id="{TIP_CLASS}-\d+"', page))

    def rewrite(match: re.Match) -> str:
        nonlocal rewritten, inside_control
        if match.group("tag"):
            inside_control += -1 if match.group("close") else 1
            inside_control = max(inside_control, 0)
            return match.group(0)
        expansion, text = match.group("expansion"), match.group("text")
        if inside_control:
            return match.group(0)
        rewritten += 1
        if text in seen:
            return f"<abbr>{text}</abbr>"
        seen.add(text)
        tip = f"{TIP_CLASS}-{taken + len(seen)}"
        return (
            f'<abbr class="{TIP_CLASS}" tabindex="0" aria-describedby="{tip}">{text}'
            f'<span class="{TIP_CLASS}__tip" id="{tip}" role="tooltip">{expansion}</span></abbr>'
        )

    return _TOKEN.sub(rewrite, page), rewritten


def apply(site_dir: Path) -> int:
    """Rewrite every page under ``site_dir``; returns the number of abbreviations rewritten."""
    total = 0
    for path in sorted(site_dir.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        new, rewritten = first_use_explained(text)
        if rewritten:
            path.write_text(new, encoding="utf-8")
            total += rewritten
    return total
