"""The decision map: logic's decision tables drawn as HTML at build time.

Each rule becomes a node ``<li class="dmap-node" id="rule-RESP-05" data-rule="RESP-05">``; each
Table 11 row a node ``<li class="dmap-node dmap-row" data-scenario="first_nnrti">``. The
walkthrough can highlight the path a case took by adding the class ``dmap-hit`` to the nodes
named in the evaluation's trace (``trace[].rule``) and its ``scenario``: on the flowchart
alone, since the walkthrough carries only the flowchart (``cards=False``), its boxes linking to
the cards on the decision map page (82 cards, 75 rules and 7 rows, on a page with a form cost a
phone a quarter of a second of blocking time at load).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import site_links
from generator.reference import decision_diagram
from logic.vocabulary import vocabulary

if TYPE_CHECKING:
    from generator.reference.site import Renderer


class Describer:
    """Turns facts, conditions and conclusions into words and links for one page (the facts,
    values and conditions in logic's one vocabulary, logic/vocabulary.toml)."""

    def __init__(self, r: Renderer) -> None:
        self.r = r
        self.g = r.g
        self.words = vocabulary(r.g)

    def fact(self, fact: str) -> str:
        return self.words.label(fact)

    def value(self, fact: str, value: Any) -> str:
        return self.words.value(fact, value)

    def condition(self, fact: str, condition: Any) -> str:
        return f"{self.fact(fact)}: {self.words.condition(fact, condition)}"

    def conclusions(self, then: dict[str, Any]) -> list[str]:
        g, r = self.g, self.r
        out = []
        for key, value in then.items():
            if key == "response":
                response = g.responses[value]
                label = response["label"]
                if response["definition"]:
                    label = r.link(f"guideline/definitions.md#def-{response['definition']}", label)
                out.append(f"Response: {label}")
            elif key == "repeat":
                out.append(f"Repeat: {g.repeats[value]['what']}")
            elif key == "level":
                out.append(f"Level: {g.viremia_levels[value]['label']}")
            elif key == "scenario":
                out.append("Table 11 row: " + r.row_link(value))
            elif key == "reason":
                out.append(g.reasons[value]["text"])
            elif key == "recommendations":
                for rec in value:
                    item = g.recommendations[rec]
                    out.append(
                        r.rec_link(rec, item["text"]) + " " + r.badge(item.get("rating", ""))
                    )
            elif key == "ask":
                out.append("Ask: " + "; ".join(g.fields[f]["label"] for f in value))
            elif key == "caution":
                out.append("Caution: " + g.cautions[value]["title"])
        return out

    def source(self, source: dict[str, Any]) -> str:
        r = self.r
        parts = [r.section_link(source["section"])]
        if source.get("definition"):
            term = self.g.definitions[source["definition"]]["term"]
            parts.append(r.link(f"guideline/definitions.md#def-{source['definition']}", term))
        if source.get("recommendation"):
            rec = self.g.recommendations[source["recommendation"]]
            if rec.get("rating"):
                parts.append(f"{r.rec_link(rec['id'], 'recommendation')} {r.badge(rec['rating'])}")
        if source.get("reading"):
            parts.append(f"our reading: {source['reading']}")
        return " · ".join(parts)


def render(r: Renderer, level: int, cards: bool = True) -> str:
    """The map: its stages, the flowchart and a card per rule and per row. Without ``cards``
    (the walkthrough), the flowchart alone, its boxes linking to the decision map page's cards."""
    describe = Describer(r)
    tables = r.g.tables
    diagram = decision_diagram.render(
        describe.condition,
        r.site.row_label,
        r.g,
        [(table_id, table["short"]) for table_id, table in tables.items()],
        "" if cards else site_links.built_url(site_links.DECISION_MAP_PAGE, r.page),
    )
    if not cards:
        return diagram
    stages = []
    # The tables in the order a case runs through them (rules.toml's order, checked by logic).
    for number, (table_id, table) in enumerate(tables.items(), 1):
        stages.append(
            {
                "id": table_id,
                "number": number,
                "short": table["short"],
                "title": table["title"],
                "first": table["hit_policy"] == "first",
                "rules": [
                    {
                        "id": rule["id"],
                        "when": [describe.condition(f, c) for f, c in rule.get("when", {}).items()],
                        "then": describe.conclusions(rule["then"]),
                        "scenario": rule["then"].get("scenario", ""),
                        "source": describe.source(rule["source"]),
                    }
                    for rule in table["rules"]
                ],
            }
        )
    rows = [
        {
            "id": row_id,
            "label": r.site.row_label(row_id),
            "link": r.link(site_links.row_link(row_id, r.g), "Open in Table 11"),
            "options": len(row["options"]),
        }
        for row_id, row in r.g.rows.items()
    ]
    return r.site.context.render(
        "reference/components/decision_map.md.j2",
        stages=stages,
        rows=rows,
        level=level,
        diagram=diagram,
    )
