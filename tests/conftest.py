"""Session fixtures shared by every test module.

* ``built_site`` -> ``Path``: runs ``python -m generator``, ``mkdocs build --strict`` and
  ``python -m generator.postbuild`` (CSP, service worker) once per session into a temporary
  folder, with ``SITE_URL`` set to the loopback server's address.
* ``site_server`` -> ``tests.browser_harness.SiteServer``: that folder served over HTTP on
  127.0.0.1 (random port) under ``/hiv-treatment-failure/``, as GitHub Pages serves a project
  site. ``site_server.url("disclaimer/")`` is a page's address, ``site_server.origin`` the origin.
* ``browser``: a headless Chromium (``tests/chromium.py`` picks it) driven by Playwright's sync API.
* ``page``: a fresh page in its own browser context (service workers blocked), closed after the
  test.
* ``recorder`` -> ``tests.browser_harness.Recorder``: attached to ``page`` before the test body
  runs; pass it to ``tests.browser_harness.assert_clean`` at the end of a browser test.

Mark tests that need a browser with ``@pytest.mark.browser`` and tests that need Node with
``@pytest.mark.node``; ``pytest -m "not browser and not node"`` runs the rest quickly.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import chromium
from tests.browser_harness import Recorder, SiteServer, build_commands, build_env

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
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).replace(" ,", ",")


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` with its bytes and mtime: equal snapshots mean untouched."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def _loopback_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    # Started before the build, because the build needs the server's address for SITE_URL.
    server = SiteServer(root=tmp_path_factory.mktemp("site")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def built_site(_loopback_server: SiteServer) -> Path:
    for command in build_commands(_loopback_server.root):
        run_checked(command, env=build_env(_loopback_server.base_url))
    return _loopback_server.root


@pytest.fixture(scope="session")
def site_server(built_site: Path, _loopback_server: SiteServer) -> SiteServer:
    return _loopback_server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium.system_chromium()  # None: Playwright's own Chromium
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable) if executable else None,
            args=list(chromium.LAUNCH_ARGS),
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # Service workers blocked: page.route() cannot see requests a worker answers, and most tests
    # route or count requests. tests/test_offline_browser.py opens contexts that allow them.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(60_000)  # generous: CI machines have 2 cores and other load
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def recorder(page, site_server: SiteServer) -> Recorder:
    return Recorder(origin=site_server.origin).attach(page)
