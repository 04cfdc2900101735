"""The case library's own vocabulary (``generator/content/cases/_library.toml``): topics,
difficulties and the questions a case can ask, checked on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.core import ContentError, Context, load_toml
from logic import Guideline
from logic.grading import KINDS

CASES_FOLDER = "cases"
LIBRARY_FILE = "_library.toml"
OUTPUT_DIR = "cases"
INDEX_PAGE = f"{OUTPUT_DIR}/index.md"
CASE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def plain_string(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def one_line(value: Any) -> bool:
    return plain_string(value) and "\n" not in value


@dataclass
class QuestionKind:
    ask: str
    title: str
    prompt: str
    multi: bool


@dataclass
class Library:
    path: Path
    g: Guideline  # the edition the cases are checked against (context.guideline)
    topics: dict[str, str]
    difficulties: dict[str, str]
    kinds: dict[str, QuestionKind]


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
        if not one_line(entry.get("label")):
            raise ContentError(path, ident, "label", "must be a non-empty, single-line string")
        unknown = sorted(set(entry) - {"id", "label"})
        if unknown:
            raise ContentError(path, ident, unknown[0], "unknown field (allowed: id, label)")
        out[ident] = entry["label"]
    return out


def _kinds(path: Path, data: dict) -> dict[str, QuestionKind]:
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
            if not one_line(entry.get(name)):
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
    return kinds


def load_library(context: Context) -> Library:
    path = context.content_dir / CASES_FOLDER / LIBRARY_FILE
    data = load_toml(path)
    allowed = {"topics", "difficulties", "questions"}
    for key in sorted(set(data) - allowed):
        raise ContentError(
            path, key, None, f"unknown table (allowed: {', '.join(sorted(allowed))})"
        )
    return Library(
        path=path,
        g=context.guideline,
        topics=_labelled(path, data, "topics"),
        difficulties=_labelled(path, data, "difficulties"),
        kinds=_kinds(path, data),
    )
