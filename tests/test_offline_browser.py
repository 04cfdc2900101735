"""Offline use, the update prompt, the Content-Security-Policy, and the hardening of the
walkthrough and the case pages (issue 13), in headless Chromium on the built site.

The build (``tests.browser_harness.build_commands``) ends with ``python -m generator.postbuild``,
which writes the CSP into every page and the service worker ``sw.js``. The shared ``page``
fixture blocks service workers (``page.route`` cannot see what a worker answers); the tests here
that need one open their own browser context.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import logic
from generator.core import long_date
from generator.postbuild import offline
from generator.site_links import encode_case
from tests.browser_harness import SiteServer, assert_clean, build_env
from tests.support import ROOT

RUNTIME_MS = 90_000
RESULT = '[data-walkthrough][data-state="result"]'
GOOD_CASE = {
    "viral_loads": [{"week": 0, "copies": 40_000}, {"week": 24, "copies": 5_000}],
    "history": "first_regimen",
    "failing_regimen": "nnrti_2nrti",
}
CASE_ID = "blip-or-rebound"
RUNTIME_PATH = re.compile(r"/assets/(pyodide|logic)/[^/]+/|/logic-worker\.mjs$|/bundle\.mjs$")
# Collects Content-Security-Policy violations from the first moment of every document.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} ${e.sample || ""}`);
});
"""


def fragment_of(json_text: str) -> str:
    """A #case= fragment holding exactly this JSON text (which json.dumps could not write)."""
    return "case=" + base64.urlsafe_b64encode(json_text.encode()).decode().rstrip("=")


def sw_context(browser, **options):
    """A context in which the site's service worker runs, and CSP violations are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(60_000)
    context.add_init_script(CSP_LISTENER)
    return context


def wait_until_controlled(page) -> None:
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


# --------------------------------------------------------------------------- the built files


def test_every_page_has_the_policy_before_any_script_and_links_the_manifest(built_site: Path):
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        text = path.read_text(encoding="utf-8")
        meta = text.find('<meta http-equiv="Content-Security-Policy"')
        assert meta >= 0, path
        assert text.count('http-equiv="Content-Security-Policy"') == 1, path
        assert meta < text.find("<script"), f"{path}: a script comes before the policy"
        assert text.find("<meta charset") < meta < 1024, path
        if path.name == "index.html":
            assert 'rel="manifest"' in text, path
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', pages[0].read_text()).group(1)
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self' 'wasm-unsafe-eval' 'sha256-")
    tokens = policy.replace(";", " ").split()
    assert "'unsafe-eval'" not in tokens and "'unsafe-inline'" not in directives["script-src"]
    # Styles: hashed under MkDocs + Material; Zensical's search injects a stylesheet at run time.
    zensical = 'content="zensical-' in pages[0].read_text()
    assert ("'unsafe-inline'" in directives["style-src"]) == zensical
    for name, value in {
        "worker-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
    }.items():
        assert directives[name] == value


def test_the_worker_precaches_every_page_with_a_revision_and_not_the_runtime(built_site: Path):
    worker = (built_site / "sw.js").read_text(encoding="utf-8")
    entries = dict(re.findall(r'\{url:"([^"]+)",revision:"([0-9a-f]{32})"\}', worker))
    pages = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")}
    assert pages <= entries.keys(), sorted(pages - entries.keys())
    # The search index as either builder names it (tests/support.py search_entries).
    index = "search.json" if (built_site / "search.json").is_file() else "search/search_index.json"
    needed_files = (index, "sitemap.xml", "assets/manifest.webmanifest")
    for needed in (*needed_files, "assets/logic/bundle.mjs", "assets/javascripts/offline.mjs"):
        assert needed in entries
    assert any(url.startswith("assets/javascripts/bundle.") for url in entries)
    assert not [url for url in entries if re.search(r"assets/(pyodide|logic)/[^/]+/", url)]
    extra = (built_site / "sw-extra.js").read_text(encoding="utf-8")
    facts = json.loads(extra.split("\n", 1)[0].removeprefix("self.HTF_BUILD = ").rstrip(";"))
    assert facts["runtimeCache"].startswith("hiv-treatment-failure-runtime-")
    for path in facts["runtimeFiles"]:
        assert (built_site / path).is_file(), path
    source_date = logic.guideline().source["last_reviewed"]
    assert facts["contentDate"] == long_date(date.fromisoformat(source_date))


def test_each_abbreviation_is_explained_once_per_page_at_its_first_use(built_site: Path):
    """generator/postbuild/tooltips.py: the first use carries its expansion as text (a CSS
    tooltip), later uses are plain; inside a link or control an abbreviation keeps a title."""
    table = (built_site / "guideline" / "table-11" / "index.html").read_text(encoding="utf-8")
    tip = re.compile(
        r'<abbr class="htf-abbr" [^>]*>([^<]*)<span class="htf-abbr__tip" [^>]*>[^<]+</span>'
        r"</abbr>|<abbr>([^<]*)</abbr>"
    )
    for path in sorted(built_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        outside_controls = re.sub(r"<(a|summary|button|label)\b.*?</\1>", " ", text, flags=re.S)
        assert "<abbr title=" not in outside_controls, f"{path}: a title left for a script"
        uses = tip.findall(outside_controls)
        first: dict[str, bool] = {}
        for explained, plain in uses:
            first.setdefault(explained or plain, bool(explained))
        assert all(first.values()), f"{path}: an abbreviation's first use is not explained"
        explained = [word for word, _ in uses if word]
        assert len(explained) == len(set(explained)), f"{path}: an abbreviation explained twice"
    assert len(re.findall(r"<abbr", table)) > 200 > len(re.findall(r'class="htf-abbr"', table))


def test_the_manifest_names_icons_that_exist(built_site: Path):
    folder = built_site / "assets"
    manifest = json.loads((folder / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["start_url"] == manifest["scope"] == "../"
    sizes = set()
    for icon in manifest["icons"]:
        assert (folder / icon["src"]).is_file(), icon["src"]
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes


# --------------------------------------------------------------------------- offline


@pytest.mark.browser
def test_after_one_visit_the_site_reads_searches_and_answers_offline(browser, site_server):
    context = sw_context(browser)
    page = context.new_page()
    try:
        page.goto(site_server.url(""))
        wait_until_controlled(page)
        page.goto(site_server.url("walkthrough/#" + encode_case(GOOD_CASE)))
        page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
        page.wait_for_function(
            "async (url) => (await import(url)).runtimeCached()",
            arg=site_server.url("assets/javascripts/offline.mjs"),
            timeout=RUNTIME_MS,
            polling=500,
        )
        context.set_offline(True)

        page.goto(site_server.url("guideline/table-11/"))
        assert "Table 11" in page.locator("h1").inner_text()
        page.goto(site_server.url("patients/resistance-testing/"))
        assert page.locator("h1").inner_text().strip()
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially("resistance", delay=30)
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)

        # The walkthrough answers a new case offline, from the cached runtime.
        other = dict(GOOD_CASE, failing_regimen="boosted_pi_2nrti")
        page.goto(site_server.url("walkthrough/#" + encode_case(other)))
        page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
        result = logic.evaluate(other)
        assert result["response_label"] in page.locator("[data-wt-result]").inner_text()

        # A case page too (a full load, offline, from the precache and the runtime cache).
        page.goto(site_server.url(f"cases/{CASE_ID}/"))
        page.locator("[data-status][data-state]").wait_for(state="attached")  # mounted
        page.locator("#question-1 input").first.focus()
        page.locator('[data-status][data-state="ready"]').wait_for(timeout=RUNTIME_MS)
        page.locator("#question-1 input").first.check()
        page.locator("#question-1 [data-check]").click()
        page.locator("#question-1 .htf-verdict").wait_for(timeout=RUNTIME_MS)
        assert csp_violations(page) == []
    finally:
        context.close()


@pytest.mark.browser
def test_a_new_build_is_offered_with_its_date_never_swapped_in_silently(
    browser, built_site, tmp_path
):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    server = SiteServer(root=site).start()
    context = sw_context(browser)
    page = context.new_page()
    try:
        page.goto(server.url("guideline/table-11/"))
        wait_until_controlled(page)
        old_heading = page.locator("h1").inner_text()
        assert "Revised" not in old_heading

        # A rebuild with changed content: one page's heading, then the post-build step again.
        table = site / "guideline" / "table-11" / "index.html"
        text, changed = re.subn(
            r"(<h1[^>]*>)", r"\1Revised: ", table.read_text(encoding="utf-8"), count=1
        )
        assert changed == 1
        table.write_text(text, encoding="utf-8")
        subprocess.run(
            [sys.executable, "-m", "generator.postbuild", str(site)],
            cwd=ROOT,
            env=build_env(server.base_url),
            check=True,
            capture_output=True,
        )
        page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).update()")
        prompt = page.locator("[data-htf-update]")
        prompt.wait_for(timeout=60_000)
        assert "Updated guidance available" in prompt.inner_text()
        assert offline.content_date() in prompt.inner_text()

        page.reload()  # the old build still answers until the reader chooses to reload
        assert page.locator("h1").inner_text() == old_heading
        prompt.wait_for(timeout=60_000)
        with page.expect_navigation():
            prompt.get_by_role("button", name="Reload").click()
        assert page.locator("h1").inner_text().startswith("Revised: ")
        assert csp_violations(page) == []
    finally:
        context.close()
        server.stop()


# --------------------------------------------------------------------------- CSP


@pytest.mark.browser
def test_no_page_violates_the_content_security_policy(browser, site_server, built_site):
    context = sw_context(browser, service_workers="block")
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Security Policy" in m.text else None)
    violations = {}
    try:
        for path in sorted(built_site.rglob("*.html")):
            address = path.relative_to(built_site).as_posix().removesuffix("index.html")
            page.goto(site_server.url(address))
            page.wait_for_load_state("load")
            if found := csp_violations(page):
                violations[address] = found
        # What runs code: the walkthrough's answer, a case's answer, the search.
        page.goto(site_server.url("walkthrough/#" + encode_case(GOOD_CASE)))
        page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
        page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially("genotype", delay=30)
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
        page.goto(site_server.url(f"cases/{CASE_ID}/"))
        page.locator("#question-1 input").first.check()
        page.locator("#question-1 [data-check]").click()
        page.locator("#question-1 .htf-verdict").wait_for(timeout=RUNTIME_MS)
        if found := csp_violations(page):
            violations["after answering"] = found
    finally:
        context.close()
    assert not violations, violations
    assert not console, console


# --------------------------------------------------------------------------- case pages: lazy


@pytest.mark.browser
def test_a_case_page_starts_the_runtime_only_when_an_answer_is_chosen(page, recorder, site_server):
    page.goto(site_server.url(f"cases/{CASE_ID}/"))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1_000)
    assert not [u for u in recorder.requests if RUNTIME_PATH.search(u)]
    status = page.locator("[data-status]")
    assert "starts when you choose an answer" in status.inner_text()

    page.locator("#question-1 input").first.click()
    page.locator('[data-status][data-state="ready"]').wait_for(timeout=RUNTIME_MS)
    assert [u for u in recorder.requests if u.endswith("pyodide.asm.wasm")]
    page.locator("#question-1 [data-check]").click()
    page.locator("#question-1 .htf-verdict").wait_for(timeout=RUNTIME_MS)
    assert_clean(recorder)


# --------------------------------------------------------------------------- crafted links


CRAFTED = {
    "llod 1e999": ('{"llod":1e999,"viral_loads":[{"copies":900,"week":0}]}', "llod", "1e999"),
    "weeks off ART -1e999": (
        '{"viral_loads":[{"copies":900,"week":0}],"weeks_off_art":-1e999}',
        "weeks_off_art",
        "-1e999",
    ),
    "fully active agents 1e999": (
        '{"fully_active_agents":1e999,"viral_loads":[{"copies":900,"week":0}]}',
        "fully_active_agents",
        "1e999",
    ),
    "viral loads nested 5000 deep": (
        '{"viral_loads":' + "[" * 5000 + "]" * 5000 + "}",
        "viral_loads",
        "5000 levels deep",
    ),
    "history nested 5000 deep": (
        '{"history":' + "[" * 5000 + "]" * 5000 + ',"viral_loads":[{"copies":900,"week":0}]}',
        "history",
        "5000 levels deep",
    ),
}


@pytest.mark.browser
@pytest.mark.parametrize("name", list(CRAFTED))
def test_a_crafted_link_is_reported_at_its_field_and_the_page_keeps_answering(
    page, recorder, site_server, name
):
    text, field, shown = CRAFTED[name]
    page.goto(site_server.url("walkthrough/#" + fragment_of(text)))
    if "deep" in name:
        problems = page.locator("[data-wt-link-problems-list]")
        problems.wait_for()
        label = json.loads(page.locator("[data-wt-data]").get_attribute("data-wt-data"))["fields"][
            field
        ]["label"]
        assert f"{label}: the link holds a value nested {shown}" in problems.inner_text()
    else:
        assert page.locator(f"#wt-{field}").input_value() == shown
        page.wait_for_function(
            "(id) => document.getElementById(id).getAttribute('aria-invalid') === 'true'",
            arg=f"wt-{field}",
            timeout=RUNTIME_MS,
        )
    # The page still answers: a good case after the crafted one, and an edit.
    page.evaluate("(f) => { location.hash = f; }", encode_case(GOOD_CASE))
    page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
    page.locator('[data-wt-part="copies"]').first.fill("60000")
    page.wait_for_function("() => location.hash.length > 6")
    page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
    assert_clean(recorder)


# --------------------------------------------------------------------------- runtime recovery


def _stall_the_runtime(page, site_server) -> list:
    """Open the walkthrough with the runtime's download held back until it times out (20 s);
    returns the held requests."""
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()  # a fresh worker's download goes through
        else:
            held.append(route)  # never answered, unless the test says so

    page.route("**/pyodide.asm.wasm", hold_the_first)
    page.goto(site_server.url("walkthrough/#" + encode_case(GOOD_CASE)))
    page.locator("[data-wt-failure]").wait_for(state="visible", timeout=40_000)
    assert "20 seconds" in page.locator("[data-wt-failure]").inner_text()
    return held


@pytest.mark.browser
def test_try_again_after_a_timeout_starts_a_fresh_runtime(page, recorder, site_server):
    _stall_the_runtime(page, site_server)  # its download stays stalled
    page.get_by_role("button", name="Try again").click()
    page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
    assert page.locator("[data-wt-failure]").is_hidden()
    starts = page.evaluate("performance.getEntriesByName('htf:logic-runtime-start').length")
    assert starts == 2, "Try again did not start a fresh worker"


@pytest.mark.browser
def test_a_runtime_ready_after_the_timeout_answers_without_a_click(page, recorder, site_server):
    held = _stall_the_runtime(page, site_server)
    for route in held:
        route.continue_()  # the slow download arrives after all
    page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
    assert page.locator("[data-wt-failure]").is_hidden()
    assert page.evaluate("performance.getEntriesByName('htf:logic-runtime-start').length") == 1


# --------------------------------------------------------------------------- summary address


@pytest.mark.browser
def test_summary_and_print_carry_the_canonical_address_and_never_the_query(browser, site_server):
    context = browser.new_context(
        permissions=["clipboard-read", "clipboard-write"], service_workers="block"
    )
    page = context.new_page()
    try:
        fragment = encode_case(GOOD_CASE)
        page.goto(site_server.url("walkthrough/?RECOMMENDATION:stop-all-ART-now(AI)#" + fragment))
        page.locator(RESULT).wait_for(timeout=RUNTIME_MS)
        page.locator("[data-wt-copy]").click()
        page.locator("[data-wt-copy-status]", has_text="copied").wait_for()
        text = page.evaluate("navigator.clipboard.readText()")
        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        assert f"Case: {canonical}#{fragment}" in text
        assert "RECOMMENDATION" not in text and "?" not in text.split("Case: ")[1].split()[0]
        link = page.locator("[data-wt-stamp]").get_attribute("data-link")
        assert link == f"{canonical}#{fragment}"
    finally:
        context.close()


# --------------------------------------------------------------------------- stored progress


@pytest.mark.browser
def test_stored_progress_not_matching_its_schema_is_discarded_with_a_message(
    page, recorder, site_server
):
    page.goto(site_server.url("cases/"))
    page.wait_for_load_state("networkidle")
    bad = {"version": 1, "cases": {CASE_ID: {"answered": {"toString": 1}}}}
    page.evaluate("(t) => localStorage.setItem('htf-cases-progress', t)", json.dumps(bad))
    page.reload()
    note = page.locator("[data-store-problem]")
    note.wait_for()
    assert "discarded" in note.inner_text()
    assert page.evaluate("localStorage.getItem('htf-cases-progress')") is None
    assert page.locator(f'[data-case="{CASE_ID}"] [data-progress]').inner_text() == ""
    assert_clean(recorder)


@pytest.mark.browser
def test_full_storage_says_progress_is_not_being_saved(page, recorder, site_server):
    page.add_init_script(
        """Storage.prototype.setItem = function () {
            throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        };"""
    )
    page.goto(site_server.url(f"cases/{CASE_ID}/"))
    page.locator("#question-1 input").first.check()
    page.locator("#question-1 [data-check]").click()
    page.locator("#question-1 .htf-verdict").wait_for(timeout=RUNTIME_MS)
    note = page.locator("[data-store-problem]")
    note.wait_for()
    assert "not being saved" in note.inner_text()
    assert_clean(recorder)
