"""Load-time checks for decision tables kept outside ``rules.toml`` (drugs.toml, genotype.toml).

The same checks as :class:`logic.guideline.Guideline` makes of ``rules.toml`` — hit policy,
unique rule ids, conditions on declared inputs only, well-formed conditions, a source that names
a real section and recommendation — with the file named in every error.
"""

from __future__ import annotations

from typing import Any

from logic.guideline_data import SOURCE_KEYS, DataError
from logic.guideline_data import GuidelineData as Guideline
from logic.tables import CompiledTable, check_condition


def check_source(source: Any, file: str, where: str, guideline: Guideline) -> None:
    if not isinstance(source, dict):
        raise DataError(file, where, "source", "must be a table with a section")
    unknown = sorted(set(source) - SOURCE_KEYS)
    if unknown:
        raise DataError(file, where, f"source.{unknown[0]}", "not a kind of source")
    if source.get("section") not in guideline.sections:
        raise DataError(file, where, "source.section", f"unknown section '{source.get('section')}'")
    rec = source.get("recommendation")
    if rec and rec not in guideline.recommendations:
        raise DataError(file, where, "source.recommendation", f"unknown recommendation '{rec}'")
    definition = source.get("definition")
    if definition and definition not in guideline.definitions:
        raise DataError(file, where, "source.definition", f"unknown definition '{definition}'")
    if not isinstance(source.get("reading", ""), str):
        raise DataError(file, where, "source.reading", "must be text")


def compile_tables(
    file: str,
    tables: Any,
    guideline: Guideline,
    thresholds: dict[str, Any],
    vocab: dict[str, set[str]],
) -> dict[str, CompiledTable]:
    """Check ``tables`` and compile each. ``vocab`` lists the values each ``then`` key may take
    (a key not in it is an error, so a misspelt conclusion never passes silently)."""
    if not isinstance(tables, list) or not tables:
        raise DataError(file, "tables", "tables", "missing or empty list")
    compiled: dict[str, CompiledTable] = {}
    for table in tables:
        tid = str(table.get("id", "?"))
        if tid in compiled:
            raise DataError(file, tid, "id", "defined twice")
        if table.get("hit_policy") not in ("first", "collect"):
            raise DataError(file, tid, "hit_policy", "must be 'first' or 'collect'")
        if not isinstance(table.get("rules"), list) or not table["rules"]:
            raise DataError(file, tid, "rules", "missing or empty list")
        seen: set[str] = set()
        for rule in table["rules"]:
            _check_rule(file, table, rule, seen, guideline, thresholds, vocab)
        compiled[tid] = CompiledTable(table, thresholds)
    return compiled


def _check_rule(
    file: str,
    table: dict,
    rule: dict,
    seen: set[str],
    guideline: Guideline,
    thresholds: dict[str, Any],
    vocab: dict[str, set[str]],
) -> None:
    where = str(rule.get("id", "?"))
    for field in ("id", "then", "source"):
        if field not in rule:
            raise DataError(file, where, field, "required field is missing or empty")
    if where in seen:
        raise DataError(file, where, "id", "defined twice")
    seen.add(where)
    for fact, condition in rule.get("when", {}).items():
        if fact not in table.get("inputs", []):
            raise DataError(file, where, f"when.{fact}", "not one of the table's inputs")
        problem = check_condition(condition, thresholds)
        if problem:
            raise DataError(file, where, f"when.{fact}", problem)
    check_source(rule["source"], file, where, guideline)
    for key, value in rule["then"].items():
        if key not in vocab:
            raise DataError(file, where, f"then.{key}", "not a conclusion this table may draw")
        if value not in vocab[key]:
            raise DataError(file, where, f"then.{key}", f"unknown '{value}'")
