"""The mutation-list reader: every accepted form, every refused form with its message."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logic.hivdb as hivdb
from logic.case import CaseError

ACCEPTED = [
    # gene prefixes, ; between genes, with and without the consensus letter
    ("RT: K103N, M184V; PR: I50L; IN: G140S, Q148H",
     {"PR": ["I50L"], "RT": ["K103N", "M184V"], "IN": ["G140S", "Q148H"]}),
    ("RT: 103N, 184V", {"RT": ["K103N", "M184V"]}),
    # one per line, with a gene header line; the prefix holds until the next one
    ("RT:\nK103N\nM184V\nIN:\nN155H", {"RT": ["K103N", "M184V"], "IN": ["N155H"]}),
    ("RT:K103N RT:M184V IN:N155H", {"RT": ["K103N", "M184V"], "IN": ["N155H"]}),
    ("RT K103N M184V", {"RT": ["K103N", "M184V"]}),
    ("Reverse transcriptase: K103N; Integrase: none; Protease: none",
     {"PR": [], "RT": ["K103N"], "IN": []}),
    ("rt: k103n", {"RT": ["K103N"]}),
    # mixtures: wild type first, then alphabetical
    ("RT: M184MV", {"RT": ["M184MV"]}),
    ("RT: M184V/I", {"RT": ["M184IV"]}),
    ("RT: 184IV", {"RT": ["M184IV"]}),
    ("RT: M184VM", {"RT": ["M184MV"]}),
    # insertions and deletions (the algorithm scores RT 69 insertions and 67-70 deletions)
    ("RT: T69ins", {"RT": ["T69ins"]}),
    ("RT: T69Insertion", {"RT": ["T69ins"]}),
    ("RT: 69#", {"RT": ["T69ins"]}),
    ("RT: T69T_SS", {"RT": ["T69ins"]}),
    ("RT: T69_SS", {"RT": ["T69ins"]}),
    ("RT: 67del", {"RT": ["D67del"]}),
    ("RT: D67Deletion", {"RT": ["D67del"]}),
    ("RT: 67~", {"RT": ["D67del"]}),
    ("RT: T69S/ins", {"RT": ["T69Sins"]}),
    # our own names read back as themselves (Hypothesis found "T69insi" named "T69INS", which
    # read back as the insertion): letters then a lowercase ins/del, and a mixture that spells a
    # word written with slashes
    ("RT: T69Sins", {"RT": ["T69Sins"]}),
    ("RT: T69insi", {"RT": ["T69I/N/S"]}),
    ("RT: T69I/N/S", {"RT": ["T69I/N/S"]}),
    ("RT: T69INS", {"RT": ["T69ins"]}),
    # drug-class headings, as Stanford-style reports print them
    ("NRTI Mutations: M184V\nNNRTI Mutations: K103N\nPI Major Mutations: None\n"
     "PI Accessory Mutations: None\nINSTI Major Mutations: None",
     {"PR": [], "RT": ["K103N", "M184V"], "IN": []}),
    ("NRTI: none; NNRTI: K103N", {"RT": ["K103N"]}),
    ("NNRTI resistance mutations: Y181C", {"RT": ["Y181C"]}),
    # a gene sequenced with no mutations
    ("RT none", {"RT": []}),
    ("IN: none", {"IN": []}),
    ("IN: None; RT: K103N", {"RT": ["K103N"], "IN": []}),
    ("PR: no mutations", {"PR": []}),
    ("PR: wild type", {"PR": []}),
    # no prefix where the algorithm's rules tell the gene
    ("K103N, M184V", {"RT": ["K103N", "M184V"]}),
    ("N155H\nQ148H", {"IN": ["Q148H", "N155H"]}),
    ("I50L", {"PR": ["I50L"]}),
    ("I54V", {"PR": ["I54V"]}),
    ("G140S+Q148H", {"IN": ["G140S", "Q148H"]}),
    # a repeated identical entry is one entry; sorted by position
    ("RT: M184V, K103N, M184V", {"RT": ["K103N", "M184V"]}),
    # unscored but real mutations are kept once the gene is written
    ("RT: V179I", {"RT": ["V179I"]}),
    ("PR: L63P", {"PR": ["L63P"]}),
]  # fmt: skip

REFUSED = [
    ("", "no mutations or genes found"),
    ("   \n ; ", "no mutations or genes found"),
    ("K103", "'K103' is not a mutation"),
    ("RT: hello", "'hello' is not a mutation"),
    ("RT: 103", "'103' is not a mutation"),
    ("RT: K103X", "'K103X': X \\(a position the test could not read\\) cannot be scored"),
    ("RT: W88*", r"'W88\*': a stop codon \(\*\) is not scored"),
    ("RT: K103B", "'K103B': B is not an amino acid code"),
    ("RT: K103BJ", "'K103BJ': B, J are not amino acid codes"),
    ("RT: M184V/", "'M184V/' is not a mutation"),
    ("GAG: K103N", "'GAG' is not a gene the HIVdb algorithm interprets here"),
    ("CA: M66I", "'CA' is not a gene"),
    ("RT: K600N", "'K600N': RT has positions 1 to 560, not 600"),
    ("PR: I100V", "'I100V': PR has positions 1 to 99, not 100"),
    ("IN: N0H", "'N0H': IN has positions 1 to 288, not 0"),
    ("RT: Q103N", "'Q103N': the consensus B amino acid at RT 103 is K, not Q"),
    ("M103N", "'M103N': the consensus B amino acid at RT 103 is K, not M"),
    ("RT: K103K", "'K103K' has the same amino acid on both sides"),
    ("RT: 103K", "'103K' names the consensus amino acid at RT 103"),
    ("RT: K103N, K103S", "'K103S' conflicts with 'K103N' at RT 103"),
    ("RT: M184V, M184I", "'M184I' conflicts with 'M184V' at RT 184"),
    ("IN: none, N155H", "'IN: none' conflicts with 'N155H'"),
    ("RT:", "'RT:' lists no mutations: write RT: none"),
    ("NNRTI: none, K103N", "'NNRTI: none' conflicts with 'K103N'"),
    ("Other mutations: L63P", "'Other mutations' is not a gene"),
    ("none", "'none': which gene\\? write it as e.g. IN: none"),
    ("T69i", "'T69i': write an insertion as ins and a deletion as del"),
    ("67d", "'67d': write an insertion as ins and a deletion as del"),
    ("V179I", "'V179I': no HIVdb rule names this position and amino acid"),
    ("L63P", "'L63P': no HIVdb rule names this position"),
    ("RT: M184 V / I", "'M184' is not a mutation"),
    ("x" * 80, "'x{27}\\.\\.\\.' is not a mutation"),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_accepted_forms(text, expected):
    assert hivdb.parse_mutations(text) == expected


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[t[:20] for t, _ in REFUSED])
def test_refused_forms_name_the_token(text, message):
    with pytest.raises(CaseError) as raised:
        hivdb.parse_mutations(text)
    assert raised.value.field == "mutations"
    assert re.search(message, raised.value.message), raised.value.message


def test_ambiguous_position_asks_for_the_gene():
    # position 74 with I is scored both in RT (NRTIs: L74I) and in IN (INSTIs: 74I combinations)
    with pytest.raises(CaseError, match="'74I' could be in RT or IN: write the gene"):
        hivdb.parse_mutations("74I")
    # L is the consensus letter at 74 in both genes, so it does not settle it; the prefix does
    with pytest.raises(CaseError, match="'L74I' could be in RT or IN"):
        hivdb.parse_mutations("L74I")
    assert hivdb.parse_mutations("RT: L74I") == {"RT": ["L74I"]}
    assert hivdb.parse_mutations("IN: L74I") == {"IN": ["L74I"]}


def test_the_consensus_letter_can_tell_the_gene():
    # 151L is scored in RT and in IN; consensus B has Q at RT 151 and V at IN 151
    with pytest.raises(CaseError, match="'151L' could be in RT or IN"):
        hivdb.parse_mutations("151L")
    assert hivdb.parse_mutations("Q151L") == {"RT": ["Q151L"]}
    assert hivdb.parse_mutations("V151L") == {"IN": ["V151L"]}


def test_the_field_name_is_the_callers():
    with pytest.raises(CaseError) as raised:
        hivdb.parse_mutations("RT: Q103N", field="genotype")
    assert raised.value.field == "genotype"


def test_text_or_parsed_form_give_the_same_interpretation():
    text = "RT: K65R, M184V/I; IN: none"
    parsed = hivdb.parse_mutations(text)
    assert hivdb.interpret(text) == hivdb.interpret(parsed)


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ({"GAG": ["K103N"]}, "mutations.GAG", "not a gene"),
        ({"RT": "K103N"}, "mutations.RT", "expected a list"),
        ({}, "mutations", "expected the mutation list"),
        (42, "mutations", "expected the mutation list"),
        ({"RT": ["K103N", "103S"]}, "mutations.RT", "conflicts"),
    ],
)
def test_interpret_refuses_a_bad_parsed_form(value, field, message):
    with pytest.raises(CaseError, match=message) as raised:
        hivdb.interpret(value)
    assert raised.value.field == field


TOKENS = st.sampled_from(
    ["RT:", "PR:", "IN:", "none", "K103N", "103N", "M184V/I", "M184MV", "T69ins", "67del",
     "Q148H", "N155H", "I50L", "74I", "K103", "X", "/", ":", ";", ",", "\n", " ", "+", "#", "~",
     "_", "i", "d", "999", "Z12A", "K65R", "RT", "G140S"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=12))
def test_any_token_string_gives_a_result_or_a_case_error(parts):
    text = "".join(parts)
    try:
        result = hivdb.parse_mutations(text)
    except CaseError as error:
        assert error.field == "mutations" and error.message
        return
    assert set(result) <= {"PR", "RT", "IN"} and list(result) == sorted(
        result, key=["PR", "RT", "IN"].index
    )
    # what was accepted reads back unchanged
    again = "; ".join(f"{gene}: {', '.join(found) or 'none'}" for gene, found in result.items())
    assert hivdb.parse_mutations(again) == result
