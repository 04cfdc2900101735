"""The case library's one grader: what ``logic.evaluate``'s result makes right for a question.

Used at build time (the case sheets, the checks of a case file's ``expected`` answers) and in the
browser's worker (the case pages send the reader's answers here), so an answer is judged by one
piece of code. Standard library only.

A question is ``{"ask": kind, "multi": bool, "offered": [values], "chosen": [values]}``; the kinds,
in the order the reasoning goes, are in :data:`KINDS`.
"""

from __future__ import annotations

from typing import Any

from logic.case import CaseError
from logic.guideline import Guideline, load
from logic.vocabulary import vocabulary

KINDS = ("response", "viremia_level", "management", "scenario", "best_option", "cautions")
# The decision tables whose rules explain each kind of answer (management: the rules that gave
# a recommendation, whatever their table).
EXPLAINED_BY = {
    "response": ("response",),
    "viremia_level": ("viremia",),
    "scenario": ("scenario", "row_fit"),
    "best_option": ("scenario", "row_fit"),
    "cautions": ("cautions",),
}
MAX_QUESTIONS = 20
MAX_CHOICES = 100


def rating_rank(rating: str, g: Guideline | None = None) -> tuple[int, int] | None:
    """(strength, evidence) positions in the rating scheme: lower is higher. None if unrated."""
    words = vocabulary(g)
    parts = words.rating_parts(rating)
    if parts is None:
        return None
    strength, evidence = words.scheme()
    return list(strength).index(parts[0]), list(evidence).index(parts[1])


def highest_options(options: list[dict[str, Any]], g: Guideline | None = None) -> list[str]:
    """1-based numbers (as strings) of the options with the highest rating."""
    ranks = [rating_rank(option.get("rating", ""), g) for option in options]
    rated = [rank for rank in ranks if rank is not None]
    if not rated:
        return []
    best = min(rated)
    return [str(n) for n, rank in enumerate(ranks, 1) if rank == best]


def correct_answers(
    kind: str, result: dict[str, Any], offered: list[str], g: Guideline | None = None
) -> list[str]:
    """What logic's result makes right, among the ``offered`` choices."""
    if kind == "response":
        return [result["response"]]
    if kind == "viremia_level":
        return [result["viremia"]["level"]]
    if kind == "management":
        given = {rec["id"] for rec in result["management"]}
        return [value for value in offered if value in given]
    if kind == "scenario":
        return [result["scenario"] or result["scenario_reason"]["id"]]
    if kind == "best_option":
        return highest_options(result["options"], g)
    if kind == "cautions":
        raised = {caution["id"] for caution in result["cautions"]}
        return [value for value in offered if value in raised]
    raise ValueError(f"unknown question {kind!r} (allowed: {', '.join(KINDS)})")


def is_right(multi: bool, chosen: list[str], correct: list[str]) -> bool:
    """A multi-answer question is right when exactly the right set is ticked; another when its
    one answer is among the right ones (a tie for the highest rating has several)."""
    if multi:
        return sorted(set(chosen)) == sorted(set(correct)) and len(chosen) == len(set(chosen))
    return len(chosen) == 1 and chosen[0] in correct


def explaining_rules(kind: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """The trace entries that explain an answer."""
    if kind == "management":
        return [entry for entry in result["trace"] if entry["then"].get("recommendations")]
    return [entry for entry in result["trace"] if entry["table"] in EXPLAINED_BY[kind]]


def explanation(
    kind: str, result: dict[str, Any], g: Guideline | None = None
) -> list[dict[str, Any]]:
    """The rules that explain an answer, with the facts each read in words: ``[{"rule",
    "inputs": ["Fact: value", ...], "source"}]``."""
    words = vocabulary(g)
    return [
        {"rule": entry["rule"], "inputs": words.inputs(entry["inputs"]), "source": entry["source"]}
        for entry in explaining_rules(kind, result)
    ]


def answer_words(kind: str, result: dict[str, Any], g: Guideline | None = None) -> dict[str, str]:
    """Numbers an answer's text shows, in words (the viremia question names the latest result)."""
    return vocabulary(g).latest(result) if kind == "viremia_level" else {}


def _strings(value: Any, where: str, limit: int) -> list[str]:
    if not isinstance(value, list) or len(value) > limit:
        raise CaseError(where, f"expected a list of at most {limit} choices")
    for n, item in enumerate(value):
        if not isinstance(item, str) or len(item) > 200:
            raise CaseError(f"{where}[{n}]", "expected a choice's value (text)")
    return value


def _question(raw: Any, n: int) -> tuple[str, bool, list[str], list[str] | None]:
    where = f"questions[{n}]"
    if not isinstance(raw, dict):
        raise CaseError(where, "expected {ask, multi, offered, chosen}")
    kind = raw.get("ask")
    if kind not in KINDS:
        raise CaseError(f"{where}.ask", f"{str(kind)[:40]!r} is not one of: {', '.join(KINDS)}")
    offered = _strings(raw.get("offered", []), f"{where}.offered", MAX_CHOICES)
    chosen = raw.get("chosen")
    if chosen is not None:
        chosen = _strings(chosen, f"{where}.chosen", MAX_CHOICES)
    return kind, bool(raw.get("multi")), offered, chosen


def grade(case: Any, questions: Any, g: Guideline | None = None) -> dict[str, Any]:
    """Evaluate ``case`` once and grade each question: ``{"result": logic's answer,
    "questions": [{"correct", "right", "why", "words"}]}`` (``right`` is None when nothing was
    chosen). Raises CaseError for a bad case or a malformed question. ``g``: the edition
    (None: the default one)."""
    if not isinstance(questions, list) or len(questions) > MAX_QUESTIONS:
        raise CaseError("questions", f"expected a list of at most {MAX_QUESTIONS} questions")
    parsed = [_question(raw, n) for n, raw in enumerate(questions)]
    g = g or load()
    result = g.evaluate(case)
    graded = []
    for kind, multi, offered, chosen in parsed:
        correct = correct_answers(kind, result, offered, g)
        graded.append(
            {
                "correct": correct,
                "right": None if chosen is None else is_right(multi, chosen, correct),
                "why": explanation(kind, result, g),
                "words": answer_words(kind, result, g),
            }
        )
    return {"result": result, "questions": graded}
