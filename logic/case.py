"""Validate a case (JSON-like input) against the field schema in ``data/inputs.toml``.

Every problem raises :class:`CaseError` naming the field and the bad value; for a choice
it lists the allowed values. Unknown keys are errors, so a misspelt key is never ignored.
"""

from __future__ import annotations

import math
from typing import Any

from logic.guideline_data import GuidelineData as Guideline
from logic.lab_values import ValueProblem, read_copies, read_date, shown


class CaseError(ValueError):
    """The case is invalid. ``field`` names the input (``viral_loads[2].copies`` style).

    ``also`` holds the other rows of a viral-load course that could not be read, so a pasted
    report gets every bad row marked at once, not one per correction.
    """

    def __init__(self, field: str, message: str, also: list[CaseError] | None = None) -> None:
        self.field = field
        self.message = message
        self.also = also or []
        super().__init__(f"{field}: {message}")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.also:
            out["also"] = [{"field": e.field, "message": e.message} for e in self.also]
        return out


_show = shown


def _finite_number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CaseError(field, f"{_show(value)} is not a number")
    if isinstance(value, int) and value.bit_length() > 64:
        raise CaseError(field, f"{_show(value)} is far too large")
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
    """A lab value as (copies/mL, below the LLOD?); see logic.lab_values for the forms."""
    try:
        reading = read_copies(value, llod, limit)
    except ValueProblem as problem:
        raise CaseError(field, str(problem)) from None
    return reading.copies, reading.below_llod


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


SERIES_KEYS = ("week", "date", "copies")


def _series_item_keys(item: dict, where: str) -> None:
    unknown = sorted(str(key) for key in set(item) - set(SERIES_KEYS))
    if unknown:
        raise CaseError(where, f"unknown key {_show(unknown[0])} (allowed: week or date, copies)")
    if "week" not in item and "date" not in item:
        raise CaseError(f"{where}.week", "missing: give the week on the regimen or the date")
    if "week" in item and "date" in item:
        raise CaseError(f"{where}.date", "give the week or the date of a result, not both")
    if "copies" not in item:
        raise CaseError(f"{where}.copies", "missing")


def _week(item: dict, where: str, spec: dict, regimen_start: Any) -> tuple[float, str | None]:
    """The result's week on the regimen, from its week or from its date and regimen_start."""
    if "week" in item:
        week = _finite_number(item["week"], f"{where}.week")
        return _in_range(week, f"{where}.week", {"min": 0, "max": spec["max_week"]}), None
    try:
        day = read_date(item["date"])
    except ValueProblem as problem:
        raise CaseError(f"{where}.date", str(problem)) from None
    if regimen_start is None:
        raise CaseError(
            "regimen_start",
            "missing: results are dated, so give the date the current regimen started",
        )
    days = (day - regimen_start).days
    if days < 0:
        raise CaseError(
            f"{where}.date",
            f"{day.isoformat()} is before the regimen started ({regimen_start.isoformat()}): "
            "give only results on the current regimen, or correct the start date",
        )
    week = _in_range(days / 7, f"{where}.date", {"max": spec["max_week"]})
    return week, day.isoformat()


def _series(value: Any, field: str, spec: dict, llod: float, regimen_start: Any) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise CaseError(field, "give at least one result as a list of {week or date, copies}")
    if len(value) > spec["max_items"]:
        raise CaseError(field, f"{len(value)} results: at most {spec['max_items']}")
    results, problems = [], []
    for index, item in enumerate(value):
        try:
            results.append(_result(item, f"{field}[{index}]", index, spec, llod, regimen_start))
        except CaseError as problem:
            if problem.field == "regimen_start":
                raise  # one answer for every dated row
            problems.append(problem)
    if problems:
        first, *rest = problems
        raise CaseError(first.field, first.message, rest)
    results.sort(key=lambda r: r["week"])  # chronological, whatever order they were typed in
    for earlier, later in zip(results, results[1:], strict=False):
        if earlier["week"] == later["week"]:
            when = later["date"] or f"week {later['week']:g}"
            key = "date" if later["date"] else "week"
            raise CaseError(
                f"{field}[{later['entered']}].{key}",
                f"two results at {when}: give each result its own {key}",
            )
    return results


def _result(item: Any, where: str, index: int, spec: dict, llod: float, start: Any) -> dict:
    """One row of the course, or the CaseError for it."""
    if not isinstance(item, dict):
        raise CaseError(where, f"{_show(item)} is not an object with week (or date) and copies")
    _series_item_keys(item, where)
    week, day = _week(item, where, spec, start)
    try:
        reading = read_copies(item["copies"], llod, spec["max_copies"])
    except ValueProblem as problem:
        raise CaseError(f"{where}.copies", str(problem)) from None
    return {
        "week": week,
        "date": day,
        "copies": reading.copies,
        "below_llod": reading.below_llod,
        "detected": reading.detected,
        "entered": index,
    }


def validate(case: Any, guideline: Guideline) -> dict[str, Any]:
    """The case with defaults filled in and values normalised, or a CaseError."""
    if not isinstance(case, dict):
        raise CaseError("case", f"{_show(case)} is not an object")
    fields = guideline.fields
    unknown = sorted(str(key)[:40] for key in case if key not in fields)
    if unknown:
        raise CaseError(unknown[0], f"unknown field (allowed: {', '.join(fields)})")
    out: dict[str, Any] = {}
    llod_spec = fields["llod"]
    if case.get("llod") is None:
        out["llod"] = guideline.thresholds[llod_spec["default_threshold"]]
    else:
        out["llod"] = _in_range(_finite_number(case["llod"], "llod"), "llod", llod_spec)
    out["regimen_start"] = _date(case.get("regimen_start"), "regimen_start")
    for name, spec in fields.items():
        value = case.get(name)
        if name in ("llod", "regimen_start"):
            continue
        if value is None and spec.get("required"):
            raise CaseError(name, f"missing: {spec['label'].lower()} are required")
        if value is None:
            out[name] = None
        elif spec["kind"] == "series":
            out[name] = _series(value, name, spec, out["llod"], out["regimen_start"])
        elif spec["kind"] == "choice":
            out[name] = _choice(value, name, spec)
        elif spec["kind"] == "multi":
            out[name] = _multi(value, name, spec)
        elif spec["kind"] == "text":
            out[name] = _text(value, name, spec)
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


def _text(value: Any, field: str, spec: dict) -> str | list[str]:
    """Free text read later by its own parser (drug names, a mutation list); a list of such
    texts where the field allows one."""
    items = value if isinstance(value, list) and spec.get("list") else [value]
    for index, item in enumerate(items):
        where = f"{field}[{index}]" if items is value else field
        if not isinstance(item, str):
            kind = "text or a list of texts" if spec.get("list") else "text"
            raise CaseError(where, f"{_show(item)} is not {kind}")
        if len(item) > spec["max_length"]:
            raise CaseError(
                where, f"too long ({len(item)} characters; at most {spec['max_length']})"
            )
    if isinstance(value, str) and not value.strip():
        raise CaseError(field, "empty: leave the field out or enter a value")
    return value


def _date(value: Any, field: str) -> Any:
    if value is None:
        return None
    try:
        return read_date(value)
    except ValueProblem as problem:
        raise CaseError(field, str(problem)) from None


def _reconcile(case: dict[str, Any]) -> dict[str, Any]:
    """Cross-field rules: resistance classes imply mutations were found; the ART status and
    the weeks off ART agree."""
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
    _art_status(case)
    if case["regimen_start"] is not None:
        case["regimen_start"] = case["regimen_start"].isoformat()
    return case


def _art_status(case: dict[str, Any]) -> None:
    """Taking the regimen, stopped it (weeks_off_art ago) or restarted it after a break.

    Without a status, weeks off ART above 0 mean the regimen was stopped (older cases say so
    that way). A restarted regimen is being taken again, so it counts as 0 weeks off ART.
    """
    weeks_off = case.get("weeks_off_art")
    status = case.get("art_status")
    if status is None:
        status = "stopped" if weeks_off else "on_art"
    if status == "stopped" and weeks_off == 0:
        raise CaseError(
            "weeks_off_art",
            "0 weeks, but the regimen is marked as stopped: enter the weeks since it was stopped",
        )
    if status != "stopped" and weeks_off:
        raise CaseError(
            "weeks_off_art",
            f"{_show(weeks_off)} weeks off ART, but the regimen is marked as "
            f"{'being taken' if status == 'on_art' else 'restarted'}: clear it or choose stopped",
        )
    if status != "restarted" and case.get("weeks_since_restart") is not None:
        raise CaseError(
            "weeks_since_restart", "only for a regimen that was restarted after a break"
        )
    case["art_status"] = status
    if status != "stopped":
        case["weeks_off_art"] = 0
