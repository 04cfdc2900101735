"""The compiled HIVdb JSON is exactly a fresh compile of the vendored XML, and it is what ships."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator import hivdb_compile
from generator.logic_bundle import logic_files

SHARED = Path("/work/shared/hivdb")


def test_checked_in_json_equals_a_fresh_compile_of_the_xml():
    fresh = hivdb_compile.dumps(hivdb_compile.compile_xml())
    assert hivdb_compile.JSON_PATH.read_text(encoding="utf-8") == fresh, (
        "logic/data/hivdb/HIVDB_10.2.json is stale: run python -m generator.hivdb_compile"
    )


def test_compile_keeps_every_drug_of_the_four_classes_and_nothing_of_the_capsid():
    compiled = hivdb_compile.compile_xml()
    assert list(compiled["genes"]) == ["PR", "RT", "IN"]
    assert set(compiled["classes"]) == {"NRTI", "NNRTI", "PI", "INSTI"}
    assert "LEN" not in compiled["drugs"] and "CA" not in compiled["mutation_comments"]
    for code, drug in compiled["drugs"].items():
        assert code in compiled["classes"][drug["class"]]
        assert drug["rules"], code


def test_vendored_files_are_the_published_ones_unchanged():
    if not SHARED.is_dir():
        pytest.skip("the shared copy is not on this machine")
    folder = hivdb_compile.XML_PATH.parent
    for name in ("HIVDB_10.2.xml", "LICENSE"):
        ours = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        assert ours == hashlib.sha256((SHARED / name).read_bytes()).hexdigest(), name


def test_the_bundle_ships_the_compiled_form_and_the_evaluator_not_the_xml():
    shipped = {p.relative_to(hivdb_compile.ROOT / "logic").as_posix() for p in logic_files()}
    assert {
        "hivdb/__init__.py",
        "hivdb/algorithm.py",
        "hivdb/mutations.py",
        "hivdb/report.py",
        "data/hivdb/HIVDB_10.2.json",
        "data/hivdb/consensus_b.toml",
    } <= shipped
    assert not [name for name in shipped if name.endswith((".xml", ".md")) or "LICENSE" in name]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("SELECT ATLEAST 2 FROM (41L, 67N)", "only SCORE FROM"),
        ("SCORE FROM (41L => 5, 67N => x)", "whole-number score"),
        ("SCORE FROM (41L => 5, L41 => 5)", "not a residue"),
    ],
)
def test_unsupported_rules_are_refused_naming_the_drug(condition, message):
    with pytest.raises(hivdb_compile.AlgorithmError, match=f"drug ABC: .*{message}"):
        hivdb_compile.compile_rule(condition, "drug ABC")
