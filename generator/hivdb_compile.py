"""Compile the vendored HIVdb algorithm (``logic/data/hivdb/HIVDB_10.2.xml``, Stanford's ASI XML)
into the compact JSON that ``logic.hivdb`` reads (``logic/data/hivdb/HIVDB_10.2.json``).

Why a checked-in compiled form rather than the XML at run time:

* cold start: the browser worker would otherwise ship ``xml.etree`` (and ``pyexpat``) in its
  precompiled standard library and parse 190 kB of XML plus every rule's text grammar before the
  first interpretation. ``json.loads`` of the compiled form is one C call; the rules arrive
  already as numbers and strings.
* one reader: the evaluator has a single, simple input shape (below), so the ASI grammar lives in
  one place, here, where it runs once per algorithm update (at development time, not per page).
* honesty: ``tests/test_hivdb_compile.py`` recompiles the XML and requires the JSON to be equal,
  so the checked-in file can never drift from the vendored XML.

Run ``python -m generator.hivdb_compile`` after replacing the XML; it rewrites the JSON.

Compiled shape (every position is 1-based; amino acids are capital letters, ``i`` an insertion
and ``d`` a deletion, as in the XML)::

    {"algorithm": {"name", "version", "date"},
     "levels": [{"level": 1, "label": "Susceptible", "sir": "S"}, ...],
     "global_range": [[low or null, high or null, level], ...],   # inclusive; null = infinity
     "genes": {"PR": ["PI"], "RT": ["NRTI", "NNRTI"], "IN": ["INSTI"]},
     "classes": {"NRTI": ["ABC", ...], ...},
     "drugs": {"ABC": {"name": "abacavir", "class": "NRTI", "gene": "RT", "rules": [ITEM...]}},
     "mutation_comments": {"IN": [[[[pos, "aas"], ...], "comment id"], ...]},   # any residue
     "result_comments": [[drug, level, "comment id"], ...],
     "comments": {"comment id": "text"}}

An ITEM is ``[score, [[pos, "aas"], ...]]`` (scores when every residue is present: a single
mutation or an ``AND`` combination) or ``{"max": [[score, [[pos, "aas"], ...]], ...]}`` (a MAX
group: the highest score among its items that are present). Only the genes and classes the site
reports are kept (PR, RT, IN; the capsid inhibitor class is left out).
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XML_PATH = ROOT / "logic" / "data" / "hivdb" / "HIVDB_10.2.xml"
JSON_PATH = XML_PATH.with_suffix(".json")
GENES = ("PR", "RT", "IN")

RESIDUE = re.compile(r"^(\d+)([A-Zid]+)$")
RANGE = re.compile(r"^\s*(-INF|-?\d+)\s+TO\s+(INF|-?\d+)\s*=>\s*(\d+)\s*$")
LIST_MUTS_IN = re.compile(r"\$listMutsIn\{\d+\(NOT [A-Zid]+\)\}")
SCORE_FROM = re.compile(r"^\s*SCORE\s+FROM\s*\((.*)\)\s*$", re.S)


class AlgorithmError(ValueError):
    """The XML holds something this compiler does not understand (named, with the drug)."""


def _residue(text: str, where: str) -> list:
    match = RESIDUE.match(text.strip())
    if not match:
        raise AlgorithmError(f"{where}: {text.strip()!r} is not a residue like 184VI")
    return [int(match.group(1)), "".join(sorted(set(match.group(2))))]


def _conjunction(text: str, where: str) -> list:
    return [_residue(part, where) for part in re.split(r"\s+AND\s+", text.strip())]


def _scored(text: str, where: str) -> list:
    condition, arrow, score = text.rpartition("=>")
    if not arrow or not re.fullmatch(r"\s*-?\d+\s*", score):
        raise AlgorithmError(f"{where}: {text.strip()!r} has no whole-number score")
    return [int(score), _conjunction(condition, where)]


def _split_top(body: str) -> list[str]:
    """Split a SCORE FROM body on the commas outside MAX( ... )."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(body):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:index])
            start = index + 1
    parts.append(body[start:])
    return [part.strip() for part in parts if part.strip()]


def compile_rule(condition: str, where: str) -> list:
    match = SCORE_FROM.match(condition)
    if not match:
        raise AlgorithmError(f"{where}: only SCORE FROM ( ... ) conditions are supported")
    items: list = []
    for part in _split_top(match.group(1)):
        group = re.fullmatch(r"MAX\s*\((.*)\)", part, re.S)
        if group:
            items.append({"max": [_scored(p, where) for p in _split_top(group.group(1))]})
        else:
            items.append(_scored(part, where))
    return items


def _bound(text: str) -> int | None:
    return None if text in ("-INF", "INF") else int(text)


def compile_xml(path: Path = XML_PATH) -> dict:
    root = ET.parse(path).getroot()
    defs = root.find("DEFINITIONS")
    genes = {
        g.findtext("NAME"): g.findtext("DRUGCLASSLIST").split(",")
        for g in defs.findall("GENE_DEFINITION")
        if g.findtext("NAME") in GENES
    }
    gene_of_class = {cls: gene for gene, classes in genes.items() for cls in classes}
    classes = {
        c.findtext("NAME"): c.findtext("DRUGLIST").split(",")
        for c in defs.findall("DRUGCLASS")
        if c.findtext("NAME") in gene_of_class
    }
    class_of_drug = {drug: cls for cls, drugs in classes.items() for drug in drugs}
    global_range = []
    for piece in defs.findtext("GLOBALRANGE").strip().strip("()").split(","):
        match = RANGE.match(piece)
        if not match:
            raise AlgorithmError(f"GLOBALRANGE: {piece.strip()!r} is not 'LOW TO HIGH => LEVEL'")
        global_range.append([_bound(match.group(1)), _bound(match.group(2)), int(match.group(3))])
    drugs = {}
    for node in root.findall("DRUG"):
        name = node.findtext("NAME")
        if name not in class_of_drug:
            continue
        rules = node.findall("RULE")
        if len(rules) != 1 or rules[0].find("ACTIONS/SCORERANGE/USE_GLOBALRANGE") is None:
            raise AlgorithmError(f"drug {name}: expected one rule scored by the global range")
        drugs[name] = {
            "name": node.findtext("FULLNAME"),
            "class": class_of_drug[name],
            "gene": gene_of_class[class_of_drug[name]],
            "rules": compile_rule(rules[0].findtext("CONDITION"), f"drug {name}"),
        }
    mutation_comments: dict[str, list] = {}
    used: set[str] = set()
    for gene in root.findall("MUTATION_COMMENTS/GENE"):
        name = gene.findtext("NAME")
        if name not in genes:
            continue
        for rule in gene.findall("RULE"):
            any_of = [
                _residue(p, f"comment rule in {name}")
                for p in re.split(r"\s+OR\s+", rule.findtext("CONDITION").strip())
            ]
            ref = rule.find("ACTIONS/COMMENT").get("ref")
            mutation_comments.setdefault(name, []).append([any_of, ref])
            used.add(ref)
    result_comments = []
    for rule in root.findall("RESULT_COMMENTS/RESULT_COMMENT_RULE"):
        conditions = rule.findall("DRUG_LEVEL_CONDITIONS/DRUG_LEVEL_CONDITION")
        if len(conditions) != 1 or conditions[0].find("EQ") is None:
            raise AlgorithmError("RESULT_COMMENT_RULE: expected one DRUG_LEVEL_CONDITION with EQ")
        ref = rule.find("LEVEL_ACTION/COMMENT").get("ref")
        drug = conditions[0].findtext("DRUG_NAME")
        result_comments.append([drug, int(conditions[0].findtext("EQ")), ref])
        used.add(ref)
    comments = {
        c.get("id"): " ".join(c.findtext("TEXT").split())
        for c in defs.findall("COMMENT_DEFINITIONS/COMMENT_STRING")
        if c.get("id") in used
    }
    for ref, text in comments.items():  # logic.hivdb.report fills in only this placeholder form
        if "$" in LIST_MUTS_IN.sub("", text):
            raise AlgorithmError(f"comment {ref}: a placeholder other than $listMutsIn{{N(NOT X)}}")
    return {
        "algorithm": {
            "name": root.findtext("ALGNAME"),
            "version": root.findtext("ALGVERSION"),
            "date": root.findtext("ALGDATE"),
        },
        "levels": [
            {
                "level": int(level.findtext("ORDER")),
                "label": level.findtext("ORIGINAL"),
                "sir": level.findtext("SIR"),
            }
            for level in defs.findall("LEVEL_DEFINITION")
        ],
        "global_range": global_range,
        "genes": {gene: genes[gene] for gene in GENES},
        "classes": classes,
        "drugs": drugs,
        "mutation_comments": mutation_comments,
        "result_comments": result_comments,
        "comments": comments,
    }


def dumps(compiled: dict) -> str:
    """The file's exact text: compact, one drug or comment table per line, stable order."""
    return json.dumps(compiled, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n"


def main() -> int:
    JSON_PATH.write_text(dumps(compile_xml()), encoding="utf-8")
    print(f"wrote {JSON_PATH.relative_to(ROOT)} ({JSON_PATH.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
