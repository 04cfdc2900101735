"""Genotype interpretation with the Stanford HIVdb algorithm (version 10.2), standard library only.

* :func:`parse_mutations` reads a report's mutation list (``RT: K103N, M184V; IN: none``) into
  ``{"RT": ["K103N", "M184V"], "IN": []}``, or raises ``CaseError`` naming the bad token.
* :func:`interpret` scores every drug of the NRTI, NNRTI, PI and INSTI classes for the genes
  given, by the algorithm's rules, and returns the levels with the algorithm's name and version.

The algorithm's data are read on first use (``logic.hivdb.algorithm.load``), not on import, so
``import logic`` costs nothing more when no genotype is given. The browser worker restores a
memory snapshot and reads no file afterwards (tests/test_logic_files.py): whatever builds that
snapshot should call :func:`load` first so that the data are in it.
"""

from __future__ import annotations

from typing import Any


def load() -> None:
    """Read the algorithm's data now (they are otherwise read on the first genotype)."""
    from logic.hivdb.algorithm import load as load_algorithm

    load_algorithm()


def parse_mutations(text: str, field: str = "mutations") -> dict[str, list[str]]:
    from logic.hivdb.mutations import parse_mutations as parse

    return parse(text, field)


def interpret(genotype: Any, field: str = "mutations") -> dict[str, Any]:
    from logic.hivdb.report import interpret as run

    return run(genotype, field)
