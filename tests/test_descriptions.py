"""Every built page has a description of its own (search results, link previews): none repeats
another page's, none is the site's default."""

from __future__ import annotations

import html.parser
from collections import defaultdict
from pathlib import Path

import yaml

from generator.core import ROOT

# Pages that are not content: MkDocs' 404 page and its redirect stubs.
NOT_PAGES = {"404.html"}


class _Description(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.description: str | None = None
        self.refresh = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and attributes.get("name") == "description":
            self.description = attributes.get("content")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.refresh = True


def site_description() -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # The file uses !ENV tags; only the plain site_description is wanted here.
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: None)
    return " ".join(yaml.load(text, Loader=loader)["site_description"].split())


def descriptions(site: Path) -> dict[str, str | None]:
    out = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative in NOT_PAGES or relative.startswith("assets/"):
            continue
        parser = _Description()
        parser.feed(path.read_text(encoding="utf-8"))
        if not parser.refresh:
            out[relative] = parser.description and " ".join(parser.description.split())
    return out


def test_every_page_has_its_own_description(built_site: Path):
    found = descriptions(built_site)
    assert len(found) >= 80, "expected every page of the site"
    default = site_description()
    assert default
    missing = [page for page, text in found.items() if not text]
    assert not missing, f"no description: {missing}"
    default_pages = [page for page, text in found.items() if text == default]
    assert not default_pages, f"the site's default description: {default_pages}"
    shared = defaultdict(list)
    for page, text in found.items():
        shared[text].append(page)
    repeated = {text: pages for text, pages in shared.items() if len(pages) > 1}
    assert not repeated, f"descriptions used twice: {repeated}"
