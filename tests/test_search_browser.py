"""Site search works under either builder without a copied theme partial: Material 9's search
dialog (named by site.mjs) and Zensical's own (in a shadow root), both fed by the local index."""

from __future__ import annotations

import pytest

from tests.browser_harness import assert_clean


@pytest.mark.browser
def test_search_finds_the_resistance_testing_page(page, recorder, site_server, builder):
    page.goto(site_server.url("disclaimer/"))
    page.wait_for_load_state("networkidle")
    dialog = page.locator('.md-search[role="dialog"]')
    assert dialog.get_attribute("aria-label") == "Search"  # axe: aria-dialog-name
    if builder == "zensical":
        page.locator(".md-search__button").click()
    else:
        page.locator(".md-search__input").click()
    query = page.locator('input[aria-label="Search"]:visible')  # CSS locators pierce shadow roots
    query.press_sequentially("resistance")  # Material listens for key events, not input
    # Result links carry the highlight query (search.highlight); navigation links do not.
    results = page.locator('a[href*="?h=resistance"]')
    results.first.wait_for()
    hrefs = results.evaluate_all("links => links.map((a) => a.getAttribute('href'))")
    assert any("resistance-testing" in href for href in hrefs), hrefs
    assert_clean(recorder)
