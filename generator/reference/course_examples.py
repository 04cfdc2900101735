"""Worked examples beside the definitions: a course per definition, checked against logic and
drawn with logic's own chart (generator/content/course_examples.toml)."""

from __future__ import annotations

from dataclasses import dataclass

from generator.core import ContentError, Context, load_toml
from logic import CaseError
from logic.chart import render_svg

FILE = "course_examples.toml"


@dataclass(frozen=True)
class Example:
    definition: str
    caption: str
    svg: str
    summary: list[str]


def load_examples(context: Context) -> dict[str, Example]:
    """Definition id -> its worked example, each one checked: logic must read the course as
    the definition it illustrates."""
    file = context.content_dir / FILE
    g = context.guideline
    out: dict[str, Example] = {}
    for index, item in enumerate(load_toml(file).get("examples", [])):
        entry = str(item.get("definition", f"examples[{index}]"))
        unknown = sorted(set(item) - {"definition", "response", "caption", "viral_loads"})
        if unknown:
            raise ContentError(file, entry, unknown[0], "not a field of an example")
        if entry not in g.definitions:
            raise ContentError(file, entry, "definition", f"unknown definition '{entry}'")
        if entry in out:
            raise ContentError(file, entry, "definition", "example given twice")
        for field in ("response", "caption"):
            if not isinstance(item.get(field), str) or not item[field]:
                raise ContentError(file, entry, field, "required text is missing")
        try:
            result = g.evaluate({"viral_loads": item.get("viral_loads")})
        except CaseError as error:
            raise ContentError(file, entry, error.field, error.message) from None
        if result["response"] != item["response"]:
            raise ContentError(
                file, entry, "response", f"logic reads this course as {result['response']}"
            )
        summary = result["course"]["summary"]
        svg = render_svg(
            result["course"],
            title=f"Worked example: {g.definitions[entry]['term']}",
            description=" ".join([item["caption"], *summary]),
            id_prefix=f"vl-example-{entry.replace('_', '-')}",
        )
        out[entry] = Example(entry, item["caption"], svg, summary)
    return out
