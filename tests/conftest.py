"""Session fixtures shared by every test module.

* ``built_site`` -> ``Path``: runs ``python -m generator``, a strict build and
  ``python -m generator.postbuild`` (CSP, service worker) once per session into a temporary
  folder, with ``SITE_URL`` set to the loopback server's address. The builder is MkDocs, or
  Zensical with ``pytest --builder zensical`` (``builder`` fixture: its name). Under Zensical
  only the tests that read the build run (see ``pytest_collection_modifyitems``).
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
Helpers that tests import (``ROOT``, ``run_checked``, ``text_of``, ``search_entries``,
``snapshot``) live in ``tests/support.py``; this file holds fixtures, hooks and the hooks' settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import chromium
from tests.browser_harness import BUILDERS, Recorder, SiteServer, build_commands, build_env
from tests.support import run_checked

# Browser tests that also run on the Zensical build (make test): the smoke test, the reference
# pages' axe and tooltip checks, the runtime load, search, and the walkthrough. The
# remaining browser tests exercise our own JavaScript, which does not change with the builder
# beyond what these cover; run them all with `pytest --builder zensical --all-browser`.
ZENSICAL_BROWSER_FILES = {
    "test_browser_smoke.py",
    "test_reference_browser.py",
    "test_pyodide.py",
    "test_search_browser.py",
    "test_walkthrough_browser.py",
}

# Browser tests that fail under Zensical for a known reason: marked xfail and not run there (each
# would wait out a 60 s timeout). None today: the walkthrough links that Zensical resolved one
# folder too high (raw HTML) are Markdown links now (generator/site_links.walkthrough_link).
ZENSICAL_KNOWN_GAPS: dict[str, str] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--builder",
        choices=BUILDERS,
        default="mkdocs",
        help="build the site with this builder (default mkdocs); zensical runs only the tests "
        "that read the build",
    )
    parser.addoption(
        "--all-browser",
        action="store_true",
        help="with --builder zensical: every browser test, not only ZENSICAL_BROWSER_FILES",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--builder zensical``, keep only the tests that use the built site (and, of the
    browser tests, those in ``ZENSICAL_BROWSER_FILES`` unless ``--all-browser``): the others do
    not depend on the builder and have run under MkDocs."""
    if config.getoption("--builder") != "zensical":
        return
    everything = config.getoption("--all-browser")

    def kept(item: pytest.Item) -> bool:
        if "built_site" not in getattr(item, "fixturenames", ()):
            return False
        browser = item.get_closest_marker("browser") is not None
        return not browser or everything or item.path.name in ZENSICAL_BROWSER_FILES

    for item in items:
        reason = ZENSICAL_KNOWN_GAPS.get(getattr(item, "originalname", item.name))
        if reason:
            item.add_marker(pytest.mark.xfail(reason=f"Zensical: {reason}", run=False))
    deselected = [item for item in items if not kept(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if kept(item)]


@pytest.fixture(scope="session")
def _loopback_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    # Started before the build, because the build needs the server's address for SITE_URL.
    server = SiteServer(root=tmp_path_factory.mktemp("site")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def builder(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--builder")


@pytest.fixture(scope="session")
def built_site(_loopback_server: SiteServer, builder: str) -> Path:
    for command in build_commands(_loopback_server.root, builder):
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
