"""The viral-load course in the walkthrough: a dated report pasted by keyboard, every line that
cannot be read marked at its row (and never counted as added), and the chart of logic's reading.

Expected answers come from CPython's ``logic``; the page must show the same."""

from __future__ import annotations

import pytest

import logic
from tests.browser_harness import assert_clean, axe_problems
from tests.test_walkthrough_browser import (
    RUNTIME_TIMEOUT_MS,
    open_walkthrough,
    settle,
    tab_to,
    wait_for_runtime,
)

pytestmark = pytest.mark.browser

REPORT = "\n".join(
    [
        "2024-03-25\t<50",
        "2024-06-17; <50",
        "2024-09-09  5,000 copies/mL",
        "2024-10-07\t12.000",
        "2024-11-04\t150",
    ]
)


def paste_by_keyboard(page, text: str) -> None:
    tab_to(page, "details.wt-paste > summary")
    page.keyboard.press("Enter")  # open the paste box
    page.keyboard.press("Tab")
    page.keyboard.insert_text(text)
    tab_to(page, "[data-wt-paste-apply]")
    page.keyboard.press("Enter")


def test_a_dated_report_pasted_by_keyboard(page, recorder, site_server):
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    tab_to(page, "#wt-regimen_start")
    page.keyboard.type("2024-01-01")
    paste_by_keyboard(page, REPORT)
    status = page.locator("[data-wt-paste-status]")
    status.filter(has_text="could not be read").wait_for(timeout=RUNTIME_TIMEOUT_MS)
    # Four lines read, one refused (dot-grouped thousands), named by its line number.
    assert status.inner_text().startswith("4 results added to the table. 1 line could not")
    assert "line 4" in status.inner_text()
    settle(page)
    bad_row = page.locator("[data-wt-row]").nth(3)
    message = bad_row.locator("[data-wt-row-error]")
    assert "ambiguous" in message.inner_text()
    assert bad_row.locator('[data-wt-part="copies"]').get_attribute("aria-invalid") == "true"

    # The reader answers the question the message asked, by keyboard.
    tab_to(page, f"#{bad_row.locator('[data-wt-part=copies]').get_attribute('id')}")
    page.keyboard.press("Control+A")
    page.keyboard.type("12,000")
    page.keyboard.press("Tab")
    page.locator('[data-walkthrough][data-state="result"]').wait_for(timeout=RUNTIME_TIMEOUT_MS)
    settle(page)

    case = {
        "regimen_start": "2024-01-01",
        "viral_loads": [
            {"date": "2024-03-25", "copies": "<50"},
            {"date": "2024-06-17", "copies": "<50"},
            {"date": "2024-09-09", "copies": "5,000 copies/mL"},
            {"date": "2024-10-07", "copies": "12,000"},
            {"date": "2024-11-04", "copies": "150"},
        ],
    }
    expected = logic.evaluate(case)
    assert expected["response"] == "rebound"
    block = page.locator('[data-wt-block="course"]')
    assert block.locator("li").all_inner_texts() == expected["course"]["summary"]
    chart = block.locator("svg.vl-chart")
    assert chart.get_attribute("role") == "img"
    assert (
        chart.locator(":scope > title").text_content() == "Viral-load course on the current regimen"
    )
    # One marker per result, and the rebound drawn as a labelled span.
    assert chart.locator(".vl-chart__point").count() == len(case["viral_loads"])
    assert chart.locator(".vl-chart__episode--rebound").count() == 1
    # The same data as a table, for readers who cannot see the chart.
    block.locator("details.vl-data > summary").click()
    rows = block.locator("details.vl-data tbody tr")
    assert rows.count() == len(case["viral_loads"])
    assert axe_problems(page) == []
    assert_clean(recorder)


def test_an_ambiguous_date_is_refused_at_its_row(page, recorder, site_server):
    open_walkthrough(page, site_server)
    wait_for_runtime(page)
    page.locator("#wt-regimen_start").fill("2024-01-01")
    row = page.locator("[data-wt-row]").first
    row.locator('[data-wt-part="week"]').fill("03/04/2024")
    row.locator('[data-wt-part="copies"]').fill("<50")
    page.locator('[data-walkthrough][data-state="error"]').wait_for(timeout=RUNTIME_TIMEOUT_MS)
    settle(page)
    assert "YYYY-MM-DD" in row.locator("[data-wt-row-error]").inner_text()
    assert_clean(recorder)
