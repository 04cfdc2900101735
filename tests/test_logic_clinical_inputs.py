"""A regimen by drug names and a genotype by mutations, through ``logic.evaluate``.

Real report text goes in; the HIVdb levels, the guideline's classes and the Table 11 row (or the
source's silence) come out. The rows are the guideline's for each textbook genotype.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logic

REBOUND = [
    {"week": 12, "copies": "<50"},
    {"week": 24, "copies": 2400},
    {"week": 28, "copies": 3100},
]
MULTI_CLASS = (
    "RT: M41L, D67N, K70R, M184V, T215Y, K219Q, K103N, Y181C, G190A; "
    "PR: V32I, I47A, I50V, I54M, I84V, L90M; IN: G140S, Q148H"
)


def evaluate(**case) -> dict:
    return logic.evaluate({"viral_loads": REBOUND, **case})


def outcome(result: dict) -> str:
    return result["scenario"] or result["scenario_reason"]["id"]


ROWS = [
    # (history, regimen, mutations, classes, row or reason)
    (
        "first_regimen",
        "TDF/FTC/EFV",
        "RT: K103N, M184V; PR: none",
        ["nnrti", "m184vi"],
        "first_nnrti",
    ),
    (
        "first_regimen",
        "tenofovir disoproxil fumarate, emtricitabine, efavirenz",
        "RT: K65R, K103N, M184V",
        ["nnrti", "m184vi", "other_nrti"],
        "first_nnrti",
    ),
    ("first_regimen", "TDF/FTC/EFV", "RT: none; PR: none", [], "no_resistance"),
    ("first_regimen", "DRV/r + TDF/FTC", "RT: M184V; PR: none", ["m184vi"], "first_boosted_pi"),
    ("first_regimen", "DTG + TDF/FTC", "RT: M184V; IN: none", ["m184vi"], "first_insti"),
    (
        "first_regimen",
        "RAL + TDF/FTC",
        "RT: M184V; IN: N155H",
        ["m184vi", "insti_ral_evg"],
        "first_insti_ral_evg_resistance",
    ),
    (
        "first_regimen",
        "RAL + TDF/FTC",
        "IN: Y143R",
        ["insti_ral_evg"],
        "first_insti_ral_evg_resistance",
    ),
    # The silent cases: dolutegravir no longer fully active; PI resistance on a first boosted PI.
    (
        "first_regimen",
        "DTG + TDF/FTC",
        "RT: none; IN: G140S, Q148H",
        ["insti_dtg"],
        "source_silent",
    ),
    ("first_regimen", "DTG + TDF/FTC", "IN: R263K", ["insti_dtg"], "source_silent"),
    ("first_regimen", "ATV/r + TDF/FTC", "RT: M184V; PR: I50L", ["m184vi", "pi"], "source_silent"),
    # An INSTI failed and integrase was not in the report.
    ("first_regimen", "DTG + TDF/FTC", "RT: M184V; PR: none", ["m184vi"], "insti_genotype_needed"),
    (
        "second_or_later",
        "DRV/r + TDF/FTC",
        "RT: K103N, M184V; PR: none; IN: none",
        ["nnrti", "m184vi"],
        "later_active_options",
    ),
    (
        "second_or_later",
        "DRV/r + TDF/FTC",
        MULTI_CLASS,
        ["nnrti", "m184vi", "other_nrti", "pi", "insti_dtg"],
        "later_extensive_resistance",
    ),
    ("unknown", "TDF/FTC/EFV", "RT: K103N", ["nnrti"], "limited_history"),
]


@pytest.mark.parametrize(("history", "regimen", "mutations", "classes", "expected"), ROWS)
def test_mutations_to_classes_to_row(history, regimen, mutations, classes, expected):
    result = evaluate(history=history, regimen=regimen, mutations=mutations)
    assert result["case"]["resistance"] == classes
    assert result["case"]["resistance_test"] == ("mutations_found" if classes else "no_mutations")
    assert outcome(result) == expected


def test_ral_resistance_with_dtg_active_cites_the_levels():
    result = evaluate(history="first_regimen", regimen="RAL + TDF/FTC", mutations="IN: N155H")
    levels = {d["drug"]: d["level"] for d in result["susceptibility"]["drugs"]}
    assert levels["RAL"] >= 3 and levels["DTG"] <= 2
    (fact,) = [d for d in result["derived"] if d["field"] == "resistance"]
    assert fact["rule"] == "GEN-05" and not fact["overridden"]
    assert {entry["drug"] for entry in fact["from"]} >= {"RAL", "DTG"}
    assert "DTG" in fact["derived_from"] and "our reading" in fact["source"]["reading"]
    regimen = next(d for d in result["derived"] if d["field"] == "failing_regimen")
    assert regimen["value"] == "insti_2nrti" and regimen["derived_from"].endswith("RAL + TDF + FTC")
    assert result["regimen"]["insti"]["abbr"] == "RAL"


def test_dtg_intermediate_is_not_the_ral_evg_row():
    result = evaluate(
        history="first_regimen", regimen="DTG + TDF/FTC", mutations="IN: G140S, Q148H"
    )
    dtg = next(d for d in result["susceptibility"]["drugs"] if d["drug"] == "DTG")
    assert dtg["level"] == 4 and dtg["label"] == "Intermediate Resistance"
    assert result["scenario"] is None
    assert "expert" in result["scenario_reason"]["text"]


def test_susceptibility_lists_every_drug_of_the_sequenced_genes():
    result = evaluate(mutations="RT: K103N; IN: none")
    table = result["susceptibility"]
    assert table["algorithm"]["version"] == "10.2" and table["algorithm"]["date"] == "2026-04-26"
    assert "public domain" in table["algorithm"]["attribution"].lower()
    classes = {d["class"] for d in table["drugs"]}
    assert classes == {"NRTI", "NNRTI", "INSTI"}  # protease was not sequenced: no PI rows
    efv = next(d for d in table["drugs"] if d["drug"] == "EFV")
    assert set(efv) == {"drug", "class", "score", "level", "label", "mutations"}
    assert efv["mutations"] == ["K103N"] and efv["level"] == 5
    assert {limit["id"] for limit in table["limits"]} == {"cumulative", "archived", "never_used"}
    assert [entry["level"] for entry in table["levels"]] == [1, 2, 3, 4, 5]


def test_without_a_genotype_nothing_is_derived():
    result = evaluate(history="first_regimen", failing_regimen="nnrti_2nrti")
    assert (result["susceptibility"], result["regimen"], result["derived"]) == (None, None, [])


def test_the_users_answer_wins_and_the_difference_is_said():
    result = evaluate(
        history="first_regimen",
        regimen="TDF/FTC/EFV",
        mutations="RT: K103N, M184V",
        resistance=["nnrti"],
    )
    assert result["case"]["resistance"] == ["nnrti"]
    fact = next(d for d in result["derived"] if d["field"] == "resistance")
    assert fact["value"] == ["nnrti", "m184vi"] and fact["overridden"] is True
    labels = {c["value"]: c["label"] for c in logic.guideline().fields["resistance"]["choices"]}
    assert fact["note"].endswith("your answer is used.")
    assert f"({labels['nnrti']}; {labels['m184vi']})" in fact["note"]  # the form's words
    same = next(d for d in result["derived"] if d["field"] == "resistance_test")
    assert same["overridden"] is False  # the ticks imply mutations were found, as derived


def test_user_says_integrase_not_genotyped():
    result = evaluate(
        history="first_regimen",
        regimen="DTG + TDF/FTC",
        mutations="RT: M184V; IN: none",
        insti_genotype="not_done",
    )
    assert result["scenario_reason"]["id"] == "insti_genotype_needed"
    fact = next(d for d in result["derived"] if d["field"] == "insti_genotype")
    assert (fact["value"], fact["user_value"], fact["overridden"]) == ("done", "not_done", True)


def test_user_says_no_mutations_keeps_the_classes_empty():
    result = evaluate(
        history="first_regimen",
        failing_regimen="nnrti_2nrti",
        mutations="RT: K103N",
        resistance_test="no_mutations",
    )
    assert result["case"]["resistance"] == []
    assert result["scenario_reason"]["id"] == "no_resistance"
    fact = next(d for d in result["derived"] if d["field"] == "resistance")
    assert (fact["value"], fact["overridden"], fact["user_value"]) == (["nnrti"], True, None)
    assert "Resistance testing" in fact["note"] and "leaves it at none" in fact["note"]


def test_boosted_pi_fact_comes_from_the_pi_levels():
    result = evaluate(history="second_or_later", mutations="RT: M184V; PR: I50L; IN: none")
    fact = next(d for d in result["derived"] if d["field"] == "fully_active_boosted_pi")
    assert fact["value"] == "yes"
    assert {e["drug"]: e["level"] for e in fact["from"]}["ATV/r"] == 5
    assert result["scenario"] == "later_active_options"
    # Protease not sequenced: the genotype cannot answer it, so it is not filled.
    result = evaluate(history="second_or_later", mutations="RT: M184V; IN: none")
    assert result["case"]["fully_active_boosted_pi"] is None
    assert "fully_active_boosted_pi" not in {d["field"] for d in result["derived"]}


def test_insti_failure_without_integrase_warns():
    result = evaluate(history="first_regimen", regimen="DTG + TDF/FTC", mutations="RT: M184V")
    (warning,) = result["genotype"]["warnings"]
    assert warning["id"] == "insti_not_genotyped"
    failing = {d["abbr"]: d["level"] for d in result["genotype"]["failing_drugs"]}
    assert failing == {"DTG": None, "TDF": 1, "FTC": 5}


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ({"regimen": "DTG + 3TC", "failing_regimen": "nnrti_2nrti"}, "regimen", "Check which"),
        ({"regimen": "TDF/FTC/EFX"}, "regimen", "EFX"),
        ({"regimen": "DTG"}, "regimen", ""),
        ({"regimen": 5}, "regimen", "not text"),
        ({"regimen": ["DTG", 3]}, "regimen[1]", "not text"),
        ({"mutations": "RT: K103N, hello"}, "mutations", "hello"),
        ({"mutations": "QQ: K103N"}, "mutations", "QQ"),
        ({"mutations": ["RT: K103N"]}, "mutations", "not text"),
        ({"mutations": "  "}, "mutations", "empty"),
        ({"mutations": "RT: " + "K103N, " * 700}, "mutations", "too long"),
    ],
)
def test_bad_input_names_the_field(case, field, words):
    with pytest.raises(logic.CaseError) as caught:
        evaluate(history="first_regimen", **case)
    assert caught.value.field == field
    assert words in caught.value.message


def test_regimen_as_a_list_and_the_shortcut_agreeing():
    result = evaluate(
        history="first_regimen",
        regimen=["DTG", "TDF/FTC"],
        failing_regimen="insti_2nrti",
        mutations="RT: none; IN: none",
    )
    assert result["case"]["failing_regimen"] == "insti_2nrti"
    assert result["scenario_reason"]["id"] == "no_resistance"


def test_every_table11_row_is_reached_from_a_genotype():
    reached = {expected for *_, expected in ROWS}
    assert set(logic.guideline().rows) <= reached


TOKENS = st.sampled_from(
    ["RT:", "PR:", "IN:", "none", "K103N", "M184V", "184I", "M184MV", "Q148H", "G140S", "I50L",
     "N155H", "K65R", "X", "*", ",", ";", "\n", " ", "DTG", "TDF/FTC", "+", "RAL", "EFV", "zz"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    mutations=st.one_of(st.none(), st.lists(TOKENS, max_size=12).map(" ".join)),
    regimen=st.one_of(st.none(), st.lists(TOKENS, max_size=6).map(" ".join)),
    shortcut=st.sampled_from([None, "nnrti_2nrti", "insti_2nrti", "other"]),
)
def test_any_text_gives_an_answer_or_a_case_error(mutations, regimen, shortcut):
    case = {"history": "first_regimen", "failing_regimen": shortcut}
    case.update(
        {k: v for k, v in (("mutations", mutations), ("regimen", regimen)) if v is not None}
    )
    try:
        result = evaluate(**case)
    except logic.CaseError as error:
        assert error.field.split("[")[0] in ("mutations", "regimen", "failing_regimen")
        assert error.message
        return
    if mutations is not None:
        assert result["susceptibility"]["drugs"]
    for fact in result["derived"]:
        assert fact["rule"] and fact["source"]["section"]
