"""The answers a case question offers, each with what choosing it would imply (from logic's data:
definitions, recommendations, Table 11 rows, cautions and the rules that conclude them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from logic import Guideline
from logic.vocabulary import vocabulary


@dataclass
class Choice:
    value: str
    label: str
    implied: dict[str, Any] | None = None


def rules_concluding(
    g: Guideline, key: str, value: str, tables: tuple[str, ...] | None = None
) -> list[dict]:
    """logic's rules whose conclusion sets ``key`` to (or, for lists, includes) ``value``."""
    found = []
    for table in g.tables.values():
        if tables and table["id"] not in tables:
            continue
        for rule in table["rules"]:
            then = rule["then"].get(key)
            if then == value or (isinstance(then, list) and value in then):
                found.append(rule)
    return found


def concludable_recommendations(g: Guideline) -> set[str]:
    return {
        rec
        for table in g.tables.values()
        for rule in table["rules"]
        for rec in rule["then"].get("recommendations", [])
    }


def outcome_reasons(g: Guideline) -> list[str]:
    """Reasons logic gives for placing a case in no Table 11 row — except "tell me more",
    which a finished case never gets (those rules ``ask`` for a missing answer)."""
    reasons = []
    for reason in g.reasons:
        rules = rules_concluding(g, "reason", reason, ("scenario", "row_fit"))
        if rules and not any(rule["then"].get("ask") for rule in rules):
            reasons.append(reason)
    return reasons


def option_label(option: dict) -> str:
    qualifiers = f" ({'; '.join(option['qualifiers'])})" if option["qualifiers"] else ""
    return option["text"] + qualifiers


def rule_refs(g: Guideline, rules: list[dict]) -> list[dict[str, str]]:
    """Rules as ``{id, when}``, their conditions in the vocabulary's words."""
    words = vocabulary(g)
    return [{"id": rule["id"], "when": words.when_text(rule)} for rule in rules]


def _responses(g: Guideline) -> list[Choice]:
    out = []
    for rid, response in g.responses.items():
        rules = rules_concluding(g, "response", rid, ("response",))
        definition = g.definitions.get(response["definition"])
        repeats = [g.repeats[r["then"]["repeat"]] for r in rules if "repeat" in r["then"]]
        implied = {
            "term": definition["term"] if definition else "",
            "text": definition["text"] if definition else "",
            "applied": definition["applied"] if definition else "",
            "repeat": [r["what"] for r in repeats],
            "section": rules[0]["source"]["section"],
            "rules": rule_refs(g, rules),
        }
        out.append(Choice(rid, response["label"], implied))
    return out


def _levels(g: Guideline) -> list[Choice]:
    out = []
    for lid, level in g.viremia_levels.items():
        rules = rules_concluding(g, "level", lid, ("viremia",))
        rec_ids = [
            r["source"]["recommendation"] for r in rules if r["source"].get("recommendation")
        ]
        recs = [g.recommendations[r] for r in rec_ids]
        implied = {
            "recommendations": [
                {"text": rec["text"], "rating": rec.get("rating", "")} for rec in recs
            ],
            "section": rules[0]["source"]["section"],
            "rules": rule_refs(g, rules),
        }
        out.append(Choice(lid, level["label"], implied))
    return out


def _management(g: Guideline, case_choices: list[str]) -> list[Choice]:
    out = []
    for rec_id in case_choices:
        rec = g.recommendations[rec_id]
        implied = {
            "text": rec["text"],
            "rating": rec.get("rating", ""),
            "section": rec["sections"][0],
            "rules": rule_refs(g, rules_concluding(g, "recommendations", rec_id)),
        }
        out.append(Choice(rec_id, rec["text"], implied))
    return out


def _rows(g: Guideline) -> list[Choice]:
    out = []
    for rid, row in g.rows.items():
        implied = {
            "text": row["resistance"],
            "goal": row["goal"],
            "section": row["section"],
            "rules": rule_refs(g, rules_concluding(g, "scenario", rid, ("scenario",))),
        }
        out.append(Choice(rid, vocabulary(g).rows[rid], implied))
    for reason in outcome_reasons(g):
        text = g.reasons[reason]["text"]
        rules = rules_concluding(g, "reason", reason, ("scenario", "row_fit"))
        implied = {
            "text": text,
            "section": rules[0]["source"]["section"],
            "rules": rule_refs(g, rules),
        }
        out.append(Choice(reason, f"None — {text}", implied))
    return out


def _cautions(g: Guideline, case_choices: list[str] | None) -> list[Choice]:
    out = []
    for cid in case_choices or list(g.cautions):
        caution = g.cautions[cid]
        implied = {
            "text": caution["text"],
            "section": caution["section"],
            "rules": rule_refs(g, rules_concluding(g, "caution", cid, ("cautions",))),
        }
        out.append(Choice(cid, caution["title"], implied))
    return out


def choices(g: Guideline, kind: str, case_choices: list[str] | None, result: dict) -> list[Choice]:
    """Every answer the trainee may choose, with what choosing it would imply (from logic)."""
    if kind == "response":
        return _responses(g)
    if kind == "viremia_level":
        return _levels(g)
    if kind == "management":
        return _management(g, case_choices or [])
    if kind == "scenario":
        return _rows(g)
    if kind == "best_option":
        return [Choice(str(n), option_label(o)) for n, o in enumerate(result["options"], 1)]
    if kind == "cautions":
        return _cautions(g, case_choices)
    raise AssertionError(kind)
