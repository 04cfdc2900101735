"""Benchmark: generate + strict build of the whole site, and the weight of a content page.

Not a test: it prints numbers (targets: build at most 3 s, a content page's HTML + CSS + JS at
most 500 KB, Pyodide excluded). Build times are compared with a baseline measured in the same
run: a strict build of a one-page site with the same theme, features and Markdown extensions,
so the ratio can be compared across machines. The same site built by Zensical (no -c) is timed
in the same rounds and compared with the MkDocs build.

Run: ``.venv/bin/python tests/benchmarks/bench_build.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
MKDOCS = [PYTHON, "-m", "mkdocs"]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
# Content pages whose weight is measured: a typical one and the two heaviest reference pages.
PAGES = ("guideline/key-considerations/", "guideline/table-11/", "guideline/decision-map/")
TARGET_SECONDS = 3.0
TARGET_BYTES = 500 * 1024


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def full_build(out: Path) -> tuple[float, float]:
    """(generate into a fresh docs copy, strict build), in seconds. The build's own hook runs the
    generator again (writing nothing), as `make build` does."""
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(ROOT / "docs" / "about", docs / "about")
        generate = timed([PYTHON, "-m", "generator", "--docs-dir", str(docs)], ROOT)
    build = timed([*MKDOCS, "build", "--strict", "--clean", "-d", str(out)], ROOT)
    return generate, build


def zensical_build(out: Path) -> float:
    """A strict Zensical build of the same site (tests/zensical_build.py: builds inside the
    project, then moves the result to ``out``)."""
    return timed([PYTHON, "-m", "tests.zensical_build", str(out)], ROOT)


def baseline_build(work: Path) -> float:
    """A strict build of one page with the site's theme and Markdown configuration."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    extensions = []
    for item in config["markdown_extensions"]:
        name = item if isinstance(item, str) else next(iter(item))
        if name != "pymdownx.snippets":  # the baseline has no abbreviations include
            extensions.append(item)
    theme = {k: v for k, v in config["theme"].items() if k != "custom_dir"}
    (work / "docs").mkdir(parents=True, exist_ok=True)
    (work / "docs" / "index.md").write_text("# Baseline\n\nOne page, *same* theme.\n")
    minimal = {
        "site_name": "Baseline",
        "site_url": "https://example.org/baseline/",
        "strict": True,
        "theme": theme,
        "plugins": ["search"],
        "markdown_extensions": extensions,
    }
    (work / "mkdocs.yml").write_text(yaml.safe_dump(minimal, sort_keys=False))
    return timed([*MKDOCS, "build", "--strict", "--clean", "-d", str(work / "site")], work)


def page_weight(site: Path, page: str) -> tuple[int, int, list[str]]:
    """(bytes, gzip bytes, files) of a page's HTML plus the CSS and JS it loads, Pyodide
    excluded (it is fetched only by pages that run Python, and only when they do)."""
    html_path = site / page / "index.html"
    text = html_path.read_text(encoding="utf-8")
    refs = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    refs += re.findall(r'<script[^>]+src="([^"]+)"', text)
    files = [html_path]
    base = f"http://site/{page}"
    for ref in refs:
        path = urlsplit(urljoin(base, ref)).path.lstrip("/")
        target = site / path
        if target.is_file() and "pyodide" not in path:
            files.append(target)
    # Module scripts import other modules: follow static imports one level (site code only).
    for script in [f for f in files if f.suffix == ".mjs"]:
        for ref in re.findall(r'import\s[^"\']*["\'](\.[^"\']+)["\']', script.read_text()):
            target = (script.parent / ref).resolve()
            if target.is_file() and "pyodide" not in str(target) and target not in files:
                files.append(target)
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
    return raw, packed, [str(f.relative_to(site)) for f in files]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run([PYTHON, "-m", "generator"], cwd=ROOT, env=ENV, check=True)
        generates, builds, baselines, zensicals = [], [], [], []
        for _ in range(args.rounds):
            generate, build = full_build(tmp / "site")
            generates.append(generate)
            builds.append(build)
            baselines.append(baseline_build(tmp / "baseline"))
            zensicals.append(zensical_build(tmp / "site-zensical"))
        g, b, base, z = (statistics.median(x) for x in (generates, builds, baselines, zensicals))
        pages = len(list((tmp / "site").rglob("index.html")))
        print(f"Build, median of {args.rounds} rounds ({pages} pages)")
        print(f"  generate (fresh docs):        {g:6.2f} s")
        print(f"  mkdocs build --strict:        {b:6.2f} s")
        print(f"  generate + build:             {g + b:6.2f} s   target <= {TARGET_SECONDS:.1f} s")
        print(f"  baseline (1 page, same theme):{base:6.2f} s   ratio {(g + b) / base:4.1f}x")
        print(f"  zensical build --strict:      {z:6.2f} s   ratio to mkdocs build {z / b:4.2f}x")
        print("Page weight: HTML + CSS + JS (Pyodide excluded)")
        for page in PAGES:
            raw, packed, files = page_weight(tmp / "site", page)
            flag = "ok" if raw <= TARGET_BYTES else "OVER"
            print(
                f"  {page:32} {raw / 1024:7.1f} KB  ({packed / 1024:6.1f} KB gzip, "
                f"{len(files)} files)  {flag}"
            )


if __name__ == "__main__":
    main()
