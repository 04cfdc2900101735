"""The Python side of the walkthrough's Web Worker (site_overrides/assets/javascripts/
logic-worker.mjs), run once after the ``logic`` archive is unpacked.

The worker hands ``evaluate_json`` a case as JSON text and posts back what it returns: the
answer of ``logic.evaluate`` (with the course's chart and, under ``words``, the case and trace in
words: ``logic.vocabulary.word_case``) or the ``CaseError`` it raised, as JSON text.
``grade_json`` grades a case page's answers with ``logic.grading.grade`` (the one grader).
The generator ships this file's text inside ``assets/logic/bundle.mjs``; the build-time
precompile runs the same text, so what it measures is what the browser runs.
"""

import json

import logic
from logic.chart import course_figure
from logic.grading import grade
from logic.vocabulary import vocabulary, word_case

logic.guideline()  # load and check the data now, while the page is still loading
vocabulary()  # and the words (the snapshot is taken after this: no file is read later)


def _parse(text: str):
    try:
        return json.loads(text), None
    except (RecursionError, ValueError):
        error = {"field": "case", "message": "not a case: nested too deeply, or not JSON"}
        return None, json.dumps({"ok": False, "error": error})


def evaluate_json(text: str) -> str:
    case, failed = _parse(text)
    if failed:
        return failed
    try:
        result = logic.evaluate(case)
        chart = course_figure(result["course"])
        answer = {"ok": True, "result": result, "chart": chart, "words": word_case(result)}
    except logic.CaseError as error:
        answer = {"ok": False, "error": error.to_json()}
    return json.dumps(answer, allow_nan=False)


def grade_json(text: str) -> str:
    """``{"case": ..., "questions": [...]}`` as JSON text -> ``logic.grading.grade``'s answer
    (``{"ok": true, "result", "questions"}``) or the CaseError it raised, as JSON text."""
    request, failed = _parse(text)
    if failed:
        return failed
    if not isinstance(request, dict):
        request = {}
    try:
        answer = {"ok": True, **grade(request.get("case"), request.get("questions"))}
    except logic.CaseError as error:
        answer = {"ok": False, "error": error.to_json()}
    return json.dumps(answer, allow_nan=False)
