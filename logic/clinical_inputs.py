"""A case's regimen by drug names and genotype by mutations, read into the guideline's fields.

``regimen`` ("TDF/FTC/EFV") gives ``failing_regimen`` (logic/regimen.py). ``mutations``
("RT: K103N, M184V; IN: none") is interpreted with HIVdb 10.2 (logic/hivdb/) and read into
``resistance_test``, ``resistance``, ``insti_genotype``, ``fully_active_boosted_pi`` and a
suggested ``fully_active_agents`` (logic/genotype.py). Each derived value fills its field only
where the user left it empty: the user's answer wins, and where it differs from the derived
one the result says so. A class shortcut that disagrees with the drugs is a CaseError at
``regimen``: the Table 11 row depends on it, and we will not guess which of the two is right.
"""

from __future__ import annotations

from typing import Any

from logic.case import CaseError
from logic.guideline_data import load_data as guideline

# The fields a genotype can fill, in the order the walkthrough asks them.
GENOTYPE_FIELDS = (
    "resistance_test",
    "resistance",
    "insti_genotype",
    "fully_active_boosted_pi",
    "fully_active_agents",
)
ALGORITHM_TITLE = "HIVdb genotypic resistance interpretation algorithm"
# Facts read straight from the report rather than by a decision table: their source and why.
DIRECT = {
    "insti_genotype": {
        "rule": "GENO-IN",
        "source": {
            "section": "regimen-design",
            "recommendation": "insti_resistance_test",
            "reading": "Integrase counts as genotyped when the report lists IN, with mutations "
            "or as 'IN: none'; a report without IN is read as integrase not genotyped.",
        },
    },
    "fully_active_boosted_pi": {
        "rule": "GENO-PI",
        "source": {
            "section": "second-regimen-failure",
            "reading": "Our reading: a boosted PI is fully active when HIVdb rates DRV/r, ATV/r "
            "or LPV/r Susceptible or Potential Low-Level (rules ACT-02, ACT-03). Unanswered "
            "when protease was not sequenced.",
        },
    },
}


def load() -> None:
    """Read the drug, genotype and HIVdb data now (the browser worker does this before its
    memory snapshot, so the first genotype needs no file read)."""
    from logic.genotype import genotype_data
    from logic.hivdb import load as load_hivdb
    from logic.regimen import drug_data

    drug_data()
    genotype_data()
    load_hivdb()


def apply(raw: dict[str, Any], case: dict[str, Any], edition: str | None = None) -> dict[str, Any]:
    """Fill ``case`` (validated) from its ``regimen`` and ``mutations``; return the result's
    ``regimen``, ``susceptibility`` and ``derived`` parts (None / [] when neither is given).

    ``raw`` is the case as the user sent it: a field counts as answered there only if it holds a
    value (an empty list of classes is not an answer).
    """
    derived: list[dict] = []
    regimen = None
    if case.get("regimen") is not None:
        regimen = _regimen(case, derived, edition)
    susceptibility = genotype = None
    if case.get("mutations") is not None:
        from logic.genotype import derive, genotype_data
        from logic.hivdb import interpret

        report = interpret(case["mutations"], "mutations")
        genotype = derive(report, report["mutations"], regimen, edition)
        susceptibility = _susceptibility(report, genotype, genotype_data(edition))
        _fill_from_genotype(raw, case, genotype, derived, edition)
    return {
        "regimen": regimen,
        "susceptibility": susceptibility,
        "derived": derived,
        "genotype": _genotype_summary(genotype),
    }


def _regimen(case: dict, derived: list[dict], edition: str | None) -> dict:
    from logic.regimen import parse_regimen, shortcut_disagreement

    parsed = parse_regimen(case["regimen"], "regimen", edition)
    message = shortcut_disagreement(parsed, case.get("failing_regimen"), edition)
    if message:
        raise CaseError("regimen", message)
    derived.append(
        {
            "field": "failing_regimen",
            "value": parsed["failing_regimen"],
            "rule": parsed["rule"],
            "source": parsed["source"],
            "derived_from": f"derived from {parsed['text']}",
            "from": [],
            "overridden": False,
            "user_value": case.get("failing_regimen"),
            "note": parsed["note"],
            "classes": [],
        }
    )
    case["failing_regimen"] = parsed["failing_regimen"]
    return {
        key: parsed[key]
        for key in ("drugs", "text", "failing_regimen", "label", "rule", "note", "insti")
    }


def _given(raw: dict, name: str) -> bool:
    value = raw.get(name)
    return value is not None and value != []


def _yes_no(value: bool | None) -> str | None:
    """The form's answer for a derived yes/no fact (None: the genotype cannot say)."""
    return None if value is None else ("yes" if value else "no")


def genotype_fields(genotype: dict) -> dict[str, Any]:
    """The case fields :func:`logic.genotype.derive`'s result answers (None: cannot say)."""
    return {
        "resistance_test": genotype["resistance_test"],
        "resistance": genotype["resistance"],
        "insti_genotype": "done" if genotype["integrase_genotyped"] else "not_done",
        "fully_active_boosted_pi": _yes_no(genotype["boosted_pi_active"]),
        "fully_active_agents": genotype["fully_active_agents"]["suggested"],
    }


def _fill_from_genotype(
    raw: dict, case: dict, genotype: dict, derived: list[dict], edition: str | None
) -> None:
    values = genotype_fields(genotype)
    # Resistance classes ticked by the user imply mutations were found: that answer is theirs.
    given = {name: _given(raw, name) for name in GENOTYPE_FIELDS}
    given["resistance_test"] = given["resistance_test"] or given["resistance"]
    for name in GENOTYPE_FIELDS:
        value = values[name]
        if value is None:  # the report cannot answer it (e.g. protease not sequenced)
            continue
        if not given[name]:
            blocked = name == "resistance" and case["resistance_test"] != "mutations_found"
            # The user said no resistance was found (or no test): their answer stands.
            case[name] = [] if blocked else value
        derived.append(_entry(name, value, case[name], given[name], genotype, edition))


def _entry(
    name: str, value: Any, final: Any, given: bool, genotype: dict, edition: str | None
) -> dict:
    if name == "resistance_test":
        why = genotype["resistance_test_rule"]
    elif name == "fully_active_agents":
        count = genotype["fully_active_agents"]
        why = {"rule": count["rule"], "source": count["source"], "from": [], "derived_from": ""}
    elif name == "resistance":
        classes = genotype["classes"]
        first = classes[0] if classes else genotype["resistance_test_rule"]
        why = {
            "rule": first["rule"],
            "source": first["source"],
            "from": [level for c in classes for level in c["from"]],
            "derived_from": "; ".join(
                f"{_words('resistance', [c['id']], edition)}: {c['derived_from']}" for c in classes
            ),
            "classes": [
                {key: c[key] for key in ("id", "rule", "source", "derived_from", "from")}
                for c in classes
            ],
        }
    else:
        why = {**DIRECT[name], "from": [], "derived_from": ""}
        if name == "fully_active_boosted_pi":
            pis = [a for a in genotype["drug_activity"] if a["class"] == "PI" and a["level"]]
            why["from"] = [{k: a[k] for k in ("drug", "level", "label")} for a in pis]
            shown = ", ".join(f"{a['drug']} {a['label']}" for a in pis)
            why["derived_from"] = f"derived from {shown}" if shown else ""
    overridden = final != value
    return {
        "field": name,
        "value": value,
        "rule": why["rule"],
        "source": dict(why["source"]),
        "derived_from": why["derived_from"],
        "from": list(why["from"]),
        "classes": why.get("classes", []),
        "overridden": overridden,
        "user_value": final if given else None,
        "note": _override_note(name, value, final, given, edition) if overridden else None,
    }


def _override_note(name: str, value: Any, final: Any, given: bool, edition: str | None) -> str:
    fields = guideline(edition).fields
    label = fields[name]["label"]
    shown, derived = _words(name, final, edition), _words(name, value, edition)
    if not given:  # kept empty by the user's own resistance_test answer
        test = fields["resistance_test"]["label"]
        return (
            f"The genotype gives {derived} for “{label}”, but your answer to "
            f"“{test}” leaves it at {shown}: your answer is used."
        )
    return (
        f"Your answer to “{label}” ({shown}) differs from what the genotype gives "
        f"({derived}): your answer is used."
    )


def _words(name: str, value: Any, edition: str | None) -> str:
    """A value in the form's words: choice labels, yes or no."""
    choices = guideline(edition).fields[name].get("choices", [])
    labels = {c["value"]: c["label"] for c in choices}
    if isinstance(value, list):
        return "; ".join(labels.get(v, v) for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return labels.get(value, str(value))


def _susceptibility(report: dict, genotype: dict, data: Any) -> dict:
    info = report["algorithm"]
    return {
        "algorithm": {
            **info,
            "title": ALGORITHM_TITLE,
            "attribution": f"{ALGORITHM_TITLE}, version {info['version']} ({info['date']}), "
            "Stanford University. Public domain (the Unlicense).",
        },
        "genes": dict(report["genes"]),
        "mutations": {gene: list(names) for gene, names in report["mutations"].items()},
        "drugs": [
            {key: drug[key] for key in ("drug", "class", "score", "level", "label", "mutations")}
            for drug in report["drugs"]
        ],
        "levels": [
            {"level": level, "label": entry["label"], "short": entry["short"]}
            for level, entry in sorted(data.levels.items())
        ],
        "limits": [dict(limit) for limit in genotype["limits"]],
    }


def _genotype_summary(genotype: dict | None) -> dict | None:
    """What else the derivation says: silences, warnings, the failing drugs' levels."""
    if genotype is None:
        return None
    return {
        "outside": genotype["outside"],
        "warnings": genotype["warnings"],
        "failing_drugs": genotype["failing_drugs"],
        "active_nrtis": genotype["active_nrtis"],
        "active_boosted_pis": genotype["active_boosted_pis"],
        "fully_active_agents": genotype["fully_active_agents"],
        "cutoffs": genotype["cutoffs"],
    }
