"""What the case library covers: logic's responses, levels, Table 11 rows, reasons for no row,
cautions and repeats, each with the cases that reach it (shown on the index)."""

from __future__ import annotations

from generator.steps.cases.casefile import Case
from generator.steps.cases.choices import outcome_reasons
from logic import Guideline
from logic.vocabulary import vocabulary


def coverage_targets(guideline: Guideline) -> dict[str, dict[str, str]]:
    """What the library must cover, from logic's data: id -> label, per kind of thing."""
    return {
        "Response definitions": {r: v["label"] for r, v in guideline.responses.items()},
        "Levels of viremia": {v: x["label"] for v, x in guideline.viremia_levels.items()},
        "Table 11 rows": dict(vocabulary(guideline).rows),
        "Cases outside Table 11": {
            reason: guideline.reasons[reason]["text"] for reason in outcome_reasons(guideline)
        },
        "Cautions": {c: v["title"] for c, v in guideline.cautions.items()},
        "What to repeat": {r: v["what"] for r, v in guideline.repeats.items()},
    }


def covered_by(case: Case) -> dict[str, set[str]]:
    result = case.result
    return {
        "Response definitions": {result["response"]},
        "Levels of viremia": {result["viremia"]["level"]},
        "Table 11 rows": {result["scenario"]} if result["scenario"] else set(),
        "Cases outside Table 11": (
            {result["scenario_reason"]["id"]} if result["scenario_reason"] else set()
        ),
        "Cautions": {caution["id"] for caution in result["cautions"]},
        "What to repeat": {
            entry["then"]["repeat"] for entry in result["trace"] if "repeat" in entry["then"]
        },
    }


def coverage(cases: list[Case], guideline: Guideline) -> dict[str, dict[str, list[str]]]:
    """For each target: the ids of the cases that cover it (an empty list: uncovered)."""
    out: dict[str, dict[str, list[str]]] = {}
    for kind, targets in coverage_targets(guideline).items():
        out[kind] = {target: [] for target in targets}
    for case in cases:
        for kind, items in covered_by(case).items():
            for item in items & out[kind].keys():
                out[kind][item].append(case.id)
    return out
