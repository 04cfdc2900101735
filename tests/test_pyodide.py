"""The self-hosted Pyodide runtime: in the browser from the built site, and under Node."""

from __future__ import annotations

import json

import pytest

import logic
from generator.steps import pyodide_runtime
from tests.browser_harness import assert_clean
from tests.node_runner import run_node
from tests.support import ROOT

CLIENT_MODULE = "assets/javascripts/logic-client.mjs"


@pytest.mark.browser
def test_runtime_loads_from_the_site_through_the_one_client(page, recorder, site_server):
    """The one way pages run Python: logic-client.mjs starts logic-worker.mjs, which loads Pyodide
    from the site's own assets/pyodide/<version>/ (through assets/logic/bundle.mjs), never from
    another host, and answers a case."""
    version = pyodide_runtime.pyodide_version(ROOT / "node_modules" / "pyodide")
    page.goto(site_server.url())
    result = page.evaluate(
        """async (url) => {
            const client = await import(url);
            const info = await client.ready();
            const answer = await client.evaluate({});
            return { version: info.pyodideVersion, logic: info.logicVersion, answer };
        }""",
        site_server.url(CLIENT_MODULE),
    )
    assert result["version"] == version
    assert result["logic"] == logic.__version__
    assert result["answer"]["ok"] is False and result["answer"]["error"]["field"]
    runtime = site_server.url(f"assets/pyodide/{version}/")
    fetched = {url.removeprefix(runtime) for url in recorder.requests if url.startswith(runtime)}
    assert {"pyodide.mjs", "pyodide.asm.wasm"} <= fetched <= set(pyodide_runtime.RUNTIME_FILES)
    assert_clean(recorder)


@pytest.mark.node
def test_runtime_runs_under_node():
    data = json.loads(run_node("pyodide_smoke.mjs", timeout=120).strip().splitlines()[-1])
    assert data["atLeast314"] is True
    assert data["sum"] == 2
    assert data["version"] == pyodide_runtime.pyodide_version(ROOT / "node_modules" / "pyodide")
