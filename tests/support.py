"""Helpers that test modules import (``from tests.support import ...``); the fixtures and
pytest hooks stay in ``tests/conftest.py``, browser helpers in ``tests/browser_harness.py``.

* ``ROOT``: the repository root.
* ``run_checked(args, env)``: run a command in ``ROOT``; fail the test with its output if it fails.
* ``text_of(fragment)``: the visible text of an HTML fragment.
* ``search_entries(site)``: the built search index's entries, whichever builder wrote it.
* ``snapshot(folder)``: every file's bytes and mtime, to prove a folder was left untouched.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_checked(args: list[str], env: dict[str, str] | None = None) -> str:
    """Run a command in the repository root; fail the test with its output if it fails."""
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout + result.stderr


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace normalised."""
    fragment = re.sub(r"<(script|style)\b.*?</\1>", " ", fragment, flags=re.S)
    fragment = re.sub(r'<a class="headerlink".*?</a>', " ", fragment, flags=re.S)
    # An abbreviation's expansion at first use is shown only on hover or focus.
    fragment = re.sub(r'<span class="htf-abbr__tip"[^>]*>[^<]*</span>', "", fragment)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).replace(" ,", ",")


def search_entries(site: Path) -> list[dict]:
    """The built search index's entries (each with ``location``, ``title``, ``text``): Material
    writes ``search/search_index.json`` (``docs``), Zensical ``search.json`` (``items``)."""
    found = [
        (path, key)
        for path, key in (
            (site / "search" / "search_index.json", "docs"),
            (site / "search.json", "items"),
        )
        if path.is_file()
    ]
    assert len(found) == 1, (
        f"expected one search index in {site}, found {[str(p) for p, _ in found]}"
    )
    path, key = found[0]
    return json.loads(path.read_text(encoding="utf-8"))[key]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and mtime: equal snapshots mean untouched."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
