"""From per-drug susceptibility to the guideline's resistance facts, by decision tables.

Input: the HIVdb evaluator's output (``{"algorithm": ..., "genes": {"RT": "sequenced", ...},
"drugs": [{"drug": "EFV", "level": 5, "label": ..., "mutations": [...]}, ...]}``) and the
parsed mutations (``{"RT": ["K103N", "M184V"], "IN": []}``; a gene with an empty list was
sequenced and had none). Output: ``resistance_test``, the ``resistance`` classes, which drugs
stay fully active, and a suggested count of fully active agents, each with the rule, source and
drug levels it came from. The cut-offs are our reading of HIVdb's levels (``data/genotype.toml``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from logic.case import CaseError
from logic.datatables import check_source, compile_tables
from logic.guideline_data import DataError, _read, load_data, loaded_key
from logic.guideline_data import GuidelineData as Guideline
from logic.regimen import drug_data
from logic.tables import predicate

FILE = "genotype"
GENES = ("PR", "RT", "IN")  # HIVdb's genes for the four classes (CA, lenacapavir's, is not read)
GENE_STATES = ("sequenced", "not_sequenced")
FIXED_FACTS = {
    "max_level",
    "m184vi",
    "sequenced",
    "level",
    "failed_on_insti",
    "integrase_genotyped",
}
TABLES = ("genotype_test", "resistance_classes", "drug_activity", "insti_test")
POSITION = re.compile(r"(\d+)")
MAX_DRUGS = 100


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class GenotypeData:
    """The checked contents of ``genotype.toml``. Built once by :func:`genotype_data`."""

    def __init__(self, raw: dict[str, Any], guideline: Guideline) -> None:
        for key in ("levels", "cutoffs", "classes", "level_facts", "outside", "activities"):
            _required(raw, key, list, ("id",) if key not in ("levels",) else ("level", "short"))
        _required(raw, "warnings", list, ("id", "text"))
        _required(raw, "limits", list, ("id", "section", "text"))
        _required(raw, "m184vi", dict, ("gene", "position", "amino_acids", "cite"))
        _required(raw, "count", dict, ("id", "source", "note"))
        self.levels = {entry["level"]: entry for entry in raw["levels"]}
        if sorted(self.levels) != [1, 2, 3, 4, 5]:
            raise DataError(FILE, "levels", "level", "HIVdb's levels 1 to 5, each once")
        self.cutoffs = {entry["id"]: entry for entry in raw.get("cutoffs", [])}
        self.thresholds = {cid: entry["value"] for cid, entry in self.cutoffs.items()}
        self._check_cutoffs()
        self.agents: dict[str, list[str]] = {}  # HIVdb name -> our agents (TDF -> TDF, TAF)
        for abbr, drug in drug_data(guideline.edition).drugs.items():
            if drug["hivdb"]:
                self.agents.setdefault(drug["hivdb"], []).append(abbr)
        hivdb_names = set(self.agents)
        self.classes = {entry["id"]: entry for entry in raw.get("classes", [])}
        for cid, entry in self.classes.items():
            self._drugs_known(entry, cid, hivdb_names)
        self.class_of = {d: cid for cid, entry in self.classes.items() for d in entry["drugs"]}
        self.level_facts = {entry["id"]: entry for entry in raw.get("level_facts", [])}
        for fid, entry in self.level_facts.items():
            self._drugs_known(entry, fid, set(self.class_of))
            for drug in entry["drugs"]:  # a fact reads one gene: unanswered if it was not sequenced
                if self.classes[self.class_of[drug]]["gene"] != entry["gene"]:
                    raise DataError(
                        FILE, fid, "drugs", f"'{drug}' is not read from {entry['gene']}"
                    )
        self.m184vi = raw["m184vi"]
        self.outside = {entry["id"]: entry["text"] for entry in raw.get("outside", [])}
        self.activities = {entry["id"]: entry["label"] for entry in raw.get("activities", [])}
        self.warnings = {entry["id"]: entry["text"] for entry in raw.get("warnings", [])}
        field = guideline.fields
        self.class_order = [c["value"] for c in field["resistance"]["choices"]]
        vocab = {
            "resistance_test": {c["value"] for c in field["resistance_test"]["choices"]},
            "class": set(self.class_order),
            "outside": set(self.outside),
            "activity": set(self.activities),
            "warning": set(self.warnings),
        }
        self.tables = compile_tables(FILE, raw.get("tables"), guideline, self.thresholds, vocab)
        known = FIXED_FACTS | set(self.level_facts)
        for tid in TABLES:
            if tid not in self.tables:
                raise DataError(FILE, "tables", "id", f"no table '{tid}'")
            for fact in self.tables[tid].table["inputs"]:
                if fact not in known:
                    raise DataError(FILE, tid, "inputs", f"'{fact}' is not a fact of genotype.py")
        self.count = raw["count"]
        check_source(self.count["source"], FILE, self.count["id"], guideline)
        self.limits = raw["limits"]
        for limit in self.limits:
            check_source(
                {k: limit[k] for k in ("section", "recommendation") if k in limit},
                FILE,
                limit.get("id", "?"),
                guideline,
            )
        self.cite_tests = {  # per rule condition, which drug levels to cite (compiled once)
            (rule["id"], fact): predicate(condition, self.thresholds)
            for table in self.tables.values()
            for rule in table.table["rules"]
            for fact, condition in rule.get("when", {}).items()
            if fact in self.level_facts or fact == "max_level"
        }

    def _check_cutoffs(self) -> None:
        for name in ("fully_active_max_level", "resistance_min_level"):
            entry = self.cutoffs.get(name)
            if not entry or entry.get("value") not in self.levels or not entry.get("reading"):
                raise DataError(FILE, name, "value", "a level from 1 to 5, with a reading")
        if self.thresholds["fully_active_max_level"] + 1 != self.thresholds["resistance_min_level"]:
            raise DataError(
                FILE,
                "resistance_min_level",
                "value",
                "must be fully_active_max_level + 1, so every tested drug is one or the other",
            )

    @staticmethod
    def _drugs_known(entry: dict, where: str, known: set[str]) -> None:
        if entry.get("gene") not in GENES:
            raise DataError(FILE, where, "gene", f"unknown gene '{entry.get('gene')}'")
        for drug in entry.get("drugs", []):
            if drug not in known:
                raise DataError(FILE, where, "drugs", f"'{drug}' is not a drug known here")

    def cite(self, drug: dict) -> str:
        return f"{drug['drug']} {self.levels[drug['level']]['short']}"


def _required(raw: dict, key: str, kind: type, fields: tuple[str, ...]) -> None:
    """``raw[key]`` is a ``kind`` (a list: of entries) holding ``fields``, or a DataError."""
    value = raw.get(key)
    if not isinstance(value, kind) or not value:
        raise DataError(FILE, key, key, f"missing or empty {'list' if kind is list else 'table'}")
    for entry in value if kind is list else [value]:
        for field in fields:
            if not isinstance(entry, dict) or entry.get(field) in (None, ""):
                name = str(entry.get("id", key)) if isinstance(entry, dict) else key
                raise DataError(FILE, name, field, "required field is missing or empty")


def genotype_data(edition: str | None = None) -> GenotypeData:
    """The checked genotype data, checked against ``edition`` (None: the default edition);
    loaded once per process and edition."""
    return _genotype_data(loaded_key(edition))


@cache
def _genotype_data(key: tuple[str, str]) -> GenotypeData:
    return GenotypeData(_read(FILE), load_data(key[0]))


# --- input ---------------------------------------------------------------------------------
def _genes(susceptibility: dict, mutations: dict) -> dict[str, bool]:
    stated = susceptibility.get("genes") or {}
    if not isinstance(stated, dict):
        raise CaseError("susceptibility.genes", f"{_show(stated)} is not an object")
    out = {}
    for gene in GENES:
        state = stated.get(gene)
        if state is not None and state not in GENE_STATES:
            raise CaseError(f"susceptibility.genes.{gene}", f"{_show(state)} is not allowed")
        out[gene] = state == "sequenced" or gene in mutations
    if not any(out.values()):
        raise CaseError("mutations", "no gene was sequenced: enter the genotype's mutations")
    return out


def _mutations(mutations: Any) -> dict[str, list[str]]:
    if mutations is None:
        return {}
    if not isinstance(mutations, dict):
        raise CaseError("mutations", f"{_show(mutations)} is not an object of gene: mutations")
    out = {}
    for gene, items in mutations.items():
        if gene not in GENES and gene != "CA":
            raise CaseError(f"mutations.{_show(gene)}", "unknown gene (PR, RT, IN)")
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise CaseError(f"mutations.{gene}", f"{_show(items)} is not a list of mutations")
        out[gene] = items
    return out


def _drug_levels(susceptibility: Any) -> dict[str, dict]:
    if not isinstance(susceptibility, dict) or not isinstance(susceptibility.get("drugs"), list):
        raise CaseError("susceptibility", f"{_show(susceptibility)} has no list of drugs")
    drugs = susceptibility["drugs"]
    if len(drugs) > MAX_DRUGS:
        raise CaseError("susceptibility.drugs", f"{len(drugs)} drugs: at most {MAX_DRUGS}")
    out: dict[str, dict] = {}
    for index, entry in enumerate(drugs):
        where = f"susceptibility.drugs[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("drug"), str):
            raise CaseError(where, f"{_show(entry)} has no drug name")
        level = entry.get("level")
        if isinstance(level, bool) or level not in (1, 2, 3, 4, 5):
            raise CaseError(f"{where}.level", f"{_show(level)} is not a level from 1 to 5")
        found = entry.get("mutations", [])
        if not isinstance(found, list) or not all(isinstance(m, str) for m in found):
            raise CaseError(f"{where}.mutations", f"{_show(found)} is not a list of mutations")
        if entry["drug"] in out:
            raise CaseError(f"{where}.drug", f"{_show(entry['drug'])} is given twice")
        out[entry["drug"]] = {"drug": entry["drug"], "level": level, "mutations": found}
    return out


def _parts(mutation: str) -> list[str]:
    """One mutation or a combination HIVdb scored together ("K65R+M184V") as single mutations."""
    return [part.strip() for part in mutation.split("+") if part.strip()]


def _at_position(mutation: str, position: int, amino_acids: list[str]) -> bool:
    """Does ``mutation`` (M184V, 184V, M184MV, M184V/I) hold one of ``amino_acids`` there?"""
    match = POSITION.search(mutation)
    if not match or int(match.group(1)) != position:
        return False
    after = mutation[match.end() :].upper()
    if after.startswith(("INS", "DEL", "_")):  # an insertion or deletion, not a substitution
        return False
    return any(letter in after for letter in amino_acids)


# --- derivation ----------------------------------------------------------------------------
def _facts(data: GenotypeData, levels: dict, genes: dict, rt_mutations: list[str]) -> dict:
    facts: dict[str, Any] = {
        "m184vi": any(_is_m184vi(data, part) for m in rt_mutations for part in _parts(m))
    }
    tested = [d for d, c in data.class_of.items() if d in levels and genes[data.classes[c]["gene"]]]
    facts["max_level"] = max((levels[d]["level"] for d in tested), default=None)
    for fid, entry in data.level_facts.items():
        drugs = [d for d in entry["drugs"] if d in levels and genes[entry["gene"]]]
        if entry.get("except_m184vi"):
            drugs = [d for d in drugs if not _only_m184vi(data, levels[d]["mutations"])]
        facts[fid] = max((levels[d]["level"] for d in drugs), default=None)
    return facts


def _is_m184vi(data: GenotypeData, mutation: str) -> bool:
    spec = data.m184vi
    return _at_position(mutation, spec["position"], spec["amino_acids"])


def _only_m184vi(data: GenotypeData, mutations: list[str]) -> bool:
    """Is every mutation HIVdb scored for a drug M184V/I? (No mutations: not explained.)"""
    parts = [part for mutation in mutations for part in _parts(mutation)]
    return bool(parts) and all(_is_m184vi(data, part) for part in parts)


def _evidence(data: GenotypeData, rule: dict, levels: dict, facts: dict, rt: list[str]) -> dict:
    """The drug levels (and mutations) a rule's conclusion rests on, for display."""
    cited: list[dict] = []
    mutations: list[str] = []
    for fact, _condition in rule.get("when", {}).items():
        if fact == "m184vi" and facts["m184vi"]:
            mutations += [m for m in rt if any(_is_m184vi(data, p) for p in _parts(m))]
            pool = data.m184vi["cite"]
        elif fact in data.level_facts:
            pool = data.level_facts[fact]["drugs"]
        elif fact == "max_level":
            pool = list(data.class_of)
        else:
            continue
        test = data.cite_tests.get((rule["id"], fact), lambda _level: True)
        for drug in pool:
            if drug in levels and test(levels[drug]["level"]) and levels[drug] not in cited:
                cited.append(levels[drug])
    items = mutations + [data.cite(d) for d in cited]
    return {
        "from": [_level_entry(data, d) for d in cited],
        "mutations": mutations,
        "derived_from": "derived from " + ", ".join(items) if items else "",
    }


def _level_entry(data: GenotypeData, drug: dict) -> dict:
    return {
        "drug": drug["drug"],
        "level": drug["level"],
        "label": data.levels[drug["level"]]["label"],
    }


def _conclusion(data: GenotypeData, rule: dict, levels: dict, facts: dict, rt: list[str]) -> dict:
    return {
        "rule": rule["id"],
        "source": dict(rule["source"]),
        **_evidence(data, rule, levels, facts, rt),
    }


def _activity(data: GenotypeData, levels: dict, genes: dict) -> list[dict]:
    table = data.tables["drug_activity"]
    out = []
    for drug, cid in data.class_of.items():
        sequenced = genes[data.classes[cid]["gene"]] and drug in levels
        level = levels[drug]["level"] if sequenced else None
        rule = table.run({"sequenced": sequenced, "level": level})[0]
        entry = {
            "drug": drug,
            "class": cid,
            "agents": data.agents.get(drug, [drug]),
            "level": level,
            "label": data.levels[level]["label"] if level else None,
            "activity": rule["then"]["activity"],
            "activity_label": data.activities[rule["then"]["activity"]],
            "rule": rule["id"],
        }
        out.append(entry)
    return out


def _active(activity: list[dict], cid: str) -> list[str]:
    return [a["drug"] for a in activity if a["class"] == cid and a["activity"] == "fully_active"]


def _count(data: GenotypeData, activity: list[dict], genes: dict) -> dict:
    by_class = []
    total = 0
    for cid, entry in data.classes.items():
        active = _active(activity, cid)
        groups: list[frozenset] = []
        for drug in active:
            group = next((frozenset(g) for g in entry.get("count_as_one", []) if drug in g), None)
            group = group or frozenset([drug])
            if group not in groups:
                groups.append(group)
        counted = min(len(groups), entry["count_at_most"])
        total += counted
        by_class.append(
            {
                "class": cid,
                "tested": genes[entry["gene"]],
                "fully_active": active,
                "counted": counted,
                "at_most": entry["count_at_most"],
            }
        )
    return {
        "suggested": total,
        "rule": data.count["id"],
        "source": dict(data.count["source"]),
        "by_class": by_class,
        "note": data.count["note"],
        "overridable": True,
    }


def _check_regimen(regimen: Any) -> None:
    if regimen is None:
        return
    drugs = regimen.get("drugs") if isinstance(regimen, dict) else None
    if not isinstance(drugs, list) or not all(
        isinstance(d, dict) and isinstance(d.get("abbr"), str) and isinstance(d.get("class"), str)
        for d in drugs
    ):
        raise CaseError("regimen", f"{_show(regimen)} is not a parsed regimen")


def _failing_drugs(regimen: dict | None, activity: list[dict]) -> list[dict]:
    """The failing regimen's agents with the level HIVdb gives the drug each maps to."""
    if regimen is None:
        return []
    by_drug = {a["drug"]: a for a in activity}
    out = []
    for drug in regimen["drugs"]:
        rated = by_drug.get(drug.get("hivdb"))
        out.append(
            {
                "abbr": drug["abbr"],
                "hivdb": drug.get("hivdb") or None,
                "level": rated["level"] if rated else None,
                "label": rated["label"] if rated else None,
                "activity": rated["activity"] if rated else None,
            }
        )
    return out


def _warnings(data: GenotypeData, regimen: dict | None, genes: dict) -> list[dict]:
    facts = {
        "failed_on_insti": None
        if regimen is None
        else any(d["class"] == "INSTI" for d in regimen["drugs"]),
        "integrase_genotyped": genes["IN"],
    }
    return [
        {
            "id": rule["then"]["warning"],
            "message": data.warnings[rule["then"]["warning"]],
            "rule": rule["id"],
            "source": dict(rule["source"]),
        }
        for rule in data.tables["insti_test"].run(facts)
    ]


def derive(
    susceptibility: Any, mutations: Any = None, regimen: Any = None, edition: str | None = None
) -> dict[str, Any]:
    """The guideline's resistance facts from the HIVdb evaluator's output, with their why.

    ``regimen``, optional, is :func:`logic.regimen.parse_regimen`'s result for the failing
    regimen: it adds each of its drugs' levels and a warning when an INSTI failed and
    integrase was not sequenced. Raises :class:`CaseError` for input that is not such an output.
    """
    _check_regimen(regimen)
    data = genotype_data(edition)
    parsed = _mutations(mutations)
    levels = _drug_levels(susceptibility)
    genes = _genes(susceptibility, parsed)
    for drug, cid in data.class_of.items():
        gene = data.classes[cid]["gene"]
        if genes[gene] and drug not in levels:
            raise CaseError(
                "susceptibility.drugs", f"no level for {drug}, though {gene} was sequenced"
            )
    if "RT" in parsed:
        rt = parsed["RT"]
    else:  # no mutation list: the mutations HIVdb scored for the NRTIs
        nrtis = [e for d, e in levels.items() if data.class_of.get(d) == "NRTI"]
        rt = list(dict.fromkeys(m for e in nrtis for m in e["mutations"]))
    facts = _facts(data, levels, genes, rt)
    test_rule = data.tables["genotype_test"].run(facts)[0]
    classes: dict[str, dict] = {}
    outside: list[dict] = []
    for rule in data.tables["resistance_classes"].run(facts):
        conclusion = _conclusion(data, rule, levels, facts, rt)
        if "class" in rule["then"]:
            classes[rule["then"]["class"]] = {"id": rule["then"]["class"], **conclusion}
        else:
            key = rule["then"]["outside"]
            outside.append({"id": key, "message": data.outside[key], **conclusion})
    activity = _activity(data, levels, genes)
    active_pis = _active(activity, "PI")
    order = [c for c in data.class_order if c in classes]
    return {
        "resistance_test": test_rule["then"]["resistance_test"],
        "resistance_test_rule": _conclusion(data, test_rule, levels, facts, rt),
        "resistance": order,
        "classes": [classes[c] for c in order],
        "outside": outside,
        "genes": genes,
        "integrase_genotyped": genes["IN"],
        "facts": facts,
        "drug_activity": activity,
        "active_nrtis": _active(activity, "NRTI"),
        "active_boosted_pis": active_pis,
        "boosted_pi_active": bool(active_pis) if genes["PR"] else None,
        "fully_active_agents": _count(data, activity, genes),
        "failing_drugs": _failing_drugs(regimen, activity),
        "warnings": _warnings(data, regimen, genes),
        "cutoffs": [dict(entry) for entry in data.cutoffs.values()],
        "limits": [dict(limit) for limit in data.limits],
    }
