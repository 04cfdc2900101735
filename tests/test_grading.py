"""logic.grading, the case library's one grader: at build time (the case sheets, the case files'
expected answers) and in the browser's worker (the case pages). Here in CPython, and the same
requests through the worker's glue in Pyodide under Node."""

from __future__ import annotations

import json

import pytest

import logic
from generator.core import Context
from generator.logic_bundle import archive_bytes
from generator.pyodide import glue
from generator.steps import cases
from logic.grading import correct_answers, grade, highest_options, is_right
from tests.node_runner import run_node


@pytest.fixture(scope="module")
def library() -> list[cases.Case]:
    return cases.load_cases(Context())


def requests(library, chosen: str) -> list[dict]:
    """One grading request per case, every question answered with its first choice, its right
    answers or nothing."""
    out = []
    for case in library:
        questions = []
        for q in case.questions:
            pick = {"first": [q.choices[0].value], "right": q.correct, "none": None}[chosen]
            if pick is not None and not q.kind.multi:
                pick = pick[:1]
            spec = {"ask": q.ask, "multi": q.kind.multi, "offered": [c.value for c in q.choices]}
            questions.append(spec if pick is None else {**spec, "chosen": pick})
        out.append({"case": case.input, "questions": questions})
    return out


def test_the_build_s_answers_are_the_grader_s(library):
    """The case sheets' right answers are what the grader says for the same request."""
    for case, request in zip(library, requests(library, "right"), strict=True):
        graded = grade(request["case"], request["questions"])
        assert [g["correct"] for g in graded["questions"]] == [q.correct for q in case.questions]
        assert all(g["right"] for g in graded["questions"]), case.id


def test_a_wrong_answer_is_wrong_and_the_why_is_worded(library):
    wrong = 0
    for case, request in zip(library, requests(library, "first"), strict=True):
        graded = grade(request["case"], request["questions"])
        for q, g in zip(case.questions, graded["questions"], strict=True):
            assert g["right"] == is_right(q.kind.multi, [q.choices[0].value], q.correct)
            wrong += not g["right"]
            for entry in g["why"]:
                assert all(isinstance(line, str) and ": " in line for line in entry["inputs"])
    assert wrong > 10


@pytest.mark.parametrize(
    ("multi", "chosen", "correct", "right"),
    [
        (True, ["a", "b"], ["b", "a"], True),
        (True, ["a"], ["a", "b"], False),
        (True, [], [], True),
        (True, ["a", "a"], ["a"], False),
        (False, ["2"], ["1", "2"], True),  # a tie for the highest rating: either is right
        (False, ["1", "2"], ["1", "2"], False),
        (False, [], ["1"], False),
    ],
)
def test_right_means_exactly_the_right_set_or_one_of_the_right_answers(
    multi, chosen, correct, right
):
    assert is_right(multi, chosen, correct) is right


def test_highest_rated_options_with_ties_and_unrated_options():
    options = [{"rating": "BII"}, {"rating": ""}, {"rating": "AIII"}, {"rating": "AIII"}]
    assert highest_options(options) == ["3", "4"]
    assert highest_options([{"rating": ""}]) == []


def test_choices_not_offered_are_never_right():
    result = logic.evaluate(cases.load_cases(Context())[0].input)
    assert correct_answers("cautions", result, []) == []
    assert correct_answers("management", result, ["no_such_recommendation"]) == []


@pytest.mark.parametrize(
    ("questions", "field"),
    [
        ("all", "questions"),
        ([{"ask": "colour"}], "questions[0].ask"),
        ([{"ask": "response", "offered": "blip"}], "questions[0].offered"),
        ([{"ask": "response", "chosen": [7]}], "questions[0].chosen[0]"),
        ([{"ask": "response"}] * 21, "questions"),
    ],
)
def test_a_malformed_request_names_its_field(questions, field):
    with pytest.raises(logic.CaseError) as raised:
        grade({"viral_loads": [{"week": 0, "copies": 50}]}, questions)
    assert raised.value.field == field


def test_the_worker_glue_answers_a_grading_request_as_json(library):
    request = requests(library, "first")[0]
    answer = json.loads(glue.grade_json(json.dumps(request)))
    assert answer == json.loads(json.dumps({"ok": True, **grade(**request)}))
    bad = json.loads(glue.grade_json(json.dumps({"case": {"viral_loads": 3}, "questions": []})))
    assert bad["ok"] is False and bad["error"]["field"] == "viral_loads"


@pytest.mark.node
def test_pyodide_grades_every_case_as_cpython_does(library, tmp_path):
    archive, sent = tmp_path / "logic.zip", tmp_path / "requests.json"
    archive.write_bytes(archive_bytes())
    batch = requests(library, "first") + requests(library, "right")
    sent.write_text(json.dumps(batch), encoding="utf-8")
    replay = json.loads(run_node("grading.mjs", archive, sent))
    assert replay["python"] >= [3, 14]
    expected = [json.loads(glue.grade_json(json.dumps(request))) for request in batch]
    assert replay["answers"] == expected
