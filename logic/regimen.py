"""A failing regimen typed as drug names, and its Table 11 regimen type.

Accepts what clinicians write: "TDF/FTC/EFV", "DTG + 3TC", "DRV/c + TAF/FTC",
"dolutegravir, tenofovir alafenamide, emtricitabine", or a list of such strings; case and
spacing do not matter. The names, classes and fixed-dose combinations are data
(``data/drugs.toml``); the regimen type is a decision table in the same file. Unknown names,
one drug alone, or a drug listed twice raise :class:`CaseError` naming the token.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from logic.case import CaseError
from logic.datatables import compile_tables
from logic.guideline_data import DataError, _read, load_data, loaded_key
from logic.guideline_data import GuidelineData as Guideline

FILE = "drugs"
CLASSES = {
    "NRTI",
    "NNRTI",
    "PI",
    "INSTI",
    "CCR5 antagonist",
    "fusion inhibitor",
    "post-attachment inhibitor",
    "attachment inhibitor",
    "capsid inhibitor",
    "booster",
}
GENERATIONS = {"first", "second"}
# Separators between agents. "/" is not one: it also joins a PI to its booster (DRV/c), so
# slashed text is matched against the names, longest first.
SEPARATORS = re.compile(r"\s*(?:[+,;&\n]|\band\b|\bplus\b|\bwith\b)\s*", re.IGNORECASE)
WORD = re.compile(r"[^/\s]+")
MAX_TEXT = 500
MAX_ITEMS = 20


def _key(text: str) -> str:
    """Spacing normalised (one space, none around "/"), case kept for messages."""
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"\s*/\s*", "/", text)


def _show(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


class DrugData:
    """The checked contents of ``drugs.toml``. Built once by :func:`drug_data`."""

    def __init__(self, raw: dict[str, Any], guideline: Guideline) -> None:
        self.guideline = guideline
        self.drugs: dict[str, dict] = {}
        for entry in raw.get("drugs", []):
            drug = self._drug(entry)
            if drug["abbr"] in self.drugs:
                raise DataError(FILE, drug["abbr"], "abbr", "defined twice")
            self.drugs[drug["abbr"]] = drug
        if not self.drugs:
            raise DataError(FILE, "drugs", "drugs", "missing or empty list")
        self.index: dict[str, tuple[str, ...]] = {}  # lower-case name -> agent abbreviations
        self.suffixes: dict[str, str] = {}  # one-letter booster marks, only after "/"
        self.ambiguous: dict[str, list[str]] = {}
        self.variants: dict[tuple[str, str], str] = {}  # (base, booster) -> boosted agent
        for drug in self.drugs.values():
            self._index_drug(drug)
        for (base, _booster), abbr in self.variants.items():
            if base.lower() not in self.index:  # "DRV + RTV" must find DRV to make DRV/r
                raise DataError(FILE, abbr, "base", f"'{base}' is not a drug name or alias")
        for entry in raw.get("ambiguous", []):
            self._ambiguous(entry)
        combinations = raw.get("combinations", [])
        self.combinations = [self._combination(c, n) for n, c in enumerate(combinations)]
        self.notes = {}
        for note in raw.get("notes", []):
            try:
                note["text"].format(drugs="")
            except (KeyError, IndexError, ValueError, AttributeError):
                raise DataError(
                    FILE, note.get("id", "?"), "text", "may name only {drugs}"
                ) from None
            self.notes[note["id"]] = note["text"]
        choices = guideline.fields["failing_regimen"]["choices"]
        self.labels = {choice["value"]: choice["label"] for choice in choices}
        vocab = {
            "failing_regimen": set(self.labels),
            "note": set(self.notes),
            "refuse": set(self.notes),
        }
        self.tables = compile_tables(FILE, raw.get("tables"), guideline, {}, vocab)
        if "regimen_type" not in self.tables:
            raise DataError(FILE, "tables", "id", "no table 'regimen_type'")

    def _drug(self, entry: dict) -> dict:
        abbr = str(entry.get("abbr", "?"))
        known = self.guideline.abbreviations.get(abbr)
        if known and "name" in entry:
            raise DataError(FILE, abbr, "name", "abbreviations.toml already names it: leave out")
        name = known["expansion"] if known else entry.get("name")
        if not name:
            raise DataError(FILE, abbr, "name", "required (abbreviations.toml does not have it)")
        if entry.get("class") not in CLASSES:
            raise DataError(FILE, abbr, "class", f"unknown class '{entry.get('class')}'")
        generation = entry.get("insti_generation")
        if (entry["class"] == "INSTI") != (generation in GENERATIONS):
            raise DataError(FILE, abbr, "insti_generation", "first or second, for INSTIs only")
        if not isinstance(entry.get("hivdb"), str):
            raise DataError(FILE, abbr, "hivdb", 'required: HIVdb\'s name, or "" for none')
        if entry.get("boosted") and not (entry.get("base") and entry.get("booster")):
            raise DataError(FILE, abbr, "base", "a boosted agent names its base and booster")
        return {**entry, "name": name, "moiety": entry.get("moiety", abbr)}

    def _add(self, name: str, abbrs: tuple[str, ...], owner: str) -> None:
        key = _key(name).lower()
        if key in self.index and self.index[key] != abbrs:
            raise DataError(FILE, owner, "names", f"'{name}' also names {self.index[key][0]}")
        self.index[key] = abbrs

    def _index_drug(self, drug: dict) -> None:
        abbr = drug["abbr"]
        for name in [abbr, drug["name"], *drug.get("names", []), *drug.get("aliases", [])]:
            if len(name) == 1:  # "r", "c": only as in DRV/r
                self.suffixes[name.lower()] = abbr
            else:
                self._add(name, (abbr,), abbr)
        if drug.get("boosted"):
            booster = self.drugs.get(drug["booster"])
            if not booster or booster["class"] != "booster":
                raise DataError(FILE, abbr, "booster", f"'{drug['booster']}' is not a booster")
            self.variants[(drug["base"], drug["booster"])] = abbr

    def _ambiguous(self, entry: dict) -> None:
        name = entry.get("name", "?")
        for choice in entry.get("choices", []):
            if choice not in self.drugs:
                raise DataError(FILE, name, "choices", f"unknown drug '{choice}'")
        if _key(name).lower() in self.index:
            raise DataError(FILE, name, "name", "already names a drug")
        self.ambiguous[_key(name).lower()] = entry["choices"]

    def _combination(self, entry: dict, number: int) -> tuple[str, ...]:
        parts = tuple(entry.get("components", []))
        where = "/".join(parts) or f"combination {number}"
        if len(parts) < 2:
            raise DataError(FILE, where, "components", "a combination has two or more drugs")
        for part in parts:
            if part not in self.drugs or self.drugs[part]["class"] == "booster":
                raise DataError(FILE, where, "components", f"'{part}' is not an agent")
        self._add("/".join(parts), parts, where)
        return parts

    def describe(self, abbr: str) -> dict[str, Any]:
        """One agent as the result shows it."""
        drug = self.drugs[abbr]
        out = {"abbr": abbr, "name": drug["name"], "class": drug["class"], "hivdb": drug["hivdb"]}
        if drug["class"] in ("PI", "INSTI") and "boosted" in drug:
            out["boosted"] = drug["boosted"]
        if drug.get("insti_generation"):
            out["insti_generation"] = drug["insti_generation"]
        if drug.get("hivdb_reading"):
            out["hivdb_reading"] = drug["hivdb_reading"]
        return out


def drug_data(edition: str | None = None) -> DrugData:
    """The checked drug data, checked against ``edition`` (None: the default edition); loaded
    once per process and edition."""
    return _drug_data(loaded_key(edition))


@cache
def _drug_data(key: tuple[str, str]) -> DrugData:
    return DrugData(_read(FILE), load_data(key[0]))


# --- parsing -----------------------------------------------------------------------------
def _chunks(value: Any, field: str) -> list[tuple[str, str]]:
    """(field, text) for each agent-sized piece, the field naming the list entry it came from."""
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, list | tuple):
        if len(value) > MAX_ITEMS:
            raise CaseError(field, f"{len(value)} entries: at most {MAX_ITEMS}")
        items = list(value)
    else:
        raise CaseError(field, f"{_show(repr(value))} is not a drug list: give text or a list")
    chunks = []
    for index, item in enumerate(items):
        where = field if isinstance(value, str) else f"{field}[{index}]"
        if not isinstance(item, str):
            raise CaseError(where, f"{_show(repr(item))} is not a drug name")
        if len(item) > MAX_TEXT:
            raise CaseError(where, f"too long ({len(item)} characters; at most {MAX_TEXT})")
        # A piece with no word in it ("/", " / ") names no drug: skipped like a blank one.
        chunks += [(where, c) for c in SEPARATORS.split(item) if WORD.search(c)]
    if not chunks:
        raise CaseError(field, "no drugs given: enter the failing regimen, e.g. TDF/FTC/EFV")
    return chunks


def _close(key: str, names: list[str]) -> list[str]:
    """Names close to ``key``: at least 0.6 alike, and within 0.1 of the closest."""
    import difflib  # only for a misspelt name: kept out of the import-time path

    matcher = difflib.SequenceMatcher(b=key)
    scored = []
    for name in names:
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            ratio = matcher.ratio()
            if ratio >= 0.6:
                scored.append((ratio, name))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [name for ratio, name in scored if ratio >= scored[0][0] - 0.1]


def _unknown(data: DrugData, token: str, field: str) -> CaseError:
    key = token.lower()
    if key in data.ambiguous:
        options = " or ".join(f"{a} ({data.drugs[a]['name']})" for a in data.ambiguous[key])
        return CaseError(field, f"'{_show(token)}' could be {options}: say which")
    names = _close(key, list(data.index))
    seen: list[str] = []
    for name in names:
        for abbr in data.index[name]:
            if abbr not in seen and len(data.index[name]) == 1:
                seen.append(abbr)
    hint = ""
    if seen:
        shown = ", ".join(f"{a} ({data.drugs[a]['name']})" for a in seen[:3])
        hint = f"; did you mean {shown}?"
    return CaseError(field, f"'{_show(token)}' is not a drug name we know{hint}")


def _match(data: DrugData, chunk: str, field: str) -> list[str]:
    """Abbreviations in ``chunk``, matching the longest known name at each position."""
    text = _key(chunk)
    whole = data.index.get(text.lower())
    if whole:
        return list(whole)
    words = list(WORD.finditer(text))
    found: list[str] = []
    start = 0
    while start < len(words):
        after_slash = start > 0 and "/" in text[words[start - 1].end() : words[start].start()]
        for end in range(len(words), start, -1):
            piece = text[words[start].start() : words[end - 1].end()].lower()
            if piece in data.index:
                found += data.index[piece]
                start = end
                break
        else:
            token = words[start].group()
            if after_slash and token.lower() in data.suffixes:
                found.append(data.suffixes[token.lower()])
                start += 1
                continue
            raise _unknown(data, token, field)
    return found


def _boost(data: DrugData, abbrs: list[str], field: str) -> list[str]:
    """Pair each booster with the drugs it boosts: DRV + RTV -> DRV/r. Boosters are not agents."""
    boosters = [a for a in abbrs if data.drugs[a]["class"] == "booster"]
    agents = [a for a in abbrs if data.drugs[a]["class"] != "booster"]
    for booster in dict.fromkeys(boosters):
        targets = [i for i, a in enumerate(agents) if (a, booster) in data.variants]
        for i in targets:
            agents[i] = data.variants[(agents[i], booster)]
        if not targets and not any(data.drugs[a].get("booster") == booster for a in agents):
            name = data.drugs[booster]["name"]
            raise CaseError(
                field,
                f"{name} ({booster}) boosts another drug, and none here is given with it: "
                "name the boosted drug, e.g. DRV/r or DRV/c",
            )
    return agents


def _no_duplicates(data: DrugData, agents: list[str], field: str) -> None:
    seen: dict[str, str] = {}
    for abbr in agents:
        moiety = data.drugs[abbr]["moiety"]
        if moiety in seen:
            first = seen[moiety]
            if first == abbr:
                raise CaseError(field, f"{abbr} is listed twice: list each drug once")
            raise CaseError(
                field, f"{first} and {abbr} are forms of the same drug: list the one taken"
            )
        seen[moiety] = abbr


def parse_regimen(value: Any, field: str = "regimen", edition: str | None = None) -> dict[str, Any]:
    """The regimen's agents, named, and its Table 11 type with the rule that decided it.

    Returns ``drugs`` (agents, boosters folded in), ``failing_regimen`` (a choice of the
    failing_regimen field), ``rule`` and ``source`` (the decision-table rule), ``note`` (why
    the type is "other", or None), ``insti``, ``nrtis`` and ``boosted_pi``.
    """
    data = drug_data(edition)
    abbrs: list[str] = []
    for where, chunk in _chunks(value, field):
        abbrs += _match(data, chunk, where)
    agents = _boost(data, abbrs, field)
    _no_duplicates(data, agents, field)
    classes = [data.drugs[a]["class"] for a in agents]
    boosted = [data.drugs[a].get("boosted") for a in agents]
    facts = {
        "agents": len(agents),
        "nrti": classes.count("NRTI"),
        "nnrti": classes.count("NNRTI"),
        "boosted_pi": sum(c == "PI" and b is True for c, b in zip(classes, boosted, strict=True)),
        "unboosted_pi": sum(c == "PI" and not b for c, b in zip(classes, boosted, strict=True)),
        "insti": classes.count("INSTI"),
        "other_mechanism": sum(c not in ("NRTI", "NNRTI", "PI", "INSTI") for c in classes),
    }
    rule = data.tables["regimen_type"].run(facts)[0]
    then = rule["then"]
    shown = " + ".join(agents)
    if "refuse" in then:
        raise CaseError(field, data.notes[then["refuse"]].format(drugs=shown))
    instis = [a for a in agents if data.drugs[a]["class"] == "INSTI"]
    pis = [a for a in agents if data.drugs[a]["class"] == "PI" and data.drugs[a].get("boosted")]
    return {
        "drugs": [data.describe(a) for a in agents],
        "text": shown,
        "failing_regimen": then["failing_regimen"],
        "label": data.labels[then["failing_regimen"]],
        "rule": rule["id"],
        "source": dict(rule["source"]),
        "facts": facts,
        "note": data.notes[then["note"]].format(drugs=shown) if "note" in then else None,
        "insti": data.describe(instis[0]) if len(instis) == 1 else None,
        "nrtis": [a for a in agents if data.drugs[a]["class"] == "NRTI"],
        "boosted_pi": data.describe(pis[0]) if len(pis) == 1 else None,
    }


def shortcut_disagreement(
    regimen: dict[str, Any], shortcut: str | None, edition: str | None = None
) -> str | None:
    """A sentence for the user when the class shortcut and the drugs give different types."""
    if shortcut is None or shortcut == regimen["failing_regimen"]:
        return None
    labels = drug_data(edition).labels
    chosen = labels.get(shortcut, str(shortcut))
    return (
        f"The drugs entered ({regimen['text']}) make the regimen type "
        f"'{regimen['label']}', but the failing-regimen choice says '{chosen}'. "
        "Check which is right."
    )


def drug_choices(edition: str | None = None) -> dict[str, Any]:
    """Every agent, booster and combination by name, for a type-ahead drug picker."""
    data = drug_data(edition)
    drugs = [
        {
            **data.describe(abbr),
            "aliases": list(drug.get("aliases", [])),
            "names": list(drug.get("names", [])),
            "investigational": bool(drug.get("investigational")),
        }
        for abbr, drug in data.drugs.items()
    ]
    return {"drugs": drugs, "combinations": ["/".join(c) for c in data.combinations]}
