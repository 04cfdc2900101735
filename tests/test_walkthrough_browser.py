"""The walkthrough in headless Chromium, on the built site served under its sub-path.

Expected answers are never typed here: each test asks CPython's ``logic`` what the browser must
show, and the cases come from ``tests/vectors/logic.json`` (one per behaviour, one per Table 11
row).
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from typing import Any

import pytest

import logic
from generator.core import long_date
from generator.logic_bundle import pack_snapshot
from generator.pyodide import glue
from generator.ratings import rating_title
from generator.site_links import encode_case
from tests.browser_harness import AXE_SCRIPT, assert_clean, axe_problems, runtime_ready
from tests.support import ROOT

pytestmark = pytest.mark.browser

VECTORS = json.loads((ROOT / "tests" / "vectors" / "logic.json").read_text())["vectors"]
ROW_VECTORS = {}
for _vector in VECTORS:
    _scenario = _vector["expect"].get("scenario")
    if _scenario and _scenario not in ROW_VECTORS and _vector["name"].startswith("row-"):
        ROW_VECTORS[_scenario] = _vector
RUNTIME_TIMEOUT_MS = 60_000
CLIENT_MODULE = "assets/javascripts/logic-client.mjs"
# What a reader must never see in the answer: a rule id (VL-04, T11-05), a key (confirm_and_assess)
# or logic's own "key = value" notation.
INTERNAL_ID = re.compile(r"\b[A-Z][A-Z0-9]{1,4}-[0-9]{2}\b|\b[a-z0-9]+_[a-z0-9_]+\b| = ")
SETTLED = '[data-walkthrough][data-state="result"], [data-walkthrough][data-state="error"]'


def cpython(case: Any) -> dict[str, Any]:
    """What the browser must answer: the worker's own Python (generator/pyodide/glue.py) run in
    CPython, through JSON as the worker sends and posts it."""
    return json.loads(glue.evaluate_json(json.dumps(case)))


def open_walkthrough(page, site_server, case: dict | None = None, fragment: str | None = None):
    url = site_server.url("walkthrough/")
    if case is not None:
        url += "#" + encode_case(case)
    elif fragment is not None:
        url += "#" + fragment
    page.goto(url)
    if case is not None:
        page.locator(SETTLED).wait_for(timeout=RUNTIME_TIMEOUT_MS)


def wait_for_runtime(page):
    page.locator('[data-wt-status][data-state="ready"]').wait_for(
        state="attached", timeout=RUNTIME_TIMEOUT_MS
    )


def decoded_hash(page) -> dict:
    fragment = page.evaluate("location.hash").removeprefix("#case=")
    return json.loads(base64.urlsafe_b64decode(fragment + "=" * (-len(fragment) % 4)))


def wait_for_answer(page, previous: int):
    page.wait_for_function(
        "(n) => performance.getEntriesByName('htf:walkthrough-result').length > n",
        arg=previous,
        timeout=RUNTIME_TIMEOUT_MS,
    )


def result_count(page) -> int:
    return page.evaluate("performance.getEntriesByName('htf:walkthrough-result').length")


def as_asked(case: dict) -> dict:
    """The case as the form asks it: a question shown only under a condition (resistance classes
    once mutations were found) gets its condition answered first, as a user would."""
    out = dict(case)
    for field in logic.guideline().fields.values():
        requires = field.get("requires")
        if requires and case.get(field["id"]) and case.get(requires["field"]) is None:
            out[requires["field"]] = requires["value"]
    return out


def settle(page) -> None:
    """Wait until the page is not evaluating or about to show a problem (text that appears can
    move what a click would land on, for a reader as for a test)."""
    page.wait_for_function("() => !document.querySelector('[data-walkthrough]').dataset.busy")


def fill_with_mouse(page, case: dict) -> None:
    """Fill the form as a user would (clicks and typing), in the form's order."""
    case = as_asked(case)
    loads = case["viral_loads"]
    while page.locator("[data-wt-row]").count() < len(loads):
        page.locator("[data-wt-add-row]").click()
    for index, item in enumerate(loads):
        row = page.locator("[data-wt-row]").nth(index)
        row.locator('[data-wt-part="week"]').fill(str(item.get("week", item.get("date"))))
        row.locator('[data-wt-part="copies"]').fill(str(item["copies"]))
    for field in logic.guideline().fields.values():
        fid, value = field["id"], case.get(field["id"])
        if field["kind"] == "series" or value is None:
            continue
        settle(page)
        if field["kind"] in ("number", "integer", "date"):
            page.locator(f"#wt-{fid}").fill(str(value))
        elif field["kind"] == "text":
            page.locator(f"#wt-{fid}").fill(value if isinstance(value, str) else " + ".join(value))
        elif field["kind"] == "choice":
            page.locator(f"#wt-{fid}-{value}").check()
        elif field["kind"] == "multi":
            for item in value:
                settle(page)
                page.locator(f"#wt-{fid}-{item}").check()
        elif field["kind"] == "boolean" and value:
            page.locator(f"#wt-{fid}").check()
    settle(page)  # the answer on show is the answer to the whole case


def tab_to(page, selector: str, limit: int = 400) -> None:
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def fill_with_keyboard(page, case: dict) -> None:
    """Fill the form with the keyboard only: Tab, typing, arrow keys, Space and Enter."""
    case = as_asked(case)
    loads = case["viral_loads"]
    page.locator("body").focus()
    for index, item in enumerate(loads):
        if index >= page.locator("[data-wt-row]").count():
            tab_to(page, "[data-wt-add-row]")
            page.keyboard.press("Enter")  # focus moves to the new row's week
        row_week = page.locator("[data-wt-row]").nth(index).locator('[data-wt-part="week"]')
        tab_to(page, f"#{row_week.get_attribute('id')}")
        page.keyboard.type(str(item.get("week", item.get("date"))))
        page.keyboard.press("Tab")
        page.keyboard.type(str(item["copies"]))
    for field in logic.guideline().fields.values():
        fid, value = field["id"], case.get(field["id"])
        if field["kind"] == "series" or value is None:
            continue
        if field["kind"] in ("number", "integer", "date"):
            tab_to(page, f"#wt-{fid}")
            page.keyboard.type(str(value))
        elif field["kind"] == "text":
            tab_to(page, f"#wt-{fid}")
            page.keyboard.type(value if isinstance(value, str) else " + ".join(value))
        elif field["kind"] == "choice":
            tab_to(page, f'input[name="{fid}"]')  # the group's checked radio: "Not answered"
            steps = [c["value"] for c in field["choices"]].index(value) + 1
            for _ in range(steps):
                page.keyboard.press("ArrowDown")
        elif field["kind"] == "multi":
            for item in value:
                tab_to(page, f"#wt-{fid}-{item}")
                page.keyboard.press("Space")
        elif field["kind"] == "boolean" and value:
            tab_to(page, f"#wt-{fid}")
            page.keyboard.press("Space")
    settle(page)


def rendered(page) -> dict[str, Any]:
    """What the result panel shows, read back from the DOM."""
    return page.evaluate(
        """() => {
            const q = (s) => document.querySelector(s);
            const all = (s) => [...document.querySelectorAll(s)];
            const card = '[data-wt-block="verdict"]';
            const options = all(`${card} .wt-options-list > li`);
            return {
                response_label: q(`${card} .wt-verdict strong`)?.textContent,
                scenario: q(`${card} [data-scenario]`)?.dataset.scenario ?? null,
                reason: q(`${card} [data-wt-reason-text]`)?.textContent ?? null,
                options: options.map((li) => ({
                    text: li.firstChild.textContent,
                    rating: li.querySelector(':scope > .rating-badge')?.textContent ?? "",
                    cautions: [...li.querySelectorAll(':scope > .wt-option-caution a')].map(
                        (a) => a.getAttribute('href').replace('#wt-caution-', '')),
                })),
                management: all('[data-recommendation]').map((li) => li.dataset.recommendation),
                cautions: all('[data-caution]').map((box) => box.dataset.caution),
                questions: all('[data-wt-goto]').map((b) => b.dataset.wtGoto),
                trace: all('.wt-trace tbody tr').map((tr) => tr.dataset.rule),
                badges: all('.wt-result .rating-badge').map((a) => ({
                    rating: a.dataset.rating, title: a.title, href: a.getAttribute('href'),
                    text: a.textContent,
                })),
            };
        }"""
    )


def assert_shows(page, result: dict) -> None:
    shown = rendered(page)
    assert shown["response_label"] == result["response_label"]
    assert shown["scenario"] == result["scenario"]
    if not result["scenario"]:
        assert shown["reason"] == (result["scenario_reason"] or {}).get("text")
    assert shown["options"] == [
        {"text": o["text"], "rating": o["rating"], "cautions": o["cautions"]}
        for o in result["options"]
    ]
    assert shown["management"] == [m["id"] for m in result["management"]]
    assert shown["cautions"] == [c["id"] for c in result["cautions"]]
    assert shown["questions"] == result["questions"]
    assert shown["trace"] == [t["rule"] for t in result["trace"]]
    for badge in shown["badges"]:
        assert badge["text"] == badge["rating"]
        assert badge["title"] == rating_title(badge["rating"], logic.guideline())
        assert badge["href"].endswith(f"guideline/ratings/#rating-{badge['rating']}")


# --------------------------------------------------------------------------- the flow


def test_a_caution_stands_beside_the_option_it_limits(page, recorder, site_server):
    """DTG for a person of childbearing potential: the DTG caution is linked from the option."""
    vector = next(v for v in VECTORS if v["name"] == "hbv-and-childbearing")
    expected = cpython(vector["case"])["result"]
    assert any(option["cautions"] == ["dtg_childbearing"] for option in expected["options"])
    open_walkthrough(page, site_server, case=vector["case"])
    assert_shows(page, expected)
    link = page.locator(".wt-option-caution a").first
    assert link.inner_text() == "Dolutegravir and childbearing potential"
    target = link.get_attribute("href")
    assert page.locator(f'{target}[data-caution="dtg_childbearing"]').count() == 1
    assert_clean(recorder)


def test_clear_the_form_can_be_undone_by_the_button_and_by_back(page, recorder, site_server):
    case = ROW_VECTORS["first_nnrti"]["case"]
    open_walkthrough(page, site_server, case=case)
    page.evaluate("window.__htfMarker = 'kept'")
    fragment = page.evaluate("location.hash")
    week = page.locator('[data-wt-part="week"]').first
    original = week.input_value()
    assert original
    for how in ("button", "back"):
        before = result_count(page)
        page.locator("[data-wt-clear]").click()
        page.wait_for_function("() => !location.hash")
        assert week.input_value() == ""
        undo = page.locator("[data-wt-undo-button]")
        undo.wait_for()
        assert "cleared" in page.locator(".wt-undo[role=status]").inner_text()
        if how == "button":
            undo.click()
        else:
            page.go_back()
            # Material answers this Back by fetching the page and swapping it in again (so the
            # case is answered twice: by the old page, then by the new one): read the answer
            # once that fetch is over and the page on show has answered.
            page.wait_for_load_state("networkidle")
        page.wait_for_function("(f) => location.hash === f", arg=fragment)
        wait_for_answer(page, before)  # the case answered again
        page.locator('[data-walkthrough][data-state="result"]:not([data-busy])').wait_for()
        assert week.input_value() == original, how
        assert decoded_hash(page) == json.loads(json.dumps(case))
        assert_shows(page, cpython(case)["result"])
        assert undo.is_hidden()
    assert page.evaluate("window.__htfMarker") == "kept", "the page was reloaded"
    assert_clean(recorder)


def test_a_conditional_question_is_asked_only_where_a_rule_reads_it():
    """Every question asked under a condition (`requires`) is read only by rules that hold
    under that condition: hiding it otherwise never hides an answer the rules would use."""
    g = logic.guideline()
    conditional = {f["id"]: f["requires"] for f in g.fields.values() if f.get("requires")}
    assert {"fully_active_agents", "fully_active_boosted_pi"} <= set(conditional)
    for fid in ("fully_active_agents", "fully_active_boosted_pi"):
        requires = conditional[fid]
        readers = [
            rule for table in g.tables.values() for rule in table["rules"] if fid in rule["when"]
        ]
        assert readers, fid
        for rule in readers:
            assert rule["when"].get(requires["field"]) == requires["value"], rule["id"]


def test_fully_active_agents_asked_for_a_later_failure_and_kept_when_hidden(
    page, recorder, site_server
):
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    rows = page.locator("[data-wt-row]")
    for index, (week, copies) in enumerate([(12, "<50"), (24, "2,400"), (28, "3100")]):
        rows.nth(index).locator('[data-wt-part="week"]').fill(str(week))
        rows.nth(index).locator('[data-wt-part="copies"]').fill(copies)
    question = page.locator('[data-wt-field="fully_active_agents"]')
    assert question.is_hidden()
    page.locator("#wt-history-first_regimen").check()
    assert question.is_hidden()
    page.locator("#wt-history-second_or_later").check()
    assert question.is_visible()
    assert "How to count" in question.locator(".wt-help").inner_text()
    before = result_count(page)
    page.locator("#wt-fully_active_agents").fill("2")
    wait_for_answer(page, before)
    settle(page)
    assert decoded_hash(page)["fully_active_agents"] == 2
    assert rendered(page)["scenario"] == cpython(decoded_hash(page))["result"]["scenario"]
    page.locator("#wt-history-first_regimen").check()
    page.wait_for_function(
        """() => { const b = location.hash.slice(6).replaceAll('-', '+').replaceAll('_', '/');
                   return !atob(b + '='.repeat((4 - b.length % 4) % 4)).includes('fully_'); }"""
    )
    assert question.is_hidden()
    assert "fully_active_agents" not in decoded_hash(page)  # hidden: not sent
    assert page.locator("#wt-fully_active_agents").input_value() == "2"  # but kept
    page.locator("#wt-history-second_or_later").check()
    assert question.is_visible()
    page.wait_for_function("() => location.hash.length > 0")
    settle(page)
    assert decoded_hash(page)["fully_active_agents"] == 2
    assert_clean(recorder)


def highest_rated(options: list[dict]) -> list[str]:
    """The options with the strongest rating: strength letter first, then evidence numeral, in
    the order of the guideline's own rating scheme."""
    scheme = logic.guideline().rating_scheme
    strength = [s["code"] for s in scheme["strength"]]
    evidence = [e["code"] for e in scheme["evidence"]]
    ranks = {}
    for option in options:
        match = re.fullmatch(r"([A-Z])(I+)", option["rating"] or "")
        if match:
            ranks[option["text"]] = (strength.index(match[1]), evidence.index(match[2]))
    best = min(ranks.values())
    return [text for text, rank in ranks.items() if rank == best]


def test_verdict_card_marks_the_highest_rated_option_and_names_every_caution(
    page, recorder, site_server
):
    vector = next(v for v in VECTORS if v["name"] == "hbv-and-childbearing")
    result = cpython(vector["case"])["result"]
    open_walkthrough(page, site_server, case=vector["case"])
    card = page.locator('[data-wt-block="verdict"]')
    assert page.locator("[data-wt-result] > *").first.get_attribute("data-wt-block") == "verdict"
    marked = card.locator('.wt-options-list > li[data-highest="true"]').evaluate_all(
        "(items) => items.map((li) => li.firstChild.textContent)"
    )
    top = highest_rated(result["options"])
    assert marked == top and len(top) < len(result["options"])
    for li in card.locator('.wt-options-list > li[data-highest="true"]').all():
        assert "Highest rated" in li.locator(".wt-top").inner_text()  # in words, not colour
    text = card.inner_text()
    assert result["table11_row"]["failing_regimen"] in text
    assert result["definition"]["term"] in text
    for caution in result["cautions"]:
        assert caution["title"] in text, caution["title"]
    assert not INTERNAL_ID.search(text)
    assert_clean(recorder)


PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1366, "height": 768}


def in_viewport(page, selector: str) -> bool:
    """Whether the top of the element is on the screen as it stands (no scrolling)."""
    return page.evaluate(
        """(s) => { const r = document.querySelector(s).getBoundingClientRect();
                    return r.top >= 0 && r.top < innerHeight - 40 && r.height > 0; }""",
        selector,
    )


def test_phone_a_scenario_link_lands_on_the_verdict(page, recorder, site_server):
    page.set_viewport_size(PHONE)
    open_walkthrough(page, site_server, case=ROW_VECTORS["first_nnrti"]["case"])
    page.wait_for_function("() => document.activeElement?.id === 'wt-verdict'")
    label = cpython(ROW_VECTORS["first_nnrti"]["case"])["result"]["response_label"]
    page.wait_for_function(  # the live region has spoken: nothing pushed the card down
        "(l) => document.querySelector('[data-wt-announce]').textContent.includes(l)", arg=label
    )
    top = page.locator("#wt-verdict").evaluate("(n) => n.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 4, top
    # The form is folded to a summary of what was entered, which opens to edit.
    toggle = page.locator("[data-wt-edit]")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("[data-wt-form]").is_hidden()
    summary = page.locator("[data-wt-case-summary]").inner_text()
    assert "Failing the first regimen" in summary and "2,400" in summary
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("[data-wt-form]").is_visible()
    assert_clean(recorder)


def test_phone_the_verdict_is_one_tap_away_after_typing(page, recorder, site_server):
    page.set_viewport_size(PHONE)
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    fill_with_mouse(page, ROW_VECTORS["first_insti"]["case"])
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    assert not in_viewport(page, "#wt-verdict")  # the form is long: the answer is below it
    jump = page.locator("[data-wt-jump]")
    jump.wait_for()
    box = jump.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]  # always on screen
    jump.click()
    page.wait_for_function("() => document.activeElement?.id === 'wt-verdict'")
    assert in_viewport(page, "#wt-verdict")
    assert page.locator("[data-wt-edit]").get_attribute("aria-expanded") == "false"
    jump.wait_for(state="hidden")  # the verdict in view: nothing to jump to
    assert_clean(recorder)


@pytest.mark.parametrize("scenario", sorted(logic.guideline().rows))
def test_full_flow_for_each_table11_row(page, recorder, site_server, scenario):
    vector = ROW_VECTORS[scenario]
    open_walkthrough(page, site_server)
    assert page.locator("[data-wt-status]").is_visible()  # the loading state, before Python
    wait_for_runtime(page)
    fill_with_mouse(page, vector["case"])
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    sent = decoded_hash(page)  # the case the form describes, as the page keeps it
    expected = cpython(sent)["result"]
    assert expected["scenario"] == scenario
    assert cpython(vector["case"])["result"]["options"] == expected["options"]
    page.wait_for_function(
        "(n) => performance.getEntriesByName('htf:walkthrough-result').length >= n", arg=1
    )
    assert_shows(page, expected)
    assert_map_shows_path(page, expected)
    # "Why" names the facts a rule read in the decision map's words, not logic's identifiers.
    why = page.locator(".wt-trace tbody").text_content()
    assert why and not INTERNAL_ID.search(why), why
    assert not INTERNAL_ID.search(page.locator("[data-wt-result]").inner_text())
    assert_clean(recorder)


def assert_map_shows_path(page, result: dict) -> None:
    """The rules that fired and the row are marked, once each, on the flowchart, where the mark
    is a visible tick as well as an outline (not colour alone) and, for a screen reader, words
    before the box's own."""
    expected = [t["rule"] for t in result["trace"]]
    if result["scenario"]:
        expected.append(f"row:{result['scenario']}")
    hits = page.locator("[data-wt-decision-map] .dmap-svg a.dmap-hit").evaluate_all(
        """(nodes) => nodes.map((n) => [n.dataset.rule ?? `row:${n.dataset.scenario}`,
                                        n.getAttribute('aria-label')])"""
    )
    assert sorted(key for key, _ in hits) == sorted(expected)
    for key, label in hits:
        assert label.startswith("On this case's path: ") and "✓" not in label, (key, label)
    ticks = page.locator("[data-wt-decision-map] .dmap-svg .dmap-d-mark").evaluate_all(
        "(marks) => marks.filter((m) => getComputedStyle(m).display !== 'none').length"
    )
    assert ticks == len(expected)
    assert not page.locator("[data-wt-decision-map] .dmap-hit:not(.dmap-svg a)").count()
    assert page.locator("[data-wt-decision-map] .dmap-svg a[aria-label]").count() == len(hits)


def test_rule_links_open_their_card_and_back_returns_to_the_case(page, recorder, site_server):
    page.set_viewport_size({"width": 375, "height": 812})  # a phone: the rules are far down
    case = ROW_VECTORS["limited_history"]["case"]
    open_walkthrough(page, site_server, case=case)
    fragment = page.evaluate("location.hash")
    rule = logic.evaluate(case)["trace"][0]["rule"]
    page.locator(".wt-trace summary").click()
    link = page.locator(f'.wt-trace a[href$="/decision-map/#rule-{rule}"]').first
    link.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # Material records the scroll offset in the history entry
    left_at = page.evaluate("scrollY")
    link.click()
    page.wait_for_url(f"**/guideline/decision-map/#rule-{rule}")
    assert page.locator(f"#rule-{rule}").is_visible()
    before = result_count(page)  # instant navigation keeps the page's JavaScript (and Python)
    page.go_back()
    page.wait_for_function("(f) => location.hash === f", arg=fragment)
    wait_for_answer(page, before)
    assert_shows(page, cpython(case)["result"])
    # Back to where the reader left, not to the verdict as a fresh link would.
    assert abs(page.evaluate("scrollY") - left_at) < 100, (page.evaluate("scrollY"), left_at)
    assert len([u for u in recorder.requests if u.endswith("/pyodide.asm.wasm")]) == 1
    assert_clean(recorder)


def test_in_page_links_keep_the_case_whatever_their_address(page, recorder, site_server):
    """Material rewrites links' addresses to full ones at load: the map link, the flowchart's
    skip link and a heading's permalink still move within the page, below the header, and the
    case stays in the address with its answer."""
    open_walkthrough(page, site_server, case=ROW_VECTORS["first_nnrti"]["case"])
    fragment = page.evaluate("location.hash")
    answers = result_count(page)
    for link, target in (
        ("[data-wt-map-link] a", "decision-map"),
        (".dmap-skip a", "dmap-after"),
        ("#how-the-walkthrough-works a.headerlink", "how-the-walkthrough-works"),
    ):
        page.locator(link).focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "(id) => document.activeElement?.id === id", arg=target, timeout=5_000
        )
        assert page.evaluate("location.hash") == fragment, link
        below_header = page.locator(f"#{target}").evaluate(
            """(n) => n.getBoundingClientRect().top >=
                      document.querySelector('.md-header').getBoundingClientRect().bottom"""
        )
        assert below_header, f"{target} is under the header"
    assert result_count(page) == answers
    assert page.locator("[data-wt-decision-map] .dmap-svg a.dmap-hit").count()
    assert_clean(recorder)


def test_flowchart_boxes_open_their_cards(page, recorder, site_server):
    case = ROW_VECTORS["first_nnrti"]["case"]
    open_walkthrough(page, site_server, case=case)
    rule = logic.evaluate(case)["trace"][-1]["rule"]
    box = page.locator(f'[data-wt-decision-map] .dmap-svg a[data-rule="{rule}"]')
    assert box.evaluate("(a) => a.classList.contains('dmap-hit')"), "the box is on the path"
    box.click()
    page.wait_for_url(f"**/guideline/decision-map/#rule-{rule}")
    assert page.locator(f"#rule-{rule}").is_visible()
    assert_clean(recorder)


def test_full_flow_by_keyboard_only(page, recorder, site_server):
    vector = ROW_VECTORS["first_insti_ral_evg_resistance"]
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    fill_with_keyboard(page, vector["case"])
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    expected = cpython(decoded_hash(page))["result"]
    assert expected["scenario"] == "first_insti_ral_evg_resistance"
    assert_shows(page, expected)
    # The short summary is announced through the live region.
    live = page.locator("[data-wt-announce]")
    assert live.get_attribute("aria-live") == "polite"
    page.wait_for_function(
        "(label) => document.querySelector('[data-wt-announce]').textContent.includes(label)",
        arg=expected["response_label"],
    )
    assert_clean(recorder)


def test_results_update_as_inputs_change(page, recorder, site_server):
    vector = ROW_VECTORS["first_nnrti"]
    open_walkthrough(page, site_server, case=vector["case"])
    assert_shows(page, cpython(vector["case"])["result"])
    before = result_count(page)
    page.locator("#wt-failing_regimen-boosted_pi_2nrti").check()
    wait_for_answer(page, before)
    assert_shows(page, cpython(decoded_hash(page))["result"])
    assert decoded_hash(page)["failing_regimen"] == "boosted_pi_2nrti"
    assert_clean(recorder)


def test_case_error_is_shown_next_to_the_field_it_names(page, recorder, site_server):
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    rows = page.locator("[data-wt-row]")
    rows.nth(0).locator('[data-wt-part="week"]').fill("12")
    rows.nth(0).locator('[data-wt-part="copies"]').fill("<50")
    rows.nth(1).locator('[data-wt-part="week"]').fill("24")
    rows.nth(1).locator('[data-wt-part="copies"]').fill("lots")
    page.locator('[data-walkthrough][data-state="error"]').wait_for()
    copies = rows.nth(1).locator('[data-wt-part="copies"]')
    page.wait_for_timeout(800)
    assert copies.get_attribute("aria-invalid") is None, "held back while the reader types there"
    page.keyboard.press("Tab")  # leaving the field shows the problem next to it
    page.wait_for_function(
        "(e) => e.getAttribute('aria-invalid') === 'true'", arg=copies.element_handle()
    )
    expected = cpython(decoded_hash(page))["error"]
    assert expected["field"] == "viral_loads[1].copies"
    described = copies.get_attribute("aria-describedby")
    message = page.locator(f"#{described}")
    assert message.is_visible() and message.inner_text() == expected["message"]
    assert rows.nth(0).locator('[data-wt-part="copies"]').get_attribute("aria-invalid") is None

    page.locator("#wt-llod").fill("500")  # a field-level error: the LLOD's own range
    page.keyboard.press("Tab")
    page.wait_for_function(
        "() => document.querySelector('#wt-llod').getAttribute('aria-invalid') === 'true'"
    )
    llod_error = cpython(decoded_hash(page))["error"]
    assert llod_error["field"] == "llod"
    assert page.locator("#wt-llod-error").inner_text() == llod_error["message"]
    assert "wt-llod-error" in page.locator("#wt-llod").get_attribute("aria-describedby")
    assert_clean(recorder)


def test_paste_box_fills_the_table(page, recorder, site_server):
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    page.locator(".wt-paste summary").click()
    page.locator("[data-wt-paste]").fill("12\t<50\n24; 2,400\n28\t3100\n32\t4,000")
    page.locator("[data-wt-paste-apply]").click()
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    assert decoded_hash(page)["viral_loads"] == [
        {"week": 12, "copies": "<50"},
        {"week": 24, "copies": "2,400"},
        {"week": 28, "copies": "3100"},
        {"week": 32, "copies": "4,000"},
    ]
    # A column of values alone fills the value column from the first empty value.
    page.locator("[data-wt-clear]").click()
    page.locator("[data-wt-row]").nth(0).locator('[data-wt-part="week"]').fill("8")
    page.locator("[data-wt-paste]").fill("<20\n<20")
    settle(page)
    page.locator("[data-wt-paste-apply]").click()
    values = page.locator('[data-wt-part="copies"]').evaluate_all("(e) => e.map((i) => i.value)")
    assert values[:2] == ["<20", "<20"]
    assert_clean(recorder)


# --------------------------------------------------------------------------- CPython parity


@pytest.mark.parametrize("start", ["snapshot", "full"])
def test_logic_vectors_replayed_through_the_browser_worker(page, recorder, site_server, start):
    """Both ways the worker can start Python give exactly CPython's answers: from the build's
    memory snapshot (the normal way), and in full when the snapshot cannot be downloaded."""
    if start == "full":
        page.route("**/snapshot.bin", lambda route: route.abort())
    open_walkthrough(page, site_server)
    answers = page.evaluate(
        """async (cases) => {
            const client = await import(new URL("../assets/javascripts/logic-client.mjs",
                                                location.href).href);
            const out = [];
            for (const c of cases) out.push(await client.evaluate(c));
            return out;
        }""",
        [v["case"] for v in VECTORS],
    )
    info = runtime_ready(page, site_server.url(CLIENT_MODULE))
    assert len(answers) == len(VECTORS)
    for vector, answer in zip(VECTORS, answers, strict=True):
        assert answer == cpython(vector["case"]), vector["name"]

    assert info["start"]["from"] == start
    fetched = {url.rsplit("/", 1)[-1] for url in recorder.requests}
    if start == "snapshot":
        assert {"snapshot.bin", "snapshot_stdlib.zip"} <= fetched
        assert not fetched & {"python_stdlib.zip", "logic.zip"}, "a full start's files"
    else:
        assert info["start"]["reason"].startswith("the memory snapshot could not be loaded")
        assert {"python_stdlib.zip", "logic.zip"} <= fetched
        assert [url for url in recorder.failed if "/snapshot.bin" in url] == recorder.failed
        recorder.failed.clear()  # the one request this test blocked
    assert_clean(recorder)


def test_a_snapshot_that_cannot_be_restored_falls_back_to_a_full_start(page, recorder, site_server):
    """A file in the snapshot's format that is not a Pyodide snapshot gets as far as the restore,
    which refuses it; the worker then starts a second, full runtime and answers as usual."""
    not_pyodide = pack_snapshot(b"\x01\x02\x03\x04" * 65536)
    page.route(
        "**/snapshot.bin",
        lambda route: route.fulfill(
            status=200, content_type="application/octet-stream", body=not_pyodide
        ),
    )
    case = ROW_VECTORS["first_nnrti"]["case"]
    open_walkthrough(page, site_server, case=case)
    assert_shows(page, cpython(case)["result"])
    info = runtime_ready(page, site_server.url(CLIENT_MODULE))
    assert info["start"]["from"] == "full"
    assert "snapshot" in info["start"]["reason"].lower()
    assert_clean(recorder)


# --------------------------------------------------------------------------- the URL fragment


def test_fragment_round_trip(page, recorder, site_server):
    # Links written by Python open pre-filled, and the page writes back the same fragment.
    for vector in [v for v in VECTORS if "error" not in v["name"]][:12]:
        fragment = encode_case(vector["case"])
        open_walkthrough(page, site_server, case=vector["case"])
        assert page.evaluate("location.hash") == "#" + fragment
        before = result_count(page)
        week = page.locator('[data-wt-part="week"]').first
        original = week.input_value()
        week.fill(original + "9")  # an edit, then its undo: the form writes the fragment anew
        week.fill(original)
        wait_for_answer(page, before)
        assert page.evaluate("location.hash") == "#" + fragment, vector["name"]
    # The page's own encoder writes exactly what generator.site_links.encode_case writes.
    tricky = {"viral_loads": [{"week": 1.5, "copies": "café <50 ✓"}], "history": "unknown"}
    encoded = page.evaluate(
        """async (c) => (await import(new URL("../assets/javascripts/walkthrough.mjs",
                                               location.href).href)).encodeCase(c)""",
        tricky,
    )
    assert encoded == encode_case(tricky)
    assert_clean(recorder)


@pytest.mark.parametrize("source_page", ["guideline/table-11/", "guideline/scenarios/"])
def test_try_this_scenario_links_open_the_walkthrough_pre_filled(
    page, recorder, site_server, source_page
):
    page.goto(site_server.url(source_page))
    links = page.locator('a[href*="walkthrough/?case="]')
    count = links.count()
    assert count >= len(logic.guideline().rows) if "table-11" in source_page else count > 0
    for index in range(count):
        if index:
            page.go_back()
            page.wait_for_url(site_server.url(source_page) + "**")
        link = links.nth(index)
        # The link carries the case in the query (both builders resolve it); the walkthrough
        # moves it into the fragment, where it keeps the case, and reads it from there.
        fragment = link.get_attribute("href").split("?", 1)[1]
        before = result_count(page)
        link.click()  # instant navigation
        page.wait_for_function("(f) => location.hash === '#' + f", arg=fragment)
        wait_for_answer(page, before)
        expected = cpython(decoded_hash(page))
        assert expected["ok"], f"link {index} holds a case logic rejects"
        assert_shows(page, expected["result"])
        # The link lands on its answer: the verdict card has the focus and is on the screen.
        page.wait_for_function("() => document.activeElement?.id === 'wt-verdict'")
        top = page.locator("#wt-verdict").evaluate("(n) => n.getBoundingClientRect().top")
        assert 0 <= top < page.viewport_size["height"] / 2, top
        assert page.locator("[data-wt-link-problems]").is_hidden()
        # In-page links stay in-page once the query has moved into the fragment.
        assert page.locator("[data-wt-map-link] a").get_attribute("href") == "#decision-map"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert len([u for u in recorder.requests if u.endswith("/pyodide.asm.wasm")]) == 1
    assert_clean(recorder)


def test_a_typed_case_lands_in_the_fragment(page, recorder, site_server):
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    case = {
        "viral_loads": [{"week": 12, "copies": "<50"}, {"week": 24, "copies": "1,200"}],
        "history": "first_regimen",
        "hbv_coinfection": True,
    }
    fill_with_mouse(page, case)
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    assert page.evaluate("location.hash") == "#" + encode_case(case)
    assert_clean(recorder)


HOSTILE_CASES = {
    "script tags": {
        "viral_loads": [
            {"week": 4, "copies": "<script>window.__pwned = 1</script>"},
            {"week": 8, "copies": '<img src=x onerror="window.__pwned = 1">'},
        ],
        "history": "<script>window.__pwned = 1</script>",
        "<img src=x onerror=window.__pwned=1>": True,
    },
    "huge values": {
        "viral_loads": [{"week": 1e308, "copies": "9" * 2000}, {"week": 4, "copies": 1e308}],
        "llod": -1e308,
        "fully_active_agents": 10**30,
    },
    "too many results": {"viral_loads": [{"week": w, "copies": "<50"} for w in range(150)]},
    "wrong types": {
        "viral_loads": "<b>not a list</b>",
        "history": 42,
        "resistance": "nnrti",
        "hbv_coinfection": "yes",
        "weeks_off_art": {"nested": ["<script>"]},
    },
    "not an object": ["<script>window.__pwned = 1</script>"],
    "prototype names": {
        "viral_loads": [{"week": 4, "copies": "<50"}],
        "history": "toString",
        "resistance": ["__proto__", "constructor"],
        "constructor": 1,
    },
}


def _fragment(value: Any) -> str:
    data = json.dumps(value).encode()
    return "case=" + base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    "fragment",
    [
        *[_fragment(case) for case in HOSTILE_CASES.values()],
        "case=" + "A" * 40_000,  # too long
        "case=<script>alert(1)</script>",  # not base64url
        "case=" + base64.urlsafe_b64encode(b"{not json").decode(),
        "case=" + base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
    ],
    ids=[*HOSTILE_CASES, "too long", "not base64", "not json", "not utf-8"],
)
def test_hostile_fragment_is_inert_and_reported(page, recorder, site_server, fragment):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_walkthrough(page, site_server, fragment=fragment)
    wait_for_runtime(page)
    # The bad link must be reported: by the page (it cannot be read) or by logic (a CaseError).
    page.wait_for_function(
        """() => {
            const problems = document.querySelector("[data-wt-link-problems]");
            return (problems && !problems.hidden && problems.offsetParent !== null)
                || document.querySelector("[data-wt-case-error]") !== null;
        }""",
        timeout=RUNTIME_TIMEOUT_MS,
    )
    assert page.evaluate("window.__pwned") is None
    assert not dialogs
    assert page.locator("[data-walkthrough] script, [data-walkthrough] img").count() == 0
    # What the link held is shown as text, never as markup.
    for text in page.locator("[data-wt-link-problems-list] li").all_inner_texts():
        assert text.strip()
    if fragment == _fragment(HOSTILE_CASES["script tags"]):
        payload = HOSTILE_CASES["script tags"]["viral_loads"][0]["copies"]
        assert page.locator('[data-wt-part="copies"]').first.input_value() == payload
        page.locator('[data-wt-part="copies"]').first.focus()
        page.keyboard.press("Tab")  # leave the field: its problem is shown beside it
        slot = page.locator("[data-wt-row-error]").first
        slot.wait_for(state="visible")
        assert payload in slot.inner_text()  # logic's message quotes it, as text
    assert_clean(recorder)


# --------------------------------------------------------------------------- failure paths


def test_runtime_failure_shows_a_clear_message_with_links(page, recorder, site_server):
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(site_server.url("walkthrough/#" + encode_case(ROW_VECTORS["first_nnrti"]["case"])))
    failure = page.locator("[data-wt-failure]")
    failure.wait_for(state="visible", timeout=RUNTIME_TIMEOUT_MS)
    assert page.locator('[data-walkthrough][data-state="failed"]').count() == 1
    assert "could not start" in failure.inner_text()
    links = failure.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any("guideline/table-11/" in h for h in hrefs)
    assert any("guideline/definitions/" in h for h in hrefs)
    assert not recorder.other_host_requests()
    failure.get_by_role("link", name="Table 11", exact=False).first.click()
    page.wait_for_url("**/guideline/table-11/**")


def test_no_answer_in_20_seconds_shows_the_message(page, recorder, site_server):
    page.route("**/pyodide.asm.wasm", lambda route: None)  # never answered
    page.goto(site_server.url("walkthrough/#" + encode_case(ROW_VECTORS["first_nnrti"]["case"])))
    failure = page.locator("[data-wt-failure]")
    failure.wait_for(state="visible", timeout=40_000)
    assert "20 seconds" in failure.inner_text()
    assert failure.locator('a[href*="guideline/table-11/"]').count() == 1


# --------------------------------------------------------------------------- one runtime per tab


def test_instant_navigation_keeps_one_runtime(page, recorder, site_server):
    case = ROW_VECTORS["later_active_options"]["case"]
    open_walkthrough(page, site_server, case=case)
    page.evaluate("window.__htfMarker = 'kept'")
    page.locator(".md-tabs").get_by_role("link", name="Home").click()
    page.wait_for_url(site_server.url())
    page.locator('.md-tabs a[href$="walkthrough/"]').first.click()
    page.wait_for_url(site_server.url("walkthrough/"))
    page.locator('[data-walkthrough][data-state="idle"]').wait_for(timeout=RUNTIME_TIMEOUT_MS)
    fill_with_mouse(page, case)
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    assert_shows(page, cpython(decoded_hash(page))["result"])
    page.go_back()  # back to the first visit's link, again without a reload
    page.go_back()
    page.wait_for_function("() => location.hash.startsWith('#case=')")
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    assert page.evaluate("window.__htfMarker") == "kept", "the page was reloaded"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    wasm = [url for url in recorder.requests if url.endswith("/pyodide.asm.wasm")]
    assert len(wasm) == 1, wasm
    assert page.evaluate("performance.getEntriesByName('htf:logic-runtime-start').length") == 1
    assert_clean(recorder)


# --------------------------------------------------------------------------- copy, print, a11y


def print_text(page) -> str:
    """What the printed page says: the text of every element shown under print media."""
    return page.evaluate(
        """() => { const walk = (node) => {
                     if (node.nodeType === 3) return node.textContent;
                     if (node.nodeType !== 1) return '';
                     if (getComputedStyle(node).display === 'none') return '';
                     return [...node.childNodes].map(walk).join(' ');
                   };
                   return walk(document.querySelector('.md-content__inner')); }"""
    )


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_copy_summary_and_print_give_the_same_summary(browser, site_server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        vector = next(v for v in VECTORS if v["name"] == "hbv-and-childbearing")
        case = vector["case"]
        open_walkthrough(page, site_server, case=case)
        page.locator("[data-wt-copy]").click()
        page.locator("[data-wt-copy-status]", has_text="copied").wait_for()
        text = page.evaluate("navigator.clipboard.readText()")
        source = logic.guideline().source
        guideline_date = long_date(date.fromisoformat(source["last_updated"]))
        result = logic.evaluate(case)
        top = highest_rated(result["options"])
        named = [
            result["response_label"],
            f"{result['table11_row']['group']}: {result['table11_row']['failing_regimen']}",
            *[option["text"] for option in result["options"]],
            *[caution["title"] for caution in result["cautions"]],
            guideline_date,
            f"logic {logic.__version__}",
        ]
        for words in named:
            assert words in text, words
        assert page.evaluate("location.href") in text  # the copy reopens the case
        body = text.rsplit("Case:", 1)[0]
        assert not INTERNAL_ID.search(body), INTERNAL_ID.search(body)

        page.emulate_media(media="print")
        printed = " ".join(print_text(page).split())
        for words in named:
            assert words in printed, words
        highest = next(o for o in result["options"] if o["text"] == top[0])
        assert f"{highest['text']} ({highest['rating']}) — Highest rated" in printed
        # The same content in the same order as the copy: each copied line, in turn.
        at = 0
        for line in (" ".join(ln.split()) for ln in body.splitlines()[1:]):
            if line:
                found = printed.find(line.rstrip(":"), at)
                assert found >= 0, line
                at = found
        assert not INTERNAL_ID.search(printed), INTERNAL_ID.search(printed)
        assert "case=" not in printed  # no encoded link text
        assert not page.locator("[data-wt-copy]").is_visible()
        assert not page.locator("[data-wt-add-row]").is_visible()
        assert not page.locator(".wt-trace").is_visible()  # the appendix is off by default
        assert page.locator(".wt-print-chart svg").is_visible()
        assert pdf_pages(page.pdf(format="A4")) == 1

        page.emulate_media(media="screen")
        page.locator("[data-wt-print-trace]").check()
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert page.locator(".wt-trace tbody").is_visible()
        trace = page.locator(".wt-trace").inner_text()
        assert not INTERNAL_ID.search(trace)
        assert pdf_pages(page.pdf(format="A4")) > 1  # the appendix starts on a page of its own
    finally:
        context.close()


def long_course() -> dict:
    """A course of 30 results over more than two years: a rebound, resuppression and a second
    failure, with the questions of a later failure answered."""
    copies = ["<50"] * 8 + ["2,400", "3,100"] + ["<50"] * 10 + ["800", "12,000", "40,000"] * 3
    loads = [{"week": 4 * (i + 1), "copies": value} for i, value in enumerate(copies[:30])]
    return {
        "viral_loads": loads,
        "history": "second_or_later",
        "resistance_test": "mutations_found",
        "resistance": ["nnrti", "m184vi"],
        "fully_active_agents": 1,
        "fully_active_boosted_pi": "no",
        "hbv_coinfection": True,
    }


@pytest.mark.parametrize(
    ("case", "most"),
    [*((ROW_VECTORS[s]["case"], 1) for s in sorted(ROW_VECTORS)), (long_course(), 2)],
    ids=[*sorted(ROW_VECTORS), "long-course"],
)
def test_print_fits_one_a4_page_or_two_for_a_long_course(page, site_server, case, most):
    open_walkthrough(page, site_server, case=case)
    page.emulate_media(media="print")
    assert pdf_pages(page.pdf(format="A4")) <= most


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_when_loaded_and_with_a_result(page, recorder, site_server, scheme):
    page.emulate_media(color_scheme=scheme)  # the palette follows prefers-color-scheme
    open_walkthrough(page, site_server)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected
    wait_for_runtime(page)
    assert axe_problems(page) == []
    vector = ROW_VECTORS["first_insti"]
    fill_with_mouse(page, vector["case"])
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    page.locator(".wt-trace summary").click()
    assert axe_problems(page) == []
    assert_clean(recorder)


def axe_with_target_size(page) -> list[str]:
    """Serious and critical axe-core violations, with WCAG 2.2's 24-px target size rule (off in
    axe-core by default) turned on; the pointer moved off the page and its hover transitions
    over first (a colour half-way through one is no reader's view), and the page at its top (a
    control passing under Material's fixed header has the header's buttons as neighbours)."""
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"],
                                                  rules: { "target-size": { enabled: true } } }))
            .violations.filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id} (${v.impact}): `
                + v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", "))"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1366, "height": 768}], ids=["phone", "laptop"]
)
def test_axe_clean_with_target_sizes_on_the_answer(page, recorder, site_server, scheme, viewport):
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    vector = next(v for v in VECTORS if v["name"] == "hbv-and-childbearing")
    open_walkthrough(page, site_server, case=vector["case"])
    assert not (found := axe_with_target_size(page)), found  # the verdict, folded form on a phone
    if viewport == PHONE:
        page.locator("[data-wt-edit]").click()  # the form open again
    page.locator(".wt-trace summary").click()
    page.locator("[data-wt-clear]").click()
    page.locator("[data-wt-undo-button]").wait_for()
    assert not (found := axe_with_target_size(page)), found  # the undo message
    page.locator("[data-wt-undo-button]").click()
    page.locator('[data-walkthrough][data-state="result"]').wait_for()
    assert not (found := axe_with_target_size(page)), found
    assert_clean(recorder)
