"""Notices from facts later than the source edition (``later_evidence.toml`` of the edition's
content, generator/content/editions/<id>/):
the superseded-edition sentence on every page, and "After this edition" notes beside the
caution or in the walkthrough answer they concern. Read and checked here; logic never sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.core import ContentError, Context, load_toml
from logic import Guideline, regimen

FILE = "later_evidence.toml"
EDITION_KEYS = ("superseded", "patients", "current", "current_url")
NOTE_KEYS = {"id", "caution", "drugs", "title", "text"}


@dataclass(frozen=True)
class LaterEvidence:
    edition: dict[str, str]
    notes: tuple[dict, ...]

    def for_caution(self, caution_id: str) -> list[dict]:
        return [n for n in self.notes if n.get("caution") == caution_id]


def _text(item: dict, key: str, file: Path, entry: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise ContentError(file, entry, key, "required: one line of text")
    return value


def load(context: Context) -> LaterEvidence:
    """The notes of the edition the context builds, checked against that edition."""
    return _load(context.edition_content_dir / FILE, context.guideline)


@cache
def _load(file: Path, g: Guideline) -> LaterEvidence:
    raw = load_toml(file)
    edition = raw.get("edition")
    if not isinstance(edition, dict):
        raise ContentError(file, "edition", None, "required table [edition] is missing")
    facts = {key: _text(edition, key, file, "edition") for key in EDITION_KEYS}
    if not facts["current_url"].startswith("https://"):
        raise ContentError(file, "edition", "current_url", "must be an https:// address")
    drugs = {d["abbr"] for d in regimen.drug_choices(g.edition)["drugs"]}
    notes = []
    for index, item in enumerate(raw.get("notes", [])):
        entry = str(item.get("id", f"notes[{index}]"))
        unknown = sorted(set(item) - NOTE_KEYS)
        if unknown:
            raise ContentError(file, entry, unknown[0], "not a field of a note")
        note = {key: _text(item, key, file, entry) for key in ("id", "title", "text")}
        if "caution" in item:
            if item["caution"] not in g.cautions:
                raise ContentError(file, entry, "caution", f"unknown caution '{item['caution']}'")
            note["caution"] = item["caution"]
        if "drugs" in item:
            bad = [d for d in item["drugs"] if d not in drugs]
            if not item["drugs"] or bad:
                raise ContentError(file, entry, "drugs", f"unknown drug {bad[:1] or '(none)'}")
            note["drugs"] = list(item["drugs"])
        if not note.keys() & {"caution", "drugs"}:
            raise ContentError(file, entry, "caution", "a note needs a caution or drugs to sit by")
        notes.append(note)
    return LaterEvidence(facts, tuple(notes))
