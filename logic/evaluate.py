"""Evaluate a case: derive facts, run the decision tables in order, assemble the result.

Each table adds its conclusions to the facts the next one reads, and every rule that fires
is written to the trace with the facts it used and the source it rests on.
"""

from __future__ import annotations

from typing import Any

from logic.case import validate
from logic.clinical_inputs import apply as apply_clinical_inputs
from logic.course import course_facts, course_summary, read_course
from logic.guideline_data import GuidelineData as Guideline
from logic.options_table import options
from logic.version import __version__

# The decision tables in the order a case runs through them; rules.toml lists them in this
# order (checked on load) and the decision map draws them in it.
TABLE_ORDER = ("response", "viremia", "management", "scenario", "row_fit", "cautions")


def case_facts(
    case: dict[str, Any], guideline: Guideline, course: dict[str, Any]
) -> dict[str, Any]:
    facts = {
        name: value
        for name, value in case.items()
        if name not in ("viral_loads", "regimen", "mutations")  # read into other fields
    }
    facts.update(course_facts(course))
    for choice in guideline.fields["resistance"]["choices"]:
        facts[f"res_{choice['value']}"] = choice["value"] in case["resistance"]
    return facts


class Evaluation:
    """The running state of one evaluation: facts, trace and collected conclusions."""

    def __init__(self, guideline: Guideline, facts: dict[str, Any]) -> None:
        self.guideline = guideline
        self.facts = facts
        self.trace: list[dict] = []
        self.recommendations: list[str] = []
        self.ask: list[str] = []
        self.cautions: dict[str, list[str]] = {}

    def run(self, table_id: str) -> list[dict]:
        compiled = self.guideline.compiled[table_id]
        fired = compiled.run(self.facts)
        for rule in fired:
            self._apply(compiled.table, rule)
        return fired

    def _apply(self, table: dict, rule: dict) -> None:
        then = rule["then"]
        for key in ("response", "repeat", "level", "scenario", "reason"):
            if key in then:
                self.facts[key] = then[key]
        _extend(self.recommendations, then.get("recommendations", []))
        _extend(self.ask, then.get("ask", []))
        if "caution" in then:
            self.cautions.setdefault(then["caution"], []).append(rule["id"])
        self.trace.append(
            {
                "table": table["id"],
                "rule": rule["id"],
                "inputs": {fact: _plain(self.facts.get(fact)) for fact in rule.get("when", {})},
                "then": dict(then),
                "source": dict(self._source(rule["id"], rule["source"])),
            }
        )

    def _source(self, rule_id: str, source: dict) -> dict:
        """A rule's source with its recommendation resolved (once per rule per process)."""
        cache = self.guideline.resolved_sources
        if rule_id not in cache:
            cache[rule_id] = self._resolve(source)
        return cache[rule_id]

    def _resolve(self, source: dict) -> dict:
        out = {"section": source["section"]}
        if source.get("recommendation"):
            rec = self.guideline.recommendations[source["recommendation"]]
            out.update(recommendation=rec["id"], rating=rec.get("rating", ""), text=rec["text"])
        if source.get("definition"):
            out["definition"] = source["definition"]
        return out


def _extend(target: list[str], items: list[str]) -> None:
    for item in items:
        if item not in target:
            target.append(item)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def evaluate(case: Any, guideline: Guideline) -> dict[str, Any]:
    """Classify the viral-load history and return the guideline's answer, with its why.

    Raises :class:`logic.CaseError` (a ``ValueError``) for invalid input.
    """
    normalised = validate(case, guideline)
    clinical = apply_clinical_inputs(case, normalised, guideline.edition)
    course = read_course(normalised["viral_loads"], guideline.thresholds, normalised["llod"])
    state = Evaluation(guideline, case_facts(normalised, guideline, course))
    state.run("response")
    facts = state.facts
    response = guideline.responses[facts["response"]]
    facts["failure"] = bool(
        response["definition"] and guideline.definitions[response["definition"]]["failure"]
    )
    # Off treatment, failure-level viremia raises the same questions (resistance testing and
    # its timing, the limited-history row) without being failure by definition.
    facts["suspected_failure"] = facts["failure"] or (
        facts["response"] == "off_art" and facts["latest_band"] == "failure_level"
    )
    # CNS escape with suppressed plasma also leads to a regimen change, so the modifiers
    # of any new regimen (HBV, childbearing potential) apply to it too.
    facts["regimen_change"] = facts["failure"] or bool(
        facts.get("cns_symptoms") and facts["latest_band"] == "undetectable"
    )
    state.run("viremia")
    state.run("management")
    state.facts["scenario"] = None
    state.run("scenario")
    _check_row_fit(state)
    state.facts["source_silent"] = state.facts.get("reason") == "source_silent"
    state.run("cautions")
    return {**_result(guideline, normalised, state, course), **clinical}


def _check_row_fit(state: Evaluation) -> None:
    scenario = state.facts.get("scenario")
    if scenario is None:
        state.facts["resistance_outside_row"] = False
        return
    allowed = set(state.guideline.rows[scenario]["resistance_allowed"])
    outside = [r for r in state.facts["resistance"] if r not in allowed]
    state.facts["resistance_outside_row"] = bool(outside)
    if state.run("row_fit"):
        state.facts["scenario"] = None
        state.trace[-1]["inputs"]["resistance_outside_row"] = outside


def _result(guideline: Guideline, case: dict, state: Evaluation, course: dict) -> dict[str, Any]:
    facts = state.facts
    response = guideline.responses[facts["response"]]
    scenario = facts.get("scenario")
    row = guideline.rows[scenario] if scenario else None
    repeat = guideline.repeats[facts["repeat"]] if facts.get("repeat") else None
    definition = guideline.definitions.get(response["definition"]) if response else None
    return {
        "logic_version": __version__,
        "guideline": {
            "section": guideline.source["section"],
            "last_updated": guideline.source["last_updated"],
        },
        "case": _public_case(case),
        "course": {**course, "summary": course_summary(course)},
        "response": response["id"],
        "response_label": response["label"],
        "failure": facts["failure"],
        "definition": _definition(definition),
        "repeat": {"what": repeat["what"], "when": repeat["when"]} if repeat else None,
        "viremia": {
            "level": facts["level"],
            "label": guideline.viremia_levels[facts["level"]]["label"],
            "latest_copies": facts["latest_copies"],
            "latest_week": facts["latest_week"],
            "below_llod": facts["latest_band"] == "undetectable",
        },
        "management": [_recommendation(guideline, rec) for rec in state.recommendations],
        "scenario": scenario,
        "scenario_reason": None if scenario else _reason(guideline, facts.get("reason")),
        "table11_row": _row(guideline, row) if row else None,
        "options": options(guideline, row, state.cautions) if row else [],
        "cautions": [_caution(guideline, c, rules) for c, rules in state.cautions.items()],
        "questions": list(state.ask),
        "trace": state.trace,
    }


def _public_case(case: dict) -> dict:
    loads = [
        {key: r[key] for key in ("week", "date", "copies", "below_llod", "detected")}
        for r in case["viral_loads"]
    ]
    return {**case, "viral_loads": loads}


def _definition(definition: dict | None) -> dict | None:
    if not definition:
        return None
    return {key: definition[key] for key in ("id", "term", "text", "applied")}


def _reason(guideline: Guideline, reason: str | None) -> dict | None:
    return {"id": reason, "text": guideline.reasons[reason]["text"]} if reason else None


def _recommendation(guideline: Guideline, rec_id: str) -> dict:
    rec = guideline.recommendations[rec_id]
    return {
        "id": rec_id,
        "text": rec["text"],
        "rating": rec.get("rating", ""),
        "section": rec["sections"][0],
    }


def _row(guideline: Guideline, row: dict) -> dict:
    return {
        key: row.get(key)
        for key in ("id", "group", "failing_regimen", "resistance", "goal", "section", "row_note")
    }


def _caution(guideline: Guideline, caution_id: str, rules: list[str]) -> dict:
    caution = guideline.cautions[caution_id]
    return {
        "id": caution_id,
        "title": caution["title"],
        "text": caution["text"],
        "section": caution["section"],
        "footnote": caution.get("footnote", ""),
        "recommendations": [
            _recommendation(guideline, rec) for rec in caution.get("recommendations", [])
        ],
        "rules": rules,
    }
