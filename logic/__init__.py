"""Decision logic for HIV virologic failure, from the DHHS adult and adolescent ARV
guidelines section "Management of the Treatment-Experienced Patient: Virologic Failure"
(last updated December 18, 2019).

Standard library only; runs unchanged on CPython 3.11+ and on Pyodide.

Public API:

- :func:`evaluate` — a case (JSON-like dict) in, a JSON-serialisable answer out.
- :class:`CaseError` — invalid case; ``.field`` names the input.
- :func:`guideline` — the checked data (definitions, recommendations, Table 11, cautions,
  decision tables, question schema, abbreviations) for the site generator.
- :func:`table11`, :func:`question_schema`, :func:`text_differences` — ready-made views.
"""

from __future__ import annotations

from typing import Any

from logic.case import CaseError, parse_copies
from logic.evaluate import evaluate, options, text_variant
from logic.guideline import DataError, Guideline, load

__version__ = "1.0.0"

__all__ = [
    "CaseError",
    "DataError",
    "Guideline",
    "__version__",
    "evaluate",
    "guideline",
    "parse_copies",
    "question_schema",
    "table11",
    "text_differences",
]


def guideline() -> Guideline:
    """The checked guideline data, loaded once."""
    return load()


def table11() -> dict[str, Any]:
    """Table 11 as printed: rows in order, options with ratings, footnotes a–e, key."""
    data = load()
    rows = []
    for row in data.rows.values():
        entry = {key: value for key, value in row.items() if key != "options"}
        entry["options"] = options(data, row)
        rows.append(entry)
    return {
        **data.table,
        "rows": rows,
        "footnotes": list(data.footnotes.values()),
        "key": [
            {"abbr": a["abbr"], "expansion": a["expansion"]}
            for a in data.abbreviations.values()
            if a.get("table11_key")
        ],
    }


def text_differences() -> list[dict[str, Any]]:
    """Every place where the section's text and Table 11 differ (derived, not listed)."""
    data = load()
    out = []
    for row in data.rows.values():
        for option in row["options"]:
            variant = text_variant(data, option)
            if variant:
                out.append(
                    {
                        "scenario": row["id"],
                        "option": option["text"],
                        "option_rating": option.get("rating", ""),
                        **variant,
                    }
                )
    return out


def question_schema() -> dict[str, Any]:
    """What the walkthrough asks, in order, with labels, help and allowed values."""
    data = load()
    return {
        "steps": [
            {
                **step,
                "fields": [f for f in data.fields.values() if f["step"] == step["number"]],
            }
            for step in data.steps
        ],
        "default_llod": data.thresholds["default_llod"],
    }
