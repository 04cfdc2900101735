"""How the site words the numeric tests in logic's decision-table conditions: one wording for the
decision map and the case sheets, so a rule reads the same wherever it is shown.

The grammar is logic's (``logic.tables.numeric_test`` reads it); thresholds are named there as
``$name`` and resolved here from the edition's ``thresholds``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from logic.tables import numeric_test

OPERATOR_WORDS = {
    "<": "below",
    "<=": "at most",
    ">": "above",
    ">=": "at least",
    "=": "equal to",
    "!=": "not",
}


def number(value: float | int) -> str:
    """A number as the pages print it: thousands separated, no trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


def bound(token: str, thresholds: Mapping[str, Any]) -> str:
    """A bound of a numeric test: a literal, or ``$name`` for one of logic's thresholds."""
    token = token.strip()
    return number(thresholds[token[1:]] if token.startswith("$") else float(token))


def numeric_words(condition: Any, thresholds: Mapping[str, Any], unit: str = "") -> str | None:
    """A numeric test in words ("above 200 and at most 1,000 copies/mL", "at least 24"), or
    None if ``condition`` is not a numeric test."""
    numeric = numeric_test(condition)
    if not numeric:
        return None
    unit = f" {unit}" if unit else ""
    if numeric[0] == "interval":
        _, low_open, low, high, high_open = numeric
        low_text = f"{OPERATOR_WORDS['>' if low_open else '>=']} {bound(low, thresholds)}"
        high_text = f"{OPERATOR_WORDS['<' if high_open else '<=']} {bound(high, thresholds)}"
        return f"{low_text} and {high_text}{unit}"
    _, operator, limit = numeric
    return f"{OPERATOR_WORDS[operator]} {bound(limit, thresholds)}{unit}"


def condition_words(
    condition: Any,
    thresholds: Mapping[str, Any],
    value: Callable[[Any], str],
    unit: str = "",
) -> str:
    """A whole condition in words: an any-of list joined by "or", "?" as "not answered", a
    numeric test by ``numeric_words``, any other value by ``value`` (the page's own wording)."""
    if isinstance(condition, list):
        return " or ".join(condition_words(item, thresholds, value, unit) for item in condition)
    if condition == "?":
        return "not answered"
    return numeric_words(condition, thresholds, unit) or value(condition)
