"""The generated + strictly built site: pages, links, no third-party resources, git hygiene."""

from __future__ import annotations

import fnmatch
import html.parser
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import logic
from generator import brand_images, later_evidence
from generator.core import MANIFEST_NAME, ROOT, Context, long_date, read_manifest
from generator.steps import pyodide_runtime
from tests.browser_harness import SUBPATH, dormant_urls
from tests.support import run_checked

DOCS = ROOT / "docs"
PAGES = [
    "index.html",
    "disclaimer/index.html",
    "about/performance/index.html",
    "about/maintaining/index.html",
]


class _Refs(html.parser.HTMLParser):
    """Collects (tag, attribute, value, rel) for every URL-bearing attribute of a page."""

    URL_ATTRS = {"src", "href", "srcset", "data", "poster", "action", "formaction"}

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str, str]] = []
        self.classes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").lower()
        self.classes.update((attributes.get("class") or "").split())
        for name, value in attrs:
            if name in self.URL_ATTRS and value is not None:
                if name == "srcset":
                    for candidate in value.split(","):
                        if candidate.strip():
                            self.refs.append((tag, name, candidate.split()[0], rel))
                else:
                    self.refs.append((tag, name, value, rel))


def parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# <link rel=...> values that make the browser fetch something; other rels (canonical, prev,
# next, alternate) only name an address.
FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
}
# Tags whose URL attributes the browser loads as it renders the page (links <a> only navigate).
LOADING_TAGS = {"script", "img", "source", "iframe", "audio", "video", "track", "embed", "object"}


def is_other_host(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "data", "blob")


def test_strict_build_writes_the_pages(built_site: Path):
    for page in PAGES:
        assert (built_site / page).is_file(), page
    version = pyodide_runtime.pyodide_version(ROOT / "node_modules" / "pyodide")
    for name in pyodide_runtime.RUNTIME_FILES:
        assert (built_site / "assets" / "pyodide" / version / name).is_file(), name
    # The abbreviations include is appended to pages, never built as a page of its own.
    assert not (built_site / "includes").exists()


def test_no_page_links_to_markdown(built_site: Path):
    offenders = [
        f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>"
        for page in html_files(built_site)
        for tag, attr, url, _ in parse(page).refs
        if urlsplit(url).path.endswith(".md")
    ]
    assert not offenders, "\n".join(offenders)


def test_internal_links_resolve(built_site: Path, builder: str):
    # Every same-site address in a built page must exist in the build (MkDocs checks Markdown
    # links; this also covers links written in templates, such as the notice in main.html, and
    # the root-relative links of 404.html).
    missing = []
    for page in html_files(built_site):
        base = f"http://site{SUBPATH}{page.relative_to(built_site).as_posix()}"
        for tag, attr, url, _ in parse(page).refs:
            if is_other_host(url) or url.startswith("#") or tag == "form":
                continue
            path = urlsplit(urljoin(base, url)).path
            target = built_site / path.removeprefix(SUBPATH)
            if path.endswith("/"):
                target = target / "index.html"
            if not path.startswith(SUBPATH) or not target.exists():
                missing.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>")
    assert not missing, "\n".join(missing)


def test_no_page_loads_anything_from_another_host(built_site: Path):
    offenders = []
    for page in html_files(built_site):
        for tag, attr, url, rel in parse(page).refs:
            loads = tag in LOADING_TAGS or (tag == "link" and set(rel.split()) & FETCHING_RELS)
            if loads and is_other_host(url):
                offenders.append(f"{page.relative_to(built_site)}: <{tag} {attr}={url!r}>")
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?(https?:)?//[^)'\"]+", text):
            offenders.append(f"{page.relative_to(built_site)}: CSS url() to another host {url}")
    assert not offenders, "\n".join(offenders)


# Third-party hosts that must not appear in any script or stylesheet the site ships, except for
# each builder's dormant fallbacks, named in tests/browser_harness.py DORMANT_URLS.
THIRD_PARTY = re.compile(r"(fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|unpkg)[^\s\"'`)]*")


def test_no_script_or_stylesheet_points_at_a_third_party_host(built_site: Path, builder: str):
    offenders = []
    dormant = dormant_urls(builder)
    for path in sorted(built_site.rglob("*")):
        if path.suffix not in {".js", ".mjs", ".css", ".html"}:
            continue
        relative = path.relative_to(built_site).as_posix()
        allowed = next((v for k, v in dormant.items() if fnmatch.fnmatch(relative, k)), ())
        for match in THIRD_PARTY.finditer(path.read_text(encoding="utf-8", errors="replace")):
            if not match.group(0).startswith(allowed):  # startswith(()) is False
                offenders.append(f"{relative}: {match.group(0)}")
    assert not offenders, "\n".join(offenders)


def test_every_dormant_url_is_still_in_the_bundle(built_site: Path, builder: str):
    # An allow-list entry the bundle no longer holds is stale: remove it, so it cannot excuse a
    # new address later.
    stale = []
    for pattern, prefixes in dormant_urls(builder).items():
        files = [
            p
            for p in built_site.rglob("*")
            if fnmatch.fnmatch(p.relative_to(built_site).as_posix(), pattern)
        ]
        text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
        stale += [f"{pattern}: {prefix}" for prefix in prefixes if prefix not in text]
    assert not stale, "\n".join(stale)


# Classes that make the theme's bundle load a library from a CDN (the dormant URLs above):
# Mermaid diagrams, GLightbox images, Zensical's runnable Pyodide code blocks.
CDN_TRIGGERS = {"mermaid", "glightbox", "pyodide"}


def test_no_page_triggers_a_theme_cdn_loader(built_site: Path):
    offenders = [
        f"{p.relative_to(built_site)}: class {sorted(CDN_TRIGGERS & parse(p).classes)}"
        for p in html_files(built_site)
        if CDN_TRIGGERS & parse(p).classes
    ]
    assert not offenders, "\n".join(offenders)


def test_the_one_runtime_path_never_falls_back_to_the_cdn(built_site: Path):
    # Pyodide loads only in logic-worker.mjs, from the addresses assets/logic/bundle.mjs gives.
    scripts = built_site / "assets" / "javascripts"
    callers = sorted(p.name for p in scripts.glob("*.mjs") if "loadPyodide(" in p.read_text())
    assert callers == ["logic-worker.mjs"]
    worker = (scripts / "logic-worker.mjs").read_text(encoding="utf-8")
    assert "packageBaseUrl: indexURL" in worker
    bundle = (built_site / "assets" / "logic" / "bundle.mjs").read_text(encoding="utf-8")
    assert 'lockFileURL = new URL("pyodide-lock.json", indexURL)' in bundle
    assert not (built_site / "assets" / "pyodide" / "loader.mjs").exists()


def test_abbreviations_become_tooltips(built_site: Path):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    explained = r'<abbr class="htf-abbr" ([^>]*)>ART<span class="htf-abbr__tip" ([^>]*)>'
    first = re.search(explained, home)
    assert first, "the first ART is not explained"
    tip = re.search(r'id="(htf-abbr-\d+)" role="tooltip"', first.group(2)).group(1)
    assert first.group(1) == f'tabindex="0" aria-describedby="{tip}"'
    assert home[first.end() :].startswith("antiretroviral therapy</span></abbr>")


def test_every_page_carries_the_dated_source_notice(built_site: Path):
    # The dates come from logic (generator/steps/site_config.py writes extra.source).
    source = logic.guideline().source
    updated = long_date(date.fromisoformat(source["last_updated"]))
    reviewed = long_date(date.fromisoformat(source["last_reviewed"]))
    edition = later_evidence.load(Context()).edition
    for page in html_files(built_site):
        text = page.read_text(encoding="utf-8")
        if page.name == "404.html" or 'http-equiv="refresh"' in text:  # not content pages
            continue
        notice = re.search(r'<aside class="htf-source-notice".*?</aside>', text, re.S)
        assert notice, page
        words = " ".join(notice.group(0).split())
        assert f"last updated {updated}; last reviewed {reviewed}" in words, page
        assert source["section"] in words, page
        # Dated and superseded: later editions changed advice (later_evidence.toml), in the
        # reader's voice on patient pages.
        if "/patients/" in page.as_posix():
            assert edition["patients"] in html.unescape(words), page
            assert "not a substitute for clinical judgement" not in words, page
        else:
            assert edition["superseded"] in words, page
            assert f'href="{edition["current_url"]}"' in words, page
            assert "not a substitute for clinical judgement" in words, page


def test_the_source_dates_are_typed_nowhere_but_logic():
    # One source of truth: the notice's dates must not be retyped in the site configuration.
    source = logic.guideline().source
    written = {source["last_updated"], long_date(date.fromisoformat(source["last_updated"]))}
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    main = (ROOT / "site_overrides" / "main.html").read_text(encoding="utf-8")
    assert not [d for d in written if d in config or d in main]


def test_every_generated_file_is_ignored_by_git(built_site: Path):
    generated = [f"docs/{path}" for path in read_manifest(DOCS)] + [f"docs/{MANIFEST_NAME}"]
    assert len(generated) > 1
    result = subprocess.run(
        ["git", "check-ignore", "--stdin"],
        cwd=ROOT,
        input="\n".join(generated) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: none ignored
    ignored = set(result.stdout.split())
    assert not set(generated) - ignored, f"not ignored by git: {sorted(set(generated) - ignored)}"


def test_generator_second_run_writes_nothing(built_site: Path):
    # built_site already ran the generator once on this checkout.
    output = run_checked([sys.executable, "-m", "generator"])
    match = re.search(r"generator: (\d+) written, (\d+) unchanged, (\d+) removed", output)
    assert match, output
    assert match.group(1) == "0" and match.group(3) == "0", output
    assert int(match.group(2)) == len(read_manifest(DOCS))


def test_manifest_lists_what_is_on_disk(built_site: Path):
    manifest = json.loads((DOCS / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["files"] == sorted(manifest["files"])
    for path in manifest["files"]:
        assert (DOCS / path).is_file(), path


class _Head(html.parser.HTMLParser):
    """<meta property|name=... content=...> and <link rel=icon> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.icons: list[str] = []
        self.canonical: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (key := a.get("property") or a.get("name")):
            self.meta[key] = a.get("content") or ""
        elif tag == "link" and a.get("rel") == "icon":
            self.icons.append(a["href"])
        elif tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", path
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_every_page_has_our_favicon_and_an_open_graph_card(built_site: Path):
    card = built_site / "assets" / "images" / "og-card.png"
    assert png_size(card) == (1200, 630)
    checked = 0
    for page in html_files(built_site):
        if 'http-equiv="refresh"' in page.read_text(encoding="utf-8"):
            continue
        head = _Head()
        head.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(built_site)
        base = f"http://site{SUBPATH}{where.as_posix()}"
        icons = {urlsplit(urljoin(base, href)).path for href in head.icons}
        assert icons == {
            f"{SUBPATH}assets/images/favicon.svg",
            f"{SUBPATH}assets/images/favicon-32.png",
        }, where
        assert head.meta["og:title"] and head.meta["og:site_name"], where
        assert head.meta["og:description"] == head.meta["description"], where
        assert head.meta["og:image"].endswith(f"{SUBPATH}assets/images/og-card.png"), where
        assert urlsplit(head.meta["og:image"]).scheme in ("http", "https"), where
        if page.name != "404.html":
            assert head.meta["og:url"] == head.canonical, where
        checked += 1
    assert checked > 50


def test_brand_images_match_their_drawing():
    # The committed SVGs are what generator/brand_images.py draws (run it after an edit); the
    # PNG fallbacks have the sizes the pages announce.
    for name, draw in brand_images.SVGS.items():
        assert (brand_images.IMAGES / name).read_text(encoding="utf-8") == draw(), name
    for name, _, width, height in brand_images.PNGS:
        assert png_size(brand_images.IMAGES / name) == (width, height), name
