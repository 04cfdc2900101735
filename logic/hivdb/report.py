"""Interpret a genotype: per-drug score and level by the HIVdb rules, with the algorithm's comments.

Only the genes given are interpreted: a drug whose gene was not sequenced gets no entry (not
"susceptible"), and ``genes`` says which genes were sequenced.
"""

from __future__ import annotations

import re
from typing import Any

from logic.case import CaseError
from logic.hivdb.algorithm import Algorithm, level, load, present, score
from logic.hivdb.mutations import Mutation, gene_key, parse_token, read

LIST_MUTS_IN = re.compile(r"\$listMutsIn\{(\d+)\(NOT ([A-Zid]+)\)\}")


def genotype_of(value: Any, field: str = "mutations") -> dict[str, dict[int, Mutation]]:
    """Gene -> position -> mutation, from report text or from ``parse_mutations``' output."""
    if isinstance(value, str):
        return read(value, field)
    if not isinstance(value, dict) or not value:
        raise CaseError(field, "expected the mutation list as text, e.g. RT: K103N; IN: none")
    algorithm = load()
    genes: dict[str, dict[int, Mutation]] = {}
    for key, names in value.items():
        gene = gene_key(str(key))
        if gene is None:
            raise CaseError(f"{field}.{key}", f"'{key}' is not a gene: use PR, RT or IN")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise CaseError(f"{field}.{key}", "expected a list of mutations such as K103N")
        found = genes.setdefault(gene, {})
        for name in names:
            mutation = parse_token(algorithm, name.strip(), gene, f"{field}.{key}")
            other = found.get(mutation.pos)
            if other is not None and other.aas != mutation.aas:
                raise CaseError(
                    f"{field}.{key}", f"'{name}' conflicts with '{other.token}' at {gene}"
                )
            found[mutation.pos] = mutation
    return genes


def _names(items, mutations: dict[int, Mutation]) -> list[str]:
    positions = sorted({pos for item in items for pos in item[3]})
    return [mutations[pos].name for pos in positions]


def _comments(algorithm: Algorithm, genotype, drugs: list[dict]) -> list[dict[str, Any]]:
    found = []
    for gene, mutations in genotype.items():
        positions = {pos: m.aas for pos, m in mutations.items()}
        index = algorithm.comments_by_position.get(gene, {})
        rules = algorithm.mutation_comments.get(gene, ())
        numbers = sorted({n for pos in positions for n in index.get(pos, ())})
        for any_of, ref in (rules[n] for n in numbers):
            hits = [(pos, aas) for pos, aas in any_of if present(((pos, aas),), positions)]
            if not hits:
                continue

            def listed(match, mutations=mutations):
                mutation = mutations.get(int(match.group(1)))
                shown = mutation and mutation.aas - set(match.group(2))
                return mutation.name if shown else ""

            text = LIST_MUTS_IN.sub(listed, algorithm.comments[ref])
            names = [mutations[pos].name for pos in sorted({pos for pos, _ in hits})]
            found.append({"gene": gene, "mutations": names, "text": " ".join(text.split())})
    levels = {entry["drug"]: entry["level"] for entry in drugs}
    for drug, value, ref in algorithm.result_comments:
        if levels.get(drug) == value:
            found.append({"drug": drug, "text": algorithm.comments[ref]})
    return found


def interpret(value: Any, field: str = "mutations") -> dict[str, Any]:
    """The interpretation of a genotype given as report text or as ``parse_mutations`` output::

        {"algorithm": {"name": "HIVDB", "version": "10.2", "date": "2026-04-26"},
         "genes": {"PR": "not_sequenced", "RT": "sequenced", "IN": "sequenced"},
         "mutations": {"RT": ["K103N"], "IN": []},
         "drugs": [{"drug": "EFV", "name": "efavirenz", "class": "NNRTI", "gene": "RT",
                    "score": 60, "level": 5, "label": "High-Level Resistance",
                    "mutations": ["K103N"],
                    "partial_scores": [{"mutations": ["K103N"], "score": 60}]}, ...],
         "comments": [{"gene": "RT", "mutations": ["K103N"], "text": "..."},
                      {"drug": "DTG", "text": "..."}]}

    ``drugs`` follows the algorithm's order (NRTI, NNRTI, PI, INSTI) for the sequenced genes;
    ``partial_scores`` are the rules that added to the score (a combination names several
    mutations). Comment texts are the algorithm's own (Stanford's words, shown as theirs).
    """
    algorithm = load()
    genotype = genotype_of(value, field)
    drugs = []
    for drug in algorithm.drugs:
        mutations = genotype.get(drug.gene)
        if mutations is None:
            continue
        total, counted = score(drug, {pos: m.aas for pos, m in mutations.items()})
        counted = [item for item in counted if item[0]]
        drug_level = level(algorithm, total)
        drugs.append(
            {
                "drug": drug.code,
                "name": drug.name,
                "class": drug.drug_class,
                "gene": drug.gene,
                "score": total,
                "level": drug_level,
                "label": algorithm.labels[drug_level],
                "mutations": _names(counted, mutations),
                "partial_scores": [
                    {"mutations": [mutations[pos].name for pos in item[3]], "score": item[0]}
                    for item in counted
                ],
            }
        )
    return {
        "algorithm": dict(algorithm.info),
        "genes": {
            gene: "sequenced" if gene in genotype else "not_sequenced" for gene in algorithm.genes
        },
        "mutations": {
            gene: [genotype[gene][pos].name for pos in sorted(genotype[gene])]
            for gene in algorithm.genes
            if gene in genotype
        },
        "drugs": drugs,
        "comments": _comments(algorithm, genotype, drugs),
    }
