"""Render the interactive walkthrough page, ``docs/walkthrough/index.md``.

The page is static HTML generated from ``logic.question_schema()``: every question, label, help
text and choice comes from ``logic``, and the form works (and can be filled, or restored from a
link) before Python has loaded. The browser code (``site_overrides/assets/javascripts/
walkthrough.mjs``) reads everything else it needs from JSON in the page (the ``data-wt-data``
attribute), written here from
``logic`` and ``generator.site_links``: where each source section, Table 11 row and rating lives on
this site, the rating scheme's wording, the footnotes, the decision tables' titles, the guideline's
date and the ``logic`` version. Nothing clinical is typed into the page's JavaScript.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator
from typing import Any

import logic
import logic.regimen
from generator import later_evidence, site_links
from generator.content_model import load_pages
from generator.core import ContentError, Context, Output, long_date
from generator.ratings import all_ratings, rating_titles, scheme
from generator.reference import decision_map
from generator.reference.site import Renderer, Site
from generator.steps import logic_bundle

PAGE = site_links.WALKTHROUGH_PAGE  # "walkthrough/index.md"
TEMPLATE = "walkthrough/index.md.j2"
# Empty rows of the viral-load table in the static page (more can be added on the page).
STATIC_ROWS = 3
KINDS = {"series", "number", "integer", "date", "choice", "multi", "boolean", "text"}
# Type-ahead lists a text field may name (`suggest` in inputs.toml).
SUGGESTIONS = {"drugs"}


def page_url(md_path: str) -> str:
    """The URL path MkDocs gives a page (``use_directory_urls``): ``a/b.md`` -> ``a/b/``."""
    path, _, anchor = md_path.partition("#")
    if path == "index.md" or path.endswith("/index.md"):
        url = path[: -len("index.md")]
    elif path.endswith(".md"):
        url = path[: -len(".md")] + "/"
    else:
        url = path
    return url + (f"#{anchor}" if anchor else "")


def link_from_page(target: str, from_page: str = PAGE) -> str:
    """A relative URL from page ``from_page`` to docs-relative ``target`` (``x.md#anchor``), as
    the built site needs it in raw HTML and in JSON (MkDocs rewrites only Markdown links)."""
    url = page_url(target)
    path, _, anchor = url.partition("#")
    base = posixpath.dirname(page_url(from_page).rstrip("/") + "/x")  # the page's folder URL
    relative = posixpath.relpath(path or ".", base or ".")
    if path.endswith("/") and relative != ".":
        relative += "/"
    elif relative == ".":
        relative = "./"
    return relative + (f"#{anchor}" if anchor else "")


def ratings() -> dict[str, dict[str, str]]:
    """Every rating of the scheme: the badge's title (``generator.ratings``, shared with the
    content pages' badge macro) and the address of its entry on the rating scheme page."""
    return {
        code: {"title": title, "url": link_from_page(site_links.rating_link(code))}
        for code, title in rating_titles().items()
    }


def check_schema(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields in order, checked for what the page needs (a label; choices for a choice)."""
    where = "logic/data/inputs.toml"
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


def drug_names() -> list[str]:
    """What the drug picker offers: combination tablets first, then each agent by its
    abbreviation and by its name (logic's drug data; boosters only inside boosted names)."""
    choices = logic.regimen.drug_choices()
    names = list(choices["combinations"])
    for drug in choices["drugs"]:
        if drug["class"] == "booster" or drug["investigational"]:
            continue
        names += [drug["abbr"], drug["name"]]
    return list(dict.fromkeys(names))


def page_data(schema: dict[str, Any], fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything the browser code reads from the page (the JSON block)."""
    guideline = logic.guideline()
    source = guideline.source
    return {
        "logic_version": logic.__version__,
        "guideline": {
            "title": source["title"],
            "publisher": source["publisher"],
            "section": source["section"],
            "last_updated": source["last_updated"],
            "last_updated_long": long_date_text(source["last_updated"]),
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
        "suggestions": {"drugs": drug_names()},
        "steps": {str(step["number"]): step["title"] for step in schema["steps"]},
        "sections": {
            section_id: {
                "title": section["title"],
                "url": link_from_page(site_links.section_link(section_id)),
            }
            for section_id, section in guideline.sections.items()
        },
        "rows": {
            row_id: {
                "url": link_from_page(site_links.row_link(row_id)),
                "group": row["group"],
                "failing_regimen": row["failing_regimen"],
            }
            for row_id, row in guideline.rows.items()
        },
        "ratings": ratings(),
        # strongest first (the scheme's strength letters, then its evidence numerals): the
        # walkthrough marks the highest-rated option from this order
        "rating_order": all_ratings(),
        "rating_legend": rating_legend(),
        "conclusions": conclusions(guideline),
        # "After this edition" notes, shown beside a caution or for a regimen's drugs; they never
        # change logic's answer (generator/content/later_evidence.toml).
        "after_edition": list(later_evidence.load().notes),
        "ratings_page": link_from_page(site_links.RATINGS_PAGE),
        "footnotes": {key: note["text"] for key, note in guideline.footnotes.items()},
        "tables": {table_id: table["title"] for table_id, table in guideline.tables.items()},
        "pages": {
            "table11": link_from_page(site_links.section_link("table-11")),
            "definitions": link_from_page(site_links.section_link("definitions")),
        },
    }


def rating_legend() -> str:
    """The rating scheme in one line, for the printed answer (on screen it is one click away)."""
    strength, evidence = scheme()
    letters = ", ".join(f"{code} {label.lower()}" for code, label in strength.items())
    numerals = "; ".join(f"{code} {text[:1].lower()}{text[1:]}" for code, text in evidence.items())
    return f"Ratings: strength of the recommendation {letters}; quality of evidence {numerals}."


def conclusions(guideline: Any) -> dict[str, list[str]]:
    """What each rule concludes, in plain words (no identifiers), for the answer's folded
    "why": rule id -> sentences, from the response, level, row, reason, recommendation,
    question and caution texts of ``logic``."""
    g = guideline
    words: dict[str, Any] = {
        "response": lambda v: f"Response: {g.responses[v]['label']}",
        "repeat": lambda v: f"Repeat: {g.repeats[v]['what']}",
        "level": lambda v: f"Level of viremia: {g.viremia_levels[v]['label']}",
        "scenario": lambda v: f"Table 11 row: {g.rows[v]['group']}: {g.rows[v]['failing_regimen']}",
        "reason": lambda v: g.reasons[v]["text"],
        "recommendations": lambda v: [g.recommendations[rec]["text"] for rec in v],
        "ask": lambda v: "Needs an answer: " + "; ".join(g.fields[f]["label"] for f in v),
        "caution": lambda v: f"Caution: {g.cautions[v]['title']}",
    }
    out = {}
    for table in g.tables.values():
        for rule in table["rules"]:
            lines: list[str] = []
            for key, value in rule["then"].items():
                if key not in words:
                    where = f"rule {rule['id']}"
                    raise ContentError("logic/data/rules.toml", where, key, "no words for it")
                said = words[key](value)
                lines += said if isinstance(said, list) else [said]
            out[rule["id"]] = lines
    return out


def long_date_text(iso: str) -> str:
    from datetime import date

    return long_date(date.fromisoformat(iso))


def attribute_json(data: Any) -> str:
    """The page data as JSON for an HTML attribute (the template escapes it). Not a
    ``<script type="application/json">``: Material's instant navigation re-creates every script
    in the new page's content without its ``type``, so the JSON would run as JavaScript."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def map_renderer(context: Context) -> Renderer:
    """A renderer for this page with the content pages' site: the decision map and its words."""
    return Renderer(Site(context, load_pages(context)), PAGE)


def step(context: Context) -> Iterator[Output]:
    schema = logic.question_schema()
    fields = check_schema(schema)
    renderer = map_renderer(context)
    # The decision map's words for the facts a rule read, for the "Why" lines.
    data = {**page_data(schema, fields), "facts": decision_map.fact_words(renderer)}
    thresholds = logic.guideline().thresholds
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
            # the walkthrough highlights the nodes of the rules a case fired
            decision_map=decision_map.render(renderer, level=3),
        ),
    )
