"""The Python side of the walkthrough's Web Worker (site_overrides/assets/javascripts/
logic-worker.mjs), run once after the ``logic`` archive is unpacked.

The worker hands ``evaluate_json`` a case as JSON text and posts back what it returns: the
answer of ``logic.evaluate`` or the ``CaseError`` it raised, as JSON text. The generator ships
this file's text inside ``assets/logic/bundle.mjs``; the build-time precompile runs the same text,
so what it measures is what the browser runs.
"""

import json

import logic
from logic.chart import course_figure

logic.guideline()  # load and check the data now, while the page is still loading


def evaluate_json(text: str) -> str:
    try:
        result = logic.evaluate(json.loads(text))
        answer = {"ok": True, "result": result, "chart": course_figure(result["course"])}
    except logic.CaseError as error:
        answer = {"ok": False, "error": error.to_json()}
    return json.dumps(answer, allow_nan=False)
