"""The case pages' Markdown and page data: links from one page, the teacher's sheet blocks, the
course chart and the JSON a case page embeds for cases-page.mjs."""

from __future__ import annotations

import html
import json
from typing import Any

from generator import ratings, site_links
from generator.core import Context
from generator.steps.cases.casefile import Case
from generator.steps.cases.library import INDEX_PAGE
from logic import Guideline
from logic.chart import course_figure, render_svg, unclassified
from logic.vocabulary import number, vocabulary


def data_attribute(data: Any) -> str:
    """JSON for a ``data-`` attribute, HTML-escaped. Not a ``<script type="application/json">``:
    Material's instant navigation re-creates inline scripts without their type, so it would run
    JSON as JavaScript."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return html.escape(text, quote=True)


class Links:
    """Links from one page, in Markdown (validated by MkDocs) or for raw HTML."""

    def __init__(self, page: str, context: Context) -> None:
        self.page, self.g = page, context.guideline
        macros = context.env.get_template("reference/macros.md.j2").module
        self._badge = macros.rating_badge  # the site's one rating badge
        self._no_rating = macros.no_rating

    def md(self, target: str) -> str:
        return site_links.relative(target, self.page)

    def html(self, target: str) -> str:
        return site_links.built_url(target, self.page)

    def section(self, section: str) -> str:
        return self.md(site_links.section_link(section, self.g))

    def section_title(self, section: str) -> str:
        return self.g.sections[section]["title"]

    def row(self, scenario: str) -> str:
        return self.md(site_links.row_link(scenario, self.g))

    def badge(self, rating: str) -> str:
        """The shared rating badge (nothing for an unrated statement)."""
        if not rating:
            return ""
        link = self.md(site_links.rating_link(rating))
        return str(self._badge(rating, link, ratings.rating_title(rating, self.g)))

    def no_rating(self) -> str:
        return str(self._no_rating())

    def rated(self, rating: str) -> str:
        """The badge, or the "not rated" marker for an unrated statement."""
        return self.badge(rating) or self.no_rating()

    def walkthrough(self, case_input: dict) -> str:
        """A Markdown link target (see site_links.walkthrough_link)."""
        return self.md(site_links.walkthrough_link(case_input, self.g))


def _indent(lines: list[str]) -> str:
    return "\n".join(f"    {line}" if line else "" for line in lines)


class Sheet:
    """Markdown blocks for the teacher's sheet, built here rather than in Jinja, whose
    whitespace control and Markdown's indentation rules do not mix well."""

    def __init__(self, links: Links) -> None:
        self.links, self.words = links, vocabulary(links.g)

    def _source(self, section: str) -> str:
        return f"[{self.links.section_title(section)}]({self.links.section(section)})"

    def rules(self, entries: list[dict], quote: bool = True) -> str:
        """The rules that fired, with the facts they read and their sources."""
        lines = []
        for entry in entries:
            inputs = "; ".join(self.words.inputs(entry["inputs"]))
            source = entry["source"]
            line = (
                f"- Rule **{entry['rule']}** — {inputs or 'applies to every case that reaches it'}."
                f" Source: {self._source(source['section'])}"
            )
            if quote and source.get("text"):
                line += f": “{source['text']}”"
                if source.get("rating"):
                    line += " " + self.links.badge(source["rating"])
            lines.append(line)
        return "\n".join(lines) or "- No rule of the decision logic applies here."

    def recommendation(self, rec: dict, with_source: bool = True) -> str:
        badge = self.links.badge(rec.get("rating", ""))
        text = rec["text"] + (f" {badge}" if badge else "")
        return text + (f" ({self._source(rec['section'])})" if with_source else "")

    def caution(self, caution: dict) -> str:
        footnote = f" (Table 11, footnote {caution['footnote']}.)" if caution["footnote"] else ""
        body = [caution["text"] + footnote, ""]
        body += [f"- {self.recommendation(rec)}" for rec in caution["recommendations"]]
        if caution["recommendations"]:
            body.append("")
        body.append(
            f"Raised by rule {' and '.join(caution['rules'])}. "
            f"Source: {self._source(caution['section'])}."
        )
        return f'!!! warning "{caution["title"].replace(chr(34), "”")}"\n\n' + _indent(body)

    def variant(self, option: dict) -> str:
        variant = option["text_variant"]
        body = []
        if variant["rating_differs"]:
            subject = f"the qualifier “{variant['qualifier']}”" if variant["qualifier"] else "this"
            body += [
                f"The section's text rates {subject} {self.links.rated(variant['text_rating'])} "
                f"(“{variant['text']}”); in Table 11, shown above, it is "
                f"{self.links.rated(variant['table_rating'])}.",
                "",
            ]
        if variant["wording"]:
            body.append(variant["wording"])
        title = f"Text and Table 11 differ: {option['text']}".replace('"', "”")
        return f'!!! note "{title}"\n\n' + _indent(body)


def viral_load_rows(case: Case) -> list[dict[str, str]]:
    """The viral loads as entered (as a lab prints them), in time order, with the week logic
    derived for a dated row."""
    weeks = [r["week"] for r in case.result["case"]["viral_loads"]]  # chronological
    dates = [r["date"] or "" for r in case.result["case"]["viral_loads"]]
    entered = sorted(case.input["viral_loads"], key=lambda r: (r.get("date", ""), r.get("week", 0)))
    return [
        {"week": number(week), "date": day, "copies": str(r["copies"])}
        for week, day, r in zip(weeks, dates, entered, strict=True)
    ]


def course_chart(case: Case, *, classified: bool) -> dict[str, str]:
    """The course as a chart and a table: as logic read it for the teacher's sheet, without
    logic's reading (results only) where the trainee is asked to classify them."""
    course = case.result["course"]
    shown = course if classified else unclassified(course)
    prefix = f"vl-{case.id}-{'read' if classified else 'plain'}"
    if classified:
        return course_figure(course, id_prefix=prefix)
    return {
        "svg": render_svg(
            shown,
            title="Viral-load results on the current regimen",
            description="The results on a log scale, with the LLOD, 200 and 1,000 copies/mL "
            "marked; how to read them is the first question.",
            id_prefix=prefix,
        ),
        "table": "",
    }


def case_facts(case: Case, g: Guideline) -> list[tuple[str, str]]:
    """The case as logic read it (normalised), for the teacher's sheet: every field the case
    file gives, and the assay's LLOD (logic's default when the file gives none)."""
    normalised = case.result["case"]
    fields = g.fields
    words = vocabulary(g)
    given = [
        (spec["label"], words.value(fid, normalised.get(fid)))
        for fid, spec in fields.items()
        if fid != "viral_loads" and (fid in case.input or fid == "llod")
    ]
    # What logic read from the case's regimen by drugs and genotype (logic/clinical_inputs.py).
    derived = [
        (
            f"{fields[fact['field']]['label']} (read from the "
            f"{'drugs' if fact['field'] == 'failing_regimen' else 'genotype'})",
            words.value(fact["field"], fact["value"])
            + (f"; {fact['derived_from']}" if fact["derived_from"] else ""),
        )
        for fact in case.result.get("derived", [])
    ]
    return given + derived


def page_data(case: Case, links: Links) -> dict[str, Any]:
    """Everything cases-page.mjs needs on a case page, from logic's data (links relative to it,
    each in a ``url`` field). The answers are graded in the worker (logic.grading), never here."""
    guideline, words = links.g, vocabulary(links.g)
    return {
        "id": case.id,
        "title": case.title,
        "case": case.input,
        "questions": [
            {
                "number": q.number,
                "ask": q.ask,
                "title": q.kind.title,
                "multi": q.kind.multi,
                "choices": [
                    {"value": c.value, "label": c.label, "implied": c.implied} for c in q.choices
                ],
            }
            for q in case.questions
        ],
        "sections": {
            sid: {"title": s["title"], "url": links.html(site_links.section_link(sid, guideline))}
            for sid, s in guideline.sections.items()
        },
        "ratings": {
            code: {"title": title, "url": links.html(site_links.rating_link(code))}
            for code, title in ratings.rating_titles(guideline).items()
        },
        "rows": {
            rid: {"label": label, "url": links.html(site_links.row_link(rid, guideline))}
            for rid, label in words.rows.items()
        },
        "no_rating": words.unrated(),
        "footnotes": {fid: f["text"] for fid, f in guideline.footnotes.items()},
        "links": {
            "teacher": links.html(case.teacher_page),
            "index": links.html(INDEX_PAGE),
        },
        # the edition's dates, and its name for the options table (the scripts' wording)
        "guideline": {**case.result["guideline"], "options_table": guideline.options_table_name},
    }
