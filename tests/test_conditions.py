"""How the pages word logic's numeric conditions (generator/conditions.py)."""

import pytest

import logic
from generator.conditions import number, numeric_words

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


def test_every_numeric_condition_in_logic_can_be_worded():
    thresholds = logic.guideline().thresholds
    worded = 0
    for table in logic.guideline().tables.values():
        for rule in table["rules"]:
            for condition in rule.get("when", {}).values():
                words = numeric_words(condition, thresholds)
                if words is not None:
                    assert "$" not in words, rule["id"]
                    worded += 1
    assert worded >= 5
