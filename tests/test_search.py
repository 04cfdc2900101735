"""The site search (Material's lunr index, search/search_index.json) as a reader meets it: the
guideline pages come first, practice cases below them, and a quiz's answer choices are not in
the index at all (a case's snippet was a list of choices)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.core import Context
from generator.steps import cases
from tests.browser_harness import assert_clean
from tests.support import search_entries

# The page that answers each query (the list), and why it is the right one.
TOP_RESULT = {
    "M184V": "guideline/scenarios/",  # the M184V/I caution beside the first-NNRTI row
    "blip": "guideline/goals-and-viremia/",  # its "Blips" section
    "200 copies": "guideline/managing-failure/",  # management from 200 copies/mL up
    "dolutegravir pregnancy": "guideline/special-situations/",  # INSTIs and childbearing
    "holding regimen": "patients/salvage-therapy/",  # the only page that uses the term
    "ibalizumab": "guideline/scenarios/",  # "New agents"
}


def index_entries(site: Path) -> list[dict]:
    return search_entries(site)  # whichever builder wrote the index


def test_quiz_choices_and_answer_sheets_are_not_indexed(built_site: Path):
    entries = index_entries(built_site)
    locations = {entry["location"].partition("#")[0] for entry in entries}
    texts = {}
    for entry in entries:
        page = entry["location"].partition("#")[0]
        texts[page] = texts.get(page, "") + " " + entry["text"]
    all_cases = cases.load_cases(Context())
    assert all_cases
    for case in all_cases:
        page = f"cases/{case.id}/"
        assert page in locations, f"{page}: the case itself stays searchable"
        assert f"cases/print/{case.id}/" not in locations
        assert f"cases/teacher/{case.id}/" not in locations
        text = " ".join(re.sub(r"<[^>]+>", " ", texts[page]).split())
        for question in case.questions:
            labels = " ".join(" ".join(choice.label.split()) for choice in question.choices)
            assert labels not in text, f"{page}: question {question.ask}'s choices are indexed"
        assert "Check answer" not in text


@pytest.mark.browser
def test_search_puts_the_right_page_first(page, recorder, site_server):
    for query, expected in TOP_RESULT.items():
        page.goto(site_server.url(""))
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(query)
        # Typing searches after every key: wait for the results of the whole query, whose
        # links carry its terms for highlighting (?h=term+term).
        page.wait_for_function(
            "(terms) => [...document.querySelectorAll('.md-search-result__list a')]"
            "  .some((a) => new URL(a.href).searchParams.get('h') === terms)",
            arg=" ".join(query.lower().split()),
        )
        results = page.locator(".md-search-result__item > a").evaluate_all(
            "(links) => links.map((a) => new URL(a.href).pathname)"
        )
        pages = [re.sub(r"^.*?/hiv-treatment-failure/", "", path) for path in results]
        assert pages and pages[0] == expected, f"{query!r}: {pages[:5]}"
        # Practice cases and the case library come after every other page that matched.
        first_case = next((i for i, p in enumerate(pages) if p.startswith("cases/")), len(pages))
        assert all(p.startswith("cases/") for p in pages[first_case:]), f"{query!r}: {pages}"
    assert_clean(recorder)
