"""The HIVdb evaluator against the XML itself.

The expectations come from ``xml_score`` below: a deliberately simple reading of each drug's
``SCORE FROM`` text straight from the vendored XML (regular expressions over the raw condition,
no compiled JSON, no code of ``logic.hivdb``). The evaluator must agree with it for every single
mutation the algorithm scores, for every combination and every MAX item, and for random mixed
genotypes. A hand-checked table of textbook genotypes follows, each sum worked out in a comment
from the rule lines of the XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logic.hivdb as hivdb
from logic.hivdb.algorithm import load

XML = Path(__file__).resolve().parent.parent / "logic" / "data" / "hivdb" / "HIVDB_10.2.xml"
ROOT = ET.parse(XML).getroot()
GENE_OF_CLASS = {"NRTI": "RT", "NNRTI": "RT", "PI": "PR", "INSTI": "IN"}
CLASS_OF = {
    drug: c.findtext("NAME")
    for c in ROOT.iter("DRUGCLASS")
    for drug in c.findtext("DRUGLIST").split(",")
    if c.findtext("NAME") in GENE_OF_CLASS
}
CONDITIONS = {
    d.findtext("NAME"): d.findtext("RULE/CONDITION")
    for d in ROOT.iter("DRUG")
    if d.findtext("NAME") in CLASS_OF
}
RANGES = [
    (float(low.replace("INF", "inf")), float(high.replace("INF", "inf")), int(level))
    for low, high, level in re.findall(
        r"(-?INF|-?\d+)\s+TO\s+(-?INF|-?\d+)\s*=>\s*(\d+)", ROOT.findtext(".//GLOBALRANGE")
    )
]
LABELS = {int(d.findtext("ORDER")): d.findtext("ORIGINAL") for d in ROOT.iter("LEVEL_DEFINITION")}
ITEM = re.compile(r"MAX\s*\(([^)]*)\)|([^,()]+?=>\s*-?\d+)")
RESIDUE = re.compile(r"(\d+)([A-Zid]+)")


def _true(condition: str, virus: dict[int, set[str]]) -> bool:
    return all(set(aas) & virus.get(int(pos), set()) for pos, aas in RESIDUE.findall(condition))


def _value(item: str) -> int:
    return int(item.rpartition("=>")[2])


def xml_score(drug: str, virus: dict[int, set[str]]) -> int:
    """Sum the items whose residues are all present; a MAX adds its best present item."""
    body = CONDITIONS[drug].split("SCORE FROM", 1)[1].strip()[1:-1]
    total = 0
    for group, single in ITEM.findall(body):
        if group:
            present = [_value(i) for i in group.split(",") if _true(i.rpartition("=>")[0], virus)]
            total += max(present, default=0)
        elif _true(single.rpartition("=>")[0], virus):
            total += _value(single)
    return total


def xml_level(score: int) -> int:
    return next(level for low, high, level in RANGES if low <= score <= high)


def _items(drug: str) -> list[str]:
    """Every scored item of a drug, MAX members included, as 'condition'."""
    body = CONDITIONS[drug].split("SCORE FROM", 1)[1]
    return [i.rpartition("=>")[0].strip() for i in re.split(r"[,()]", body) if "=>" in i]


def _name(pos: int, aa: str) -> str:
    return f"{pos}{'ins' if aa == 'i' else 'del' if aa == 'd' else aa}"


def check(gene: str, virus: dict[int, set[str]]) -> None:
    names = [_name(pos, "") + "".join(sorted(aas)) if len(aas) > 1 else _name(pos, *aas)
             for pos, aas in sorted(virus.items())]  # fmt: skip
    result = hivdb.interpret({gene: names})
    got = {d["drug"]: (d["score"], d["level"], d["label"]) for d in result["drugs"]}
    for drug, cls in CLASS_OF.items():
        if GENE_OF_CLASS[cls] != gene:
            assert drug not in got
            continue
        expected = xml_score(drug, virus)
        level = xml_level(expected)
        assert got[drug] == (expected, level, LABELS[level]), (drug, names)


def _drugs_of(gene: str) -> list[str]:
    return [d for d, c in CLASS_OF.items() if GENE_OF_CLASS[c] == gene]


SINGLES = sorted(
    {
        (GENE_OF_CLASS[CLASS_OF[drug]], int(pos), aa)
        for drug in CONDITIONS
        for item in _items(drug)
        if "AND" not in item
        for pos, aas in RESIDUE.findall(item)
        for aa in aas
    }
)
COMBINATIONS = sorted(
    {(GENE_OF_CLASS[CLASS_OF[d]], item) for d in CONDITIONS for item in _items(d) if "AND" in item}
)
MAX_ITEMS = sorted(
    {
        (GENE_OF_CLASS[CLASS_OF[drug]], item.rpartition("=>")[0].strip())
        for drug, text in CONDITIONS.items()
        for group in re.findall(r"MAX\s*\(([^)]*)\)", text)
        for item in group.split(",")
    }
)


def test_the_reading_is_not_empty():
    assert len(CONDITIONS) == 27 and len(SINGLES) > 200
    assert len(COMBINATIONS) > 100 and len(MAX_ITEMS) > 150


@pytest.mark.parametrize(("gene", "pos", "aa"), SINGLES)
def test_every_single_mutation_scores_as_the_xml_says(gene, pos, aa):
    check(gene, {pos: {aa}})


@pytest.mark.parametrize(("gene", "condition"), COMBINATIONS)
def test_every_combination(gene, condition):
    residues = RESIDUE.findall(condition)
    for pick in (0, -1):  # the first and the last amino acid each residue allows
        check(gene, {int(pos): {aas[pick]} for pos, aas in residues})


@pytest.mark.parametrize(("gene", "condition"), MAX_ITEMS)
def test_every_max_item(gene, condition):
    check(gene, {int(pos): {aas[0]} for pos, aas in RESIDUE.findall(condition)})


def test_max_groups_take_the_best_amino_acid_of_a_mixture():
    # ABC: MAX(65E => 10, 65N => 30, 65R => 45); K65NR scores 45, not 75
    check("RT", {65: {"N", "R"}})
    drugs = {d["drug"]: d for d in hivdb.interpret("RT: K65N/R")["drugs"]}
    assert drugs["ABC"]["score"] == 45
    # DRV/r: MAX(50L => -10, 50V => 20); I50LV scores 20
    assert {d["drug"]: d["score"] for d in hivdb.interpret("PR: I50L/V")["drugs"]}["DRV/r"] == 20


RESIDUES_BY_GENE = {
    gene: sorted({(pos, aa) for g, pos, aa in SINGLES if g == gene} | {
        (int(pos), aa)
        for g, item in COMBINATIONS if g == gene
        for pos, aas in RESIDUE.findall(item) for aa in aas
    })
    for gene in ("PR", "RT", "IN")
}  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(("PR", "RT", "IN")).flatmap(
    lambda gene: st.tuples(st.just(gene), st.lists(st.sampled_from(RESIDUES_BY_GENE[gene]),
                                                   min_size=1, max_size=20))
))  # fmt: skip
def test_random_genotypes_with_mixtures_score_as_the_xml_says(drawn):
    gene, residues = drawn
    consensus = load().consensus[gene]
    virus: dict[int, set[str]] = {}
    for pos, aa in residues:
        virus.setdefault(pos, set()).add(aa)
    if any(aas & {"i", "d"} and len(aas) > 1 for aas in virus.values()):
        # A report cannot print an insertion or deletion as part of a mixture: keep the amino
        # acids, or one of the two when a position drew only an insertion and a deletion.
        virus = {p: ({a for a in aas if a not in "id"} or {min(aas)}) for p, aas in virus.items()}
    virus = {p: aas for p, aas in virus.items() if aas != {consensus[p - 1]}}
    if virus:
        check(gene, virus)


def test_no_drug_scores_one_position_in_two_groups():
    """Why a mixture takes the best amino acid at a position: the alternatives at a position are
    always in one MAX group, never in two items that would both add."""
    for drug, text in CONDITIONS.items():
        body = text.split("SCORE FROM", 1)[1].strip()[1:-1]
        seen: dict[int, int] = {}
        for index, (group, single) in enumerate(ITEM.findall(body)):
            items = group.split(",") if group else [single]
            for pos in {int(RESIDUE.findall(i)[0][0]) for i in items if "AND" not in i}:
                assert pos not in seen, f"{drug}: position {pos} in two scored groups"
                seen[pos] = index


def test_levels_and_algorithm_name_come_from_the_xml():
    result = hivdb.interpret("IN: none")
    assert (
        result["algorithm"]
        == {
            "name": ROOT.findtext("ALGNAME"),
            "version": ROOT.findtext("ALGVERSION"),
            "date": ROOT.findtext("ALGDATE"),
        }
        == {"name": "HIVDB", "version": "10.2", "date": "2026-04-26"}
    )
    assert load().labels == LABELS
    assert [d["drug"] for d in result["drugs"]] == _drugs_of("IN")
    assert {d["level"] for d in result["drugs"]} == {1}
    assert result["genes"] == {"PR": "not_sequenced", "RT": "not_sequenced", "IN": "sequenced"}
