"""The input contract: typed lab values, and errors that name the field and the value."""

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logic


def one(copies, **extra):
    return {"viral_loads": [{"week": 30, "copies": copies}], **extra}


@pytest.mark.parametrize(
    ("typed", "copies", "below"),
    [
        ("1,200", 1200, False),
        ("1 200", 1200, False),
        ("1.2e3", 1200, False),
        ("12,345,678", 12345678, False),
        ("<20", 0, True),
        ("<50", 0, True),
        ("< 50 copies/mL", 0, True),
        ("<LLOD", 0, True),
        ("undetectable", 0, True),
        ("Undetectable", 0, True),
        ("TND", 0, True),
        ("target not detected", 0, True),
        (">10,000,000", 10_000_000, False),
        (0, 0, True),
        (49, 49, True),  # a non-integer below the limit is refused: tests/test_lab_formats.py
        ("250 copies/mL", 250, False),
    ],
)
def test_typed_lab_values(typed, copies, below):
    result = logic.evaluate(one(typed))
    entry = result["case"]["viral_loads"][0]
    assert (entry["copies"], entry["below_llod"]) == (copies, below)


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ({}, "viral_loads", "missing"),
        ({"viral_loads": []}, "viral_loads", "at least one"),
        ({"viral_loads": "1200"}, "viral_loads", "list"),
        (one(-5), "viral_loads[0].copies", "negative"),
        (one(float("nan")), "viral_loads[0].copies", "finite"),
        (one(float("inf")), "viral_loads[0].copies", "finite"),
        (one("lots"), "viral_loads[0].copies", "'lots'"),
        (one("1,2,3"), "viral_loads[0].copies", "not a viral load"),
        (one(True), "viral_loads[0].copies", "not a number"),
        (one("<1000"), "viral_loads[0].copies", "set llod"),
        (one(2e9), "viral_loads[0].copies", "range"),
        ({"viral_loads": [{"week": -1, "copies": 5}]}, "viral_loads[0].week", "minimum"),
        ({"viral_loads": [{"week": "12", "copies": 5}]}, "viral_loads[0].week", "not a number"),
        ({"viral_loads": [{"copies": 5}]}, "viral_loads[0].week", "missing"),
        ({"viral_loads": [{"week": 1, "copies": 5, "wk": 1}]}, "viral_loads[0]", "'wk'"),
        (
            {"viral_loads": [{"week": 4, "copies": 5}, {"week": 4, "copies": 9}]},
            "viral_loads[1].week",
            "two results at week 4",
        ),
        (one(300, history="first"), "history", "first_regimen, second_or_later, unknown"),
        (one(300, failing_regimen="EFV"), "failing_regimen", "nnrti_2nrti"),
        (one(300, resistance_test="yes"), "resistance_test", "mutations_found"),
        (one(300, resistance=["K103N"]), "resistance[0]", "insti_dtg"),
        (one(300, resistance="nnrti"), "resistance", "not a list"),
        (one(300, fully_active_agents=1.5), "fully_active_agents", "whole number"),
        (one(300, fully_active_agents=-1), "fully_active_agents", "minimum"),
        (one(300, weeks_off_art=-2), "weeks_off_art", "minimum"),
        (one(300, hbv_coinfection="yes"), "hbv_coinfection", "true or false"),
        (one(300, llod=0), "llod", "minimum"),
        (one(300, llod=200), "llod", "below 200"),
        (one(300, hvb_coinfection=True), "hvb_coinfection", "unknown field"),
        (
            one(300, resistance=["nnrti"], resistance_test="no_mutations"),
            "resistance",
            "mutations_found",
        ),
        ([1, 2], "case", "not an object"),
    ],
)
def test_errors_name_field_and_value(case, field, words):
    with pytest.raises(logic.CaseError) as caught:
        logic.evaluate(case)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert caught.value.to_json() == {"field": field, "message": caught.value.message}


def test_unknown_key_lists_allowed_fields():
    with pytest.raises(logic.CaseError, match="allowed: viral_loads, regimen_start, llod"):
        logic.evaluate(one(300, hiv=True))


def test_lower_llod_makes_less_than_50_ambiguous():
    with pytest.raises(logic.CaseError, match="above the LLOD in use"):
        logic.evaluate(one("<50", llod=20))
    assert logic.evaluate(one("<20", llod=20))["case"]["viral_loads"][0]["below_llod"]


def test_resistance_implies_mutations_found():
    result = logic.evaluate(one(300, resistance=["m184vi"]))
    assert result["case"]["resistance_test"] == "mutations_found"


def test_default_llod_is_stated_in_data():
    result = logic.evaluate(one(300))
    assert result["case"]["llod"] == logic.guideline().thresholds["default_llod"] == 50
    help_text = logic.guideline().fields["llod"]["help"]
    assert "50 copies/mL" in help_text


# --- property: any JSON-like input gives a JSON result or a CaseError ------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(list(logic.guideline().fields) + ["week", "copies", "other"])
copies_values = (
    st.integers(-10, 10**7)
    | st.floats(allow_nan=True)
    | st.sampled_from(["<50", "<20", "TND", "1,200", "1.2e3", "undetectable", "", "<", "1e999"])
    | json_values
)
viral_load = st.fixed_dictionaries(
    {"week": st.integers(-1, 200) | json_values, "copies": copies_values}
)
choices = {
    name: st.sampled_from([c["value"] for c in spec["choices"]]) | json_values
    for name, spec in logic.guideline().fields.items()
    if spec["kind"] == "choice"
}
cases = st.fixed_dictionaries(
    {"viral_loads": st.lists(viral_load, max_size=6) | json_values},
    optional={
        **choices,
        "resistance": st.lists(
            st.sampled_from(["nnrti", "m184vi", "pi", "insti_dtg", "insti_ral_evg", "x"]),
            max_size=3,
        )
        | json_values,
        "fully_active_agents": st.integers(-1, 4) | json_values,
        "weeks_off_art": st.floats(-1, 20) | json_values,
        "llod": st.sampled_from([20, 50, 0, 199, 200]) | json_values,
        "hbv_coinfection": st.booleans() | json_values,
        "cns_symptoms": st.booleans() | json_values,
    },
) | st.dictionaries(field_names, json_values, max_size=4)


@settings(max_examples=400, deadline=None)
@given(cases)
def test_evaluate_returns_json_or_raises_case_error(case):
    try:
        result = logic.evaluate(case)
    except logic.CaseError as error:
        assert error.field and error.message
        return
    text = json.dumps(result, allow_nan=False)
    assert json.loads(text) == result
    assert result["response"] in logic.guideline().responses
    assert not math.isnan(result["viremia"]["latest_copies"])
