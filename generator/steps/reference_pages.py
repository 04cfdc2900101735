"""Render every reference page from ``generator/content/pages/*.toml``: the home page, the
guideline pages (with Table 11, the rating scheme, the decision map and the glossary), the
patient pages, the disclaimer and the page about the source.

Everything is loaded and checked first (:mod:`generator.content_model`,
:mod:`generator.reference.extras`), so a content error stops the run before anything is
written and names the file, the entry and the field.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.content_model import load_pages
from generator.core import Context, Output
from generator.reference.blocks import render_block
from generator.reference.site import Renderer, Site, source_facts


def step(context: Context) -> Iterator[Output]:
    site = Site(context, load_pages(context))
    sections = context.guideline.sections
    outputs = []
    for page in site.pages:
        r = Renderer(site, page.path, page.file)
        intro = [render_block(r, block, "blocks", 2) for block in page.blocks]
        rendered = [
            {
                "title": r.expand(section.title, section.entry, "title"),
                "anchor": section.anchor,
                "source_title": sections[section.id]["title"] if section.id else "",
                "blocks": [render_block(r, block, section.entry, 3) for block in section.blocks],
            }
            for section in page.sections
        ]
        text = context.render(
            "reference/page.md.j2",
            title=page.title,
            description=r.expand(page.description),
            hide=page.hide,
            audience=page.audience,
            source=source_facts(context.guideline),
            disclaimer=r.href("disclaimer.md"),
            intro=intro,
            sections=rendered,
        )
        outputs.append((page.path, text))
    yield from outputs
