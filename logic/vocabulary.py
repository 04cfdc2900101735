"""How facts, conditions, values and ratings read: one vocabulary for every page and the browser.

The words live in ``logic/vocabulary.toml``; this module checks them against the guideline data
when first used (every fact a decision table reads is worded, every band a rule names, every
Table 11 row, every placeholder fills) and words:

- a fact (``label``), one of its values (``value``), a decision-table condition (``condition``,
  ``when``) and a rule's inputs from a trace (``inputs``, ``word_trace``);
- a rating (``rating_title``, ``rating_words``) and its absence (``unrated``).

Standard library only; it runs in the browser's worker too, where ``word_trace`` gives the
walkthrough and the case pages their worded "Why" lines, so JavaScript never re-words a fact.
"""

from __future__ import annotations

import os
import string
import tomllib
from functools import cache
from typing import Any

from logic.guideline import DataError, Guideline, load
from logic.tables import numeric_test

FILE = "logic/vocabulary.toml"
PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vocabulary.toml")
VALUE_SETS = ("bands", "responses", "levels", "rows")
BANDS = ("undetectable", "low_level", "failure_level", "none")
WORDS = (
    "yes",
    "no",
    "not_answered",
    "none",
    "no_response",
    "resistance_found",
    "unrated",
    "unrated_title",
    "no_condition",
)
# What a rule can conclude (the keys of its ``then``); [conclusions] words each, "{value}" being
# the concluded value in words (a recommendation's or reason's own text, a row's label...).
CONCLUSIONS = (
    "response",
    "repeat",
    "level",
    "scenario",
    "reason",
    "recommendations",
    "ask",
    "caution",
)
OPERATOR_WORDS = {
    "<": "below",
    "<=": "at most",
    ">": "above",
    ">=": "at least",
    "=": "equal to",
    "!=": "not",
}


class VocabularyError(DataError):
    """The vocabulary file is wrong; the message names the file, the entry and the field. A
    DataError, so whatever reports logic's data errors (the generator) reports it too."""

    def __init__(self, entry: str, field: str, message: str, file: str = FILE) -> None:
        self.file, self.entry, self.field = file, entry, field
        ValueError.__init__(self, f"{file}: entry '{entry}', field '{field}': {message}")


def number(value: float | int) -> str:
    """A number as the pages print it: thousands separated, no trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}"


class Vocabulary:
    """The checked words for one guideline's facts, values and ratings."""

    def __init__(self, raw: dict[str, Any], guideline: Guideline, file: str = FILE) -> None:
        self.g, self.file = guideline, file
        known = {"words", "bands", "rows", "facts", "conclusions"}
        for key in raw:
            if key not in known:
                self._fail(key, "-", f"unknown table (allowed: {', '.join(sorted(known))})")
        self.words = self._texts(raw, "words", WORDS, extra=("resistance",))
        self.bands = self._texts(raw, "bands", BANDS)
        self.rows = self._texts(raw, "rows", tuple(guideline.rows))
        self.conclusions = self._texts(raw, "conclusions", CONCLUSIONS, extra=("value",))
        self.facts: dict[str, dict[str, str]] = {}
        facts = raw.get("facts")
        if not isinstance(facts, dict):
            self._fail("facts", "-", "expected [facts.<id>] tables")
        for fact, spec in facts.items():
            self.facts[fact] = self._fact(fact, spec)
        for table in guideline.tables.values():
            for fact in table["inputs"]:
                worded = fact in self.facts or fact in guideline.fields
                if not worded and not fact.startswith("res_"):
                    self._fail(
                        f"facts.{fact}",
                        "label",
                        f"decision table '{table['id']}' reads this fact: word it",
                    )
            for rule in table["rules"]:
                for key in rule["then"]:
                    if key not in CONCLUSIONS:
                        self._fail("conclusions", key, f"rule {rule['id']} concludes it: word it")
                for fact, condition in rule.get("when", {}).items():
                    if self.facts.get(fact, {}).get("values") == "bands":
                        for value in condition if isinstance(condition, list) else [condition]:
                            if value not in self.bands and value != "?":
                                self._fail("bands", str(value), f"rule {rule['id']} uses it")

    # -- checking ----------------------------------------------------------------------

    def _fail(self, entry: str, field: str, message: str) -> None:
        raise VocabularyError(entry, field, message, self.file)

    def _fill(self, text: Any, entry: str, field: str, extra: tuple[str, ...] = ()) -> str:
        if not isinstance(text, str) or not text.strip() or "\n" in text:
            self._fail(entry, field, "must be a non-empty, single-line string")
        names = {**self.g.thresholds, **{name: "{" + name + "}" for name in extra}}
        try:
            return string.Formatter().vformat(text, (), names).strip()
        except KeyError as error:
            self._fail(entry, field, f"unknown placeholder {{{error.args[0]}}}")
        except (ValueError, IndexError, AttributeError, TypeError) as error:
            self._fail(entry, field, f"cannot fill in a placeholder: {error}")
        raise AssertionError  # unreachable: _fail raises

    def _texts(
        self, raw: dict, table: str, names: tuple[str, ...], extra: tuple[str, ...] = ()
    ) -> dict[str, str]:
        data = raw.get(table)
        if not isinstance(data, dict):
            self._fail(table, "-", f"required [{table}] table is missing")
        for name in data:
            if name not in names:
                self._fail(table, name, f"unknown (allowed: {', '.join(names)})")
        out = {}
        for name in names:
            if name not in data:
                self._fail(table, name, "missing: word it")
            out[name] = self._fill(data[name], table, name, extra)
        return out

    def _fact(self, fact: str, spec: Any) -> dict[str, str]:
        entry = f"facts.{fact}"
        if not isinstance(spec, dict):
            self._fail(entry, "-", "must be a table")
        for key in spec:
            if key not in ("label", "values", "unit"):
                self._fail(entry, key, "unknown field (allowed: label, values, unit)")
        values = spec.get("values", "")
        choices = {f for f, d in self.g.fields.items() if d.get("choices")}
        if values and values not in (*VALUE_SETS, *choices):
            self._fail(
                entry,
                "values",
                f"'{values}' is not one of {', '.join(VALUE_SETS)} or a choice field of the inputs",
            )
        unit = spec.get("unit", "")
        if not isinstance(unit, str):
            self._fail(entry, "unit", "must be text")
        return {
            "label": self._fill(spec.get("label"), entry, "label"),
            "values": values,
            "unit": unit,
        }

    # -- words -------------------------------------------------------------------------

    def _choice(self, field: str, value: str) -> str:
        for choice in self.g.fields[field].get("choices", []):
            if choice["value"] == value:
                return choice["label"]
        return str(value)

    def label(self, fact: str) -> str:
        """How a fact reads: its own label, a case field's label, or a resistance finding."""
        if fact in self.facts:
            return self.facts[fact]["label"]
        if fact in self.g.fields:
            return self.g.fields[fact]["label"]
        if fact.startswith("res_"):
            found = self._choice("resistance", fact[len("res_") :])
            return self.words["resistance_found"].format(resistance=found)
        return fact

    def unit(self, fact: str) -> str:
        return self.facts.get(fact, {}).get("unit", "")

    def value(self, fact: str, value: Any) -> str:
        """One value of a fact in words (a number with the fact's unit, a list joined)."""
        w = self.words
        if value is None:
            return w["not_answered"]
        if isinstance(value, bool):
            return w["yes"] if value else w["no"]
        if isinstance(value, int | float):
            unit = self.unit(fact)
            return number(value) + (f" {unit}" if unit else "")
        if isinstance(value, list | tuple):
            return ", ".join(self.value(fact, item) for item in value) or w["none"]
        return self.values(fact).get(value, str(value))

    def values(self, fact: str) -> dict[str, str]:
        """Every value a fact with named values can take -> its words (empty for the others)."""
        g = self.g
        source = self.facts.get(fact, {}).get("values") or fact
        if source == "bands":
            return dict(self.bands)
        if source == "responses":
            return {**{r: v["label"] for r, v in g.responses.items()}, "none": self.words["none"]}
        if source == "levels":
            return {v: x["label"] for v, x in g.viremia_levels.items()}
        if source == "rows":
            return dict(self.rows)
        if source in g.fields and g.fields[source].get("choices"):
            return {c["value"]: c["label"] for c in g.fields[source]["choices"]}
        return {}

    def numeric(self, condition: Any, unit: str = "") -> str | None:
        """A numeric test in words ("above 200 and at most 1,000 copies/mL"), or None."""
        test = numeric_test(condition)
        if not test:
            return None

        def bound(token: str) -> str:
            token = token.strip()
            return number(self.g.thresholds[token[1:]] if token[0] == "$" else float(token))

        unit = f" {unit}" if unit else ""
        if test[0] == "interval":
            _, low_open, low, high, high_open = test
            low_text = f"{OPERATOR_WORDS['>' if low_open else '>=']} {bound(low)}"
            high_text = f"{OPERATOR_WORDS['<' if high_open else '<=']} {bound(high)}"
            return f"{low_text} and {high_text}{unit}"
        return f"{OPERATOR_WORDS[test[1]]} {bound(test[2])}{unit}"

    def condition(self, fact: str, condition: Any) -> str:
        """A rule's test of one fact in words: any-of joined by "or", "?" as not answered."""
        if isinstance(condition, list):
            return " or ".join(self.condition(fact, item) for item in condition)
        if condition == "?":
            return self.words["not_answered"]
        if isinstance(condition, bool):
            return self.value(fact, condition)
        return self.numeric(condition, self.unit(fact)) or self.value(fact, condition)

    def when(self, rule: dict[str, Any]) -> list[str]:
        """A rule's conditions, each as "Fact: test"."""
        return [f"{self.label(f)}: {self.condition(f, c)}" for f, c in rule.get("when", {}).items()]

    def when_text(self, rule: dict[str, Any]) -> str:
        """A rule's conditions as one line ("Fact: test; Fact: test")."""
        return "; ".join(self.when(rule)) or self.words["no_condition"]

    def inputs(self, inputs: dict[str, Any]) -> list[str]:
        """The facts a rule read (a trace entry's ``inputs``), each as "Fact: value"."""
        return [f"{self.label(fact)}: {self.value(fact, v)}" for fact, v in inputs.items()]

    # -- ratings -----------------------------------------------------------------------

    def rating_parts(self, code: str) -> tuple[str, str] | None:
        """``"AIII"`` -> ``("A", "III")``; None when ``code`` is not a rating of the scheme."""
        strength, evidence = self.scheme()
        if code and code[:1] in strength and code[1:] in evidence:
            return code[:1], code[1:]
        return None

    def scheme(self) -> tuple[dict[str, str], dict[str, str]]:
        """(strength code -> label, evidence code -> label), strongest first."""
        data = self.g.rating_scheme
        return (
            {item["code"]: item["label"] for item in data["strength"]},
            {item["code"]: item["label"] for item in data["evidence"]},
        )

    def rating_title(self, code: str) -> str:
        """``"AI"`` -> ``"AI — Strong recommendation; data from randomized controlled trials"``."""
        strength, evidence = self._rating(code)
        return f"{code} — {strength} recommendation; {_lower_first(evidence)}"

    def rating_words(self, code: str) -> str:
        """``"AI"`` -> ``"strong recommendation, based on data from randomized ..."``."""
        strength, evidence = self._rating(code)
        return f"{strength.lower()} recommendation, based on {_lower_first(evidence)}"

    def _rating(self, code: str) -> tuple[str, str]:
        parts = self.rating_parts(code)
        strength, evidence = self.scheme()
        if parts is None:
            every = ", ".join(s + e for s in strength for e in evidence)
            raise ValueError(f"unknown rating {code!r} (allowed: {every})")
        return strength[parts[0]], evidence[parts[1]]

    def conclusion(self, then: dict[str, Any]) -> list[str]:
        """What a rule concludes, in plain words without identifiers (the answer's folded
        "why"): one line per conclusion, one per recommendation."""
        g, lines = self.g, []
        for key, value in then.items():
            if key not in self.conclusions:
                raise ValueError(f"a rule concludes {key!r}: no words for it in {self.file}")
            said = {
                "response": lambda v: [self.value("response", v)],
                "repeat": lambda v: [g.repeats[v]["what"]],
                "level": lambda v: [self.value("level", v)],
                "scenario": lambda v: [self.rows[v]],
                "reason": lambda v: [g.reasons[v]["text"]],
                "recommendations": lambda v: [g.recommendations[r]["text"] for r in v],
                "ask": lambda v: ["; ".join(g.fields[f]["label"] for f in v)],
                "caution": lambda v: [g.cautions[v]["title"]],
            }[key](value)
            lines += [self.conclusions[key].format(value=text) for text in said]
        return lines

    def latest(self, result: dict[str, Any]) -> dict[str, str]:
        """The latest result of an evaluation in words: ``{"latest": "1,200 copies/mL" or "below
        the LLOD (50 copies/mL)", "latest_week": "24"}``."""
        viremia = result["viremia"]
        if viremia["below_llod"]:
            llod = self.value("latest_copies", result["case"]["llod"])
            latest = f"{self.bands['undetectable']} ({llod})"
        else:
            latest = self.value("latest_copies", viremia["latest_copies"])
        return {"latest": latest, "latest_week": self.value("latest_week", viremia["latest_week"])}

    def rating_legend(self) -> str:
        """The rating scheme in one line, for a printed answer (on screen it is one click away)."""
        strength, evidence = self.scheme()
        letters = ", ".join(f"{code} {label.lower()}" for code, label in strength.items())
        numerals = "; ".join(f"{code} {_lower_first(text)}" for code, text in evidence.items())
        return f"Ratings: strength of the recommendation {letters}; quality of evidence {numerals}."

    def unrated(self) -> dict[str, str]:
        """The words of the "not rated" mark: its text and its title."""
        return {"text": self.words["unrated"], "title": self.words["unrated_title"]}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def read(path: str = PATH, file: str = FILE) -> dict[str, Any]:
    """The vocabulary file parsed; a failure is one line naming the file."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise VocabularyError("-", "-", f"cannot read the file: {error.strerror}", file) from None
    except tomllib.TOMLDecodeError as error:
        raise VocabularyError("-", "-", f"not valid TOML: {error}", file) from None


def vocabulary(g: Guideline | None = None) -> Vocabulary:
    """The checked vocabulary for an edition (None: the default edition), built once per
    edition per process."""
    return _vocabulary(g or load())


@cache
def _vocabulary(g: Guideline) -> Vocabulary:
    return Vocabulary(read(), g)


def word_trace(result: dict[str, Any], g: Guideline | None = None) -> list[dict[str, Any]]:
    """Each trace entry of a ``logic.evaluate`` result with the facts its rule read in words:
    ``[{"rule": "RESP-05", "table": "response", "inputs": ["Latest result: ..."]}, ...]``, in the
    trace's order (the "Why" lines of the walkthrough and the case pages)."""
    words = vocabulary(g)
    return [
        {"rule": entry["rule"], "table": entry["table"], "inputs": words.inputs(entry["inputs"])}
        for entry in result["trace"]
    ]


def word_case(result: dict[str, Any], g: Guideline | None = None) -> dict[str, Any]:
    """What the browser shows of an evaluation in words, beside the result (which stays as
    logic's vectors pin it): ``{"trace": word_trace(result), "facts": [...], "latest": ...,
    "latest_week": ...}``, where ``facts`` is the case as logic read it, each ``{"field",
    "label", "value"}`` in words, and ``latest`` the latest result (:meth:`Vocabulary.latest`)."""
    words = vocabulary(g)
    case = result.get("case", {})
    facts = [
        {"field": fid, "label": spec["label"], "value": words.value(fid, case.get(fid))}
        for fid, spec in words.g.fields.items()
        if fid != "viral_loads" and fid in case
    ]
    return {"trace": word_trace(result, g), "facts": facts, **words.latest(result)}
