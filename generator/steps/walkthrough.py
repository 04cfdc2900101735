"""Render the interactive walkthrough page, ``docs/walkthrough/index.md``.

The page is static HTML generated from the edition's ``question_schema()``: every question, label,
help text and choice comes from ``logic``, and the form works (and can be filled, or restored from a
link) before Python has loaded. The browser code (``site_overrides/assets/javascripts/
walkthrough.mjs``) reads everything else it needs from JSON in the page (the ``data-wt-data``
attribute), written here from
``logic`` and ``generator.site_links``: where each source section, Table 11 row and rating lives on
this site, the rating scheme's wording, the footnotes, the decision tables' titles, the guideline's
date and the ``logic`` version. Nothing clinical is typed into the page's JavaScript.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import logic
import logic.regimen
from generator import later_evidence, site_links
from generator.content_model import load_pages
from generator.core import ContentError, Context, Output, long_date
from generator.ratings import all_ratings, rating_titles
from generator.reference import decision_map
from generator.reference.site import Renderer, Site
from generator.steps import logic_bundle
from logic import Guideline
from logic.vocabulary import vocabulary

PAGE = site_links.WALKTHROUGH_PAGE  # "walkthrough/index.md"
TEMPLATE = "walkthrough/index.md.j2"
# Empty rows of the viral-load table in the static page (more can be added on the page).
STATIC_ROWS = 3
KINDS = {"series", "number", "integer", "date", "choice", "multi", "boolean", "text"}
# Type-ahead lists a text field may name (`suggest` in inputs.toml).
SUGGESTIONS = {"drugs"}


def link_from_page(target: str, from_page: str = PAGE) -> str:
    """A link from this page (or ``from_page``) to docs-relative ``target`` (raw HTML, JSON)."""
    return site_links.built_url(target, from_page)


def ratings(g: Guideline) -> dict[str, dict[str, str]]:
    """Every rating of the scheme: the badge's title (``generator.ratings``, shared with the
    content pages' badge macro) and the address of its entry on the rating scheme page."""
    return {
        code: {"title": title, "url": link_from_page(site_links.rating_link(code))}
        for code, title in rating_titles(g).items()
    }


def check_schema(schema: dict[str, Any], folder: str) -> list[dict[str, Any]]:
    """The fields in order, checked for what the page needs (a label; choices for a choice)."""
    where = f"{folder}/inputs.toml"
    fields = []
    for step in schema["steps"]:
        if not step["fields"]:
            raise ContentError(where, f"step {step['number']}", "fields", "a step with no field")
        for field in step["fields"]:
            if field.get("kind") not in KINDS:
                raise ContentError(where, field.get("id"), "kind", f"unknown kind {field['kind']}")
            if not field.get("label"):
                raise ContentError(where, field["id"], "label", "every question needs a label")
            if field["kind"] in ("choice", "multi") and not field.get("choices"):
                raise ContentError(where, field["id"], "choices", "a choice needs choices")
            if field.get("suggest") and field["suggest"] not in SUGGESTIONS:
                raise ContentError(
                    where, field["id"], "suggest", f"unknown list {field['suggest']}"
                )
            fields.append(field)
    return fields


def drug_names(g: Guideline) -> list[str]:
    """What the drug picker offers: combination tablets first, then each agent by its
    abbreviation and by its name (logic's drug data; boosters only inside boosted names)."""
    choices = logic.regimen.drug_choices(g.edition)
    names = list(choices["combinations"])
    for drug in choices["drugs"]:
        if drug["class"] == "booster" or drug["investigational"]:
            continue
        names += [drug["abbr"], drug["name"]]
    return list(dict.fromkeys(names))


def page_data(
    schema: dict[str, Any], fields: list[dict[str, Any]], context: Context
) -> dict[str, Any]:
    """Everything the browser code reads from the page (the JSON block)."""
    guideline = context.guideline
    words = vocabulary(guideline)
    source = guideline.source
    return {
        "logic_version": logic.__version__,
        "guideline": {
            "title": source["title"],
            "publisher": source["publisher"],
            "section": source["section"],
            "last_updated": source["last_updated"],
            "last_updated_long": long_date(source["last_updated"]),
            "options_table": guideline.options_table_name,  # the edition's name for it
        },
        "default_llod": schema["default_llod"],
        "fields": {
            field["id"]: {
                "kind": field["kind"],
                "label": field["label"],
                "step": field["step"],
                "choices": {c["value"]: c["label"] for c in field.get("choices", [])},
                "requires": field.get("requires"),
                "suggest": field.get("suggest"),
            }
            for field in fields
        },
        # the form's order (the JSON's keys are sorted): summaries list the case in this order
        "field_order": [field["id"] for field in fields],
        "suggestions": {"drugs": drug_names(guideline)},
        "steps": {str(step["number"]): step["title"] for step in schema["steps"]},
        "sections": {
            section_id: {
                "title": section["title"],
                "url": link_from_page(site_links.section_link(section_id, guideline)),
            }
            for section_id, section in guideline.sections.items()
        },
        "rows": {
            row_id: {
                "url": link_from_page(site_links.row_link(row_id, guideline)),
                "group": row["group"],
                "failing_regimen": row["failing_regimen"],
            }
            for row_id, row in guideline.rows.items()
        },
        "ratings": ratings(guideline),
        # strongest first (the scheme's strength letters, then its evidence numerals): the
        # walkthrough marks the highest-rated option from this order
        "rating_order": all_ratings(guideline),
        "rating_legend": words.rating_legend(),
        # what each rule concludes, in words without identifiers (the answer's folded "why")
        "conclusions": {
            rule["id"]: words.conclusion(rule["then"])
            for table in guideline.tables.values()
            for rule in table["rules"]
        },
        # "After this edition" notes, shown beside a caution or for a regimen's drugs; they never
        # change logic's answer (later_evidence.toml of the edition's content).
        "after_edition": list(later_evidence.load(context).notes),
        "ratings_page": link_from_page(site_links.RATINGS_PAGE),
        "footnotes": {key: note["text"] for key, note in guideline.footnotes.items()},
        "tables": {table_id: table["title"] for table_id, table in guideline.tables.items()},
        "pages": {
            "table11": link_from_page(site_links.section_link("table-11", guideline)),
            "definitions": link_from_page(site_links.section_link("definitions", guideline)),
        },
    }


def attribute_json(data: Any) -> str:
    """The page data as JSON for an HTML attribute (the template escapes it). Not a
    ``<script type="application/json">``: Material's instant navigation re-creates every script
    in the new page's content without its ``type``, so the JSON would run as JavaScript."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def map_renderer(context: Context) -> Renderer:
    """A renderer for this page with the content pages' site: the decision map and its words."""
    return Renderer(Site(context, load_pages(context)), PAGE)


def step(context: Context) -> Iterator[Output]:
    schema = context.guideline.question_schema()
    fields = check_schema(schema, context.guideline.folder)
    renderer = map_renderer(context)
    data = page_data(schema, fields, context)
    thresholds = context.guideline.thresholds
    defaults = {
        field["id"]: thresholds[field["default_threshold"]]
        for field in fields
        if field.get("default_threshold")
    }
    yield (
        PAGE,
        context.render(
            TEMPLATE,
            schema=schema,
            defaults=defaults,
            download_mb=round(logic_bundle.download_bytes(context) / 1_000_000),
            data_json=attribute_json(data),
            static_rows=range(STATIC_ROWS),
            suggestions=data["suggestions"],
            pages=data["pages"],
            guideline=data["guideline"],
            logic_version=logic.__version__,
            ratings_md=site_links.relative(site_links.RATINGS_PAGE, PAGE),
            # the flowchart, where the walkthrough marks the rules a case fired; the cards
            # stay on the decision map page
            decision_map=decision_map.render(renderer, level=3, cards=False),
        ),
    )
