"""Validate a case (JSON-like input) against the field schema in ``data/inputs.toml``.

Every problem raises :class:`CaseError` naming the field and the bad value; for a choice
it lists the allowed values. Unknown keys are errors, so a misspelt key is never ignored.
"""

from __future__ import annotations

import math
import re
from typing import Any

from logic.guideline import Guideline

# How labs print a result below the assay's limit. "<N" is handled separately.
BELOW_LIMIT_WORDS = {
    "undetectable",
    "not detected",
    "tnd",
    "target not detected",
    "<llod",
    "< llod",
    "below llod",
}
UNITS = re.compile(r"\s*(copies\s*/\s*ml|cp\s*/\s*ml|copies)\s*$")
NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?$")
THOUSANDS = re.compile(r"^[0-9]{1,3}([, ][0-9]{3})+(\.[0-9]+)?$")


class CaseError(ValueError):
    """The case is invalid. ``field`` names the input (``viral_loads[2].copies`` style)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _finite_number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseError(field, f"{_show(value)} is not a number")
    if not math.isfinite(value):
        raise CaseError(field, f"{_show(value)} is not a finite number")
    return value


def _in_range(value: float, field: str, spec: dict) -> float:
    if "min" in spec and value < spec["min"]:
        raise CaseError(field, f"{_show(value)} is below the minimum {spec['min']}")
    if "max" in spec and value > spec["max"]:
        raise CaseError(field, f"{_show(value)} is above the maximum {spec['max']}")
    if "max_exclusive" in spec and value >= spec["max_exclusive"]:
        raise CaseError(field, f"{_show(value)} must be below {spec['max_exclusive']}")
    return value


def parse_copies(value: Any, llod: float, field: str, limit: float) -> tuple[float, bool]:
    """A lab value as (copies/mL, below the LLOD?). Accepts numbers and typed strings."""
    if isinstance(value, str):
        text = UNITS.sub("", value.strip().lower())
        if text in BELOW_LIMIT_WORDS:
            return 0.0, True
        if text.startswith("<"):
            bound = _parse_number_text(text[1:].strip(), value, field)
            if bound > llod:
                raise CaseError(
                    field,
                    f"{_show(value)} only says the result is below {bound:g} copies/mL, "
                    f"above the LLOD in use ({llod:g}): it may be a detectable result. "
                    "Enter the number, or set llod to this assay's limit.",
                )
            return 0.0, True
        if text.startswith(">"):  # above the assay's upper limit: at least that much
            text = text[1:].strip()
        copies = _parse_number_text(text, value, field)
    else:
        copies = _finite_number(value, field)
    if copies < 0:
        raise CaseError(field, f"{_show(value)} is negative")
    if copies > limit:
        raise CaseError(field, f"{_show(value)} is above any assay's range ({limit:,.0f})")
    return copies, copies < llod


def _parse_number_text(text: str, original: Any, field: str) -> float:
    if THOUSANDS.match(text):
        text = re.sub(r"[, ]", "", text)
    if not NUMBER.match(text):
        raise CaseError(
            field,
            f"{_show(original)} is not a viral load: use a number such as 1,200 or 1.2e3, "
            "or <50, <LLOD, undetectable, TND for a result below the limit",
        )
    return float(text)


def _choice(value: Any, field: str, spec: dict) -> str:
    allowed = [c["value"] for c in spec["choices"]]
    if not isinstance(value, str) or value not in allowed:
        raise CaseError(field, f"{_show(value)} is not allowed (allowed: {', '.join(allowed)})")
    return value


def _multi(value: Any, field: str, spec: dict) -> list[str]:
    if not isinstance(value, list):
        raise CaseError(field, f"{_show(value)} is not a list")
    items = [_choice(item, f"{field}[{i}]", spec) for i, item in enumerate(value)]
    return sorted(set(items), key=[c["value"] for c in spec["choices"]].index)


def _series_item_keys(item: dict, where: str) -> None:
    unknown = sorted(str(key) for key in set(item) - {"week", "copies"})
    if unknown:
        raise CaseError(where, f"unknown key {_show(unknown[0])} (allowed: week, copies)")
    for key in ("week", "copies"):
        if key not in item:
            raise CaseError(f"{where}.{key}", "missing")


def _series(value: Any, field: str, spec: dict, llod: float) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise CaseError(field, "give at least one result as a list of {week, copies}")
    if len(value) > spec["max_items"]:
        raise CaseError(field, f"{len(value)} results: at most {spec['max_items']}")
    results = []
    weeks = {"min": 0, "max": spec["max_week"]}
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, dict):
            raise CaseError(where, f"{_show(item)} is not an object with week and copies")
        if len(item) != 2 or "week" not in item or "copies" not in item:
            _series_item_keys(item, where)
        week = _in_range(_finite_number(item["week"], f"{where}.week"), f"{where}.week", weeks)
        copies, below = parse_copies(item["copies"], llod, f"{where}.copies", spec["max_copies"])
        results.append({"week": week, "copies": copies, "below_llod": below, "entered": index})
    results.sort(key=lambda r: r["week"])  # chronological, whatever order they were typed in
    for earlier, later in zip(results, results[1:], strict=False):
        if earlier["week"] == later["week"]:
            raise CaseError(
                f"{field}[{later['entered']}].week",
                f"two results at week {later['week']:g}: give each result its own week",
            )
    return results


def validate(case: Any, guideline: Guideline) -> dict[str, Any]:
    """The case with defaults filled in and values normalised, or a CaseError."""
    if not isinstance(case, dict):
        raise CaseError("case", f"{_show(case)} is not an object")
    fields = guideline.fields
    unknown = sorted(str(key) for key in case if key not in fields)
    if unknown:
        raise CaseError(unknown[0], f"unknown field (allowed: {', '.join(fields)})")
    out: dict[str, Any] = {}
    llod_spec = fields["llod"]
    if case.get("llod") is None:
        out["llod"] = guideline.thresholds[llod_spec["default_threshold"]]
    else:
        out["llod"] = _in_range(_finite_number(case["llod"], "llod"), "llod", llod_spec)
    for name, spec in fields.items():
        value = case.get(name)
        if name == "llod":
            continue
        if value is None and spec.get("required"):
            raise CaseError(name, f"missing: {spec['label'].lower()} are required")
        if value is None:
            out[name] = None
        elif spec["kind"] == "series":
            out[name] = _series(value, name, spec, out["llod"])
        elif spec["kind"] == "choice":
            out[name] = _choice(value, name, spec)
        elif spec["kind"] == "multi":
            out[name] = _multi(value, name, spec)
        elif spec["kind"] == "boolean":
            if not isinstance(value, bool):
                raise CaseError(name, f"{_show(value)} is not true or false")
            out[name] = value
        else:
            number = _in_range(_finite_number(value, name), name, spec)
            if spec["kind"] == "integer" and number != int(number):
                raise CaseError(name, f"{_show(value)} is not a whole number")
            out[name] = int(number) if spec["kind"] == "integer" else number
    return _reconcile(out)


def _reconcile(case: dict[str, Any]) -> dict[str, Any]:
    """Cross-field rules: resistance classes imply mutations were found."""
    resistance = case.get("resistance") or []
    if resistance and case.get("resistance_test") in ("not_done", "no_mutations"):
        raise CaseError(
            "resistance",
            f"resistance classes are listed but resistance_test is "
            f"'{case['resistance_test']}': choose mutations_found or clear the list",
        )
    if resistance and case.get("resistance_test") is None:
        case["resistance_test"] = "mutations_found"
    case["resistance"] = resistance
    if case.get("weeks_off_art") is None:
        case["weeks_off_art"] = 0
    return case
