"""The self-hosted Pyodide runtime: in the browser from the built site, and under Node."""

from __future__ import annotations

import json

import pytest

from generator.steps import pyodide_runtime
from tests.browser_harness import assert_clean
from tests.node_runner import run_node
from tests.support import ROOT

PYODIDE_TIMEOUT_MS = 90_000


@pytest.mark.browser
def test_runtime_loads_from_the_site_and_runs_python(page, recorder, site_server):
    version = pyodide_runtime.pyodide_version(ROOT / "node_modules" / "pyodide")
    page.goto(site_server.url())
    result = page.evaluate(
        """async (indexURL) => {
            const { loadPyodide, version } = await import(indexURL + "pyodide.mjs");
            const pyodide = await loadPyodide({
                indexURL,
                lockFileURL: indexURL + "pyodide-lock.json",
                packageBaseUrl: indexURL,
                packages: [],
            });
            return {
                version,
                sum: pyodide.runPython("1 + 1"),
                python: pyodide.runPython("import sys; list(sys.version_info[:2])").toJs(),
            };
        }""",
        site_server.url(f"assets/pyodide/{version}/"),
    )
    assert result["sum"] == 2
    assert result["version"] == version
    assert result["python"] >= [3, 14]
    assert site_server.url(f"assets/pyodide/{version}/pyodide.asm.wasm") in recorder.requests
    assert_clean(recorder)


@pytest.mark.browser
def test_runtime_check_on_the_performance_page(page, recorder, site_server):
    # The page's own button: site.mjs -> assets/pyodide/loader.mjs -> the runtime.
    page.goto(site_server.url("about/performance/"))
    output = page.locator("[data-runtime-check] output")
    page.locator("[data-runtime-check] button").click()
    page.locator('[data-runtime-check] output[data-state="ready"]').wait_for(
        timeout=PYODIDE_TIMEOUT_MS
    )
    text = output.inner_text()
    assert "1 + 1 = 2" in text
    assert "Python 3.1" in text and "Pyodide " in text
    assert_clean(recorder)


@pytest.mark.node
def test_runtime_runs_under_node():
    data = json.loads(run_node("pyodide_smoke.mjs", timeout=120).strip().splitlines()[-1])
    assert data["atLeast314"] is True
    assert data["sum"] == 2
    assert data["version"] == pyodide_runtime.pyodide_version(ROOT / "node_modules" / "pyodide")
