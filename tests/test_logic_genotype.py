"""From per-drug HIVdb levels to the guideline's resistance facts (logic/genotype.py).

The evaluator outputs here are built by hand: each test sets the levels a textbook genotype is
known to produce and checks the facts derived from them and, through ``logic.evaluate``, the
Table 11 row (or the source's silence) those facts lead to.
"""

from __future__ import annotations

import copy
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logic
from logic.case import CaseError
from logic.clinical_inputs import genotype_fields
from logic.genotype import GenotypeData, derive, genotype_data
from logic.guideline import DataError, load
from logic.regimen import parse_regimen

ROOT = Path(logic.__file__).parent.parent
GENOTYPE_TOML = ROOT / "logic" / "data" / "genotype.toml"

# HIVdb 10.2's drugs by class (DRUGCLASS in HIVDB_10.2.xml); the evaluator reports each.
HIVDB = {
    "NRTI": ["ABC", "AZT", "D4T", "DDI", "FTC", "3TC", "TDF", "ISL"],
    "NNRTI": ["DOR", "EFV", "ETR", "NVP", "RPV", "DPV"],
    "PI": ["ATV/r", "DRV/r", "FPV/r", "IDV/r", "LPV/r", "NFV", "SQV/r", "TPV/r"],
    "INSTI": ["BIC", "CAB", "DTG", "EVG", "RAL"],
}
GENE = {"NRTI": "RT", "NNRTI": "RT", "PI": "PR", "INSTI": "IN"}
LABELS = {
    1: "Susceptible",
    2: "Potential Low-Level Resistance",
    3: "Low-Level Resistance",
    4: "Intermediate Resistance",
    5: "High-Level Resistance",
}
SCORE = {1: 0, 2: 10, 3: 15, 4: 30, 5: 60}
REBOUND = [
    {"week": 12, "copies": "<50"},
    {"week": 24, "copies": 2400},
    {"week": 28, "copies": 3100},
]


def hivdb(levels: dict[str, tuple[int, list[str]]], sequenced=("RT", "PR", "IN")) -> dict:
    """An evaluator output: every drug Susceptible except those in ``levels``."""
    drugs = []
    for cls, names in HIVDB.items():
        if GENE[cls] not in sequenced:
            continue
        for name in names:
            level, found = levels.get(name, (1, []))
            drugs.append(
                {
                    "drug": name,
                    "class": cls,
                    "score": SCORE[level],
                    "level": level,
                    "label": LABELS[level],
                    "mutations": found,
                }
            )
    genes = {g: "sequenced" if g in sequenced else "not_sequenced" for g in ("PR", "RT", "IN")}
    return {"algorithm": {"name": "HIVDB", "version": "10.2"}, "genes": genes, "drugs": drugs}


def each(drugs: str, level: int, mutations: list[str]) -> dict[str, tuple[int, list[str]]]:
    return {drug: (level, mutations) for drug in drugs.split()}


# Hand-built levels for textbook genotypes.
K103N = each("EFV NVP", 5, ["K103N"])
M184V = {**each("3TC FTC", 5, ["M184V"]), **each("ABC", 3, ["M184V"])}
K65R = {**each("TDF ABC", 4, ["K65R"]), **each("3TC FTC", 5, ["K65R", "M184V"])}
I50L = each("ATV/r", 5, ["I50L"])
N155H = {**each("RAL EVG", 5, ["N155H"]), **each("DTG BIC", 2, ["N155H"]), "CAB": (3, ["N155H"])}
Y143R = {**each("RAL", 5, ["Y143R"]), **each("EVG", 2, ["Y143R"])}
G140S_Q148H = {**each("RAL EVG CAB", 5, ["G140S+Q148H"]), **each("DTG BIC", 4, ["G140S+Q148H"])}
R263K = {**each("EVG", 4, ["R263K"]), **each("RAL DTG BIC CAB", 3, ["R263K"])}
EVERYTHING = {
    **each("3TC FTC ABC AZT TDF", 5, ["M41L", "T215Y", "M184V"]),
    **each("EFV NVP RPV ETR DOR", 5, ["Y181C", "G190A"]),
    **each("DRV/r ATV/r LPV/r", 5, ["I50V", "I84V", "L90M"]),
    **each("RAL EVG CAB", 5, ["G140S+Q148H"]),
    **each("DTG BIC", 4, ["G140S+Q148H"]),
}


def evaluate(derived: dict, **case) -> dict:
    """The case as the wiring fills it from a derivation (logic/clinical_inputs.py)."""
    fields = {k: v for k, v in genotype_fields(derived).items() if v is not None}
    return logic.evaluate({"viral_loads": REBOUND, **fields, **case})


ROWS = [
    # (levels, mutations, failing regimen, classes, row or reason)
    (
        {**K103N, **M184V},
        {"RT": ["K103N", "M184V"], "PR": [], "IN": []},
        "nnrti_2nrti",
        ["nnrti", "m184vi"],
        "first_nnrti",
    ),
    (
        {**K103N, **K65R},
        {"RT": ["K65R", "K103N", "M184V"], "PR": []},
        "nnrti_2nrti",
        ["nnrti", "m184vi", "other_nrti"],
        "first_nnrti",
    ),
    (M184V, {"RT": ["M184V"], "PR": []}, "boosted_pi_2nrti", ["m184vi"], "first_boosted_pi"),
    (M184V, {"RT": ["M184V"], "IN": []}, "insti_2nrti", ["m184vi"], "first_insti"),
    (
        {**M184V, **N155H},
        {"RT": ["M184V"], "IN": ["N155H"]},
        "insti_2nrti",
        ["m184vi", "insti_ral_evg"],
        "first_insti_ral_evg_resistance",
    ),
    (
        Y143R,
        {"RT": [], "IN": ["Y143R"]},
        "insti_2nrti",
        ["insti_ral_evg"],
        "first_insti_ral_evg_resistance",
    ),
    # The silent cases: DTG no longer fully active, or PI resistance after a boosted PI.
    (
        G140S_Q148H,
        {"RT": [], "IN": ["G140S", "Q148H"]},
        "insti_2nrti",
        ["insti_dtg"],
        "source_silent",
    ),
    (R263K, {"RT": [], "IN": ["R263K"]}, "insti_2nrti", ["insti_dtg"], "source_silent"),
    (
        {**M184V, **I50L},
        {"RT": ["M184V"], "PR": ["I50L"]},
        "boosted_pi_2nrti",
        ["m184vi", "pi"],
        "source_silent",
    ),
    ({}, {"RT": [], "PR": [], "IN": []}, "nnrti_2nrti", [], "no_resistance"),
]


@pytest.mark.parametrize(("levels", "mutations", "regimen", "classes", "outcome"), ROWS)
def test_genotype_to_classes_to_row(levels, mutations, regimen, classes, outcome):
    derived = derive(hivdb(levels, sequenced=tuple(mutations)), mutations)
    assert derived["resistance"] == classes
    assert derived["resistance_test"] == ("mutations_found" if classes else "no_mutations")
    result = evaluate(derived, history="first_regimen", failing_regimen=regimen)
    assert outcome in (result["scenario"], (result["scenario_reason"] or {}).get("id"))


def test_each_fact_cites_the_levels_it_came_from():
    derived = derive(hivdb({**K103N, **M184V}), {"RT": ["K103N", "M184V"], "PR": [], "IN": []})
    texts = {c["id"]: (c["rule"], c["derived_from"]) for c in derived["classes"]}
    assert texts["nnrti"] == ("GEN-01", "derived from EFV High-Level, NVP High-Level")
    assert texts["m184vi"] == ("GEN-02", "derived from M184V, 3TC High-Level, FTC High-Level")
    nnrti = derived["classes"][0]
    assert nnrti["from"] == [
        {"drug": "EFV", "level": 5, "label": "High-Level Resistance"},
        {"drug": "NVP", "level": 5, "label": "High-Level Resistance"},
    ]
    assert "our reading" in nnrti["source"]["reading"]


def test_ral_evg_resistance_cites_dtg_still_active():
    derived = derive(hivdb(N155H), {"RT": [], "IN": ["N155H"]})
    (fact,) = derived["classes"]
    assert (
        fact["derived_from"]
        == "derived from RAL High-Level, EVG High-Level, DTG Potential Low-Level"
    )


def test_active_nrtis_and_boosted_pis():
    derived = derive(hivdb({**K103N, **K65R, **I50L}), {"RT": ["K65R", "K103N", "M184V"]})
    assert derived["active_nrtis"] == ["AZT"]
    assert derived["active_boosted_pis"] == ["DRV/r", "LPV/r"]
    assert derived["boosted_pi_active"] is True
    tdf = next(a for a in derived["drug_activity"] if a["drug"] == "TDF")
    assert tdf["agents"] == ["TDF", "TAF"]  # HIVdb's TDF stands for both tenofovir forms
    assert (tdf["activity"], tdf["rule"], tdf["level"]) == ("reduced", "ACT-03", 4)


def test_unsequenced_gene_is_neither_active_nor_resistant():
    derived = derive(hivdb(K103N, sequenced=("RT",)), {"RT": ["K103N"]})
    assert derived["integrase_genotyped"] is False
    assert derived["boosted_pi_active"] is None
    pis = [a for a in derived["drug_activity"] if a["class"] in ("PI", "INSTI")]
    assert {a["activity"] for a in pis} == {"not_tested"}
    count = {c["class"]: c for c in derived["fully_active_agents"]["by_class"]}
    assert (count["PI"]["counted"], count["PI"]["tested"]) == (0, False)
    assert derived["fully_active_agents"]["suggested"] == 2 + 1  # NRTIs and ETR/RPV/DOR


def test_insti_failure_without_integrase_genotype_warns():
    output = hivdb(M184V, sequenced=("RT", "PR"))
    derived = derive(output, {"RT": ["M184V"], "PR": []}, parse_regimen("ABC/3TC/DTG"))
    (warning,) = derived["warnings"]
    assert (warning["id"], warning["rule"]) == ("insti_not_genotyped", "INT-01")
    assert warning["source"]["recommendation"] == "insti_resistance_test"
    assert derive(output, {"RT": ["M184V"]}, parse_regimen("TDF/FTC/EFV"))["warnings"] == []
    assert derive(output, {"RT": ["M184V"]})["warnings"] == []  # regimen unknown: no claim
    with_in = derive(hivdb(M184V), {"RT": ["M184V"], "IN": []}, parse_regimen("ABC/3TC/DTG"))
    assert with_in["warnings"] == []


def test_failing_drugs_carry_the_level_of_the_drug_hivdb_scores():
    output = hivdb({**K65R, **I50L})
    derived = derive(output, None, parse_regimen("ATV/c + TAF/FTC + T-20"))
    rated = {d["abbr"]: (d["hivdb"], d["level"], d["activity"]) for d in derived["failing_drugs"]}
    assert rated == {
        "ATV/c": ("ATV/r", 5, "reduced"),
        "TAF": ("TDF", 4, "reduced"),
        "FTC": ("FTC", 5, "reduced"),
        "T-20": (None, None, None),
    }


def test_integrase_none_means_genotyped():
    derived = derive(hivdb({}, sequenced=("RT", "IN")), {"RT": [], "IN": []})
    assert derived["integrase_genotyped"] is True
    assert derived["resistance_test"] == "no_mutations"


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ({}, {"NRTI": 2, "NNRTI": 1, "PI": 1, "INSTI": 1}),
        ({**K103N, **M184V}, {"NRTI": 2, "NNRTI": 1, "PI": 1, "INSTI": 1}),
        # 3TC and FTC count as one: they share M184V/I.
        (each("ABC AZT TDF", 5, ["M41L"]), {"NRTI": 1, "NNRTI": 1, "PI": 1, "INSTI": 1}),
        (EVERYTHING, {"NRTI": 0, "NNRTI": 0, "PI": 0, "INSTI": 0}),
    ],
)
def test_suggested_count(levels, expected):
    count = derive(hivdb(levels))["fully_active_agents"]
    assert {c["class"]: c["counted"] for c in count["by_class"]} == expected
    assert count["suggested"] == sum(expected.values())
    assert count["overridable"] is True
    assert "reading" in count["source"] and "not the guideline's" in count["source"]["reading"]
    for words in ("T-20", "never taken", "not sequenced"):
        assert words in count["note"]


@pytest.mark.parametrize(
    ("levels", "scenario"),
    [({**K103N, **M184V}, "later_active_options"), (EVERYTHING, "later_extensive_resistance")],
)
def test_count_feeds_the_later_failure_rows(levels, scenario):
    derived = derive(hivdb(levels))
    result = evaluate(
        derived,
        history="second_or_later",
        fully_active_agents=derived["fully_active_agents"]["suggested"],
    )
    assert result["scenario"] == scenario


def test_insti_resistance_outside_the_guideline_classes():
    derived = derive(hivdb(each("CAB", 3, ["Q148R"])), {"RT": [], "IN": ["Q148R"]})
    assert derived["resistance"] == []
    assert derived["resistance_test"] == "mutations_found"
    (outside,) = derived["outside"]
    assert outside["id"] == "insti_other" and outside["rule"] == "GEN-07"
    assert "silent" in outside["message"] and outside["message"].endswith("resistance.")
    assert outside["derived_from"] == "derived from CAB Low-Level, RAL Susceptible, " + (
        "EVG Susceptible, DTG Susceptible"
    )


def test_low_scores_alone_are_no_resistance():
    derived = derive(hivdb(each("EFV NVP", 2, ["V179D"])), {"RT": ["V179D"]})
    assert derived["resistance_test"] == "no_mutations"
    assert derived["resistance_test_rule"]["rule"] == "GT-03"
    assert derived["resistance"] == []


@pytest.mark.parametrize(
    ("mutation", "expected"),
    [
        ("M184V", True),
        ("M184I", True),
        ("184V", True),
        ("M184MV", True),
        ("M184IM", True),
        ("M184V/I", True),
        ("K65R+M184V", True),
        ("M184M", False),
        ("M184T", False),
        ("M184del", False),
        ("M41L", False),
        ("K65R", False),
    ],
)
def test_m184vi_from_the_mutation_list(mutation, expected):
    derived = derive(hivdb({}), {"RT": [mutation], "PR": [], "IN": []})
    assert ("m184vi" in derived["resistance"]) is expected


def test_m184vi_alone_is_not_other_nrti_resistance():
    derived = derive(hivdb(M184V), {"RT": ["M184V"]})
    assert derived["resistance"] == ["m184vi"]
    assert derived["facts"]["other_nrti_level"] == 1  # ABC at 3 rests on M184V alone


def test_without_a_mutation_list_the_scored_mutations_are_read():
    assert derive(hivdb({**K103N, **M184V}))["resistance"] == ["nnrti", "m184vi"]


def test_limits_and_cutoffs_travel_with_the_result():
    derived = derive(hivdb({}))
    assert {limit["id"] for limit in derived["limits"]} == {"cumulative", "archived", "never_used"}
    cutoffs = {c["id"]: c for c in derived["cutoffs"]}
    assert cutoffs["fully_active_max_level"]["value"] == 2
    assert cutoffs["resistance_min_level"]["value"] == 3
    for cutoff in cutoffs.values():
        assert cutoff["reading"].startswith("Our reading of HIVdb, not a guideline threshold")


def _without(output: dict, drug: str) -> dict:
    return {**output, "drugs": [d for d in output["drugs"] if d["drug"] != drug]}


def _relevel(output: dict, level) -> dict:
    return {**output, "drugs": [{**output["drugs"][0], "level": level}, *output["drugs"][1:]]}


@pytest.mark.parametrize(
    ("susceptibility", "mutations", "field", "words"),
    [
        ("EFV 5", None, "susceptibility", "has no list of drugs"),
        (_relevel(hivdb({}), 6), None, "susceptibility.drugs[0].level", "6 is not a level"),
        (_relevel(hivdb({}), True), None, "susceptibility.drugs[0].level", "True is not"),
        (_without(hivdb({}), "DTG"), None, "susceptibility.drugs", "no level for DTG"),
        (
            {**hivdb({}), "drugs": hivdb({})["drugs"] * 2},
            None,
            "susceptibility.drugs[27].drug",
            "given twice",
        ),
        (hivdb({}), {"XX": []}, "mutations.'XX'", "unknown gene"),
        (hivdb({}), {"RT": "M184V"}, "mutations.RT", "not a list"),
        ({**hivdb({}), "genes": {"RT": "maybe"}}, None, "susceptibility.genes.RT", "not allowed"),
        (hivdb({}, sequenced=()), {}, "mutations", "no gene was sequenced"),
    ],
)
def test_bad_input_names_the_field(susceptibility, mutations, field, words):
    with pytest.raises(CaseError) as caught:
        derive(susceptibility, mutations)
    assert caught.value.field == field
    assert words in caught.value.message


def _raw() -> dict:
    return tomllib.loads(GENOTYPE_TOML.read_text(encoding="utf-8"))


def _table(raw: dict, tid: str) -> dict:
    return next(t for t in raw["tables"] if t["id"] == tid)


def _gap(raw):
    raw["cutoffs"][1]["value"] = 4


def _bad_class(raw):
    _table(raw, "resistance_classes")["rules"][0]["then"] = {"class": "nrti"}


def _bad_drug(raw):
    raw["classes"][0]["drugs"].append("XTC")


def _bad_input(raw):
    _table(raw, "resistance_classes")["inputs"].append("nrti_level")


def _bad_section(raw):
    raw["limits"][0]["section"] = "design"


def _no_reading(raw):
    del raw["cutoffs"][0]["reading"]


def _no_count(raw):
    del raw["count"]


def _wrong_gene(raw):
    raw["level_facts"][0]["drugs"].append("DTG")


@pytest.mark.parametrize(
    ("breaker", "message"),
    [
        (_no_count, "genotype.toml: entry 'count', field 'count': missing or empty table"),
        (
            _wrong_gene,
            "genotype.toml: entry 'nnrti_level', field 'drugs': 'DTG' is not read from RT",
        ),
        (_gap, "genotype.toml: entry 'resistance_min_level', field 'value': must be"),
        (_bad_class, "genotype.toml: entry 'GEN-01', field 'then.class': unknown 'nrti'"),
        (_bad_drug, "genotype.toml: entry 'NRTI', field 'drugs': 'XTC' is not a drug"),
        (_bad_input, "genotype.toml: entry 'resistance_classes', field 'inputs': 'nrti_level'"),
        (_bad_section, "genotype.toml: entry 'cumulative', field 'source.section'"),
        (_no_reading, "genotype.toml: entry 'fully_active_max_level', field 'value'"),
    ],
)
def test_broken_data_names_file_entry_and_field(breaker, message):
    raw = copy.deepcopy(_raw())
    breaker(raw)
    with pytest.raises(DataError) as caught:
        GenotypeData(raw, load())
    assert message in str(caught.value)


def test_every_rule_on_a_cutoff_says_it_is_our_reading():
    for table in genotype_data().tables.values():
        for rule in table.table["rules"]:
            uses_cutoff = any("$" in str(c) for c in rule.get("when", {}).values())
            if uses_cutoff:
                assert "our reading" in rule["source"].get("reading", "").lower(), rule["id"]


# LEVEL_DEFINITION of HIVDB_10.2.xml (ORDER: ORIGINAL, SIR), copied here as the independent check.
HIVDB_LEVELS = {
    1: ("Susceptible", "S"),
    2: ("Potential Low-Level Resistance", "S"),
    3: ("Low-Level Resistance", "I"),
    4: ("Intermediate Resistance", "I"),
    5: ("High-Level Resistance", "R"),
}


def test_levels_are_hivdb_levels_as_printed():
    ours = {n: (e["label"], e["sir"]) for n, e in genotype_data().levels.items()}
    assert ours == HIVDB_LEVELS
    # The cut-offs follow HIVdb's own grouping: fully active is S, resistance is I or R.
    cut = genotype_data().thresholds
    assert {n for n, (_, sir) in HIVDB_LEVELS.items() if sir == "S"} == set(
        range(1, cut["fully_active_max_level"] + 1)
    )


def _vendored_xml() -> Path | None:
    return next(iter(sorted((ROOT / "logic").rglob("HIVDB_*.xml"))), None)


@pytest.mark.skipif(_vendored_xml() is None, reason="the HIVdb XML is not vendored in logic/ yet")
def test_levels_are_the_vendored_xml_levels():
    root = ET.parse(_vendored_xml()).getroot()
    definitions = {
        int(d.findtext("ORDER")): (d.findtext("ORIGINAL"), d.findtext("SIR"))
        for d in root.iter("LEVEL_DEFINITION")
    }
    ours = {n: (e["label"], e["sir"]) for n, e in genotype_data().levels.items()}
    assert ours == definitions


MUTATION_POOL = ["M184V", "M184I", "K65R", "K103N", "M41L", "N155H", "G140S+Q148H", "I50L"]
LEVEL = st.integers(min_value=1, max_value=5)


@st.composite
def evaluator_outputs(draw):
    sequenced = draw(st.sets(st.sampled_from(["RT", "PR", "IN"]), min_size=1))
    levels = {
        drug: (draw(LEVEL), draw(st.lists(st.sampled_from(MUTATION_POOL), max_size=3)))
        for names in HIVDB.values()
        for drug in names
    }
    return hivdb(levels, sequenced=tuple(sequenced))


@settings(max_examples=150, deadline=None)
@given(evaluator_outputs())
def test_resistance_found_always_has_a_class_or_a_stated_silence(output):
    derived = derive(output)  # the mutations read from the output: a consistent genotype
    order = [c["value"] for c in load().fields["resistance"]["choices"]]
    assert derived["resistance"] == [c for c in order if c in derived["resistance"]]
    found = derived["resistance_test"] == "mutations_found"
    assert found == bool(derived["resistance"] or derived["outside"])
    assert 0 <= derived["fully_active_agents"]["suggested"] <= 5
    assert not ({"insti_ral_evg", "insti_dtg"} <= set(derived["resistance"]))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 8) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(JSON, evaluator_outputs(), st.fixed_dictionaries({"drugs": st.lists(JSON)})),
    st.one_of(
        st.none(),
        JSON,
        st.dictionaries(st.sampled_from(["RT", "PR", "IN"]), st.lists(st.text(max_size=8))),
    ),
    st.one_of(
        st.none(),
        JSON,
        st.sampled_from(["TDF/FTC/EFV", "ABC/3TC/DTG", "DRV/c + TAF/FTC"]).map(parse_regimen),
    ),
)
def test_any_input_gives_a_result_or_a_case_error(susceptibility, mutations, regimen):
    try:
        derived = derive(susceptibility, mutations, regimen)
    except CaseError as error:
        assert error.field and error.message
        return
    assert derived["resistance_test"] in ("mutations_found", "no_mutations")
