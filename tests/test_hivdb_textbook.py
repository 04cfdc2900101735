"""Textbook genotypes, checked by hand against the rule lines of HIVDB_10.2.xml.

Each expected score is worked out in the comment beside it from the XML's SCORE FROM lines
(only the lines whose mutations are all present count); the level follows the global range
(<10 → 1, 10-14 → 2, 15-29 → 3, 30-59 → 4, >=60 → 5).
"""

from __future__ import annotations

import pytest

import logic.hivdb as hivdb

TAMS = "RT: M41L, D67N, K70R, L210W, T215Y, K219Q"

TABLE = [
    # K103N: EFV and NVP "MAX(103H => 60, 103N => 60, ...)"; RPV, ETR, DOR name 103N only in
    # combinations (e.g. DOR "100I AND 103N => 20"), so 0.
    ("RT: K103N", {"EFV": (60, 5), "NVP": (60, 5), "RPV": (0, 1), "ETR": (0, 1), "DOR": (0, 1)}),
    # M184V: 3TC/FTC "MAX(184I => 60, 184V => 60)"; ABC "MAX(184I => 15, 184V => 15)";
    # TDF and AZT "MAX(184I => -10, 184V => -10)".
    ("RT: M184V", {"3TC": (60, 5), "FTC": (60, 5), "ABC": (15, 3), "TDF": (-10, 1),
                   "AZT": (-10, 1)}),
    # K65R: TDF/ABC "MAX(65E => 10, 65N => 30, 65R => 45)"; 3TC/FTC "MAX(65N => 15, 65R => 15)";
    # AZT "65R => -10".
    ("RT: K65R", {"TDF": (45, 4), "ABC": (45, 4), "3TC": (15, 3), "FTC": (15, 3),
                  "AZT": (-10, 1)}),
    # TAMs. AZT: 41L 15 + 67N 15 + 70R 30 + 210W 15 + 215Y 60 + 219Q 10 = 145; combinations
    # 41L+215FY 10, 210W+215FY 10, 41L+210W 10, 41L+67+215FY 5, 67+215FY+219 5, 67+70R+219 15
    # = 55; total 200.
    # TDF: 41L 5 + 67N 5 + 70R 5 + 210W 5 + 215Y 10 = 30; 41L+215FY 10, 210W+215FY 10,
    # 41L+210W 5, 41L+210W+215FY 15, 41L+67+215FY 5, 67+215FY+219 5, 67+70R+219 10 = 60; 90.
    # ABC: the same lines and values as TDF: 90.
    # 3TC: only 41L+210W+215FY 15 and 67+70R+219 10: 25.
    (TAMS, {"AZT": (200, 5), "TDF": (90, 5), "ABC": (90, 5), "3TC": (25, 3), "FTC": (25, 3)}),
    # TAMs + M184V: AZT and TDF lose 10 (184V => -10); ABC gains 184V 15, 41L+184VI+215FY 10 and
    # 67+70R+184VI+219 10 (115 - 90 = 35 → 125); 3TC gains 60 → 85.
    (TAMS + ", M184V", {"AZT": (190, 5), "TDF": (80, 5), "ABC": (125, 5), "3TC": (85, 5)}),
    # N155H: RAL/EVG "MAX(155H => 60, ...)"; DTG/BIC "155H => 10"; CAB "MAX(155H => 25, ...)".
    ("IN: N155H", {"RAL": (60, 5), "EVG": (60, 5), "DTG": (10, 2), "BIC": (10, 2),
                   "CAB": (25, 3)}),
    # Y143R: RAL "MAX(143A => 60, ..., 143R => 60, ...)"; EVG 143R 10; CAB 143R 5; DTG and BIC
    # have no 143 rule.
    ("IN: Y143R", {"RAL": (60, 5), "EVG": (10, 2), "CAB": (5, 1), "DTG": (0, 1), "BIC": (0, 1)}),
    # G140S + Q148H. DTG/BIC: 140S 10 + 148H 25 + "140ACS AND 148HKR => 10" = 45.
    # CAB: 140S 15 + 148H 60 = 75 (no 140+148 combination). RAL/EVG: 30 + 60 = 90.
    ("IN: G140S, Q148H", {"DTG": (45, 4), "BIC": (45, 4), "CAB": (75, 5), "RAL": (90, 5),
                          "EVG": (90, 5)}),
    # R263K: DTG/BIC "263K => 30"; CAB "263K => 60"; RAL "263K => 15"; EVG "263K => 30".
    ("IN: R263K", {"DTG": (30, 4), "BIC": (30, 4), "CAB": (60, 5), "RAL": (15, 3),
                   "EVG": (30, 4)}),
    # I50L: ATV/r "50L => 60"; DRV/r and LPV/r "MAX(50L => -10, 50V => ...)".
    ("PR: I50L", {"ATV/r": (60, 5), "DRV/r": (-10, 1), "LPV/r": (-10, 1)}),
    # V32I + I47V: DRV/r 32I 15 + 47V 10 + "32I AND 47AV => 5" = 30.
    ("PR: V32I, I47V", {"DRV/r": (30, 4)}),
    # V32I + I47V + I54M + L76V + I84V.
    # DRV/r: 32I 15, 47V 10, 54M 20, 76V 20, 84V 15 = 80; combinations 32I+47AV, 32I+54LM,
    # 47AV+54LM, 32I+76V, 32I+84V, 47AV+84V, 54LM+84V, 5 each = 35; 115.
    # LPV/r: 32I 15, 47V 15, 54M 20, 76V 30, 84V 30 = 110; the same seven combinations 35; 145.
    # ATV/r: 32I 15, 47V 10, 54M 15, 84V 60 = 100 (no 76 rule); 32I+47AV, 32I+54LM, 47AV+54LM
    # 5 each; 115.
    ("PR: V32I, I47V, I54M, L76V, I84V", {"DRV/r": (115, 5), "LPV/r": (145, 5),
                                          "ATV/r": (115, 5)}),
]  # fmt: skip


@pytest.mark.parametrize(("genotype", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_textbook_genotype(genotype, expected):
    drugs = {d["drug"]: d for d in hivdb.interpret(genotype)["drugs"]}
    got = {name: (drugs[name]["score"], drugs[name]["level"]) for name in expected}
    assert got == expected


def test_an_entry_names_its_drug_class_label_and_the_mutations_that_scored():
    result = hivdb.interpret("RT: K103N, M184V; PR: I50L; IN: G140S, Q148H")
    efv = next(d for d in result["drugs"] if d["drug"] == "EFV")
    assert efv == {
        "drug": "EFV",
        "name": "efavirenz",
        "class": "NNRTI",
        "gene": "RT",
        "score": 60,
        "level": 5,
        "label": "High-Level Resistance",
        "mutations": ["K103N"],
        "partial_scores": [{"mutations": ["K103N"], "score": 60}],
    }
    dtg = next(d for d in result["drugs"] if d["drug"] == "DTG")
    assert dtg["partial_scores"] == [
        {"mutations": ["G140S"], "score": 10},
        {"mutations": ["Q148H"], "score": 25},
        {"mutations": ["G140S", "Q148H"], "score": 10},
    ]
    assert dtg["label"] == "Intermediate Resistance"
    assert result["mutations"] == {"PR": ["I50L"], "RT": ["K103N", "M184V"],
                                   "IN": ["G140S", "Q148H"]}  # fmt: skip
    assert {d["class"] for d in result["drugs"]} == {"NRTI", "NNRTI", "PI", "INSTI"}


def test_drugs_of_a_gene_not_sequenced_are_left_out_not_called_susceptible():
    result = hivdb.interpret("RT: K103N")
    assert {d["gene"] for d in result["drugs"]} == {"RT"}
    assert result["genes"] == {"PR": "not_sequenced", "RT": "sequenced", "IN": "not_sequenced"}


def test_comments_follow_the_mutations_and_the_levels():
    comments = hivdb.interpret("IN: G140S, Q148H")["comments"]
    by_mutation = {tuple(c["mutations"]): c["text"] for c in comments if "gene" in c}
    assert set(by_mutation) == {("G140S",), ("Q148H",)}
    assert all("$" not in text for text in by_mutation.values())
    # the algorithm's result comment for DTG at level 4 is attached, none for levels not reached
    assert [c["drug"] for c in comments if "drug" in c] == ["DTG"]
    assert hivdb.interpret("IN: none")["comments"] == []


def test_list_of_mutations_placeholders_are_filled_in():
    # IN 118 comment: "$listMutsIn{118(NOT R)}" lists the 118 mutations other than R
    texts = [c["text"] for c in hivdb.interpret("IN: G118A")["comments"]]
    assert texts and "G118A" in texts[0] and "$" not in texts[0]
