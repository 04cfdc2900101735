"""Read and check an edition's data files (``logic/editions/<id>/*.toml``).

The data files are the single source of truth for every clinical fact. They are checked
as a whole when first loaded: a broken reference or an unknown rating raises
:class:`DataError` naming the file, the entry and the field, before anything uses them.

This module knows the data only; :class:`logic.guideline.Guideline` adds what is derived from
it (the answer to a case, the options table as printed). The modules that read a case
(``case``, ``regimen``, ``genotype``, ``evaluate``) are given a :class:`GuidelineData`, so none of
them imports the module that imports them.
"""

from __future__ import annotations

import os
import re
import string
import tomllib
from typing import Any

from logic.edition import (
    DEFAULT_EDITION,
    EXTRA_ENV,
    MANIFEST,
    SHARED_DIR,
    edition_folder,
    shown_folder,
)
from logic.schema import MAX_FILE_BYTES, ShapeError, check_file
from logic.tables import CompiledTable, check_condition

# An edition's files (its folder), the manifest first.
DATA_FILES = (
    MANIFEST,
    "guideline",
    "recommendations",
    "table11",
    "cautions",
    "rules",
    "inputs",
    "abbreviations",
)

RATING_PATTERN = re.compile(r"^(A|B|C)(I|II|III)$")
NAMED_FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")


# What a rule's `source` may name. `reading` says, in a sentence, where a rule applies the
# source by our own reading because the source gives no rule to follow (shown with the rule).
SOURCE_KEYS = {"section", "recommendation", "definition", "reading"}


class DataError(ValueError):
    """A data file is wrong. The message names the file, the entry and the field."""

    def __init__(
        self, file: str, entry: str, field: str, message: str, folder: str = "logic/data"
    ) -> None:
        self.file, self.entry, self.field, self.message = file, entry, field, message
        self.folder = folder
        super().__init__(f"{folder}/{file}.toml: entry '{entry}', field '{field}': {message}")

    def located(self, folder: str) -> DataError:
        """The same error, naming the folder the file was read from."""
        return DataError(self.file, self.entry, self.field, self.message, shown_folder(folder))


def _read(name: str, folder: Any = None) -> dict[str, Any]:
    """One data file, parsed and its shape checked; every failure is a one-line DataError."""
    # Plain os.path, not importlib.resources: it keeps the import cheap in the browser worker.
    path = os.path.join(str(folder or SHARED_DIR), f"{name}.toml")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise DataError(name, "-", "-", f"cannot read the file: {error.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise DataError(name, "-", "-", f"file is over the limit of {MAX_FILE_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        byte = data[error.start : error.start + 1].hex()
        raise DataError(name, "-", "-", f"not UTF-8: byte 0x{byte} on line {line}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DataError(name, "-", "-", f"not valid TOML: {error}") from None
    except RecursionError:
        raise DataError(name, "-", "-", "not valid TOML: nested too deeply") from None
    _check_shape(name, raw)
    return raw


def _check_shape(name: str, raw: dict[str, Any]) -> None:
    try:
        check_file(name, raw)
    except ShapeError as error:
        raise DataError(name, error.entry, error.field, error.message) from None


def _fill(value: Any, thresholds: dict[str, Any], where: tuple[str, str, str]) -> Any:
    """Fill {threshold} names into every string, so each number is written once."""
    if isinstance(value, str):
        for name in NAMED_FIELD.findall(value):
            if name not in thresholds:
                raise DataError(*where, f"unknown threshold '{{{name}}}'")
        if "{" not in value:
            return value
        try:
            return string.Formatter().vformat(value, (), thresholds)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError) as error:
            raise DataError(*where, f"cannot fill in a threshold: {error}") from None
    if isinstance(value, list):
        return [_fill(item, thresholds, where) for item in value]
    if isinstance(value, dict):
        return {
            key: _fill(item, thresholds, (where[0], where[1], key)) for key, item in value.items()
        }
    return value


def _entries(raw: dict[str, Any], file: str, key: str, thresholds: dict[str, Any]) -> list[dict]:
    entries = raw.get(key)
    if not isinstance(entries, list) or not entries:
        raise DataError(file, key, key, "missing or empty list")
    out = []
    for index, entry in enumerate(entries):
        name = str(entry.get("id", entry.get("abbr", entry.get("number", index))))
        out.append(_fill(entry, thresholds, (file, name, "-")))
    return out


def _require(entry: dict, file: str, fields: tuple[str, ...]) -> None:
    name = str(entry.get("id", entry.get("abbr", "?")))
    for field in fields:
        if field not in entry or entry[field] in (None, ""):
            raise DataError(file, name, field, "required field is missing or empty")


def _unique(entries: list[dict], file: str, key: str = "id") -> dict[str, dict]:
    by_id: dict[str, dict] = {}
    for entry in entries:
        if entry[key] in by_id:
            raise DataError(file, entry[key], key, "defined twice")
        by_id[entry[key]] = entry
    return by_id


def check_rating(rating: str, file: str, entry: str, field: str = "rating") -> str:
    if rating and not RATING_PATTERN.match(rating):
        raise DataError(
            file, entry, field, f"unknown rating '{rating}' (allowed: A, B or C + I, II or III)"
        )
    return rating


class GuidelineData:
    """One edition's data, checked. Read-only by convention."""

    def __init__(self, raw: dict[str, dict[str, Any]]) -> None:
        manifest = raw[MANIFEST]
        self.folder = ""  # where the files were read, as messages name it (set by build)
        self.edition: str = manifest["id"]
        self.title: str = manifest["title"]
        # The options table's printed name ("Table 11"): words of the edition, not of the code.
        self.options_table_name: str = manifest["options_table"]
        self.source_url: str = manifest["source_url"]
        self.source: dict[str, Any] = manifest["source"]
        base = raw["guideline"]
        self.thresholds: dict[str, Any] = dict(base["thresholds"])
        fill = self.thresholds
        self.rating_scheme: dict[str, Any] = base["rating_scheme"]
        self.sections = _unique(_entries(base, "guideline", "sections", fill), "guideline")
        self.definitions = _unique(_entries(base, "guideline", "definitions", fill), "guideline")
        self.failure_types = _entries(base, "guideline", "failure_types", fill)
        self.failure_types_sequence: str = base["failure_types_sequence"]["text"]
        recs = _entries(raw["recommendations"], "recommendations", "recommendations", fill)
        self.recommendations = _unique(recs, "recommendations")
        self.table = _fill(raw["table11"]["table"], fill, ("table11", "table", "-"))
        self.footnotes = _unique(_entries(raw["table11"], "table11", "footnotes", fill), "table11")
        self.qualifiers = _unique(
            _entries(raw["table11"], "table11", "qualifiers", fill), "table11"
        )
        self.rows = _unique(_entries(raw["table11"], "table11", "rows", fill), "table11")
        self.cautions = _unique(_entries(raw["cautions"], "cautions", "cautions", fill), "cautions")
        rules = raw["rules"]
        self.tables = _unique(_entries(rules, "rules", "tables", fill), "rules")
        self.responses = _unique(_entries(rules, "rules", "responses", fill), "rules")
        self.repeats = _unique(_entries(rules, "rules", "repeats", fill), "rules")
        self.viremia_levels = _unique(_entries(rules, "rules", "viremia_levels", fill), "rules")
        self.reasons = _unique(_entries(rules, "rules", "reasons", fill), "rules")
        self.fields = _unique(_entries(raw["inputs"], "inputs", "fields", fill), "inputs")
        self.steps = _entries(raw["inputs"], "inputs", "steps", fill)
        abbreviations = _entries(raw["abbreviations"], "abbreviations", "abbreviations", fill)
        self.abbreviations = _unique(abbreviations, "abbreviations", key="abbr")
        self._check()
        self.compiled = {tid: CompiledTable(t, self.thresholds) for tid, t in self.tables.items()}
        self.resolved_sources: dict[str, dict] = {}  # filled by logic.evaluate, per rule id

    # --- cross-checks: every reference resolves, every rating is a real rating ---------
    def _check(self) -> None:
        for rec in self.recommendations.values():
            _require(rec, "recommendations", ("text", "sections"))
            check_rating(rec.get("rating", ""), "recommendations", rec["id"])
            for section in rec["sections"]:
                self._section(section, "recommendations", rec["id"], "sections")
        for definition in self.definitions.values():
            _require(definition, "guideline", ("term", "text", "applied"))
        for qualifier in self.qualifiers.values():
            _require(qualifier, "table11", ("text",))
            if qualifier.get("text_recommendation"):
                self._recommendation(
                    qualifier["text_recommendation"],
                    "table11",
                    qualifier["id"],
                    "text_recommendation",
                )
        for row in self.rows.values():
            self._check_row(row)
        for caution in self.cautions.values():
            _require(caution, "cautions", ("title", "text", "section"))
            self._section(caution["section"], "cautions", caution["id"], "section")
            for rec in caution.get("recommendations", []):
                self._recommendation(rec, "cautions", caution["id"], "recommendations")
            if caution.get("footnote"):
                self._footnote(caution["footnote"], "cautions", caution["id"], "footnote")
            option_texts = {o["text"] for row in self.rows.values() for o in row["options"]}
            for text in caution.get("option_texts", []):
                if text not in option_texts:
                    raise DataError(
                        "cautions", caution["id"], "option_texts", f"no option '{text}'"
                    )
            for qualifier in caution.get("option_qualifiers", []):
                if qualifier not in self.qualifiers:
                    raise DataError(
                        "cautions", caution["id"], "option_qualifiers", f"unknown '{qualifier}'"
                    )
        for table in self.tables.values():
            self._check_table(table)
        for abbr in self.abbreviations.values():
            _require(abbr, "abbreviations", ("abbr", "expansion"))

    def _check_row(self, row: dict) -> None:
        _require(row, "table11", ("group", "failing_regimen", "resistance", "goal", "options"))
        self._section(row["section"], "table11", row["id"], "section")
        for footnote in row.get("resistance_footnotes", []):
            self._footnote(footnote, "table11", row["id"], "resistance_footnotes")
        allowed = {c["value"] for c in self.fields["resistance"]["choices"]}
        for value in row.get("resistance_allowed", []):
            if value not in allowed:
                raise DataError("table11", row["id"], "resistance_allowed", f"unknown '{value}'")
        for number, option in enumerate(row["options"], 1):
            where = f"{row['id']} option {number}"
            _require(option, "table11", ("text",))
            check_rating(option.get("rating", ""), "table11", where)
            for footnote in option.get("footnotes", []):
                self._footnote(footnote, "table11", where, "footnotes")
            for qualifier in option.get("qualifiers", []):
                if qualifier not in self.qualifiers:
                    raise DataError("table11", where, "qualifiers", f"unknown '{qualifier}'")
            if option.get("text_recommendation"):
                self._recommendation(
                    option["text_recommendation"], "table11", where, "text_recommendation"
                )

    def _check_table(self, table: dict) -> None:
        if table.get("hit_policy") not in ("first", "collect"):
            raise DataError("rules", table["id"], "hit_policy", "must be 'first' or 'collect'")
        seen: set[str] = set()
        for rule in table["rules"]:
            where = rule.get("id", "?")
            _require(rule, "rules", ("id", "then", "source"))
            if where in seen:
                raise DataError("rules", where, "id", "defined twice")
            seen.add(where)
            for fact, condition in rule.get("when", {}).items():
                if fact not in table["inputs"]:
                    raise DataError("rules", where, f"when.{fact}", "not one of the table's inputs")
                problem = check_condition(condition, self.thresholds) or self._value_problem(
                    fact, condition
                )
                if problem:
                    raise DataError("rules", where, f"when.{fact}", problem)
            self._check_source(rule["source"], where)
            self._check_then(rule["then"], where)

    def _value_problem(self, fact: str, condition: Any) -> str | None:
        """A condition on a fact with a known set of values that no value could meet
        (a misspelt choice, text for a yes/no answer): the rule would never fire."""
        field = self.fields.get(fact, {})
        if field.get("kind") == "choice":
            allowed = [choice["value"] for choice in field.get("choices", [])]
        elif field.get("kind") == "boolean":
            allowed = [True, False]
        elif fact in ("response", "level", "scenario"):
            vocab = {"response": self.responses, "level": self.viremia_levels}
            allowed = list(vocab.get(fact, self.rows))
        else:
            return None
        typed = {(type(value), value) for value in allowed}  # so that 1 is not True
        for value in condition if isinstance(condition, list) else [condition]:
            if value != "?" and (type(value), value) not in typed:
                return f"{value!r} is not a value of {fact} ({', '.join(map(str, allowed))})"
        return None

    def _check_source(self, source: dict, where: str) -> None:
        unknown = sorted(set(source) - SOURCE_KEYS)
        if unknown:
            raise DataError("rules", where, f"source.{unknown[0]}", "not a kind of source")
        if not isinstance(source.get("reading", ""), str):
            raise DataError("rules", where, "source.reading", "must be text")
        self._section(source.get("section", ""), "rules", where, "source.section")
        if source.get("recommendation"):
            self._recommendation(source["recommendation"], "rules", where, "source.recommendation")
        if source.get("definition") and source["definition"] not in self.definitions:
            raise DataError("rules", where, "source.definition", "unknown definition")

    def _check_then(self, then: dict, where: str) -> None:
        vocab = {
            "response": self.responses,
            "repeat": self.repeats,
            "level": self.viremia_levels,
            "scenario": self.rows,
            "reason": self.reasons,
            "caution": self.cautions,
        }
        for key, value in then.items():
            if key in vocab and value not in vocab[key]:
                raise DataError("rules", where, f"then.{key}", f"unknown '{value}'")
            if key == "recommendations":
                for rec in value:
                    self._recommendation(rec, "rules", where, "then.recommendations")
            if key == "ask":
                for field in value:
                    if field not in self.fields:
                        raise DataError("rules", where, "then.ask", f"unknown field '{field}'")

    def _section(self, section: str, file: str, entry: str, field: str) -> None:
        if section not in self.sections:
            raise DataError(file, entry, field, f"unknown section '{section}'")

    def _recommendation(self, rec: str, file: str, entry: str, field: str) -> None:
        if rec not in self.recommendations:
            raise DataError(file, entry, field, f"unknown recommendation '{rec}'")

    def _footnote(self, footnote: str, file: str, entry: str, field: str) -> None:
        if footnote not in self.footnotes:
            raise DataError(file, entry, field, f"unknown footnote '{footnote}'")


def read_edition(folder: str) -> dict[str, dict[str, Any]]:
    """An edition's files, parsed and shape-checked; errors name the edition's folder."""
    try:
        raw = {name: _read(name, folder) for name in DATA_FILES}
    except DataError as error:
        raise error.located(folder) from None
    return raw


def build(cls: type[GuidelineData], folder: str, edition: str | None = None) -> Any:
    """An edition's data read from ``folder`` and checked as ``cls``; every error names the
    file in that folder. ``edition``: the id its manifest must give (its folder's name)."""
    raw = read_edition(folder)
    if edition and raw[MANIFEST]["id"] != edition:
        message = f"'{raw[MANIFEST]['id']}' is not the name of its folder, '{edition}'"
        raise DataError(MANIFEST, "id", "id", message).located(folder)
    try:
        data = cls(raw)
    except DataError as error:
        raise error.located(folder) from None
    data.folder = shown_folder(folder)
    return data


def check_shapes(raw: dict[str, dict[str, Any]]) -> None:
    """The shape checks :func:`read_edition` makes, for files parsed elsewhere (tests)."""
    for name in DATA_FILES:
        _check_shape(name, raw[name])


# The data of each edition loaded so far, by id and extra editions folder (a test may point
# $LOGIC_EDITIONS_DIR elsewhere). logic.load() puts its Guideline here, so the shared data
# (drugs, genotype) is checked against the very object that answers cases.
LOADED: dict[tuple[str, str], GuidelineData] = {}


def loaded_key(edition: str | None) -> tuple[str, str]:
    return edition or DEFAULT_EDITION, os.environ.get(EXTRA_ENV, "")


def load_data(edition: str | None = None) -> GuidelineData:
    """An edition's checked data (None: the default edition), loaded once per process."""
    key = loaded_key(edition)
    if key not in LOADED:
        LOADED[key] = build(GuidelineData, edition_folder(key[0]), key[0])
    return LOADED[key]
