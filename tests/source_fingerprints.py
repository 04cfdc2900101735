"""Fingerprints of the source documents, so the tests can tell copied text from our own words
without the repository carrying the sources (the weak web article is someone else's copyright).

A fingerprint is the set of hashes of every run of `RUN_WORDS` consecutive words of a source,
after folding case and punctuation away ("first-line" is "first line"). A run of our text whose
hash is in that set was copied. Hashes are 5 bytes: with about 10,000 runs per source and
100,000 of ours, the chance of one false match is about 1 in 1,000.

Refresh after the sources change (the test says when):

    .venv/bin/python -m tests.source_fingerprints ../shared/sources
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINTS = Path(__file__).with_name("fixtures") / "source_fingerprints.json"
DEFAULT_SOURCES = ROOT.parent / "shared" / "sources"

# How the project uses each source. "quoted": the guideline and the fact sheets, which our
# prose may restate but not copy. "weak": the generic web article, of which nothing may appear.
ROLES = {
    "dhhs-2019-virologic-failure.txt": "quoted",
    "patient-factsheet-salvage-therapy.txt": "quoted",
    "patient-factsheet-treatment-failure.txt": "quoted",
    "web-article-salvage-therapy-overview.txt": "weak",
}
# A copied run: 12 words from a quoted source is a copied sentence, not a shared term or drug
# list; the weak article is held to 8, since none of it belongs here.
RUN_WORDS = {"quoted": 12, "weak": 8}
# The weak article's invented experts, each a paragraph that opens "Dr. Name (Role, Place)." or
# "Professor Name (...", and its author profile, whose name is the line after the heading.
_EXPERT = re.compile(
    r"^(?:Dr\.|Prof\.|Professor)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)+)\s*\(", re.MULTILINE
)
_AUTHOR = re.compile(r"^Author Profile\s*\n+\s*([^\n]+)", re.MULTILINE)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def digest(run: Iterable[str]) -> str:
    return hashlib.blake2b(" ".join(run).encode(), digest_size=5).hexdigest()


def runs(tokens: list[str], length: int) -> Iterator[tuple[int, str]]:
    """(start, hash) of every run of `length` consecutive words."""
    for start in range(len(tokens) - length + 1):
        yield start, digest(tokens[start : start + length])


def people(text: str) -> list[str]:
    """The names the weak article puts forward as experts or as its author."""
    names = {match.group(1) for match in _EXPERT.finditer(text)}
    names |= {match.group(1).strip() for match in _AUTHOR.finditer(text)}
    return sorted(names)


def fingerprint(sources: Path) -> dict:
    entries = {}
    for name, role in sorted(ROLES.items()):
        raw = (sources / name).read_bytes()
        text = raw.decode("utf-8")
        entry = {
            "role": role,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "run_words": RUN_WORDS[role],
            "runs": sorted({h for _, h in runs(words(text), RUN_WORDS[role])}),
        }
        if role == "weak":
            entry["people"] = sorted(digest(words(name)) for name in people(text))
        entries[name] = entry
    return {"sources": entries}


@dataclass(frozen=True)
class Copy:
    source: str
    text: str  # the copied run, in our words' folded form


class Fingerprints:
    def __init__(self, data: dict):
        self.sources = data["sources"]
        self._runs = {name: set(entry["runs"]) for name, entry in self.sources.items()}

    @classmethod
    def load(cls, path: Path = FINGERPRINTS) -> Fingerprints:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def copies(self, text: str, roles: tuple[str, ...] = ("quoted", "weak")) -> list[Copy]:
        """Every maximal run of `text` found in a source of one of `roles`."""
        tokens = words(text)
        found = []
        for name, entry in self.sources.items():
            if entry["role"] not in roles:
                continue
            length, known = entry["run_words"], self._runs[name]
            hits = [start for start, h in runs(tokens, length) if h in known]
            for first, last in _spans(hits):
                found.append(Copy(name, " ".join(tokens[first : last + length])))
        return found

    def people_named(self, text: str) -> list[str]:
        """The weak article's people that `text` names (as the two-to-four words of the name)."""
        wanted = {h for entry in self.sources.values() for h in entry.get("people", [])}
        tokens = words(text)
        return sorted(
            " ".join(tokens[start : start + size])
            for size in (2, 3, 4)
            for start, h in runs(tokens, size)
            if h in wanted
        )


def _spans(starts: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive starts merged into (first, last) spans."""
    if not starts:
        return
    first = last = starts[0]
    for start in starts[1:]:
        if start != last + 1:
            yield first, last
            first = start
        last = start
    yield first, last


def main(argv: list[str]) -> int:
    sources = Path(argv[0]) if argv else DEFAULT_SOURCES
    FINGERPRINTS.parent.mkdir(exist_ok=True)
    data = fingerprint(sources)
    FINGERPRINTS.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    count = sum(len(entry["runs"]) for entry in data["sources"].values())
    print(f"{FINGERPRINTS.relative_to(ROOT)}: {count} runs from {len(data['sources'])} sources")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
