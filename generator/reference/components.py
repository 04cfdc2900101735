"""Generated parts of pages (``component = "..."`` blocks): the rating scheme, Table 11, the
glossary, the decision map, the source map, the home page's ways in and the source's facts.
Everything clinical comes from ``logic``; templates under
``generator/templates/reference/components/`` decide the markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from generator import ratings, site_links
from generator.core import load_toml
from generator.reference import decision_map
from generator.reference.options import option_items
from generator.reference.site import source_facts as source_facts_data

if TYPE_CHECKING:
    from generator.reference.site import Renderer


def render(r: Renderer, component: str, level: int) -> str:
    return RENDERERS[component](r, level)


def rating_scheme(r: Renderer, level: int) -> str:
    g = r.g
    strength, evidence = ratings.scheme(r.g)
    used: dict[str, dict[str, list]] = {
        code: {"recs": [], "options": []} for code in ratings.all_ratings(r.g)
    }
    for rec in g.recommendations.values():
        if rec.get("rating"):
            used[rec["rating"]]["recs"].append(r.rec_link(rec["id"], rec["text"]))
    for row in r.g.options_table()["rows"]:
        for option in row["options"]:
            if option["rating"]:
                used[option["rating"]]["options"].append(
                    f"{option['text']} ({r.row_link(row['id'])})"
                )
    grid = [
        {
            "code": s,
            "label": strength[s],
            "cells": [
                {
                    "code": s + e,
                    "count": len(used[s + e]["recs"]) + len(used[s + e]["options"]),
                }
                for e in evidence
            ],
        }
        for s in strength
    ]
    combinations = [
        {
            "code": code,
            "anchor": ratings.rating_anchor(code),
            "title": ratings.rating_title(code, r.g),
            "strength": strength[code[0]],
            "evidence": evidence[code[1:]],
            "recs": used[code]["recs"],
            "options": used[code]["options"],
            "badge": r.badge(code),
        }
        for code in ratings.all_ratings(r.g)
    ]
    return r.site.context.render(
        "reference/components/rating_scheme.md.j2",
        note=g.rating_scheme["note"],
        strength=strength,
        evidence=evidence,
        grid=grid,
        combinations=combinations,
        level=level,
    )


def _spans(values: list[str]) -> list[int]:
    """Rowspans for runs of equal values: the run's length on its first row, 0 after."""
    spans = [0] * len(values)
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            spans[start] = index - start
            start = index
    return spans


def table11(r: Renderer, level: int) -> str:

    data = r.g.options_table()
    rows = data["rows"]
    groups = _spans([row["group"] for row in rows])
    regimens = _spans([f"{row['group']}|{row['failing_regimen']}" for row in rows])

    def note_link(note: str) -> str:
        return f"[{note}](#t11-note-{note})"

    items = []
    for index, row in enumerate(rows):
        try_link = r.site.walkthrough_link(row["id"])
        items.append(
            {
                "id": row["id"],
                "label": r.site.row_label(row["id"]),
                "group": row["group"],
                "group_span": groups[index],
                "failing_regimen": row["failing_regimen"],
                "regimen_span": regimens[index],
                "resistance": row["resistance"],
                "resistance_notes": [note_link(n) for n in row.get("resistance_footnotes", [])],
                "options": option_items(r, row["id"]),
                "row_note": row.get("row_note", ""),
                "goal": row["goal"],
                "section": r.section_link(row["section"], "Read the text"),
                "try_link": r.link(try_link, "Try this scenario") if try_link else "",
            }
        )
    return r.site.context.render(
        "reference/components/table11.md.j2",
        title=data["title"],
        preamble=data["preamble"],
        header_notes=[note_link(n) for n in data["options_footnotes"]],
        rows=items,
        footnotes=data["footnotes"],
        key=data["key"],
        glossary=r.link("guideline/glossary.md", "glossary"),
    )


def glossary(r: Renderer, level: int) -> str:
    g = r.site.glossary
    key = {item["abbr"] for item in r.g.options_table()["key"]}
    items = [
        {
            "abbr": item.abbr,
            "anchor": "abbr-" + re.sub(r"[^a-z0-9]+", "-", item.abbr.lower()).strip("-"),
            "expansion": item.expansion,
            "definition": item.definition,
            "table11": item.abbr in key,
        }
        for item in g.abbreviations.values()
    ]
    return r.site.context.render(
        "reference/components/glossary.md.j2",
        abbreviations=items,
        terms=g.terms,
        level=level,
        table11=r.link("guideline/table-11.md#t11-key", "Table 11's key"),
    )


def source_map(r: Renderer, level: int) -> str:
    g = r.g
    titles = r.site.section_titles
    sections = [
        {
            "title": section["title"],
            "link": r.section_link(section["id"], titles[section["id"]]),
            "page": r.link(
                site_links.section_pages(r.g)[section["id"]],
                r.site.by_path[site_links.section_pages(r.g)[section["id"]]].title,
            ),
        }
        for section in g.sections.values()
    ]
    site_map = load_toml(site_links.SITE_MAP)
    return r.site.context.render(
        "reference/components/source_map.md.j2",
        sections=sections,
        pages=len(site_map.get("pages", [])),
        patient_sources=g.source.get("patient_sources", []),
        level=level,
    )


def ways_in(r: Renderer, level: int) -> str:
    def page(path: str) -> dict[str, Any]:
        target = r.site.by_path[path]
        return {"link": r.link(path, target.title), "description": target.description}

    return r.site.context.render(
        "reference/components/ways_in.md.j2",
        key=page("guideline/key-considerations.md"),
        table=page("guideline/table-11.md"),
        map=page(site_links.DECISION_MAP_PAGE),
        patients=page("patients/index.md"),
        glossary=page("guideline/glossary.md"),
        source=page("guideline/source.md"),
        walkthrough=r.link(r.site.walkthrough, "Walkthrough") if r.site.walkthrough else "",
        cases=r.link(r.site.cases, "Worked cases") if r.site.cases else "",
    )


def source_facts(r: Renderer, level: int) -> str:
    return r.site.context.render(
        "reference/components/source_facts.md.j2",
        source=source_facts_data(r.g),
        patient_sources=r.g.source.get("patient_sources", []),
    )


def genotype_facts(r: Renderer, level: int) -> str:
    """The genotype interpretation's facts, from logic's data: the algorithm (name, version,
    date, licence), HIVdb's levels with our reading of them, the rules that turn levels into
    the guideline's resistance classes, and the limits of a genotype."""
    from logic.clinical_inputs import ALGORITHM_TITLE
    from logic.genotype import genotype_data
    from logic.hivdb.algorithm import load as hivdb

    data, info = genotype_data(r.g.edition), hivdb().info
    fully_active = data.thresholds["fully_active_max_level"]
    lines = [
        f"- **Algorithm:** {ALGORITHM_TITLE} ({info['name']}), version **{info['version']}**, "
        f"dated {info['date']}, by Stanford University.",
        "- **Licence:** public domain (the Unlicense); the algorithm file ships unchanged with "
        "this site's decision package, with its licence.",
        "",
        "**HIVdb's levels, as this site counts them**",
        "",
        "| Level | HIVdb's label | Counted here as |",
        "|---|---|---|",
    ]
    for number, entry in sorted(data.levels.items()):
        counted = "fully active" if number <= fully_active else "resistance"
        lines.append(f"| {number} | {entry['label']} | {counted} |")
    lines += ["", *[f"- {entry['reading']}" for entry in data.cutoffs.values()], ""]
    lines += ["**From drug levels to the guideline's classes**", ""]
    lines += ["| Rule | Conclusion | Why |", "|---|---|---|"]
    classes = {c["value"]: c["label"] for c in r.g.fields["resistance"]["choices"]}
    for rule in data.tables["resistance_classes"].table["rules"]:
        then = rule["then"]
        conclusion = classes.get(then.get("class"), "") or data.outside.get(then.get("outside"))
        reading = rule["source"].get("reading", "") or "The guideline names this class."
        lines.append(f"| `{rule['id']}` | {conclusion} | {reading} |")
    lines += ["", "**What a genotype cannot tell**", ""]
    lines += [f"- {limit['text']}" for limit in data.limits]
    return "\n".join(lines) + "\n"


def decision_map_component(r: Renderer, level: int) -> str:
    return decision_map.render(r, level)


RENDERERS = {
    "rating_scheme": rating_scheme,
    "table11": table11,
    "glossary": glossary,
    "decision_map": decision_map_component,
    "source_map": source_map,
    "ways_in": ways_in,
    "source_facts": source_facts,
    "genotype_facts": genotype_facts,
}
