"""How the pages word logic's numeric conditions (generator/conditions.py)."""

import pytest

import logic
from generator.conditions import condition_words, number, numeric_words

THRESHOLDS = {"failure_copies": 200, "high_copies": 1000.0}


@pytest.mark.parametrize(
    ("condition", "unit", "words"),
    [
        ("(0, 4]", "", "above 0 and at most 4"),
        ("[$failure_copies, $high_copies)", "copies/mL", "at least 200 and below 1,000 copies/mL"),
        (">= 24", "", "at least 24"),
        ("< $high_copies", "copies/mL", "below 1,000 copies/mL"),
        ("!= 0", "", "not 0"),
    ],
)
def test_numeric_conditions_in_words(condition, unit, words):
    assert numeric_words(condition, THRESHOLDS, unit) == words


@pytest.mark.parametrize("condition", ["suppression", ["a", "b"], True, 3, "?"])
def test_other_conditions_are_not_numeric(condition):
    assert numeric_words(condition, THRESHOLDS) is None


def test_numbers_print_without_a_trailing_zero_and_with_separators():
    assert number(1000.0) == "1,000"
    assert number(2.5) == "2.5"


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("?", "not answered"),
        (["not_done", "?"], "Not done or not answered"),
        (["?", "<= $high_copies"], "not answered or at most 1,000 copies/mL"),
        ("(0, 4]", "above 0 and at most 4 copies/mL"),
        ("not_done", "Not done"),
    ],
)
def test_whole_conditions_in_words(condition, words):
    value = {"not_done": "Not done"}.get
    assert condition_words(condition, THRESHOLDS, value, "copies/mL") == words


def test_every_condition_in_logic_can_be_worded():
    """Every test of every rule, alone or inside an any-of list: no "$name" or "?" is left."""
    thresholds = logic.guideline().thresholds
    numeric = 0
    for table in logic.guideline().tables.values():
        for rule in table["rules"]:
            for condition in rule.get("when", {}).values():
                words = condition_words(condition, thresholds, str)
                assert "$" not in words and "?" not in words, (rule["id"], words)
                items = condition if isinstance(condition, list) else [condition]
                numeric += sum(numeric_words(item, thresholds) is not None for item in items)
    assert numeric >= 5
