"""The trainee case library: ``docs/cases/``.

Each case is a TOML file in ``generator/content/cases/`` (``_library.toml`` there holds the
library's vocabulary). A case is a short vignette, its input for :func:`logic.evaluate` and a
list of questions that step through the reasoning. The right answers are never written in a
case file: they are whatever ``logic`` concludes. A case file may state the answers its author
``expected``; the build compares them with ``logic`` and stops, naming the file, the case and
the question, when they differ.

Pages written:

* ``cases/index.md`` — the library, filterable by topic and difficulty (a plain list without
  JavaScript), and a table of what the library covers;
* ``cases/<id>.md`` — the case, with its questions as a form that ``cases-page.mjs`` grades in the
  browser by running ``logic`` in the walkthrough's Pyodide worker;
* ``cases/print/<id>.md`` — the printable sheet, without answers;
* ``cases/teacher/<id>.md`` — the teacher's sheet: every answer as ``logic`` computes it, with the
  rules that fired, their inputs, ratings and links to the source sections on this site.

What the browser needs to explain an answer (how a rule's facts read, what a wrong choice would
have implied, where each section lives) is embedded in the case page as JSON, built from
``logic``'s data here — never retyped.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import logic
from generator import ratings, site_links
from generator.conditions import condition_words, number
from generator.core import ContentError, Context, Output, load_toml
from logic import Guideline
from logic.chart import course_figure, render_svg, unclassified

CASES_FOLDER = "cases"
LIBRARY_FILE = "_library.toml"
OUTPUT_DIR = "cases"
INDEX_PAGE = f"{OUTPUT_DIR}/index.md"
# Case ids become page names next to these: cases/<id>.md, cases/print/, cases/teacher/.
RESERVED_IDS = frozenset({"index", "print", "teacher"})
CASE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASE_KEYS = ("id", "title", "topic", "difficulty", "summary", "vignette", "labs", "case")
CASE_KEYS += ("questions",)
QUESTION_KEYS = ("ask", "choices", "expected")
# Question kinds, in the order the reasoning goes. Choices for the others come from logic.
KINDS = ("response", "viremia_level", "management", "scenario", "best_option", "cautions")
CHOICES_REQUIRED = ("management",)
CHOICES_ALLOWED = ("management", "cautions")
# The vignette describes the patient; viral loads are shown from the case input, never retyped.
RETYPED_VIRAL_LOAD = re.compile(r"copies\s*/\s*ml", re.IGNORECASE)


# --------------------------------------------------------------------------- small helpers


def page_url(path: str) -> str:
    """The URL (relative to the site root) MkDocs gives a docs-relative Markdown path."""
    path, _, anchor = path.partition("#")
    url = path.removesuffix("index.md") if path.endswith("index.md") else path[:-3] + "/"
    return url + (f"#{anchor}" if anchor else "")


def href(target: str, from_page: str) -> str:
    """A link for raw HTML (which MkDocs does not rewrite) from page ``from_page`` to the
    docs-relative Markdown path ``target`` (which may carry an ``#anchor``)."""
    url = page_url(target)
    path, _, anchor = url.partition("#")
    base = page_url(from_page)
    link = posixpath.relpath(path or ".", base or ".") + "/"
    return link + (f"#{anchor}" if anchor else "")


def data_attribute(data: Any) -> str:
    """JSON for a ``data-`` attribute, HTML-escaped. Not a ``<script type="application/json">``:
    Material's instant navigation re-creates inline scripts without their type, so it would run
    JSON as JavaScript."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return html.escape(text, quote=True)


def _plain_string(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _one_line(value: Any) -> bool:
    return _plain_string(value) and "\n" not in value


# --------------------------------------------------------------------------- the library


@dataclass
class QuestionKind:
    ask: str
    title: str
    prompt: str
    multi: bool


@dataclass
class Library:
    path: Path
    topics: dict[str, str]
    difficulties: dict[str, str]
    kinds: dict[str, QuestionKind]
    facts: dict[str, str]
    bands: dict[str, str]
    g: Guideline  # the edition the cases are answered by (context.guideline)


def _labelled(path: Path, data: dict, key: str) -> dict[str, str]:
    entries = data.get(key)
    if not isinstance(entries, list) or not entries:
        raise ContentError(path, key, None, "expected a non-empty list of { id, label }")
    out: dict[str, str] = {}
    for entry in entries:
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str) or not CASE_ID.match(ident):
            raise ContentError(path, key, "id", f"{ident!r} is not a lower-case-with-dashes id")
        if ident in out:
            raise ContentError(path, ident, "id", "defined twice")
        if not _one_line(entry.get("label")):
            raise ContentError(path, ident, "label", "must be a non-empty, single-line string")
        unknown = sorted(set(entry) - {"id", "label"})
        if unknown:
            raise ContentError(path, ident, unknown[0], "unknown field (allowed: id, label)")
        out[ident] = entry["label"]
    return out


def _fill(text: str, path: Path, entry: str, name: str, g: Guideline) -> str:
    try:
        return text.format_map(g.thresholds)
    except (KeyError, ValueError, IndexError) as error:
        raise ContentError(path, entry, name, f"cannot fill in {text!r}: {error}") from None


def rule_facts(g: Guideline) -> set[str]:
    """Every fact a decision rule of logic tests."""
    return {fact for table in g.tables.values() for fact in table["inputs"]}


def load_library(context: Context) -> Library:
    path = context.content_dir / CASES_FOLDER / LIBRARY_FILE
    data = load_toml(path)
    allowed = {"topics", "difficulties", "questions", "facts", "bands"}
    for key in sorted(set(data) - allowed):
        raise ContentError(
            path, key, None, f"unknown table (allowed: {', '.join(sorted(allowed))})"
        )
    kinds: dict[str, QuestionKind] = {}
    questions = data.get("questions", [])
    if not isinstance(questions, list) or not all(isinstance(q, dict) for q in questions):
        raise ContentError(path, "questions", None, "expected a list of [[questions]] tables")
    for entry in questions:
        ask = entry.get("ask")
        if ask not in KINDS:
            raise ContentError(
                path, str(ask), "ask", f"unknown question (allowed: {', '.join(KINDS)})"
            )
        if ask in kinds:
            raise ContentError(path, ask, "ask", "defined twice")
        for name in ("title", "prompt"):
            if not _one_line(entry.get(name)):
                raise ContentError(path, ask, name, "must be a non-empty, single-line string")
        if not isinstance(entry.get("multi"), bool):
            raise ContentError(path, ask, "multi", "must be true or false")
        kinds[ask] = QuestionKind(ask, entry["title"], entry["prompt"], entry["multi"])
    if list(kinds) != list(KINDS):
        raise ContentError(
            path,
            "questions",
            "ask",
            f"expected one entry for each of, in order: {', '.join(KINDS)}",
        )
    facts = data.get("facts", {})
    bands = data.get("bands", {})
    for table, values in (("facts", facts), ("bands", bands)):
        if not isinstance(values, dict):
            raise ContentError(path, table, None, "expected a table of labels")
        for name, label in values.items():
            if not _one_line(label):
                raise ContentError(path, table, name, "must be a non-empty, single-line string")
    guideline = context.guideline
    resistance = {f"res_{c['value']}" for c in guideline.fields["resistance"]["choices"]}
    for fact in sorted(rule_facts(guideline) - set(guideline.fields) - resistance - set(facts)):
        raise ContentError(path, "facts", fact, "logic's decision rules test this fact: label it")
    for fact in sorted(rule_facts(guideline)):
        if not fact.endswith("_band"):
            continue
        for table in guideline.tables.values():
            for rule in table["rules"]:
                values = rule.get("when", {}).get(fact)
                for value in values if isinstance(values, list) else [values]:
                    if value is not None and value not in bands:
                        raise ContentError(
                            path, "bands", str(value), f"rule {rule['id']} uses it: label it"
                        )
    bands = {name: _fill(label, path, "bands", name, guideline) for name, label in bands.items()}
    return Library(
        path=path,
        topics=_labelled(path, data, "topics"),
        difficulties=_labelled(path, data, "difficulties"),
        kinds=kinds,
        facts=facts,
        bands=bands,
        g=guideline,
    )


# --------------------------------------------------------------------------- words for rules


def row_labels(g: Guideline) -> dict[str, str]:
    """A short, unique label for each Table 11 row."""
    rows = g.rows
    labels = {rid: f"{row['group']} — {row['failing_regimen']}" for rid, row in rows.items()}
    repeated = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    for rid, label in labels.items():
        if label in repeated:  # rows told apart by their resistance considerations
            first_sentence = rows[rid]["resistance"].split(". ")[0].rstrip(".")
            labels[rid] = f"{label} — {first_sentence}"
    return labels


class Words:
    """How logic's facts and rules read to a trainee (used by the teacher's sheet here and,
    as JSON, by cases-page.mjs)."""

    def __init__(self, library: Library) -> None:
        guideline = self.g = library.g
        self.thresholds = guideline.thresholds
        self.labels: dict[str, str] = dict(library.facts)
        self.values: dict[str, dict[str, str]] = {}
        for fid, spec in guideline.fields.items():
            self.labels[fid] = spec["label"]
            if spec.get("choices"):
                self.values[fid] = {c["value"]: c["label"] for c in spec["choices"]}
        for choice in guideline.fields["resistance"]["choices"]:
            self.labels[f"res_{choice['value']}"] = choice["label"]
        self.labels["resistance_outside_row"] = library.facts.get(
            "resistance_outside_row", "resistance_outside_row"
        )
        self.values["resistance_outside_row"] = self.values["resistance"]
        for fact in rule_facts(guideline):
            if fact.endswith("_band"):
                self.values[fact] = dict(library.bands)
        self.values["response"] = {r: v["label"] for r, v in guideline.responses.items()}
        self.values["level"] = {v: x["label"] for v, x in guideline.viremia_levels.items()}
        self.values["scenario"] = row_labels(guideline)

    def to_json(self) -> dict[str, Any]:
        return {"labels": self.labels, "values": self.values}

    def value(self, fact: str, value: Any) -> str:
        if value is None:
            return "not answered"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int | float):
            return number(value)
        if isinstance(value, list | tuple):
            return ", ".join(self.value(fact, item) for item in value) or "none"
        return self.values.get(fact, {}).get(value, str(value))

    def inputs(self, inputs: dict[str, Any]) -> list[str]:
        """A rule's inputs from the trace, as "Label: value" lines."""
        return [f"{self.labels.get(k, k)}: {self.value(k, v)}" for k, v in inputs.items()]

    def condition(self, fact: str, condition: Any) -> str:
        return condition_words(condition, self.thresholds, lambda item: self.value(fact, item))

    def when(self, rule: dict) -> str:
        conditions = rule.get("when", {})
        if not conditions:
            return "no earlier rule of its table applies"
        return "; ".join(
            f"{self.labels.get(fact, fact)}: {self.condition(fact, cond)}"
            for fact, cond in conditions.items()
        )


def rules_concluding(
    g: Guideline, key: str, value: str, tables: tuple[str, ...] | None = None
) -> list[dict]:
    """logic's rules whose conclusion sets ``key`` to (or, for lists, includes) ``value``."""
    found = []
    for table in g.tables.values():
        if tables and table["id"] not in tables:
            continue
        for rule in table["rules"]:
            then = rule["then"].get(key)
            if then == value or (isinstance(then, list) and value in then):
                found.append(rule)
    return found


def concludable_recommendations(g: Guideline) -> set[str]:
    return {
        rec
        for table in g.tables.values()
        for rule in table["rules"]
        for rec in rule["then"].get("recommendations", [])
    }


# --------------------------------------------------------------------------- ratings


def rating_rank(rating: str, g: Guideline) -> tuple[int, int] | None:
    """(strength, evidence) positions in the rating scheme: lower is higher. None if unrated."""
    parts = ratings.split(rating, g)
    if parts is None:
        return None
    strength, evidence = ratings.scheme(g)
    return list(strength).index(parts[0]), list(evidence).index(parts[1])


def highest_options(options: list[dict], g: Guideline) -> list[str]:
    """1-based numbers (as strings) of the options with the highest rating."""
    ranks = [rating_rank(option["rating"], g) for option in options]
    rated = [rank for rank in ranks if rank is not None]
    if not rated:
        return []
    best = min(rated)
    return [str(n) for n, rank in enumerate(ranks, 1) if rank == best]


# --------------------------------------------------------------------------- cases


@dataclass
class Choice:
    value: str
    label: str
    implied: dict[str, Any] | None = None


@dataclass
class Question:
    number: int
    kind: QuestionKind
    choices: list[Choice]
    correct: list[str]
    expected: Any = None

    @property
    def ask(self) -> str:
        return self.kind.ask


@dataclass
class Case:
    id: str
    file: Path
    title: str
    topic: str
    difficulty: str
    summary: str
    vignette: str
    cd4: list[dict[str, Any]]
    input: dict[str, Any]
    result: dict[str, Any]
    questions: list[Question] = field(default_factory=list)

    @property
    def page(self) -> str:
        return f"{OUTPUT_DIR}/{self.id}.md"

    @property
    def print_page(self) -> str:
        return f"{OUTPUT_DIR}/print/{self.id}.md"

    @property
    def teacher_page(self) -> str:
        return f"{OUTPUT_DIR}/teacher/{self.id}.md"

    def question(self, ask: str) -> Question | None:
        return next((q for q in self.questions if q.ask == ask), None)


def _rule_refs(words: Words, rules: list[dict]) -> list[dict[str, str]]:
    return [{"id": rule["id"], "when": words.when(rule)} for rule in rules]


def _choices(kind: str, case_choices: list[str] | None, result: dict, words: Words) -> list[Choice]:
    """Every answer the trainee may choose, with what choosing it would imply (from logic)."""
    guideline = words.g
    if kind == "response":
        out = []
        for rid, response in guideline.responses.items():
            rules = rules_concluding(guideline, "response", rid, ("response",))
            definition = guideline.definitions.get(response["definition"])
            repeats = [
                guideline.repeats[r["then"]["repeat"]] for r in rules if "repeat" in r["then"]
            ]
            implied = {
                "term": definition["term"] if definition else "",
                "text": definition["text"] if definition else "",
                "applied": definition["applied"] if definition else "",
                "repeat": [r["what"] for r in repeats],
                "section": rules[0]["source"]["section"],
                "rules": _rule_refs(words, rules),
            }
            out.append(Choice(rid, response["label"], implied))
        return out
    if kind == "viremia_level":
        out = []
        for lid, level in guideline.viremia_levels.items():
            rules = rules_concluding(guideline, "level", lid, ("viremia",))
            rec_ids = [
                r["source"]["recommendation"] for r in rules if r["source"].get("recommendation")
            ]
            recs = [guideline.recommendations[r] for r in rec_ids]
            implied = {
                "recommendations": [
                    {"text": rec["text"], "rating": rec.get("rating", "")} for rec in recs
                ],
                "section": rules[0]["source"]["section"],
                "rules": _rule_refs(words, rules),
            }
            out.append(Choice(lid, level["label"], implied))
        return out
    if kind == "management":
        out = []
        for rec_id in case_choices or []:
            rec = guideline.recommendations[rec_id]
            implied = {
                "text": rec["text"],
                "rating": rec.get("rating", ""),
                "section": rec["sections"][0],
                "rules": _rule_refs(words, rules_concluding(guideline, "recommendations", rec_id)),
            }
            out.append(Choice(rec_id, rec["text"], implied))
        return out
    if kind == "scenario":
        out = []
        labels = row_labels(guideline)
        for rid, row in guideline.rows.items():
            implied = {
                "text": row["resistance"],
                "goal": row["goal"],
                "section": row["section"],
                "rules": _rule_refs(
                    words, rules_concluding(guideline, "scenario", rid, ("scenario",))
                ),
            }
            out.append(Choice(rid, labels[rid], implied))
        for reason in outcome_reasons(guideline):
            text = guideline.reasons[reason]["text"]
            rules = rules_concluding(guideline, "reason", reason, ("scenario", "row_fit"))
            implied = {
                "text": text,
                "section": rules[0]["source"]["section"],
                "rules": _rule_refs(words, rules),
            }
            out.append(Choice(reason, f"None — {text}", implied))
        return out
    if kind == "best_option":
        return [
            Choice(str(n), option_label(option)) for n, option in enumerate(result["options"], 1)
        ]
    if kind == "cautions":
        out = []
        for cid in case_choices or list(guideline.cautions):
            caution = guideline.cautions[cid]
            implied = {
                "text": caution["text"],
                "section": caution["section"],
                "rules": _rule_refs(
                    words, rules_concluding(guideline, "caution", cid, ("cautions",))
                ),
            }
            out.append(Choice(cid, caution["title"], implied))
        return out
    raise AssertionError(kind)


def outcome_reasons(g: Guideline) -> list[str]:
    """Reasons logic gives for placing a case in no Table 11 row — except "tell me more",
    which a finished case never gets (those rules ``ask`` for a missing answer)."""
    reasons = []
    for reason in g.reasons:
        rules = rules_concluding(g, "reason", reason, ("scenario", "row_fit"))
        if rules and not any(rule["then"].get("ask") for rule in rules):
            reasons.append(reason)
    return reasons


def option_label(option: dict) -> str:
    qualifiers = f" ({'; '.join(option['qualifiers'])})" if option["qualifiers"] else ""
    return option["text"] + qualifiers


def correct_answers(kind: str, result: dict, choices: list[Choice], g: Guideline) -> list[str]:
    """What logic's result makes right, among ``choices`` (the same rules as cases-page.mjs)."""
    offered = [choice.value for choice in choices]
    if kind == "response":
        return [result["response"]]
    if kind == "viremia_level":
        return [result["viremia"]["level"]]
    if kind == "management":
        given = {rec["id"] for rec in result["management"]}
        return [value for value in offered if value in given]
    if kind == "scenario":
        return [result["scenario"] or result["scenario_reason"]["id"]]
    if kind == "best_option":
        return highest_options(result["options"], g)
    if kind == "cautions":
        raised = {caution["id"] for caution in result["cautions"]}
        return [value for value in offered if value in raised]
    raise AssertionError(kind)


def explaining_rules(kind: str, result: dict) -> list[dict]:
    """The trace entries that explain an answer."""
    tables = {
        "response": ("response",),
        "viremia_level": ("viremia",),
        "scenario": ("scenario", "row_fit"),
        "best_option": ("scenario", "row_fit"),
        "cautions": ("cautions",),
    }
    if kind == "management":
        return [entry for entry in result["trace"] if entry["then"].get("recommendations")]
    return [entry for entry in result["trace"] if entry["table"] in tables[kind]]


class CaseFile:
    """Reads and checks one case file; every problem names the file, the case and the field."""

    def __init__(self, path: Path, library: Library, words: Words) -> None:
        self.path, self.library, self.words = path, library, words
        self.id = path.stem

    def error(self, field: str | None, message: str) -> ContentError:
        return ContentError(self.path, self.id, field, message)

    def load(self) -> Case:
        data = load_toml(self.path)
        for key in data:
            if key not in CASE_KEYS:
                raise self.error(key, f"unknown field (allowed: {', '.join(CASE_KEYS)})")
        if data.get("id") != self.id:
            raise self.error("id", f"must be {self.id!r}, the file's name without .toml")
        if not CASE_ID.match(self.id) or self.id in RESERVED_IDS:
            raise self.error(
                "id",
                "use lower-case words joined by dashes, other than "
                + ", ".join(sorted(RESERVED_IDS)),
            )
        for name in ("title", "summary"):
            if not _one_line(data.get(name)):
                raise self.error(name, "must be a non-empty, single-line string")
        vignette = data.get("vignette")
        if not _plain_string(vignette):
            raise self.error("vignette", "must be a non-empty string")
        if RETYPED_VIRAL_LOAD.search(vignette):
            raise self.error(
                "vignette",
                "mentions copies/mL: the viral loads are shown from [case].viral_loads, "
                "do not retype them in the vignette",
            )
        for name, known in (
            ("topic", self.library.topics),
            ("difficulty", self.library.difficulties),
        ):
            if data.get(name) not in known:
                raise self.error(
                    name, f"{data.get(name)!r} is not one of: {', '.join(known)} ({LIBRARY_FILE})"
                )
        case_input = data.get("case")
        if not isinstance(case_input, dict):
            raise self.error("case", "expected a [case] table: the input for logic.evaluate")
        try:
            result = self.words.g.evaluate(case_input)
        except logic.CaseError as error:
            raise self.error(f"case.{error.field}", error.message) from None
        case = Case(
            id=self.id,
            file=self.path,
            title=data["title"].strip(),
            topic=data["topic"],
            difficulty=data["difficulty"],
            summary=data["summary"].strip(),
            vignette=vignette.strip(),
            cd4=self._cd4(data.get("labs", {})),
            input=case_input,
            result=result,
        )
        case.questions = self._questions(data.get("questions"), result)
        return case

    def _cd4(self, labs: Any) -> list[dict[str, Any]]:
        if not isinstance(labs, dict):
            raise self.error("labs", "expected a [labs] table")
        for key in labs:
            if key != "cd4":
                raise self.error(f"labs.{key}", "unknown field (allowed: cd4)")
        cd4 = labs.get("cd4", [])
        if not isinstance(cd4, list):
            raise self.error("labs.cd4", "expected a list of { week, cells }")
        for index, item in enumerate(cd4):
            where = f"labs.cd4[{index}]"
            if not isinstance(item, dict) or set(item) != {"week", "cells"}:
                raise self.error(where, "expected { week = ..., cells = ... }")
            for name in ("week", "cells"):
                value = item[name]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise self.error(f"{where}.{name}", "must be a whole number, 0 or more")
        return cd4

    def _questions(self, raw: Any, result: dict) -> list[Question]:
        if not isinstance(raw, list) or not raw:
            raise self.error("questions", "expected at least one [[questions]] entry")
        asked: list[str] = []
        for index, entry in enumerate(raw):  # the list's shape first, then each question
            where = f"questions[{index}]"
            if not isinstance(entry, dict):
                raise self.error(where, "expected a table")
            for key in entry:
                if key not in QUESTION_KEYS:
                    raise self.error(
                        f"{where}.{key}", f"unknown field (allowed: {', '.join(QUESTION_KEYS)})"
                    )
            ask = entry.get("ask")
            if ask not in KINDS:
                raise self.error(f"{where}.ask", f"{ask!r} is not one of: {', '.join(KINDS)}")
            if ask in asked:
                raise self.error(f"{where}.ask", f"{ask!r} is asked twice")
            if asked and KINDS.index(ask) < KINDS.index(asked[-1]):
                raise self.error(
                    f"{where}.ask",
                    f"{ask!r} comes after {asked[-1]!r}: ask in the order {', '.join(KINDS)}",
                )
            asked.append(ask)
        return [self._question(index, entry, result) for index, entry in enumerate(raw)]

    def _question(self, index: int, entry: dict, result: dict) -> Question:
        where = f"questions[{index}]"
        kind = self.library.kinds[entry["ask"]]
        name = f"question {index + 1} ({kind.title})"
        case_choices = self._case_choices(where, kind.ask, entry.get("choices"))
        self._check_applies(where, name, kind.ask, result)
        choices = _choices(kind.ask, case_choices, result, self.words)
        correct = correct_answers(kind.ask, result, choices, self.words.g)
        if kind.ask == "best_option" and len(correct) == len(choices):
            raise self.error(
                where,
                f"{name}: every option of this row is rated {result['options'][0]['rating']}, "
                "so no answer could be wrong: drop this question",
            )
        question = Question(index + 1, kind, choices, correct, entry.get("expected"))
        if "expected" in entry:
            self._check_expected(where, name, question, result)
        return question

    def _case_choices(self, where: str, ask: str, choices: Any) -> list[str] | None:
        if choices is None:
            if ask in CHOICES_REQUIRED:
                raise self.error(f"{where}.choices", f"a {ask!r} question lists its choices")
            return None
        if ask not in CHOICES_ALLOWED:
            raise self.error(f"{where}.choices", f"a {ask!r} question takes its choices from logic")
        guideline = self.words.g
        known = (
            concludable_recommendations(guideline)
            if ask == "management"
            else set(guideline.cautions)
        )
        if not isinstance(choices, list) or len(choices) < 2:
            raise self.error(f"{where}.choices", "list at least two choices")
        for n, choice in enumerate(choices):
            if choice not in known:
                what = (
                    "recommendation a decision rule can give" if ask == "management" else "caution"
                )
                raise self.error(f"{where}.choices[{n}]", f"{choice!r} is not a {what} in logic")
            if choices.index(choice) != n:
                raise self.error(f"{where}.choices[{n}]", f"{choice!r} is listed twice")
        return choices

    def _check_applies(self, where: str, name: str, ask: str, result: dict) -> None:
        if ask not in ("scenario", "best_option") or result["scenario"]:
            if ask == "best_option" and not highest_options(result["options"], self.words.g):
                raise self.error(
                    where, f"{name}: no option of this row is rated: drop this question"
                )
            return
        reason = result["scenario_reason"]["id"]
        if reason not in outcome_reasons(self.words.g):
            raise self.error(
                where,
                f"{name}: logic cannot place this case without: {', '.join(result['questions'])} "
                "(add it to [case] or drop this question)",
            )
        if ask == "best_option":
            raise self.error(
                where, f"{name}: no Table 11 row applies ({reason}): drop this question"
            )

    def _check_expected(self, where: str, name: str, question: Question, result: dict) -> None:
        expected = question.expected
        values = [choice.value for choice in question.choices]
        multiple = question.kind.multi or question.ask == "best_option"
        if question.ask == "best_option":
            items = expected if isinstance(expected, list) else [expected]
            if not all(isinstance(i, int) and not isinstance(i, bool) for i in items):
                raise self.error(
                    f"{where}.expected", "give the option's number in the row (1, 2...) or a list"
                )
            items = [str(item) for item in items]
        elif question.kind.multi:
            if not isinstance(expected, list):
                raise self.error(f"{where}.expected", "expected a list (it may be empty)")
            items = expected
        else:
            items = [expected]
        for item in items:
            if item not in values:
                raise self.error(
                    f"{where}.expected", f"{item!r} is not one of the choices: {', '.join(values)}"
                )
        if sorted(items) != sorted(question.correct) if multiple else items != question.correct:
            rules = ", ".join(e["rule"] for e in explaining_rules(question.ask, result)) or "none"
            shown = ", ".join(question.correct) if question.correct else "none of them"
            raise self.error(
                f"{where}.expected",
                f"{name}: the case file expects {', '.join(items) or 'none of them'}, "
                f"but logic gives {shown} (rules: {rules})",
            )


def load_cases(context: Context, library: Library | None = None) -> list[Case]:
    library = library or load_library(context)
    words = Words(library)
    folder = context.content_dir / CASES_FOLDER
    files = sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))
    if not files:
        raise ContentError(folder, message="no case files (*.toml)")
    cases = [CaseFile(path, library, words).load() for path in files]
    topics, levels = list(library.topics), list(library.difficulties)
    return sorted(cases, key=lambda c: (levels.index(c.difficulty), topics.index(c.topic), c.id))


# --------------------------------------------------------------------------- coverage


def coverage_targets(guideline: Guideline) -> dict[str, dict[str, str]]:
    """What the library must cover, from logic's data: id -> label, per kind of thing."""
    return {
        "Response definitions": {r: v["label"] for r, v in guideline.responses.items()},
        "Levels of viremia": {v: x["label"] for v, x in guideline.viremia_levels.items()},
        "Table 11 rows": row_labels(guideline),
        "Cases outside Table 11": {
            reason: guideline.reasons[reason]["text"] for reason in outcome_reasons(guideline)
        },
        "Cautions": {c: v["title"] for c, v in guideline.cautions.items()},
        "What to repeat": {r: v["what"] for r, v in guideline.repeats.items()},
    }


def covered_by(case: Case) -> dict[str, set[str]]:
    result = case.result
    return {
        "Response definitions": {result["response"]},
        "Levels of viremia": {result["viremia"]["level"]},
        "Table 11 rows": {result["scenario"]} if result["scenario"] else set(),
        "Cases outside Table 11": (
            {result["scenario_reason"]["id"]} if result["scenario_reason"] else set()
        ),
        "Cautions": {caution["id"] for caution in result["cautions"]},
        "What to repeat": {
            entry["then"]["repeat"] for entry in result["trace"] if "repeat" in entry["then"]
        },
    }


def coverage(cases: list[Case], g: Guideline) -> dict[str, dict[str, list[str]]]:
    """For each target: the ids of the cases that cover it (an empty list: uncovered)."""
    out: dict[str, dict[str, list[str]]] = {}
    for kind, targets in coverage_targets(g).items():
        out[kind] = {target: [] for target in targets}
    for case in cases:
        for kind, items in covered_by(case).items():
            for item in items & out[kind].keys():
                out[kind][item].append(case.id)
    return out


def rules_covered(cases: list[Case], g: Guideline) -> tuple[set[str], set[str]]:
    """(rule ids some case fires, every rule id) — a measure, not a requirement."""
    every = {rule["id"] for t in g.tables.values() for rule in t["rules"]}
    fired = {entry["rule"] for case in cases for entry in case.result["trace"]}
    return fired, every


# --------------------------------------------------------------------------- rendering


class Links:
    """Links from one page, in Markdown (validated by MkDocs) or for raw HTML."""

    def __init__(self, page: str, context: Context) -> None:
        self.page = page
        self.g = context.guideline
        macros = context.env.get_template("reference/macros.md.j2").module
        self._badge = macros.rating_badge  # the site's one rating badge
        self._no_rating = macros.no_rating

    def md(self, target: str) -> str:
        return site_links.relative(target, self.page)

    def html(self, target: str) -> str:
        return href(target, self.page)

    def section(self, section: str) -> str:
        return self.md(site_links.section_link(section, self.g))

    def section_title(self, section: str) -> str:
        return self.g.sections[section]["title"]

    def row(self, scenario: str) -> str:
        return self.md(site_links.row_link(scenario, self.g))

    def badge(self, rating: str) -> str:
        """The shared rating badge (nothing for an unrated statement)."""
        if not rating:
            return ""
        link = self.md(site_links.rating_link(rating))
        return str(self._badge(rating, link, ratings.rating_title(rating, self.g)))

    def no_rating(self) -> str:
        return str(self._no_rating())

    def rated(self, rating: str) -> str:
        """The badge, or the "not rated" marker for an unrated statement."""
        return self.badge(rating) or self.no_rating()

    def walkthrough(self, case_input: dict) -> str:
        """A Markdown link target (see site_links.walkthrough_link)."""
        return self.md(site_links.walkthrough_link(case_input, self.g))


def _indent(lines: list[str]) -> str:
    return "\n".join(f"    {line}" if line else "" for line in lines)


class Sheet:
    """Markdown blocks for the teacher's sheet, built here rather than in Jinja, whose
    whitespace control and Markdown's indentation rules do not mix well."""

    def __init__(self, links: Links, words: Words) -> None:
        self.links, self.words = links, words

    def _source(self, section: str) -> str:
        return f"[{self.links.section_title(section)}]({self.links.section(section)})"

    def rules(self, entries: list[dict], quote: bool = True) -> str:
        """The rules that fired, with the facts they read and their sources."""
        lines = []
        for entry in entries:
            inputs = "; ".join(self.words.inputs(entry["inputs"]))
            source = entry["source"]
            line = (
                f"- Rule **{entry['rule']}** — {inputs or 'applies to every case that reaches it'}."
                f" Source: {self._source(source['section'])}"
            )
            if quote and source.get("text"):
                line += f": “{source['text']}”"
                if source.get("rating"):
                    line += " " + self.links.badge(source["rating"])
            lines.append(line)
        return "\n".join(lines) or "- No rule of the decision logic applies here."

    def recommendation(self, rec: dict, with_source: bool = True) -> str:
        badge = self.links.badge(rec.get("rating", ""))
        text = rec["text"] + (f" {badge}" if badge else "")
        return text + (f" ({self._source(rec['section'])})" if with_source else "")

    def caution(self, caution: dict) -> str:
        footnote = f" (Table 11, footnote {caution['footnote']}.)" if caution["footnote"] else ""
        body = [caution["text"] + footnote, ""]
        body += [f"- {self.recommendation(rec)}" for rec in caution["recommendations"]]
        if caution["recommendations"]:
            body.append("")
        body.append(
            f"Raised by rule {' and '.join(caution['rules'])}. "
            f"Source: {self._source(caution['section'])}."
        )
        return f'!!! warning "{caution["title"].replace(chr(34), "”")}"\n\n' + _indent(body)

    def variant(self, option: dict) -> str:
        variant = option["text_variant"]
        body = []
        if variant["rating_differs"]:
            subject = f"the qualifier “{variant['qualifier']}”" if variant["qualifier"] else "this"
            body += [
                f"The section's text rates {subject} {self.links.rated(variant['text_rating'])} "
                f"(“{variant['text']}”); in Table 11, shown above, it is "
                f"{self.links.rated(variant['table_rating'])}.",
                "",
            ]
        if variant["wording"]:
            body.append(variant["wording"])
        title = f"Text and Table 11 differ: {option['text']}".replace('"', "”")
        return f'!!! note "{title}"\n\n' + _indent(body)


def viral_load_rows(case: Case) -> list[dict[str, str]]:
    """The viral loads as entered (as a lab prints them), in time order, with the week logic
    derived for a dated row."""
    weeks = [r["week"] for r in case.result["case"]["viral_loads"]]  # chronological
    dates = [r["date"] or "" for r in case.result["case"]["viral_loads"]]
    entered = sorted(case.input["viral_loads"], key=lambda r: (r.get("date", ""), r.get("week", 0)))
    return [
        {"week": number(week), "date": day, "copies": str(r["copies"])}
        for week, day, r in zip(weeks, dates, entered, strict=True)
    ]


def course_chart(case: Case, *, classified: bool) -> dict[str, str]:
    """The course as a chart and a table: as logic read it for the teacher's sheet, without
    logic's reading (results only) where the trainee is asked to classify them."""
    course = case.result["course"]
    shown = course if classified else unclassified(course)
    prefix = f"vl-{case.id}-{'read' if classified else 'plain'}"
    if classified:
        return course_figure(course, id_prefix=prefix)
    return {
        "svg": render_svg(
            shown,
            title="Viral-load results on the current regimen",
            description="The results on a log scale, with the LLOD, 200 and 1,000 copies/mL "
            "marked; how to read them is the first question.",
            id_prefix=prefix,
        ),
        "table": "",
    }


def case_facts(case: Case, words: Words) -> list[tuple[str, str]]:
    """The case as logic read it (normalised), for the teacher's sheet: every field the case
    file gives, and the assay's LLOD (logic's default when the file gives none)."""
    normalised = case.result["case"]
    fields = words.g.fields
    given = [
        (spec["label"], words.value(fid, normalised.get(fid)))
        for fid, spec in fields.items()
        if fid != "viral_loads" and (fid in case.input or fid == "llod")
    ]
    # What logic read from the case's regimen by drugs and genotype (logic/clinical_inputs.py).
    derived = [
        (
            f"{fields[fact['field']]['label']} (read from the "
            f"{'drugs' if fact['field'] == 'failing_regimen' else 'genotype'})",
            words.value(fact["field"], fact["value"])
            + (f"; {fact['derived_from']}" if fact["derived_from"] else ""),
        )
        for fact in case.result.get("derived", [])
    ]
    return given + derived


def no_rating_parts(links: Links) -> dict[str, str]:
    """The shared "not rated" marker's class, title and text, for cases-page.mjs to rebuild."""
    match = re.fullmatch(
        r'<span class="([^"]+)" title="([^"]+)">([^<]+)</span>', links.no_rating().strip()
    )
    if not match:
        raise ContentError(
            "generator/templates/reference/macros.md.j2",
            "no_rating",
            None,
            "expected <span class=... title=...>text</span>",
        )
    return {"class": match[1], "title": html.unescape(match[2]), "text": html.unescape(match[3])}


def page_data(case: Case, words: Words, links: Links) -> dict[str, Any]:
    """Everything cases-page.mjs needs on a case page, from logic's data (links relative to it)."""
    guideline = words.g
    return {
        "id": case.id,
        "title": case.title,
        "case": case.input,
        "questions": [
            {
                "number": q.number,
                "ask": q.ask,
                "title": q.kind.title,
                "multi": q.kind.multi,
                "choices": [
                    {"value": c.value, "label": c.label, "implied": c.implied} for c in q.choices
                ],
            }
            for q in case.questions
        ],
        "words": words.to_json(),
        "sections": {
            sid: {"title": s["title"], "href": links.html(site_links.section_link(sid, guideline))}
            for sid, s in guideline.sections.items()
        },
        "ratings": {
            code: {"title": title, "href": links.html(site_links.rating_link(code))}
            for code, title in ratings.rating_titles(guideline).items()
        },
        "rating_scheme": {
            "strength": list(ratings.scheme(guideline)[0]),
            "evidence": list(ratings.scheme(guideline)[1]),
        },
        "rows": {
            rid: {"label": label, "href": links.html(site_links.row_link(rid, guideline))}
            for rid, label in row_labels(guideline).items()
        },
        "no_rating": no_rating_parts(links),
        "footnotes": {fid: f["text"] for fid, f in guideline.footnotes.items()},
        "links": {
            "teacher": links.html(case.teacher_page),
            "index": links.html(INDEX_PAGE),
        },
        "guideline": case.result["guideline"],
    }


def step(context: Context) -> Iterator[Output]:
    library = load_library(context)
    words = Words(library)
    cases = load_cases(context, library)
    guideline = context.guideline
    common = {
        "library": library,
        "words": words,
        "guideline": guideline,
        "logic_version": logic.__version__,
        "updated": date.fromisoformat(str(guideline.source["last_updated"])),
    }
    index_links = Links(INDEX_PAGE, context)
    yield (
        INDEX_PAGE,
        context.render(
            "cases/index.md.j2",
            cases=cases,
            coverage=coverage(cases, context.guideline),
            targets=coverage_targets(context.guideline),
            links=index_links,
            **common,
        ),
    )
    for case in cases:
        links = Links(case.page, context)
        yield (
            case.page,
            context.render(
                "cases/case.md.j2",
                case=case,
                links=links,
                viral_loads=viral_load_rows(case),
                chart=course_chart(case, classified=False),
                data=data_attribute(page_data(case, words, links)),
                **common,
            ),
        )
        yield (
            case.print_page,
            context.render(
                "cases/print.md.j2",
                case=case,
                links=Links(case.print_page, context),
                viral_loads=viral_load_rows(case),
                chart=course_chart(case, classified=False),
                **common,
            ),
        )
        teacher = Links(case.teacher_page, context)
        yield (
            case.teacher_page,
            context.render(
                "cases/teacher.md.j2",
                case=case,
                links=teacher,
                viral_loads=viral_load_rows(case),
                chart=course_chart(case, classified=True),
                facts=case_facts(case, words),
                sheet=Sheet(teacher, words),
                explaining_rules=explaining_rules,
                **common,
            ),
        )
