"""A small decision-table engine: unary tests over named facts, hit policy first or collect.

Condition syntax (see the header of ``data/rules.toml``):
``"?"`` unanswered; a bool, number or plain string equals; a list is any-of;
``">= 200"`` / ``"< $name"`` compare numbers; ``"(0, $name]"`` is an interval.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

COMPARISON = re.compile(r"^(<=|>=|<|>|!=|=)\s*(.+)$")
INTERVAL = re.compile(r"^([\[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])$")


def _number(token: str, thresholds: dict[str, Any]) -> float:
    token = token.strip()
    if token.startswith("$"):
        return float(thresholds[token[1:]])
    return float(token)


OPERATORS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "!=": operator.ne,
}
Predicate = Callable[[Any], bool]


def numeric_test(condition: Any) -> tuple | None:
    """The numeric form of a condition string, or None if it is not numeric:
    ``("interval", low_open, low, high, high_open)`` with ``low_open``/``high_open`` true for
    ``(``/``)``, or ``("compare", op, bound)``. Bounds stay tokens (``"200"``, ``"$name"``).
    The one place the grammar's string forms are read: the engine and the pages that word
    rules for people both use it."""
    if not isinstance(condition, str):
        return None
    if match := INTERVAL.match(condition):
        low_open, low, high, high_open = match.groups()
        return ("interval", low_open == "(", low, high, high_open == ")")
    if match := COMPARISON.match(condition):
        return ("compare", match.group(1), match.group(2))
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _comparison(op: str, bound: float) -> Predicate:
    compare = OPERATORS[op]
    return lambda value: _is_number(value) and compare(value, bound)


def predicate(condition: Any, thresholds: dict[str, Any]) -> Predicate:
    """Compile one unary test to a function of the fact's value (done once, at load)."""
    if isinstance(condition, list):
        tests = [predicate(item, thresholds) for item in condition]
        return lambda value: any(test(value) for test in tests)
    if condition == "?":
        return lambda value: value is None
    if isinstance(condition, bool):
        return lambda value: value is condition
    numeric = numeric_test(condition)
    if numeric and numeric[0] == "interval":
        _, low_open, low, high, high_open = numeric
        above = _comparison(">" if low_open else ">=", _number(low, thresholds))
        below = _comparison("<" if high_open else "<=", _number(high, thresholds))
        return lambda value: above(value) and below(value)
    if numeric:
        return _comparison(numeric[1], _number(numeric[2], thresholds))
    return lambda value: not isinstance(value, bool) and value == condition


def check_condition(condition: Any, thresholds: dict[str, Any]) -> str | None:
    """Why ``condition`` is malformed, or None. Used when the data is loaded."""
    if isinstance(condition, list):
        problems = [check_condition(item, thresholds) for item in condition]
        return next((p for p in problems if p), None)
    if isinstance(condition, str) and (condition[:1] in "<>=!([" and condition):
        numeric = numeric_test(condition)
        if not numeric:
            return f"malformed condition '{condition}'"
        tokens = numeric[2:4] if numeric[0] == "interval" else (numeric[2],)
        for token in tokens:
            try:
                _number(token, thresholds)
            except KeyError:
                return f"unknown threshold '{token.strip()}' in '{condition}'"
            except ValueError:
                return f"not a number: '{token.strip()}' in '{condition}'"
    return None


class CompiledTable:
    """A decision table with its conditions compiled to predicates."""

    def __init__(self, table: dict, thresholds: dict[str, Any]) -> None:
        self.table = table
        self.first = table["hit_policy"] == "first"
        self.rules = [
            (
                rule,
                [
                    (fact, predicate(cond, thresholds))
                    for fact, cond in rule.get("when", {}).items()
                ],
            )
            for rule in table["rules"]
        ]

    def run(self, facts: dict[str, Any]) -> list[dict]:
        """The rules that fire on ``facts``, by the table's hit policy."""
        fired = []
        get = facts.get
        for rule, tests in self.rules:
            for fact, test in tests:  # a plain loop: this is the hot path
                if not test(get(fact)):
                    break
            else:
                fired.append(rule)
                if self.first:
                    break
        return fired
