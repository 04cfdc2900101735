"""Read a genotype report's mutation list, as the report prints it.

Accepted (each form may be mixed with the others)::

    RT: K103N, M184V; PR: I50L; IN: G140S, Q148H     gene prefixes, ; or new lines between genes
    RT:K103N RT:M184V                                  a prefix on each mutation
    103N                                               without the consensus B letter
    M184MV  M184V/I  184IV                              mixtures
    T69ins  T69Insertion  69#  T69T_SS  67del  D67Deletion  67~     insertions and deletions
    IN: none                                           gene sequenced, no mutations
    NRTI Mutations: M184V / NNRTI: K103N / PI Major: None   drug-class headings (RT, RT, PR)

A gene prefix holds until the next one. "none" answers for its own heading only, so "NRTI: none;
NNRTI: K103N" is consistent while "NNRTI: none, K103N" is refused. Before any prefix a mutation may
stand alone only where the algorithm's own rules tell its gene: some rule of exactly one gene names
that position with that amino acid (and, when the consensus letter is written, that gene has it
there). Otherwise the reader is asked to write the gene. Every refusal is a ``CaseError`` naming
the token.

The result names each gene given (sequenced) with its mutations in position order, normalised as
consensus letter + position + amino acids (wild type first, then alphabetical; ``ins``/``del``):
``{"RT": ["K103N", "M184MV"], "IN": []}``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from logic.case import CaseError
from logic.hivdb.algorithm import Algorithm, load

GENE_NAMES = {
    "PR": "PR",
    "PRO": "PR",
    "PROTEASE": "PR",
    "RT": "RT",
    "REVERSE TRANSCRIPTASE": "RT",
    "IN": "IN",
    "INT": "IN",
    "INTEGRASE": "IN",
    # drug-class headings, as Stanford-style reports group mutations
    "NRTI": "RT",
    "NNRTI": "RT",
    "PI": "PR",
    "INSTI": "IN",
    "INI": "IN",
}
# Words around a heading that do not change its gene: "NNRTI resistance mutations", "PI major"
HEADING_WORDS = {"MAJOR", "ACCESSORY", "MUTATION", "MUTATIONS", "RESISTANCE", "DRM", "DRMS", "GENE"}
NONE_WORDS = {"none", "no mutations", "no mutation", "wild type", "wild-type", "wt", "nil"}
AMINO_ACIDS = frozenset("ACDEFGHIKLMNPQRSTVWY")
MUTATION = re.compile(r"^([A-Za-z])?(\d+)(\D\S*)$")
INSERTION_WORDS = {"INS", "INSERTION", "#"}
DELETION_WORDS = {"DEL", "DELETION", "~"}
SEPARATORS = re.compile(r"[,;\n\r\t+]+")
EXAMPLE = "e.g. RT: K103N, M184V; IN: none"


class Mutation(NamedTuple):
    gene: str
    pos: int
    aas: frozenset[str]  # capital letters, "i" insertion, "d" deletion (as in the algorithm)
    name: str  # normalised: K103N, M184MV, T69ins, D67del
    token: str  # as written


def _short(token: str) -> str:
    return token if len(token) <= 30 else token[:27] + "..."


def _amino_acids(token: str, rest: str, field: str) -> frozenset[str]:
    """The amino acids after the position: letters (a mixture, with or without /), an insertion
    (ins, insertion, #, _XX) or a deletion (del, deletion, ~)."""
    if rest in ("i", "d"):
        raise CaseError(
            field,
            f"'{_short(token)}': write an insertion as ins and a deletion as del "
            f"(a lone {rest} is ambiguous: {rest.upper()} is an amino acid)",
        )
    # T69Sins, D67Ndel: amino acids then a lowercase ins/del, as our names write it (an
    # all-capital "T69INS" is the insertion, as reports write it, not the mixture I/N/S).
    suffixed = re.fullmatch(r"([A-Za-z]+?)(ins|del)", rest)
    if suffixed and set(suffixed.group(1).upper()) <= AMINO_ACIDS:
        extra = "i" if suffixed.group(2) == "ins" else "d"
        return _amino_acids(token, suffixed.group(1), field) | {extra}
    upper = rest.upper()
    if "_" in upper:  # T69T_SS: the amino acid at 69, then the inserted ones
        before, _, inserted = upper.partition("_")
        if inserted and set(inserted) <= AMINO_ACIDS:
            return _amino_acids(token, before, field) | {"i"} if before else frozenset("i")
    aas: set[str] = set()
    for part in upper.split("/"):  # M184V/I, T69T/ins
        if part in INSERTION_WORDS:
            aas.add("i")
        elif part in DELETION_WORDS:
            aas.add("d")
        elif not part:
            raise CaseError(field, f"'{_short(token)}' is not a mutation ({EXAMPLE})")
        else:
            unknown = sorted(set(part) - AMINO_ACIDS)
            if unknown:
                raise CaseError(field, f"'{_short(token)}': {_not_amino_acid(unknown)}")
            aas.update(part)
    return frozenset(aas)


def _not_amino_acid(unknown: list[str]) -> str:
    if unknown == ["X"]:
        return (
            "X (a position the test could not read) cannot be scored: write the amino acids "
            "the report gives there, or leave the position out"
        )
    if unknown == ["*"]:
        return "a stop codon (*) is not scored by the algorithm: leave it out"
    verb = "is not an amino acid code" if len(unknown) == 1 else "are not amino acid codes"
    return f"{', '.join(unknown)} {verb} (a mixture is written M184MV or M184V/I)"


def _name(consensus: str, pos: int, aas: frozenset[str]) -> str:
    letters = sorted(aas - {"i", "d"}, key=lambda aa: (aa != consensus, aa))
    if letters == [consensus] and aas & {"i", "d"}:
        letters = []  # T69T_SS is the insertion after T69: T69ins
    suffix = ("ins" if "i" in aas else "") + ("del" if "d" in aas else "")
    joined = "".join(letters)
    if joined in INSERTION_WORDS | DELETION_WORDS:  # the mixture I/N/S, not an insertion
        joined = "/".join(letters)
    return f"{consensus}{pos}{joined}{suffix}"


def _gene_of(algorithm: Algorithm, token: str, ref: str | None, pos: int, aas, field: str) -> str:
    """The one gene whose rules name this position with one of these amino acids."""
    named = [
        gene
        for gene, by_pos in algorithm.scored.items()
        if pos <= len(algorithm.consensus[gene]) and not aas.isdisjoint(by_pos.get(pos, ()))
    ]
    fitting = [g for g in named if ref is None or algorithm.consensus[g][pos - 1] == ref]
    if len(fitting) == 1:
        return fitting[0]
    if not named:
        raise CaseError(
            field,
            f"'{_short(token)}': no HIVdb rule names this position and amino acid in PR, RT or "
            f"IN, so its gene cannot be told: write the gene, e.g. RT: {_short(token)}",
        )
    if not fitting:
        return named[0]  # parse_token's reference check then names the consensus letter
    genes = " or ".join(fitting)
    raise CaseError(
        field,
        f"'{_short(token)}' could be in {genes}: write the gene, e.g. {fitting[0]}: "
        f"{_short(token)}",
    )


def parse_token(
    algorithm: Algorithm, token: str, gene: str | None, field: str = "mutations"
) -> Mutation:
    """One mutation; ``gene`` None means it must be told from the algorithm's rules."""
    match = MUTATION.match(token)
    if not match:
        raise CaseError(field, f"'{_short(token)}' is not a mutation ({EXAMPLE})")
    ref = match.group(1).upper() if match.group(1) else None
    pos = int(match.group(2))
    aas = _amino_acids(token, match.group(3), field)
    if ref is not None and aas == {ref}:
        raise CaseError(
            field, f"'{_short(token)}' has the same amino acid on both sides: no mutation"
        )
    if gene is None:
        gene = _gene_of(algorithm, token, ref, pos, aas, field)
    consensus = algorithm.consensus[gene]
    if not 1 <= pos <= len(consensus):
        raise CaseError(
            field, f"'{_short(token)}': {gene} has positions 1 to {len(consensus)}, not {pos}"
        )
    wild = consensus[pos - 1]
    if ref is not None and ref != wild:
        raise CaseError(
            field,
            f"'{_short(token)}': the consensus B amino acid at {gene} {pos} is {wild}, not {ref}",
        )
    if aas == {wild}:
        raise CaseError(
            field, f"'{_short(token)}' names the consensus amino acid at {gene} {pos}: no mutation"
        )
    return Mutation(gene, pos, aas, _name(wild, pos, aas), token)


def gene_key(head: str) -> str | None:
    """PR, RT or IN for a gene or drug-class heading ("RT", "Integrase", "NNRTI mutations")."""
    words = [w for w in head.upper().replace("-", " ").split() if w not in HEADING_WORDS]
    return GENE_NAMES.get(" ".join(words))


def _unknown_gene(head: str, field: str) -> CaseError:
    return CaseError(
        field,
        f"'{_short(head.strip())}' is not a gene the HIVdb algorithm interprets here: use PR "
        "(protease), RT (reverse transcriptase) or IN (integrase)",
    )


class _Reader:
    """The state while reading: the heading in force and what each heading listed."""

    def __init__(self, algorithm: Algorithm, field: str) -> None:
        self.algorithm, self.field = algorithm, field
        self.gene: str | None = None
        self.heading = ""  # as written, so "NRTI: none; NNRTI: K103N" is no conflict
        self.genes: dict[str, dict[int, Mutation]] = {}
        self.listed: dict[tuple[str, str], list[str]] = {}  # (gene, heading) -> tokens
        self.none_said: dict[tuple[str, str], str] = {}

    def start(self, head: str) -> None:
        gene = gene_key(head)
        if gene is None:
            words = head.split()
            if len(words) < 2 or gene_key(words[-1]) is None:
                raise _unknown_gene(head, self.field)
            self.tokens(" ".join(words[:-1]))  # "K103N RT:M184V"
            head, gene = words[-1], gene_key(words[-1])
        self.gene, self.heading = gene, " ".join(head.upper().split())
        self.genes.setdefault(gene, {})
        self.listed.setdefault((gene, self.heading), [])

    def tokens(self, chunk: str) -> None:
        if chunk.lower() in NONE_WORDS:
            if self.gene is None:
                raise CaseError(self.field, f"'{chunk}': which gene? write it as e.g. IN: {chunk}")
            self.none_said[(self.gene, self.heading)] = chunk
            return
        for token in chunk.split():
            if token.upper() in GENE_NAMES:  # "RT K103N"
                self.start(token)
                continue
            if token.lower() in NONE_WORDS:  # "IN none"
                self.tokens(token)
                continue
            mutation = parse_token(self.algorithm, token, self.gene, self.field)
            found = self.genes.setdefault(mutation.gene, {})
            other = found.get(mutation.pos)
            if other is not None and other.aas != mutation.aas:
                raise CaseError(
                    self.field,
                    f"'{_short(token)}' conflicts with '{_short(other.token)}' at "
                    f"{mutation.gene} {mutation.pos}: write one entry (a mixture as M184V/I)",
                )
            found[mutation.pos] = mutation
            heading = self.heading if mutation.gene == self.gene else ""
            self.listed.setdefault((mutation.gene, heading), []).append(token)

    def finish(self) -> dict[str, dict[int, Mutation]]:
        if not self.genes:
            raise CaseError(self.field, f"no mutations or genes found ({EXAMPLE})")
        for (gene, heading), said in self.none_said.items():
            tokens = self.listed.get((gene, heading))
            if tokens:
                raise CaseError(
                    self.field, f"'{heading}: {said}' conflicts with '{_short(tokens[0])}'"
                )
        for (gene, heading), tokens in self.listed.items():
            if not tokens and (gene, heading) not in self.none_said:
                raise CaseError(
                    self.field,
                    f"'{heading}:' lists no mutations: write {heading}: none if {gene} was "
                    "sequenced and no mutation was found",
                )
        return self.genes


def read(text: str, field: str = "mutations") -> dict[str, dict[int, Mutation]]:
    """Gene -> position -> mutation, for every gene given (an empty dict: sequenced, none)."""
    if not isinstance(text, str):
        raise CaseError(field, f"expected the mutation list as text, got {type(text).__name__}")
    reader = _Reader(load(), field)
    for chunk in SEPARATORS.split(re.sub(r"\s*/\s*", "/", text)):
        chunk = chunk.strip()
        while ":" in chunk:  # "RT: K103N" or "RT:K103N" (the heading holds until the next one)
            head, _, chunk = chunk.partition(":")
            reader.start(head)
            chunk = chunk.strip()
        reader.tokens(chunk)
    return reader.finish()


def parse_mutations(text: str, field: str = "mutations") -> dict[str, list[str]]:
    """The genes given, each with its mutations normalised and in position order."""
    genes = read(text, field)
    return {
        gene: [genes[gene][pos].name for pos in sorted(genes[gene])]
        for gene in ("PR", "RT", "IN")
        if gene in genes
    }
