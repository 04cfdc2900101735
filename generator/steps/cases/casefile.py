"""One case file (``generator/content/cases/<id>.toml``), read and checked: every problem names
the file, the case and the field. The right answers are logic's (``logic.grading``); a case file's
``expected`` answers are compared with them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.core import ContentError, Context, load_toml
from generator.steps.cases.choices import (
    Choice,
    choices,
    concludable_recommendations,
    outcome_reasons,
)
from generator.steps.cases.library import (
    CASE_ID,
    CASES_FOLDER,
    LIBRARY_FILE,
    OUTPUT_DIR,
    Library,
    QuestionKind,
    load_library,
    one_line,
    plain_string,
)
from logic import CaseError
from logic.grading import KINDS, correct_answers, explaining_rules, highest_options

# Case ids become page names next to these: cases/<id>.md, cases/print/, cases/teacher/.
RESERVED_IDS = frozenset({"index", "print", "teacher"})
CASE_KEYS = ("id", "title", "topic", "difficulty", "summary", "vignette", "labs", "case")
CASE_KEYS += ("questions",)
QUESTION_KEYS = ("ask", "choices", "expected")
CHOICES_REQUIRED = ("management",)
CHOICES_ALLOWED = ("management", "cautions")
# The vignette describes the patient; viral loads are shown from the case input, never retyped.
RETYPED_VIRAL_LOAD = re.compile(r"copies\s*/\s*ml", re.IGNORECASE)


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


class CaseFile:
    """Reads and checks one case file; every problem names the file, the case and the field."""

    def __init__(self, path: Path, library: Library) -> None:
        self.path, self.library = path, library
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
            if not one_line(data.get(name)):
                raise self.error(name, "must be a non-empty, single-line string")
        vignette = data.get("vignette")
        if not plain_string(vignette):
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
            result = self.library.g.evaluate(case_input)
        except CaseError as error:
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
        g = self.library.g
        options = choices(g, kind.ask, case_choices, result)
        correct = correct_answers(kind.ask, result, [choice.value for choice in options], g)
        if kind.ask == "best_option" and len(correct) == len(options):
            raise self.error(
                where,
                f"{name}: every option of this row is rated {result['options'][0]['rating']}, "
                "so no answer could be wrong: drop this question",
            )
        question = Question(index + 1, kind, options, correct, entry.get("expected"))
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
        g = self.library.g
        known = concludable_recommendations(g) if ask == "management" else set(g.cautions)
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
            if ask == "best_option" and not highest_options(result["options"], self.library.g):
                raise self.error(
                    where, f"{name}: no option of this row is rated: drop this question"
                )
            return
        reason = result["scenario_reason"]["id"]
        if reason not in outcome_reasons(self.library.g):
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
    folder = context.content_dir / CASES_FOLDER
    files = sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))
    if not files:
        raise ContentError(folder, message="no case files (*.toml)")
    cases = [CaseFile(path, library).load() for path in files]
    topics, levels = list(library.topics), list(library.difficulties)
    return sorted(cases, key=lambda c: (levels.index(c.difficulty), topics.index(c.topic), c.id))
