"""A Content-Security-Policy ``<meta>`` on every page of a built site.

GitHub Pages cannot send headers, so the policy travels in the page. It allows only this site's
own files, plus the inline scripts and ``style`` attributes the theme writes, by their SHA-256:
Material puts a few small scripts in every page (``__md_scope``, the palette, the tab anchor),
whose text varies with the page's depth. The hashes are those of every page of the site, on every
page, because Material's instant navigation keeps the first page's policy while it swaps in the
next page's content. ``'wasm-unsafe-eval'`` lets Pyodide compile WebAssembly; nothing else is
evaluated. Tables with aligned columns carry ``style="text-align: …"``, allowed by hash with
``'unsafe-hashes'`` rather than by ``'unsafe-inline'``.

A site built by Zensical is the one exception for styles: its search dialog writes its own
stylesheet into a shadow root at run time (a ``<style>`` no page contains, so no hash can be
taken here), and its styles are allowed with ``'unsafe-inline'``. Scripts stay hashed for both
builders; the published build (MkDocs + Material) keeps styles hashed too.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from generator.core import GeneratorError

META_START = '<meta http-equiv="Content-Security-Policy"'
_OLD_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)
_STYLE_ATTR = re.compile(r'<[a-zA-Z][^<>]*?\sstyle="([^"]*)"')
_STYLE_TAG = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
_TYPE = re.compile(r'\btype=["\']?([^"\'\s>]+)')
_SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript"}
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.I)
_ZENSICAL = re.compile(r'<meta name="generator" content="zensical-')


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_hashes(page: str) -> tuple[set[str], set[str]]:
    """The hashes of a page's inline scripts that run (not JSON data blocks) and of its inline
    styles (``<style>`` elements and ``style`` attributes, HTML entities as the browser sees
    them: the theme writes none inside these)."""
    scripts = set()
    for attrs, body in _SCRIPT.findall(page):
        kind = _TYPE.search(attrs)
        if "src=" in attrs or (kind and kind.group(1).lower() not in _SCRIPT_TYPES):
            continue
        scripts.add(_hash(body))
    styles = {_hash(v) for v in _STYLE_ATTR.findall(page)}
    styles |= {_hash(v) for v in _STYLE_TAG.findall(page)}
    return scripts, styles


def policy(scripts: set[str], styles: set[str], inline_styles: bool = False) -> str:
    """The policy; ``inline_styles`` for a Zensical build (see the module's docstring)."""
    style_src = ["'self'", *(["'unsafe-hashes'", *sorted(styles)] if styles else [])]
    if inline_styles:
        style_src = ["'self'", "'unsafe-inline'"]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *sorted(scripts)],
        "style-src": style_src,
        # Material's stylesheet draws its icons from data: SVG images.
        "img-src": ["'self'", "data:"],
        "worker-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def apply(site_dir: Path) -> int:
    """Write the policy into every HTML page under ``site_dir`` (replacing an earlier one, so a
    second run changes nothing); returns the number of pages."""
    pages = sorted(site_dir.rglob("*.html"))
    if not pages:
        raise GeneratorError(f"{site_dir}: no HTML pages; build the site before this step")
    texts = {path: _OLD_META.sub("", path.read_text(encoding="utf-8")) for path in pages}
    scripts: set[str] = set()
    styles: set[str] = set()
    for text in texts.values():
        page_scripts, page_styles = inline_hashes(text)
        scripts |= page_scripts
        styles |= page_styles
    zensical = any(_ZENSICAL.search(text[:4096]) for text in texts.values())
    meta = f'{META_START} content="{policy(scripts, styles, inline_styles=zensical)}">\n'
    for path, text in texts.items():
        # After the charset declaration, which must stay within the first 1024 bytes; before
        # every script, which the policy must already cover.
        charset = _CHARSET.search(text)
        if charset:
            at = charset.end()
            text = f"{text[:at]}\n{meta}{text[at:].lstrip(chr(10))}"
        else:
            head = text.find("<head>")
            if head < 0:
                raise GeneratorError(f"{path}: no <head> to put the Content-Security-Policy in")
            at = head + len("<head>")
            text = f"{text[:at]}\n{meta}{text[at:]}"
        path.write_text(text, encoding="utf-8")
    return len(pages)
