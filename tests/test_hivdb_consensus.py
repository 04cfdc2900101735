"""The consensus B table against the algorithm: right lengths, and never a scored amino acid."""

from __future__ import annotations

from logic.hivdb.algorithm import load


def test_lengths_are_those_of_the_three_genes():
    consensus = load().consensus
    assert {gene: len(seq) for gene, seq in consensus.items()} == {"PR": 99, "RT": 560, "IN": 288}
    assert all(set(seq) <= set("ACDEFGHIKLMNPQRSTVWY") for seq in consensus.values())


def test_no_rule_scores_the_consensus_amino_acid_and_every_position_fits_its_gene():
    algorithm = load()
    checked = 0
    for gene, by_pos in algorithm.scored.items():
        for pos, aas in by_pos.items():
            assert 1 <= pos <= len(algorithm.consensus[gene]), (gene, pos)
            assert algorithm.consensus[gene][pos - 1] not in aas, (gene, pos, sorted(aas))
            checked += 1
    assert checked == sum(len(by_pos) for by_pos in algorithm.scored.values()) > 80


def test_textbook_reference_letters():
    consensus = load().consensus
    letters = {("RT", 103): "K", ("RT", 184): "M", ("RT", 65): "K", ("RT", 215): "T",
               ("IN", 148): "Q", ("IN", 155): "N", ("IN", 263): "R", ("PR", 50): "I",
               ("PR", 84): "I", ("PR", 90): "L"}  # fmt: skip
    assert {key: consensus[key[0]][key[1] - 1] for key in letters} == letters
