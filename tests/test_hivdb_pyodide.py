"""logic.hivdb in Pyodide (the browser's Python) gives exactly what it gives in CPython."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import logic
import logic.hivdb as hivdb
from generator.logic_bundle import archive_bytes
from tests.node_runner import run_node
from tests.test_hivdb_textbook import TABLE

ROOT = Path(__file__).resolve().parent.parent
GENOTYPES = [text for text, _ in TABLE] + [
    "RT: K65N/R, M184MV, T69ins, 67del; PR: I50L/V; IN: none",
    "NRTI Mutations: M184V\nNNRTI Mutations: K103N\nPI Major Mutations: None",
    "IN: G118A, N155H",
    "RT: Q103N",
    "74I",
    "",
]


def outcome(text):
    try:
        return {"result": hivdb.interpret(text)}
    except logic.CaseError as error:
        return {"error": error.to_json()}


@pytest.mark.node
def test_genotypes_in_pyodide_under_node_match_cpython(tmp_path):
    archive = tmp_path / "logic.zip"
    archive.write_bytes(archive_bytes())
    texts = tmp_path / "genotypes.json"
    texts.write_text(json.dumps(GENOTYPES))
    replay = json.loads(run_node("hivdb_genotypes.mjs", archive, texts))
    assert replay["python"][0] == 3 and replay["python"][1] >= 12
    assert replay["outcomes"] == [outcome(text) for text in GENOTYPES]
    assert sum("error" in o for o in replay["outcomes"]) == 3
