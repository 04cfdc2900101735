"""Benchmark: Lighthouse scores of the built site on a simulated phone, and what tooltips cost.

Not a test: it prints numbers (``--json`` prints them as JSON). It builds the site, serves it on
loopback under ``/hiv-treatment-failure/`` as GitHub Pages does (gzip, ``Cache-Control:
max-age=600``) and runs Lighthouse 12.2 (npm ``lighthouse``, pinned in package.json; Lighthouse
13 needs Node 22) on the system Chromium (``CHROME_PATH``, else ``tests/chromium.py``'s choice),
mobile form factor with simulated throttling, on: home, Table 11, a patient page, a case page and
the walkthrough. For each: performance, accessibility, best practices and SEO scores, total
blocking time, largest contentful paint and bytes transferred.

The baseline, measured in the same run: ``baseline/`` is a copy of the home page's text with no
script at all (served by the same server). Each page's LCP is also printed as a ratio to the
baseline's, the figure to compare across machines (the baseline's total blocking time is 0).
**Tooltip saving**: Table 11 is measured a second time as it was built before the CSS-only
tooltips (generator/postbuild/tooltips.py): each first use of an abbreviation titled again and
Material's ``content.tooltips`` feature on, for its script to build a tooltip per titled
element at load. The difference in total
blocking time is what the CSS tooltips save on that page. Pages are measured in turn, run after
run, so a busy spell of the machine falls on all of them alike.

Run: ``CHROME_PATH=/usr/bin/chromium .venv/bin/python tests/benchmarks/bench_lighthouse.py
[--runs 1] [--json]`` (each Lighthouse run takes 20-60 s).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests import chromium  # noqa: E402
from tests.browser_harness import SiteServer, _Handler, build_commands, build_env  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
PAGES = {
    "baseline": "baseline/",
    "home": "",
    "table 11": "guideline/table-11/",
    "table 11, titled (before)": "guideline/table-11-titled/",
    "patient page": "patients/resistance-testing/",
    "case page": "cases/blip-or-rebound/",
    "walkthrough": "walkthrough/",
}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".webmanifest")


class _PagesHandler(_Handler):
    """The test server's handler, plus what GitHub Pages adds: gzip for text files (when the
    browser accepts it) and a ten-minute cache lifetime."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()  # binary files, and the redirect that adds a slash
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


def build(server: SiteServer) -> None:
    for command in build_commands(server.root):
        subprocess.run(
            command, cwd=ROOT, check=True, env=build_env(server.base_url), stdout=subprocess.DEVNULL
        )
    site = server.root
    # The baseline: the home page's main text, no script, no stylesheet but the theme's.
    home = (site / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", home, re.S).group(0)
    article = re.sub(r'href="(?!https?:|#)', 'href="../', article)
    (site / "baseline").mkdir()
    (site / "baseline" / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="description" content="Baseline page without scripts.">'
        f"<title>Baseline</title></head><body><main>{article}</main></body></html>",
        encoding="utf-8",
    )
    # Table 11 as it was before the CSS tooltips: each first use titled again and Material's
    # content.tooltips on (in the page's JSON config, which no CSP hash covers), so Material's
    # script builds a tooltip per titled element at load (the same page otherwise, same run).
    table = (site / "guideline" / "table-11" / "index.html").read_text(encoding="utf-8")
    titled, count = re.subn(
        r'<abbr class="htf-abbr" [^>]*>([^<]*)<span class="htf-abbr__tip" [^>]*>([^<]*)</span>'
        r"</abbr>",
        r'<abbr title="\2">\1</abbr>',
        table,
    )
    titled = titled.replace('"search.highlight"]', '"search.highlight", "content.tooltips"]', 1)
    assert '"content.tooltips"' in titled, "the page config's feature list has changed"
    print(f"table 11: {count} abbreviations explained at first use", file=sys.stderr)
    (site / "guideline" / "table-11-titled").mkdir()
    (site / "guideline" / "table-11-titled" / "index.html").write_text(titled, encoding="utf-8")


def lighthouse(url: str, chrome: str, out: Path) -> dict:
    subprocess.run(
        [
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        cwd=ROOT,
        check=True,
        env=dict(os.environ, CHROME_PATH=chrome),
        timeout=300,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        **{c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "failed_a11y": sorted(
            ref["id"]
            for ref in report["categories"]["accessibility"]["auditRefs"]
            if ref["weight"] and audits[ref["id"]]["score"] == 0
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (median)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        sys.exit("node_modules/lighthouse is missing: run `npm ci` first")
    chrome = os.environ.get("CHROME_PATH") or str(chromium.system_chromium() or "")
    if not chrome:
        sys.exit("no Chromium: set CHROME_PATH")

    with tempfile.TemporaryDirectory() as folder:
        server = SiteServer(root=Path(folder) / "site", handler=_PagesHandler)
        server.root.mkdir()
        server.start()
        build(server)
        measured: dict[str, list[dict]] = {name: [] for name in PAGES}
        for run in range(args.runs):
            for name, path in PAGES.items():
                report = Path(folder) / f"report-{run}.json"
                measured[name].append(lighthouse(server.url(path), chrome, report))
        results: dict[str, dict] = {}
        for name, runs in measured.items():
            merged = {
                key: statistics.median(r[key] for r in runs)
                for key in runs[0]
                if key != "failed_a11y"
            }
            merged["failed_a11y"] = runs[0]["failed_a11y"]
            results[name] = merged
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)

    base = results["baseline"]
    for figures in results.values():
        figures["lcp_vs_baseline"] = round(figures["lcp_ms"] / base["lcp_ms"], 2)
    tooltips = results["table 11, titled (before)"]["tbt_ms"] - results["table 11"]["tbt_ms"]
    if args.json:
        print(json.dumps({"pages": results, "tooltip_tbt_saved_ms": tooltips}, indent=2))
        return 0
    print(f"Lighthouse 12.2 (mobile, simulated throttling), median of {args.runs} run(s)")
    print(f"{'page':24} perf a11y  bp  seo   TBT ms  LCP ms     kB LCP/base")
    for name, f in results.items():
        print(
            f"{name:24} {f['performance']:4.0f} {f['accessibility']:4.0f} "
            f"{f['best-practices']:4.0f} {f['seo']:4.0f} {f['tbt_ms']:8.0f} {f['lcp_ms']:7.0f} "
            f"{f['bytes'] / 1024:6.0f} {f['lcp_vs_baseline']:8.2f}"
            + (f"  a11y fails: {', '.join(f['failed_a11y'])}" if f["failed_a11y"] else "")
        )
    print(f"CSS tooltips on Table 11 save {tooltips:.0f} ms of total blocking time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
