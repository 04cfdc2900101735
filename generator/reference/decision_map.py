"""The decision map: logic's decision tables drawn as HTML at build time.

Each rule becomes a node ``<li class="dmap-node" id="rule-RESP-05" data-rule="RESP-05">``; each
Table 11 row a node ``<li class="dmap-node dmap-row" data-scenario="first_nnrti">``. The
walkthrough can highlight the path a case took by adding the class ``dmap-hit`` to the nodes
named in the evaluation's trace (``trace[].rule``) and its ``scenario``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator import site_links
from generator.conditions import condition_words
from generator.reference import decision_diagram

if TYPE_CHECKING:
    from generator.reference.site import Renderer


class Describer:
    """Turns facts, conditions and conclusions into words and links for one page."""

    def __init__(self, r: Renderer) -> None:
        self.r = r
        self.g = r.g
        self.labels = r.site.map_labels

    def fact(self, fact: str) -> str:
        if fact in self.labels.facts:
            return self.r.expand(self.labels.facts[fact]["label"])
        if fact in self.g.fields:
            return self.g.fields[fact]["label"]
        if fact.startswith("res_"):
            return "Resistance found: " + self._choice("resistance", fact[len("res_") :])
        raise KeyError(fact)  # extras.load_map_labels checks every table's facts first

    def _choice(self, field: str, value: str) -> str:
        for choice in self.g.fields[field].get("choices", []):
            if choice["value"] == value:
                return choice["label"]
        return value

    def value(self, fact: str, value: Any) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        value_set = self.labels.facts.get(fact, {}).get("values")
        if value_set == "bands":
            return self.r.expand(self.labels.bands[value])
        if value_set == "responses":  # a response id, or "none"
            return self.g.responses[value]["label"] if value in self.g.responses else "none"
        if value_set:  # a choice field of logic's inputs
            return self._choice(value_set, value)
        if fact == "response":
            return self.g.responses[value]["label"]
        if fact == "level":
            return self.g.viremia_levels[value]["label"]
        if fact == "scenario":
            return self.r.site.row_label(value)
        if fact in self.g.fields and self.g.fields[fact].get("choices"):
            return self._choice(fact, value)
        return str(value)

    def condition(self, fact: str, condition: Any) -> str:
        unit = self.labels.facts.get(fact, {}).get("unit", "")
        words = condition_words(
            condition, self.g.thresholds, lambda item: self.value(fact, item), unit
        )
        return f"{self.fact(fact)}: {words}"

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


def fact_words(r: Renderer) -> dict[str, dict[str, Any]]:
    """Every fact a decision table reads, in the map's words: its label, the unit of a number,
    and the words for each value it can take (the walkthrough's "Why" lines use them)."""
    describe = Describer(r)
    g = describe.g
    known: dict[str, Any] = {
        "response": g.responses,
        "level": g.viremia_levels,
        "scenario": g.rows,
    }
    out = {}
    for fact in sorted({f for table in g.tables.values() for f in table["inputs"]}):
        spec = describe.labels.facts.get(fact, {})
        choices = spec.get("values") or fact  # a field's own choices, or the ones it names
        if spec.get("values") == "bands":
            values = list(describe.labels.bands)
        elif spec.get("values") == "responses":
            values = [*g.responses, "none"]
        elif fact in known:
            values = list(known[fact])
        elif choices in g.fields and g.fields[choices].get("choices"):
            values = [choice["value"] for choice in g.fields[choices]["choices"]]
        else:
            values = []
        out[fact] = {
            "label": describe.fact(fact),
            "unit": spec.get("unit", ""),
            "values": {value: describe.value(fact, value) for value in values},
        }
    return out


def render(r: Renderer, level: int) -> str:
    describe = Describer(r)
    tables = r.g.tables
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
        diagram=decision_diagram.render(
            describe.condition,
            r.site.row_label,
            r.g,
            [(table_id, table["short"]) for table_id, table in tables.items()],
        ),
    )
