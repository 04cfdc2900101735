"""The test vectors: each pins one behaviour in CPython, and Pyodide must agree exactly."""

import json
from pathlib import Path

import pytest

import logic
from generator.logic_bundle import archive_bytes
from tests.node_runner import run_node

ROOT = Path(__file__).resolve().parent.parent
VECTORS_FILE = ROOT / "tests" / "vectors" / "logic.json"
VECTORS = json.loads(VECTORS_FILE.read_text())["vectors"]


def outcome(case):
    """What CPython gives for a case, in the same shape the Pyodide runners print."""
    try:
        return {"result": logic.evaluate(case)}
    except logic.CaseError as error:
        return {"error": error.to_json()}


def check_expectations(expect, got):
    if "error_field" in expect:
        assert got.get("error", {}).get("field") == expect["error_field"], got
        return
    result = got["result"]
    simple = ("response", "failure", "scenario", "questions")
    for key in simple:
        if key in expect:
            assert result[key] == expect[key], key
    if "level" in expect:
        assert result["viremia"]["level"] == expect["level"]
    if "scenario_reason" in expect:
        assert result["scenario_reason"]["id"] == expect["scenario_reason"]
    if "options" in expect:
        assert [o["rating"] for o in result["options"]] == expect["options"]
    if "management" in expect:
        assert [m["id"] for m in result["management"]] == expect["management"]
    if "cautions" in expect:
        assert sorted(c["id"] for c in result["cautions"]) == sorted(expect["cautions"])
    if "resistance" in expect:  # the classes the case was evaluated with (given or derived)
        assert result["case"]["resistance"] == expect["resistance"]
    if "levels" in expect:  # HIVdb levels of the genotype's drugs
        levels = {d["drug"]: d["level"] for d in result["susceptibility"]["drugs"]}
        assert {drug: levels[drug] for drug in expect["levels"]} == expect["levels"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_in_cpython(vector):
    check_expectations(vector["expect"], outcome(vector["case"]))


def test_vectors_are_one_per_behaviour():
    names = [v["name"] for v in VECTORS]
    assert len(names) == len(set(names))
    assert all(v["behaviour"] and v["expect"] for v in VECTORS)
    rows = {v["expect"].get("scenario") for v in VECTORS} - {None}
    assert rows == set(logic.guideline().rows), "a vector for every Table 11 row"


@pytest.mark.node
def test_vectors_replayed_in_pyodide_under_node(tmp_path):
    archive = tmp_path / "logic.zip"
    archive.write_bytes(archive_bytes())
    replay = json.loads(run_node("logic_vectors.mjs", archive, VECTORS_FILE))
    assert replay["python"] >= [3, 14]
    for vector, got in zip(VECTORS, replay["outcomes"], strict=True):
        assert got == outcome(vector["case"]), vector["name"]
