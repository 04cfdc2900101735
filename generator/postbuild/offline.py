"""The service worker that keeps the site readable offline, written into a built site.

Workbox's ``generateSW`` (npm ``workbox-build``, build time only; ``build-sw.mjs``) writes
``sw.js`` at the site root: it precaches every page and the shell (HTML, CSS, JavaScript, the
search index, sitemap, manifest, icons) with a content hash per file as its revision, and
caches the Python runtime (``assets/pyodide/<version>/``, ``assets/logic/<version>/``) only when
the walkthrough or a case first uses it. ``sw-extra.js`` (here, with this build's facts on its
first line) adds what Workbox does not: the build's content date for the update prompt, and
filling the runtime cache for a page whose first runtime started before the worker controlled
it. Cache names start with this site's name: other project sites share a GitHub Pages origin.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from generator.core import EDITION_ENV, Context, GeneratorError, long_date

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE_ID = "hiv-treatment-failure"
RUNTIME_PREFIX = f"{CACHE_ID}-runtime-"
# What one start of the runtime from its memory snapshot reads (logic-worker.mjs, through
# assets/logic/bundle.mjs). Pyodide's own python_stdlib.zip is not in the site (the bundle names
# its own), and the logic folder's python_stdlib.zip is read only on a full start: the runtime
# route caches that one if it is ever fetched.
RUNTIME_FILES = {
    "assets/pyodide": ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json"),
    "assets/logic": ("snapshot.bin", "snapshot_stdlib.zip", "logic.zip"),
}
PRECACHE_IGNORE = [
    "assets/pyodide/*/*",  # the runtime: version folders, cached on first use
    "assets/logic/*/*",
    "assets/javascripts/lunr/**",  # other languages' search support; this site is English
    "**/*.map",
    "sw.js",
    "sw-extra.js",
]


def _runtime_files(site_dir: Path) -> list[Path]:
    files = []
    for folder, names in RUNTIME_FILES.items():
        versions = sorted(p for p in (site_dir / folder).glob("*/") if p.is_dir())
        if len(versions) != 1:
            raise GeneratorError(
                f"{site_dir / folder}: expected one version folder, found {len(versions)}"
            )
        for name in names:
            path = versions[0] / name
            if not path.is_file():
                raise GeneratorError(f"{path}: missing; the runtime cache list names it")
            files.append(path)
    return files


def _digest(paths: list[Path], site_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(site_dir).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def content_date() -> str:
    """The built edition's content date, as the pages' notice words it ("last reviewed")."""
    source = Context(edition=os.environ.get(EDITION_ENV) or None).guideline.source
    return long_date(source["last_reviewed"])


def build(site_dir: Path, node: str | None = None) -> str:
    """Write ``sw-extra.js`` and ``sw.js`` into ``site_dir``; returns a one-line summary."""
    node = node or shutil.which("node")
    if not node:
        raise GeneratorError("node is not on PATH: the service worker is written by Workbox")
    if not (ROOT / "node_modules" / "workbox-build").is_dir():
        raise GeneratorError("node_modules/workbox-build is missing: run `npm ci` first")
    runtime = _runtime_files(site_dir)
    runtime_cache = RUNTIME_PREFIX + _digest(runtime, site_dir)
    config = {"cacheId": CACHE_ID, "runtimeCache": runtime_cache, "precacheIgnore": PRECACHE_IGNORE}
    # The build id: every precached file's bytes (sw-extra.js itself is not precached).
    shell = sorted(
        p
        for p in site_dir.rglob("*")
        if p.is_file()
        and p.suffix in {".html", ".css", ".js", ".mjs", ".json", ".xml"}
        and not p.relative_to(site_dir).as_posix().startswith(("assets/pyodide/", "sw"))
    )
    facts = {
        "contentDate": content_date(),
        "build": _digest(shell, site_dir)[:8],
        "runtimeCache": runtime_cache,
        "runtimePrefix": RUNTIME_PREFIX,
        "runtimeFiles": [p.relative_to(site_dir).as_posix() for p in runtime],
    }
    extra = (HERE / "sw-extra.js").read_text(encoding="utf-8")
    (site_dir / "sw-extra.js").write_text(
        f"self.HTF_BUILD = {json.dumps(facts)};\n{extra}", encoding="utf-8"
    )
    result = subprocess.run(
        [node, str(HERE / "build-sw.mjs"), str(site_dir), json.dumps(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        raise GeneratorError(f"workbox generateSW failed:\n{result.stderr.strip()}")
    written = json.loads(result.stdout.strip().splitlines()[-1])
    return (
        f"sw.js precaches {written['count']} files ({written['size'] / 1e6:.1f} MB), "
        f"build {facts['build']}, content of {facts['contentDate']}"
    )
