"""The HIVdb algorithm, loaded once from its compiled form, and the ASI scoring of one drug.

``data/hivdb/HIVDB_10.2.json`` is compiled from the vendored XML by
``generator/hivdb_compile.py`` (which explains the shape and why a compiled form); a test keeps
the two equal. ``data/hivdb/consensus_b.toml`` holds the reference sequences that mutation names
are written against. Both are read on first use only, so ``import logic`` stays as cheap as
before for cases without a genotype.

Scoring follows Stanford's Algorithm Specification Interface (ASI) as HIVdb uses it:

* a residue such as ``184VI`` is present when the virus has any of those amino acids at that
  position (``i`` an insertion, ``d`` a deletion); a mixture (``M184MV``) counts every amino acid
  it lists;
* an item ``41L AND 215FY => 10`` adds its score when all its residues are present;
* a ``MAX( ... )`` group adds the highest score among its items that are present, once;
* the drug's total score falls in one range of the global range, which gives the level 1-5.

So at a position with a mixture, a MAX group takes the highest-scoring amino acid of the
mixture. In HIVdb 10.2 every drug lists the alternative amino acids at one position in one MAX
group (tests/test_hivdb_algorithm.py checks this), so a mixture never scores twice at a position.
"""

from __future__ import annotations

import json
import os
import tomllib
from functools import cache
from typing import NamedTuple

DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
ALGORITHM_FILE = os.path.join(DATA_DIR, "hivdb", "HIVDB_10.2.json")
CONSENSUS_FILE = os.path.join(DATA_DIR, "hivdb", "consensus_b.toml")

# A residue: (position, amino acids); an item: (score, residues that must all be present); a
# group: items of which the best present one counts (a lone item is a group of one).
Residue = tuple[int, frozenset[str]]
# An item also carries its positions, as a set (a quick test before the amino acids) and in order
# (to name the mutations that scored).
Item = tuple[int, tuple[Residue, ...], frozenset[int], tuple[int, ...]]


class Drug(NamedTuple):
    code: str  # as the algorithm spells it: "3TC", "ATV/r"
    name: str  # generic name, as the algorithm gives it
    drug_class: str
    gene: str
    groups: tuple[tuple[Item, ...], ...]
    # position -> indexes of the groups that name it: only those can score for a genotype
    by_position: dict[int, tuple[int, ...]]


class Algorithm(NamedTuple):
    info: dict[str, str]  # name, version, date
    labels: dict[int, str]  # level -> the algorithm's label
    global_range: tuple[tuple[float, float, int], ...]
    genes: dict[str, tuple[str, ...]]  # gene -> drug classes
    drugs: tuple[Drug, ...]  # in the algorithm's class and drug order
    consensus: dict[str, str]  # gene -> consensus B amino acids (position 1 at index 0)
    scored: dict[str, dict[int, frozenset[str]]]  # gene -> position -> amino acids some rule names
    mutation_comments: dict[str, tuple[tuple[tuple[Residue, ...], str], ...]]
    comments_by_position: dict[str, dict[int, tuple[int, ...]]]  # gene -> pos -> rule indexes
    result_comments: tuple[tuple[str, int, str], ...]  # (drug, level, comment id)
    comments: dict[str, str]


_SETS: dict[str, frozenset[str]] = {}  # one frozenset per distinct amino-acid string


def _residues(raw: list) -> tuple[Residue, ...]:
    return tuple((pos, _SETS.get(aas) or _SETS.setdefault(aas, frozenset(aas))) for pos, aas in raw)


def _index(entries) -> dict[int, tuple[int, ...]]:
    """Position -> indexes of the entries (each a sequence of (_, residues)) that name it."""
    index: dict[int, list[int]] = {}
    for number, items in enumerate(entries):
        for pos in sorted({pos for item in items for pos, _ in item[1]}):
            index.setdefault(pos, []).append(number)
    return {pos: tuple(numbers) for pos, numbers in index.items()}


def _drug(code: str, raw: dict) -> Drug:
    groups = _groups(raw["rules"])
    return Drug(code, raw["name"], raw["class"], raw["gene"], groups, _index(groups))


def _groups(rules: list) -> tuple[tuple[Item, ...], ...]:
    groups = []
    for rule in rules:
        items = rule["max"] if isinstance(rule, dict) else [rule]
        group = []
        for value, raw in items:
            residues = _residues(raw)
            where = sorted({pos for pos, _ in residues})
            group.append((int(value), residues, frozenset(where), tuple(where)))
        groups.append(tuple(group))
    return tuple(groups)


@cache
def load() -> Algorithm:
    """Read and index the algorithm (once per process)."""
    with open(ALGORITHM_FILE, encoding="utf-8") as handle:
        raw = json.load(handle)
    with open(CONSENSUS_FILE, "rb") as handle:
        consensus = {gene: "".join(text.split()) for gene, text in tomllib.load(handle).items()}
    drugs = tuple(
        _drug(code, raw["drugs"][code]) for cls in raw["classes"].values() for code in cls
    )
    mutation_comments = {
        gene: tuple((_residues(any_of), ref) for any_of, ref in rules)
        for gene, rules in raw["mutation_comments"].items()
    }
    scored: dict[str, dict[int, set[str]]] = {gene: {} for gene in raw["genes"]}
    for drug in drugs:
        for group in drug.groups:
            for _, residues, *_ in group:
                for pos, aas in residues:
                    scored[drug.gene].setdefault(pos, set()).update(aas)
    inf = float("inf")
    return Algorithm(
        info=dict(raw["algorithm"]),
        labels={level["level"]: level["label"] for level in raw["levels"]},
        global_range=tuple(
            (-inf if low is None else low, inf if high is None else high, level)
            for low, high, level in raw["global_range"]
        ),
        genes={gene: tuple(classes) for gene, classes in raw["genes"].items()},
        drugs=drugs,
        consensus=consensus,
        scored={g: {p: frozenset(a) for p, a in by_pos.items()} for g, by_pos in scored.items()},
        mutation_comments=mutation_comments,
        comments_by_position={
            gene: _index([((None, any_of),) for any_of, _ in rules])  # one item per rule
            for gene, rules in mutation_comments.items()
        },
        result_comments=tuple(tuple(rule) for rule in raw["result_comments"]),
        comments=dict(raw["comments"]),
    )


def present(residues: tuple[Residue, ...], positions: dict[int, frozenset[str]]) -> bool:
    """Whether every residue is present in the virus (positions: position -> amino acids)."""
    for pos, aas in residues:
        found = positions.get(pos)
        if found is None or aas.isdisjoint(found):
            return False
    return True


def score(drug: Drug, positions: dict[int, frozenset[str]]) -> tuple[int, list[Item]]:
    """The drug's total score and the items that counted (the best present one per group)."""
    total = 0
    counted: list[Item] = []
    have = frozenset(positions)
    candidates: set[int] = set()
    for pos in have:
        candidates.update(drug.by_position.get(pos, ()))
    for number in sorted(candidates):
        best: Item | None = None
        for item in drug.groups[number]:
            if (
                (best is None or item[0] > best[0])
                and item[2] <= have
                and present(item[1], positions)
            ):
                best = item
        if best is not None:
            total += best[0]
            counted.append(best)
    return total, counted


def level(algorithm: Algorithm, total: int) -> int:
    for low, high, value in algorithm.global_range:
        if low <= total <= high:
            return value
    raise ValueError(f"HIVDB_10.2.json: global_range: no level for score {total}")
