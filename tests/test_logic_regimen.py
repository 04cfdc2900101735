"""The failing regimen typed as drugs: every accepted form gives its Table 11 type, every refused
form names the token, and a broken drugs.toml names file, entry and field."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logic
from logic.case import CaseError
from logic.guideline import DataError, load
from logic.regimen import DrugData, drug_choices, drug_data, parse_regimen, shortcut_disagreement

DRUGS_TOML = Path(logic.__file__).parent / "data" / "drugs.toml"

# The drug names of the four classes in HIVdb 10.2 (DRUGCLASS lists of HIVDB_10.2.xml), plus
# lenacapavir; a drug's `hivdb` must be one of them or empty.
HIVDB_DRUGS = set(
    [
        "ABC",
        "AZT",
        "D4T",
        "DDI",
        "FTC",
        "3TC",
        "TDF",
        "ISL",
        "DOR",
        "EFV",
        "ETR",
        "NVP",
        "RPV",
        "DPV",
        "ATV/r",
        "DRV/r",
        "FPV/r",
        "IDV/r",
        "LPV/r",
        "NFV",
        "SQV/r",
        "TPV/r",
        "BIC",
        "CAB",
        "DTG",
        "EVG",
        "RAL",
        "LEN",
    ]
)

ACCEPTED = [
    # (input, agents as shown, failing_regimen, rule, INSTI, its generation)
    ("TDF/FTC/EFV", "TDF + FTC + EFV", "nnrti_2nrti", "REG-02", None, None),
    ("tdf / ftc / efv", "TDF + FTC + EFV", "nnrti_2nrti", "REG-02", None, None),
    ("TDF FTC EFV", "TDF + FTC + EFV", "nnrti_2nrti", "REG-02", None, None),
    (["TDF/FTC", "EFV"], "TDF + FTC + EFV", "nnrti_2nrti", "REG-02", None, None),
    ("TDF/3TC/EFV", "TDF + 3TC + EFV", "nnrti_2nrti", "REG-02", None, None),
    ("ZDV + 3TC + nevirapine", "AZT + 3TC + NVP", "nnrti_2nrti", "REG-02", None, None),
    (
        "efavirenz/emtricitabine/tenofovir disoproxil fumarate",
        "EFV + FTC + TDF",
        "nnrti_2nrti",
        "REG-02",
        None,
        None,
    ),
    ("RPV/TAF/FTC", "RPV + TAF + FTC", "nnrti_2nrti", "REG-02", None, None),
    ("DOR/3TC/TDF", "DOR + 3TC + TDF", "nnrti_2nrti", "REG-02", None, None),
    ("DRV/c + TAF/FTC", "DRV/c + TAF + FTC", "boosted_pi_2nrti", "REG-03", None, None),
    ("DRV/c/TAF/FTC", "DRV/c + TAF + FTC", "boosted_pi_2nrti", "REG-03", None, None),
    ("darunavir/c, TAF, FTC", "DRV/c + TAF + FTC", "boosted_pi_2nrti", "REG-03", None, None),
    (
        "darunavir with cobicistat + ABC/3TC",
        "DRV/c + ABC + 3TC",
        "boosted_pi_2nrti",
        "REG-03",
        None,
        None,
    ),
    ("ATV + RTV + TDF/FTC", "ATV/r + TDF + FTC", "boosted_pi_2nrti", "REG-03", None, None),
    (
        "atazanavir/ritonavir and abacavir and lamivudine",
        "ATV/r + ABC + 3TC",
        "boosted_pi_2nrti",
        "REG-03",
        None,
        None,
    ),
    ("LPV/r + AZT/3TC", "LPV/r + AZT + 3TC", "boosted_pi_2nrti", "REG-03", None, None),
    (
        "lopinavir + ritonavir + AZT/3TC",
        "LPV/r + AZT + 3TC",
        "boosted_pi_2nrti",
        "REG-03",
        None,
        None,
    ),
    ("ABC/3TC/DTG", "ABC + 3TC + DTG", "insti_2nrti", "REG-04", "DTG", "second"),
    ("BIC/TAF/FTC", "BIC + TAF + FTC", "insti_2nrti", "REG-04", "BIC", "second"),
    ("EVG/c/TAF/FTC", "EVG/c + TAF + FTC", "insti_2nrti", "REG-04", "EVG/c", "first"),
    ("RAL + TDF/FTC", "RAL + TDF + FTC", "insti_2nrti", "REG-04", "RAL", "first"),
    (
        "dolutegravir, tenofovir alafenamide, emtricitabine",
        "DTG + TAF + FTC",
        "insti_2nrti",
        "REG-04",
        "DTG",
        "second",
    ),
    ("DTG + 3TC", "DTG + 3TC", "other", "REG-06", "DTG", "second"),
    ("DTG/RPV", "DTG + RPV", "other", "REG-06", "DTG", "second"),
    ("CAB + RPV", "CAB + RPV", "other", "REG-06", "CAB", "second"),
    ("ATV + ABC/3TC", "ATV + ABC + 3TC", "other", "REG-05", None, None),
    ("AZT/3TC/ABC", "AZT + 3TC + ABC", "other", "REG-07", None, None),
    ("T-20 + DRV/r + ETR + RAL", "T-20 + DRV/r + ETR + RAL", "other", "REG-07", "RAL", "first"),
    ("DRV/r + DTG + TDF/FTC", "DRV/r + DTG + TDF + FTC", "other", "REG-07", "DTG", "second"),
]


@pytest.mark.parametrize(("value", "shown", "kind", "rule", "insti", "generation"), ACCEPTED)
def test_accepted_forms(value, shown, kind, rule, insti, generation):
    result = parse_regimen(value)
    assert result["text"] == shown
    assert (result["failing_regimen"], result["rule"]) == (kind, rule)
    if insti is None:
        assert result["insti"] is None
    else:
        assert (result["insti"]["abbr"], result["insti"]["insti_generation"]) == (insti, generation)
    assert (result["note"] is None) == (kind != "other")  # every "other" says why
    assert result["source"]["section"] in load().sections


def test_result_names_nrtis_and_the_boosted_pi_with_hivdb_names():
    result = parse_regimen("DRV/c + TAF/FTC")
    assert result["nrtis"] == ["TAF", "FTC"]
    assert result["boosted_pi"]["abbr"] == "DRV/c"
    assert result["boosted_pi"]["name"] == "darunavir/cobicistat"
    assert result["boosted_pi"]["hivdb"] == "DRV/r"
    assert "our reading" in result["boosted_pi"]["hivdb_reading"]
    names = {d["abbr"]: d["name"] for d in result["drugs"]}
    assert names == {
        "DRV/c": "darunavir/cobicistat",
        "TAF": "tenofovir alafenamide",
        "FTC": "emtricitabine",
    }


def test_two_drug_regimen_says_the_source_is_silent():
    note = parse_regimen("DTG/3TC")["note"]
    assert "two-drug" in note and "no row" in note and "expert" in note


REFUSED = [
    # (input, field, words the message must hold)
    ("EFV", "regimen", ["only one drug", "EFV"]),
    ("dolutegravr + 3TC + ABC", "regimen", ["'dolutegravr'", "DTG (dolutegravir)"]),
    ("TDF/FTC/EFZ", "regimen", ["'EFZ'", "EFV (efavirenz)"]),
    ("xyz + TDF/FTC", "regimen", ["'xyz'", "not a drug name"]),
    (["TDF/FTC", "EFV", "Qwerty"], "regimen[2]", ["'Qwerty'"]),
    ("tenofovir/FTC/EFV", "regimen", ["'tenofovir'", "TDF", "TAF", "say which"]),
    ("TDF/FTC/EFV + TDF", "regimen", ["TDF is listed twice"]),
    ("TDF + TAF + FTC + DTG", "regimen", ["TDF and TAF", "same drug"]),
    ("DRV/r + DRV/c + TDF/FTC", "regimen", ["DRV/r and DRV/c"]),
    ("RTV + TDF/FTC + EFV", "regimen", ["ritonavir (RTV)", "boosts"]),
    ("r + TDF/FTC + EFV", "regimen", ["'r'"]),
    ("", "regimen", ["no drugs"]),
    ([], "regimen", ["no drugs"]),
    ("/", "regimen", ["no drugs"]),  # separators only (found by Hypothesis: read as no drug)
    (" / + ", "regimen", ["no drugs"]),
    ([1, "EFV"], "regimen[0]", ["not a drug name"]),
    (42, "regimen", ["not a drug list"]),
    ("TDF/FTC/" + "x" * 600, "regimen", ["too long"]),
]


@pytest.mark.parametrize(("value", "field", "words"), REFUSED)
def test_refused_forms_name_the_token(value, field, words):
    with pytest.raises(CaseError) as caught:
        parse_regimen(value)
    assert caught.value.field == field
    for word in words:
        assert word in caught.value.message


def test_field_name_is_the_callers():
    with pytest.raises(CaseError) as caught:
        parse_regimen("EFV", field="failing_drugs")
    assert caught.value.field == "failing_drugs"


def test_shortcut_disagreement():
    parsed = parse_regimen("TDF/FTC/EFV")
    assert shortcut_disagreement(parsed, None) is None
    assert shortcut_disagreement(parsed, "nnrti_2nrti") is None
    message = shortcut_disagreement(parsed, "insti_2nrti")
    assert "TDF + FTC + EFV" in message
    assert "NNRTI plus two NRTIs" in message and "INSTI plus two NRTIs" in message


def test_every_combination_parses_to_its_components():
    for combination in drug_choices()["combinations"]:
        parts = combination.split("/")
        if "c" in parts:  # DRV/c/TAF/FTC: the booster mark joins the PI
            continue
        assert parse_regimen(combination)["text"].replace(" + ", "/") == combination


def test_names_come_from_abbreviations_toml_where_it_has_them():
    guideline = load()
    for abbr, drug in drug_data().drugs.items():
        if abbr in guideline.abbreviations:
            assert drug["name"] == guideline.abbreviations[abbr]["expansion"]


def test_hivdb_names_are_hivdb_drugs():
    for abbr, drug in drug_data().drugs.items():
        assert drug["hivdb"] == "" or drug["hivdb"] in HIVDB_DRUGS, abbr


def test_every_agent_is_accepted_by_each_of_its_names():
    data = drug_data()
    for abbr, drug in data.drugs.items():
        if drug["class"] == "booster":
            continue
        for name in [abbr, drug["name"], *drug.get("names", []), *drug.get("aliases", [])]:
            partner = "DTG" if drug["class"] != "INSTI" else "DRV/r"
            parsed = parse_regimen(f"{name.upper()} + {partner}")
            assert parsed["drugs"][0]["abbr"] == abbr, name


def _raw() -> dict:
    return tomllib.loads(DRUGS_TOML.read_text(encoding="utf-8"))


def _drug(raw: dict, abbr: str) -> dict:
    return next(d for d in raw["drugs"] if d["abbr"] == abbr)


def _break_name(raw):
    _drug(raw, "DTG")["name"] = "dolutegravir"


def _break_class(raw):
    _drug(raw, "EFV")["class"] = "NNRTl"


def _break_generation(raw):
    del _drug(raw, "RAL")["insti_generation"]


def _break_alias(raw):
    _drug(raw, "NVP")["aliases"] = ["EFV"]


def _break_combination(raw):
    raw["combinations"][0]["components"] = ["TDF", "FTC", "EFX"]


def _break_rule(raw):
    raw["tables"][0]["rules"][1]["then"] = {"failing_regimen": "nnrti"}


def _break_source(raw):
    raw["tables"][0]["rules"][1]["source"] = {"section": "table-12"}


def _break_when(raw):
    raw["tables"][0]["rules"][1]["when"] = {"nrtis": 2}


def _break_base(raw):
    _drug(raw, "DRV/c")["base"] = "DRN"


def _break_note(raw):
    raw["notes"][0]["text"] = "only {drug}"


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_break_base, "drugs.toml: entry 'DRV/c', field 'base': 'DRN' is not a drug name"),
        (_break_note, "drugs.toml: entry 'one_drug', field 'text': may name only {drugs}"),
        (_break_name, "drugs.toml: entry 'DTG', field 'name': abbreviations.toml already names"),
        (_break_class, "drugs.toml: entry 'EFV', field 'class': unknown class 'NNRTl'"),
        (_break_generation, "drugs.toml: entry 'RAL', field 'insti_generation'"),
        (_break_alias, "drugs.toml: entry 'NVP', field 'names': 'EFV' also names EFV"),
        (_break_combination, "drugs.toml: entry 'TDF/FTC/EFX', field 'components'"),
        (_break_rule, "drugs.toml: entry 'REG-02', field 'then.failing_regimen': unknown 'nnrti'"),
        (_break_source, "drugs.toml: entry 'REG-02', field 'source.section'"),
        (_break_when, "drugs.toml: entry 'REG-02', field 'when.nrtis': not one of the table's"),
    ],
)
def test_broken_data_names_file_entry_and_field(breaker, message):
    raw = copy.deepcopy(_raw())
    breaker(raw)
    with pytest.raises(DataError) as caught:
        DrugData(raw, load())
    assert message in str(caught.value)


NAMES = sorted(drug_data().index)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.lists(st.sampled_from(NAMES), min_size=0, max_size=6).map(" + ".join),
        st.lists(st.one_of(st.sampled_from(NAMES), st.text(max_size=10)), max_size=5),
        st.none(),
        st.integers(),
    )
)
def test_any_input_gives_a_result_or_a_case_error(value):
    try:
        result = parse_regimen(value)
    except CaseError as error:
        assert error.field.startswith("regimen") and error.message
        return
    assert result["failing_regimen"] in {"nnrti_2nrti", "boosted_pi_2nrti", "insti_2nrti", "other"}
    assert len(result["drugs"]) >= 2
