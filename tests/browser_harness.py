"""Helpers for browser tests: a loopback server for the built site and a recorder of what a page
does on the network and in its console. The fixtures in ``tests/conftest.py`` wrap these.

Typical use in a test::

    @pytest.mark.browser
    def test_something(page, recorder, site_server):
        page.goto(site_server.url("about/performance/"))
        ...
        assert_clean(recorder)
"""

from __future__ import annotations

import functools
import http.server
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

SUBPATH = "/hiv-treatment-failure/"  # as GitHub Pages serves a project site: /REPO/

CONTENT_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".zip": "application/zip",
    ".json": "application/json",
    ".css": "text/css",
    ".html": "text/html",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``directory`` under ``SUBPATH`` only (anything else is a 404), with the content
    types the site needs and no request logging."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def translate_path(self, path: str) -> str:
        request_path = urlsplit(path).path
        if request_path == SUBPATH.rstrip("/"):
            return self.directory  # a directory: the handler redirects to add the slash
        if not request_path.startswith(SUBPATH):
            return str(Path(self.directory) / "__outside_the_site_subpath__")  # a 404
        return super().translate_path("/" + request_path[len(SUBPATH) :])

    def log_message(self, format: str, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser closing a connection mid-response is not an error worth a traceback.
        pass


@dataclass
class SiteServer:
    """A threaded HTTP server on 127.0.0.1 (random port) serving ``root`` under ``SUBPATH``."""

    root: Path
    origin: str = ""
    handler: type = _Handler  # a subclass may add headers (tests/benchmarks/bench_lighthouse.py)
    _server: _Server | None = None

    def start(self) -> SiteServer:
        handler = functools.partial(self.handler, directory=str(self.root))
        self._server = _Server(("127.0.0.1", 0), handler)
        host, port = self._server.server_address[:2]
        self.origin = f"http://{host}:{port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        """The site's root, e.g. ``http://127.0.0.1:PORT/hiv-treatment-failure/``."""
        return self.origin + SUBPATH

    def url(self, path: str = "") -> str:
        """The address of ``path`` (relative to the site root, e.g. ``"disclaimer/"``)."""
        return self.base_url + path.lstrip("/")


# Third-party addresses that the shipped scripts contain but never request on this site, by
# the file (glob, relative to the site) that contains them. tests/test_build.py fails on any
# other third-party address in a shipped script or stylesheet; Recorder names these if one ever
# fires at run time, and assert_clean fails on it like on any other-host request.
DORMANT_URLS: dict[str, dict[str, tuple[str, ...]]] = {
    "mkdocs": {
        # Material 9: a ResizeObserver polyfill, only in browsers without ResizeObserver; Mermaid,
        # only on pages with a `pre.mermaid` diagram (tests/test_build.py checks there is none).
        "assets/javascripts/bundle.*.min.js": (
            "unpkg.com/resize-observer-polyfill",
            "unpkg.com/mermaid@",
        ),
    },
    "zensical": {
        # Zensical's bundle: the same two; GLightbox, only for `.glightbox` images; Ace and
        # Pyodide (with its package CDN), only for runnable `.pyodide` code blocks. We use none
        # of these classes (checked in tests/test_build.py); our own Pyodide is self-hosted.
        "assets/javascripts/bundle.*.min.js": (
            "unpkg.com/resize-observer-polyfill",
            "unpkg.com/mermaid@",
            "unpkg.com/glightbox@",
            "unpkg.com/ace-builds@",
            "unpkg.com/pyodide@",
            "cdn.jsdelivr.net/pyodide/v",
        ),
    },
    "both": {
        # Pyodide's default package URL, used only when loadPyodide gets no packageBaseUrl; our
        # one caller (logic-worker.mjs) always passes one.
        "assets/pyodide/*/pyodide.mjs": ("cdn.jsdelivr.net/pyodide/",),
    },
}


def dormant_urls(builder: str) -> dict[str, tuple[str, ...]]:
    """File glob -> dormant third-party URL prefixes, for one builder's output."""
    return {**DORMANT_URLS[builder], **DORMANT_URLS["both"]}


def _dormant_name(url: str) -> str | None:
    bare = url.split("://", 1)[-1]
    for builder, files in DORMANT_URLS.items():
        for file, prefixes in files.items():
            if bare.startswith(prefixes):
                return f"{builder}'s dormant fallback in {file}"
    return None


@dataclass
class Recorder:
    """Everything a Playwright page did: requests, responses, failures, console and page
    errors. Attach it before navigating (the ``recorder`` fixture does)."""

    origin: str
    requests: list[str] = field(default_factory=list)
    responses: list[tuple[int, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page) -> Recorder:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("response", lambda response: self.responses.append((response.status, response.url)))
        page.on(
            "requestfailed",
            lambda request: self.failed.append(f"{request.url} ({request.failure})"),
        )
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        return self

    def other_host_requests(self) -> list[str]:
        # data: and blob: URLs never leave the browser. A known dormant fallback that fired is
        # named, so the report says which builder's loader woke up.
        return [
            f"{url} ({name})" if (name := _dormant_name(url)) else url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and not _same_origin(url, self.origin)
        ]

    def bad_responses(self) -> list[str]:
        return [f"{status} {url}" for status, url in self.responses if not 200 <= status < 400]


def _same_origin(url: str, origin: str) -> bool:
    parts, expected = urlsplit(url), urlsplit(origin)
    return (parts.scheme, parts.netloc) == (expected.scheme, expected.netloc)


def assert_clean(recorder: Recorder) -> None:
    """Fail unless every request stayed on the site's origin, every response was 2xx/3xx, no
    request failed, and the page logged no console error and raised no error."""
    problems = {
        "requests to another origin": recorder.other_host_requests(),
        "responses that are not 2xx/3xx": recorder.bad_responses(),
        "failed requests": recorder.failed,
        "console errors": recorder.console_errors,
        "page errors": recorder.page_errors,
    }
    problems = {name: items for name, items in problems.items() if items}
    assert recorder.requests, "the page made no request at all: was the recorder attached?"
    assert not problems, "\n".join(
        f"{name}:\n  " + "\n  ".join(items) for name, items in problems.items()
    )


AXE_SCRIPT = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now, one line each
    (rule, impact, up to five offending nodes). axe-core comes from node_modules (npm ci)."""
    # Evaluated through the DevTools protocol: an inline <script> would break the page's
    # Content-Security-Policy, which allows only the site's own scripts.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): `
                + v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", "))"""
    )


def runtime_ready(page, client_url: str) -> dict:
    """What ``logic-client.mjs``'s ``ready()`` answers in this page (``client_url``: the module's
    address on the site, so the page's own instance and runtime): versions, how the worker
    started Python (``start``) and when its start-up phases ended."""
    info = page.evaluate("async (url) => (await import(url)).ready()", client_url)
    starts = page.evaluate("performance.getEntriesByName('htf:logic-runtime-start').length")
    assert starts == 1, f"{client_url} is not the page's own logic-client.mjs: it started a runtime"
    return info


# The site builds with either builder from the same mkdocs.yml and docs/ (pytest --builder).
BUILDERS = ("mkdocs", "zensical")


def build_commands(destination: Path, builder: str = "mkdocs") -> list[list[str]]:
    """Generate, strict-build the site into ``destination`` with ``builder``, then add its CSP
    and service worker (``generator.postbuild``, which only reads and writes the built folder):
    the build the browser tests and the benchmarks serve. Run from the repository root with
    :func:`build_env`. Zensical has no ``-d`` and keeps ``site_dir`` inside the project, so
    ``tests.zensical_build`` builds there and moves the result; it never passes ``-c``, which
    would delete all of ``.cache/`` (the generator's precompile cache included)."""
    if builder not in BUILDERS:
        raise ValueError(f"builder {builder!r}: expected one of {', '.join(BUILDERS)}")
    if builder == "zensical":
        build = [sys.executable, "-m", "tests.zensical_build", str(destination)]
    else:
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-q"]
        build += ["-d", str(destination)]
    postbuild = [sys.executable, "-m", "generator.postbuild", str(destination)]
    return [[sys.executable, "-m", "generator"], build, postbuild]


def build_env(site_url: str) -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url)
