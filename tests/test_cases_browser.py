"""The case library in headless Chromium: answers graded in the browser by logic (through the
walkthrough's Pyodide worker), keyboard use, progress in localStorage, filters, axe-core."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

import logic
from generator import ratings
from generator.core import Context
from generator.steps import cases
from logic import grading
from tests.browser_harness import SUBPATH, assert_clean, axe_problems

RUNTIME_MS = 90_000  # a cold Pyodide start on a slow CI machine
STORE_KEY = "htf-cases-progress"
RIGHT_CASE = "nnrti-failure-with-hepatitis-b"  # asks every kind of question
WRONG_CASE = "blip-or-rebound"


@pytest.fixture(scope="module")
def library() -> dict[str, cases.Case]:
    return {case.id: case for case in cases.load_cases(Context())}


def open_case(page, site_server, case_id: str) -> None:
    """Open a case page and show intent (focus the first answer), which starts the runtime."""
    page.goto(site_server.url(f"cases/{case_id}/"))
    page.locator("[data-status][data-state]").wait_for(state="attached")  # mounted
    page.locator("#question-1 input").first.focus()
    page.locator('[data-status][data-state="ready"]').wait_for(timeout=RUNTIME_MS)


def open_index(page, site_server, *, reload: bool = False) -> None:
    """Open (or reload) the case index and wait until cases-page.mjs has mounted it: its filters
    stay hidden until then, and the progress labels are filled in the same task."""
    if reload:
        page.reload()
    else:
        page.goto(site_server.url("cases/"))
    page.locator("[data-htf-case-filters]").wait_for(state="visible")


def verdict(page, number: int) -> str:
    locator = page.locator(f"#question-{number} .htf-verdict")
    locator.wait_for(timeout=RUNTIME_MS)
    return locator.inner_text()


def stored(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{STORE_KEY}') || 'null'") or "null")


# --------------------------------------------------------------------------- answering


@pytest.mark.browser
def test_right_answers_by_keyboard_only(page, recorder, site_server, library):
    case = library[RIGHT_CASE]
    open_case(page, site_server, case.id)
    # Start on the first choice, as a keyboard user arriving by Tab would; keys only from here.
    page.locator("#question-1 input").first.focus()
    for question in case.questions:
        values = [choice.value for choice in question.choices]
        fieldset = f"#question-{question.number}"
        if question.kind.multi:
            for index, value in enumerate(values):
                if value in question.correct:
                    page.keyboard.press("Space")
                page.keyboard.press(
                    "Tab"
                )  # each checkbox is a stop; the last Tab reaches the button
                if index == len(values) - 1:
                    break
        else:
            # Arrow keys move through a radio group and select; one Tab leaves it.
            target = values.index(question.correct[0])
            if target == 0:
                page.keyboard.press("Space")
            for _ in range(target):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Check answer", (question.ask, focused)
        page.keyboard.press("Enter")
        assert verdict(page, question.number).startswith("Right."), question.ask
        assert page.locator(f"{fieldset} [data-feedback] .htf-rules li").count() >= 1
        page.keyboard.press("Enter")  # "Go to question N" moves focus on
    summary = page.locator("[data-summary]")
    assert summary.evaluate("node => node === document.activeElement")
    total = len(case.questions)
    assert f"{total} of {total} answers right" in summary.inner_text()
    record = stored(page)["cases"][case.id]
    assert record["done"] and record["score"] == total and record["total"] == total
    # The feedback explains with the rule, a link to the section on this site and the rating.
    feedback = page.locator("#question-3 [data-feedback]")
    assert "MGT-11" in feedback.inner_text()
    badge = feedback.locator('a.rating-badge[data-rating="AI"]').first
    assert badge.get_attribute("title") == ratings.rating_title("AI", logic.guideline())
    assert badge.evaluate("a => a.href").endswith("/guideline/ratings/#rating-AI")
    section = page.locator("#question-1 [data-feedback] a", has_text="Virologic Response")
    assert section.first.evaluate("a => a.href").endswith("/guideline/definitions/#definitions")
    assert_clean(recorder)


@pytest.mark.browser
def test_wrong_answers_show_what_the_choice_would_have_implied(
    page, recorder, site_server, library
):
    case = library[WRONG_CASE]
    guideline = logic.guideline()
    open_case(page, site_server, case.id)
    assert case.result["response"] == "blip"

    page.locator("#question-1 input[value=rebound]").check()
    page.locator("#question-1 [data-check]").click()
    assert verdict(page, 1).startswith("Not quite.")
    feedback = page.locator("#question-1 [data-feedback]").inner_text()
    assert guideline.definitions["blip"]["text"] in feedback  # the answer
    assert guideline.definitions["rebound"]["text"] in feedback  # what "rebound" would mean
    assert "RESP-02" in feedback and "RESP-05" in feedback
    # Later questions stay hidden until this one is answered.
    assert page.locator("#question-3").is_hidden()

    page.locator("#question-2 input[value=moderate]").check()
    page.locator("#question-2 [data-check]").click()
    assert verdict(page, 2).startswith("Not quite.")
    implied = page.locator("#question-2 .htf-implied").inner_text()
    assert guideline.recommendations["vl_200_to_1000_failure"]["text"] in implied

    page.locator("#question-3 input[value=first_nnrti]").check()
    page.locator("#question-3 [data-check]").click()
    assert verdict(page, 3).startswith("Not quite.")
    implied = page.locator("#question-3 .htf-implied").inner_text()
    assert guideline.rows["first_nnrti"]["resistance"] in implied
    assert "T11-11" in implied

    page.locator("#question-4 input[value=no_interruption]").check()
    page.locator("#question-4 [data-check]").click()
    assert verdict(page, 4).startswith("Not quite.")
    feedback = page.locator("#question-4 [data-feedback]").inner_text()
    assert "Does not apply (you ticked it)" in feedback and "CAU-07" in feedback

    assert "0 of 4 answers right" in page.locator("[data-summary]").inner_text()
    record = stored(page)["cases"][case.id]
    assert record["score"] == 0 and record["done"]
    assert_clean(recorder)


@pytest.mark.browser
def test_a_single_choice_needs_an_answer_before_checking(page, recorder, site_server):
    open_case(page, site_server, WRONG_CASE)
    page.locator("#question-1 [data-check]").click()
    assert page.locator("#question-1 [data-feedback]").inner_text() == "Choose an answer first."
    assert stored(page) is None
    assert_clean(recorder)


@pytest.mark.browser
def test_instant_navigation_between_cases_keeps_one_runtime(page, recorder, site_server):
    open_case(page, site_server, WRONG_CASE)
    page.evaluate("window.__htfMarker = 'kept'")
    page.get_by_role("link", name="Back to the case library").click()
    page.locator("[data-htf-case-list]").wait_for()
    page.locator('[data-case="low-level-viremia"] a.htf-case-title').click()
    page.wait_for_url(site_server.url("cases/low-level-viremia/"))
    page.locator('[data-status][data-state="ready"]').wait_for(timeout=RUNTIME_MS)
    assert page.evaluate("window.__htfMarker") == "kept", "the page was fully reloaded"
    page.locator("#question-1 input[value=low_level_viremia]").check()
    page.locator("#question-1 [data-check]").click()
    assert verdict(page, 1).startswith("Right.")
    wasm = [url for url in recorder.requests if url.endswith("pyodide.asm.wasm")]
    assert len(wasm) == 1, wasm
    assert_clean(recorder)


@pytest.mark.browser
def test_without_the_runtime_the_page_says_so_and_points_to_the_teachers_sheet(
    page, recorder, site_server
):
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(site_server.url(f"cases/{WRONG_CASE}/"))
    page.locator("[data-status][data-state]").wait_for(state="attached")  # mounted
    page.locator("#question-1 input").first.focus()
    status = page.locator('[data-status][data-state="error"]')
    status.wait_for(timeout=RUNTIME_MS)
    assert "teacher's sheet" in status.inner_text()
    teacher = status.get_by_role("link", name="teacher's sheet")
    assert teacher.evaluate("a => a.href") == site_server.url(f"cases/teacher/{WRONG_CASE}/")
    assert status.get_by_role("button", name="Try again").is_visible()
    page.locator("#question-1 input[value=blip]").check()
    page.locator("#question-1 [data-check]").click()
    feedback = page.locator("#question-1 [data-feedback]")
    feedback.get_by_role("link", name="teacher's sheet").wait_for()
    assert page.locator(".htf-verdict").count() == 0
    assert stored(page) is None
    assert not recorder.other_host_requests()
    assert not recorder.page_errors


@pytest.mark.browser
def test_open_in_the_walkthrough_restores_the_case(page, recorder, site_server, library):
    case = library[RIGHT_CASE]
    page.goto(site_server.url(f"cases/{case.id}/"))
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Open this case in the walkthrough").click()
    page.wait_for_url(re.compile(r".*/walkthrough/#case=.*"))
    verdict = page.locator('[data-wt-block="response"] .wt-verdict strong')
    verdict.wait_for(timeout=RUNTIME_MS)
    assert verdict.inner_text() == case.result["response_label"]
    assert_clean(recorder)


@pytest.mark.browser
def test_the_worker_grades_every_case_as_the_build_does(page, recorder, site_server, library):
    """One grader: logic.grading, run by the build on CPython (the teacher's sheets, the case
    files' stated answers) and by the page's worker in Pyodide. Every question of every case,
    answered with its first choice, gets the same answer from both."""
    open_case(page, site_server, WRONG_CASE)
    batch = [
        {
            "case": case.input,
            "questions": [
                {
                    "ask": q.ask,
                    "multi": q.kind.multi,
                    "offered": [c.value for c in q.choices],
                    "chosen": [q.choices[0].value],
                }
                for q in case.questions
            ],
        }
        for case in library.values()
    ]
    answers = page.evaluate(
        """async (batch) => {
            const base = document.querySelector('script[src*="javascripts/cases.mjs"]').src;
            const client = await import(new URL("logic-client.mjs", base));
            const out = [];
            for (const r of batch) out.push(await client.grade(r.case, r.questions));
            return out;
        }""",
        batch,
    )
    for request, answer in zip(batch, answers, strict=True):
        expected = {"ok": True, **grading.grade(request["case"], request["questions"])}
        assert answer == json.loads(json.dumps(expected))
    for case, answer in zip(library.values(), answers, strict=True):
        assert [g["correct"] for g in answer["questions"]] == [q.correct for q in case.questions]
    assert_clean(recorder)


# --------------------------------------------------------------------------- progress


@pytest.mark.browser
def test_progress_survives_a_reload_and_resets(page, recorder, site_server, library):
    from playwright.sync_api import expect  # where the browser tests run, as in conftest

    case = library[WRONG_CASE]
    open_case(page, site_server, case.id)
    page.locator("#question-1 input[value=blip]").check()
    page.locator("#question-1 [data-check]").click()
    verdict(page, 1)
    page.locator("#question-2 input[value=high]").check()
    page.locator("#question-2 [data-check]").click()
    verdict(page, 2)

    page.wait_for_load_state("networkidle")
    page.reload()
    assert verdict(page, 1).startswith("Right.")
    assert verdict(page, 2).startswith("Not quite.")
    assert page.locator("#question-1 input[value=blip]").is_checked()
    assert page.locator("#question-3").is_visible() and page.locator("#question-4").is_hidden()

    # The index shows it, and after a reload too.
    page.wait_for_load_state("networkidle")
    open_index(page, site_server)
    progress = page.locator(f'[data-case="{case.id}"] [data-progress]')
    assert progress.inner_text() == f"In progress: 2 of {len(case.questions)} answered"
    open_index(page, site_server, reload=True)
    assert progress.inner_text() == f"In progress: 2 of {len(case.questions)} answered"

    before = stored(page)
    page.get_by_role("button", name="Reset my progress").click()
    assert progress.inner_text() == ""
    assert stored(page) is None
    assert "cleared" in page.locator("[data-reset-status]").inner_text()

    # Undo, with the keyboard: the progress is back, and the focus stays on the message.
    undo = page.locator("[data-reset-status]").get_by_role("button", name="Undo")
    undo.focus()
    page.keyboard.press("Enter")
    assert stored(page) == before
    assert progress.inner_text() == f"In progress: 2 of {len(case.questions)} answered"
    assert "back" in page.locator("[data-reset-status]").inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-reset-status')")

    # Back after a reset restores too (the reset added a history entry on this page).
    page.get_by_role("button", name="Reset my progress").click()
    assert stored(page) is None
    page.go_back()
    page.wait_for_function("localStorage.getItem('htf-cases-progress') !== null")
    assert stored(page) == before
    # Waits: Material may also answer that Back by swapping the index in again, which shows the
    # progress once its script has mounted (a fresh clone's CI run caught the moment between).
    expect(progress).to_have_text(f"In progress: 2 of {len(case.questions)} answered")
    assert page.url == site_server.url("cases/")

    page.get_by_role("button", name="Reset my progress").click()
    assert stored(page) is None

    page.wait_for_load_state("networkidle")
    open_case(page, site_server, case.id)
    assert page.locator("#question-1 .htf-verdict").count() == 0
    assert not page.locator("#question-1 input[value=blip]").is_checked()
    assert_clean(recorder)


@pytest.mark.browser
def test_one_case_can_be_started_again(page, recorder, site_server, library):
    case = library[WRONG_CASE]
    open_case(page, site_server, case.id)
    for question in case.questions:
        for value in question.correct or []:
            page.locator(f"#question-{question.number} input[value={value}]").check()
        page.locator(f"#question-{question.number} [data-check]").click()
        verdict(page, question.number)
    assert stored(page)["cases"][case.id]["done"]
    done = stored(page)["cases"][case.id]
    page.get_by_role("button", name="Start this case again").click()
    assert case.id not in stored(page)["cases"]
    assert page.locator(".htf-verdict").count() == 0
    assert page.locator("#question-2").is_hidden()
    assert page.evaluate("document.activeElement.name") == "question-1"

    # Undo puts every answer back, graded again, and the score.
    undo = page.locator("[data-status]").get_by_role("button", name="Undo")
    box = undo.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    undo.click()
    # Graded again in the worker: wait for the last verdict before counting.
    page.locator(f"#question-{len(case.questions)} .htf-verdict").wait_for(timeout=RUNTIME_MS)
    assert stored(page)["cases"][case.id] == done
    assert page.locator(".htf-verdict").count() == len(case.questions)
    assert "Case complete" in page.locator("[data-summary]").inner_text()

    # Back after starting again does the same.
    page.get_by_role("button", name="Start this case again").click()
    assert page.locator(".htf-verdict").count() == 0
    page.go_back()
    page.locator(f"#question-{len(case.questions)} .htf-verdict").wait_for(timeout=RUNTIME_MS)
    assert stored(page)["cases"][case.id] == done
    assert page.url == site_server.url(f"cases/{case.id}/")
    assert_clean(recorder)


@pytest.mark.browser
def test_tampered_progress_is_ignored(page, recorder, site_server):
    page.goto(site_server.url("cases/"))
    page.wait_for_load_state("networkidle")  # leave no request to be cut off by the next page
    hostile = {
        "version": 1,
        "cases": {WRONG_CASE: {"answers": {"1": ["<img src=x onerror=alert(1)>"]}, "total": 4}},
    }
    page.evaluate(f"localStorage.setItem('{STORE_KEY}', {json.dumps(json.dumps(hostile))})")
    open_case(page, site_server, WRONG_CASE)
    assert page.locator("#question-1 .htf-verdict").count() == 0
    assert page.locator("img[src=x]").count() == 0
    assert WRONG_CASE not in (stored(page) or {"cases": {}})["cases"]
    assert_clean(recorder)


# --------------------------------------------------------------------------- the index


@pytest.mark.browser
def test_index_filters_by_topic_and_difficulty(page, recorder, site_server, library):
    open_index(page, site_server)
    items = page.locator("[data-htf-case-list] > li")
    assert items.count() == len(library)
    topic = page.get_by_label("Topic")
    difficulty = page.get_by_label("Difficulty")
    topic.select_option("first-regimen")
    expected = [c for c in library.values() if c.topic == "first-regimen"]
    assert page.locator("[data-htf-case-list] > li:visible").count() == len(expected)
    assert page.locator("[data-count]").inner_text() == (
        f"Showing {len(expected)} of {len(library)} cases."
    )
    difficulty.select_option("advanced")
    both = [c for c in expected if c.difficulty == "advanced"]
    visible = page.locator("[data-htf-case-list] > li:visible")
    assert sorted(visible.evaluate_all("els => els.map(e => e.dataset.case)")) == sorted(
        c.id for c in both
    )
    # By keyboard: focus the select and choose with the arrow keys.
    topic.focus()
    page.keyboard.press("Home")
    assert topic.input_value() == ""
    assert_clean(recorder)


@pytest.mark.browser
def test_index_without_javascript_is_a_plain_list(browser, site_server, library):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server.url("cases/"))
    assert page.locator("[data-htf-case-list] > li:visible").count() == len(library)
    assert page.locator("[data-htf-case-filters]").is_hidden()
    context.close()


# --------------------------------------------------------------------------- accessibility


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path", ["cases/", f"cases/teacher/{RIGHT_CASE}/", f"cases/print/{RIGHT_CASE}/"]
)
def test_axe_finds_nothing_serious_on_the_index_and_sheets(
    page, recorder, site_server, scheme, path
):
    page.emulate_media(color_scheme=scheme)
    page.goto(site_server.url(path))
    page.wait_for_load_state("networkidle")
    problems = axe_problems(page)
    assert problems == [], "\n".join(problems)
    assert_clean(recorder)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_a_case_page_with_feedback(
    page, recorder, site_server, library, scheme
):
    page.emulate_media(color_scheme=scheme)
    case = library[RIGHT_CASE]
    open_case(page, site_server, case.id)
    page.locator("#question-1 input[value=blip]").check()  # wrong: shows the implied block too
    page.locator("#question-1 [data-check]").click()
    verdict(page, 1)
    page.locator("#question-2 input[value=high]").check()
    page.locator("#question-2 [data-check]").click()
    verdict(page, 2)
    problems = axe_problems(page)
    assert problems == [], "\n".join(problems)
    assert_clean(recorder)


# --------------------------------------------------------------------------- built pages


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)


def _ids(path: Path) -> set[str]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.ids


def test_links_in_the_embedded_data_resolve_with_their_anchors(built_site: Path, library):
    """cases-page.mjs builds links from the JSON in each case page: every one must reach a page and
    an element of the built site (MkDocs cannot check them)."""
    missing = []
    for case_id in library:
        page = built_site / "cases" / case_id / "index.html"
        text = page.read_text(encoding="utf-8")
        match = re.search(r'id="htf-case-data" hidden data-case-json="([^"]*)"', text)
        assert match, case_id
        data = json.loads(html.unescape(match.group(1)))
        hrefs = [s["url"] for s in data["sections"].values()]
        hrefs += [r["url"] for r in data["ratings"].values()]
        hrefs += [r["url"] for r in data["rows"].values()]
        hrefs += list(data["links"].values())
        base = f"http://site{SUBPATH}cases/{case_id}/"
        for href in hrefs:
            parts = urlsplit(urljoin(base, href))
            target = built_site / parts.path.removeprefix(SUBPATH) / "index.html"
            if not target.is_file() or (parts.fragment and parts.fragment not in _ids(target)):
                missing.append(f"{case_id}: {href}")
    assert not missing, "\n".join(sorted(set(missing)))
