"""The shape of the data files (``logic/editions/<id>/*.toml``, ``logic/data/*.toml``): the type
of every field the package reads, and size limits.

Checked when a file is read, before anything uses it, so a wrong type (a threshold written as
text, a list where one id belongs) is reported by file, entry and field instead of failing later
inside a format call or a comparison. Fields not listed here are not type-checked (a new field
only needs an entry here once code reads it); every string anywhere is held to the size limit.

Limits (documented in docs/about/maintaining.md): a data file is at most ``MAX_FILE_BYTES``, a
string at most ``MAX_TEXT_CHARS`` characters. The largest file today is about 18 KB and the
longest string about 500 characters, so the limits only stop mistakes (a pasted document, a
runaway generated file), never real content.
"""

from __future__ import annotations

from typing import Any

MAX_FILE_BYTES = 1_000_000
MAX_TEXT_CHARS = 10_000

# A spec is a kind name, or a table's spec (_table: known fields, required ones), or a list of
# tables' (_entries), or ("each", kind, ...) for a table whose every value has one kind.
TEXT, INT, NUMBER, BOOL, IDS, TABLE, CONDITION = (
    "text",
    "int",
    "number",
    "bool",
    "ids",
    "table",
    "condition",
)
WORDS = {
    TEXT: "text",
    INT: "a whole number",
    NUMBER: "a number",
    BOOL: "true or false",
    IDS: "a list of ids (text)",
    TABLE: "a table",
    CONDITION: "'?', text, a number, true/false or a list of these",
}
ANY = "any"  # not type-checked; its strings are still held to the size limit


Spec = tuple[str, Any, str, tuple[str, ...]]


def _entries(fields: dict, *required: str, name: str = "") -> Spec:
    """A list of tables with ``fields``, of which ``required`` must be present. Each table is
    named in messages by its own id (or abbr, or number); without one, by ``name``
    (``{entry}``, ``{n}``: the outer entry and the 1-based position), else as a position in
    the field (``choices[2].label``)."""
    return ("entries", fields, name, required)


def _table(fields: dict, *required: str) -> Spec:
    return ("table", fields, "", required)


CODE_LABEL = _entries({"code": TEXT, "label": TEXT}, "code", "label")
SCHEMA: dict[str, dict[str, Any]] = {
    "edition": {
        "id": TEXT,
        "title": TEXT,
        "options_table": TEXT,
        "source_url": TEXT,
        "source": _table(
            {
                "title": TEXT,
                "publisher": TEXT,
                "section": TEXT,
                "last_updated": TEXT,
                "last_reviewed": TEXT,
                "patient_sources": IDS,
            },
            *("title", "publisher", "section", "last_updated"),
        ),
    },
    "guideline": {
        "thresholds": ("each", NUMBER, "", ()),  # every value a number
        "rating_scheme": _table({"note": TEXT, "strength": CODE_LABEL, "evidence": CODE_LABEL}),
        "sections": _entries({"id": TEXT, "title": TEXT}, "id", "title"),
        "definitions": _entries(
            {"id": TEXT, "term": TEXT, "text": TEXT, "applied": TEXT, "failure": BOOL},
            *("id", "term", "text", "applied", "failure"),
        ),
        "failure_types": _entries(
            {"id": TEXT, "term": TEXT, "text": TEXT, "measured_by": TEXT}, "id", "term", "text"
        ),
        "failure_types_sequence": _table({"text": TEXT}, "text"),
    },
    "recommendations": {
        "recommendations": _entries(
            {"id": TEXT, "sections": IDS, "rating": TEXT, "text": TEXT}, "id", "sections", "text"
        ),
    },
    "table11": {
        "table": _table({"title": TEXT, "preamble": TEXT, "options_footnotes": IDS}),
        "footnotes": _entries({"id": TEXT, "text": TEXT}, "id", "text"),
        "qualifiers": _entries(
            {"id": TEXT, "text": TEXT, "text_recommendation": TEXT}, "id", "text"
        ),
        "rows": _entries(
            {
                "id": TEXT,
                "group": TEXT,
                "failing_regimen": TEXT,
                "section": TEXT,
                "resistance": TEXT,
                "resistance_footnotes": IDS,
                "resistance_allowed": IDS,
                "goal": TEXT,
                "text_notes": IDS,
                "row_note": TEXT,
                "options": _entries(
                    {
                        "text": TEXT,
                        "qualifiers": IDS,
                        "rating": TEXT,
                        "text_recommendation": TEXT,
                        "text_wording": TEXT,
                        "footnotes": IDS,
                    },
                    "text",
                    name="{entry} option {n}",
                ),
            },
            *("id", "group", "failing_regimen", "section", "resistance", "goal", "options"),
        ),
    },
    "cautions": {
        "cautions": _entries(
            {
                "id": TEXT,
                "title": TEXT,
                "text": TEXT,
                "section": TEXT,
                "recommendations": IDS,
                "footnote": TEXT,
            },
            *("id", "title", "text", "section"),
        ),
    },
    "rules": {
        "tables": _entries(
            {
                "id": TEXT,
                "title": TEXT,
                "short": TEXT,  # the table's name on the decision map
                "hit_policy": TEXT,
                "inputs": IDS,
                "rules": _entries(
                    {
                        "id": TEXT,
                        "when": ("each", CONDITION, "", ()),  # every value a condition
                        "then": _table(
                            {
                                "response": TEXT,
                                "repeat": TEXT,
                                "level": TEXT,
                                "recommendations": IDS,
                                "ask": IDS,
                                "reason": TEXT,
                                "scenario": TEXT,
                                "caution": TEXT,
                            }
                        ),
                        "source": _table(
                            {
                                "section": TEXT,
                                "definition": TEXT,
                                "recommendation": TEXT,
                                "reading": TEXT,
                            }
                        ),
                    },
                    *("id", "then", "source"),
                ),
            },
            *("id", "title", "short", "hit_policy", "inputs", "rules"),
        ),
        "responses": _entries(
            {"id": TEXT, "label": TEXT, "definition": TEXT}, "id", "label", "definition"
        ),
        "repeats": _entries({"id": TEXT, "what": TEXT, "when": TEXT}, "id", "what"),
        "viremia_levels": _entries({"id": TEXT, "label": TEXT}, "id", "label"),
        "reasons": _entries({"id": TEXT, "text": TEXT}, "id", "text"),
    },
    "inputs": {
        "fields": _entries(
            {
                "id": TEXT,
                "kind": TEXT,
                "step": INT,
                "required": BOOL,
                "label": TEXT,
                "help": TEXT,
                "max_items": INT,
                "max_copies": INT,
                "max_week": INT,
                "min": NUMBER,
                "max": NUMBER,
                "max_exclusive": NUMBER,
                "default_threshold": TEXT,
                "choices": _entries({"value": TEXT, "label": TEXT}, "value", "label"),
                "requires": _table({"field": TEXT, "value": TEXT}, "field", "value"),
            },
            *("id", "kind", "label", "step"),
        ),
        "steps": _entries({"number": INT, "title": TEXT}, "number", "title"),
    },
    "abbreviations": {
        "abbreviations": _entries(
            {"abbr": TEXT, "expansion": TEXT, "table11_key": BOOL, "definition": TEXT},
            *("abbr", "expansion"),
        ),
    },
}


class ShapeError(Exception):
    """Where a value has the wrong shape: ``entry``, ``field`` and why (no file: the caller
    knows it)."""

    def __init__(self, entry: str, field: str, message: str) -> None:
        self.entry, self.field, self.message = entry, field, message
        super().__init__(message)


def shorten(value: Any, limit: int = 40) -> str:
    """``repr`` of a value, cut to ``limit`` characters: messages quote, never dump."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _scalar_ok(kind: str, value: Any) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind == INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == NUMBER:
        return _is_number(value)
    if kind == BOOL:
        return isinstance(value, bool)
    if kind == IDS:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if kind == TABLE:
        return isinstance(value, dict)
    if kind == ANY:
        return True
    if kind == CONDITION:
        plain = (str, bool, int, float)
        return isinstance(value, plain) or (
            isinstance(value, list) and all(isinstance(item, plain) for item in value)
        )
    raise AssertionError(kind)


def entry_name(entry: dict) -> str | None:
    for key in ("id", "abbr", "number"):
        value = entry.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


def _text_size(value: str, entry: str, field: str) -> None:
    if len(value) > MAX_TEXT_CHARS:
        raise ShapeError(
            entry,
            field,
            f"text of {len(value):,} characters is over the limit of {MAX_TEXT_CHARS:,}",
        )


def _sizes(value: Any, entry: str, field: str) -> None:
    """Every string, however deep, within the size limit (for fields the schema omits)."""
    if isinstance(value, str):
        _text_size(value, entry, field)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _sizes(item, entry, f"{field}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            _sizes(item, entry, _join(field, key))


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


def _present(table: dict, required: tuple[str, ...], entry: str, field: str) -> None:
    for key in required:
        if key not in table:
            raise ShapeError(entry, _join(field, key), "required field is missing")


def _check(spec: Any, value: Any, entry: str, field: str) -> None:
    """Check ``value`` (``field`` of ``entry``; an empty field: the entry itself) against
    ``spec``."""
    if isinstance(spec, str):
        if not _scalar_ok(spec, value):
            raise ShapeError(entry, field or entry, f"must be {WORDS[spec]}, not {shorten(value)}")
        _sizes(value, entry, field or entry)
        return
    shape, inner, name, required = spec
    if shape == "each":  # a table whose every value has one kind
        _check(TABLE, value, entry, field)
        for key, item in value.items():
            _check(inner, item, entry, _join(field, key))
        return
    if shape == "table":
        _check(TABLE, value, entry, field)
        _present(value, required, entry, field)
        for key, item in value.items():
            _check(inner.get(key, ANY), item, entry, _join(field, key))
        return
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ShapeError(entry, field or entry, f"must be a list of tables, not {shorten(value)}")
    for index, item in enumerate(value):
        own = entry_name(item)
        if own is not None:
            where, prefix = own, ""
        elif name:
            where, prefix = name.format(entry=entry, n=index + 1), ""
        else:
            where, prefix = entry, f"{field or entry}[{index}]"
        _present(item, required, where, prefix)
        for key, sub in item.items():
            _check(inner.get(key, ANY), sub, where, _join(prefix, key))


def check_sizes(raw: dict[str, Any]) -> None:
    """Raise :class:`ShapeError` for the first string in ``raw`` over the size limit (the
    generator holds its content files to the same limit)."""
    for key, value in raw.items():
        _sizes(value, key, key)


def check_file(name: str, raw: dict[str, Any]) -> None:
    """Raise :class:`ShapeError` for the first value in ``raw`` (the data file ``name``) of the
    wrong type or size."""
    schema = SCHEMA.get(name, {})
    for key in schema:
        if key not in raw:
            raise ShapeError(key, key, "required table or list is missing")
    for key, value in raw.items():
        spec = schema.get(key, ANY)
        # A top-level table is its own entry; a top-level list's tables are entries.
        _check(spec, value, key, "" if isinstance(spec, tuple) else key)
