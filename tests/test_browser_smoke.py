"""The built site in headless Chromium, served under a sub-path as GitHub Pages serves it."""

from __future__ import annotations

import pytest

from tests.browser_harness import assert_clean

pytestmark = pytest.mark.browser


def test_home_page_and_instant_navigation(page, recorder, site_server):
    page.goto(site_server.url())
    heading = page.locator("h1").first.inner_text().removesuffix("¶").strip()  # permalink
    assert heading == "HIV virologic failure on antiretroviral therapy"
    assert "HIV Virologic Failure" in page.title()
    assert page.locator(".htf-source-notice").is_visible()

    # A marker on window survives only if the next page arrives without a full reload.
    page.evaluate("window.__htfMarker = 'kept'")
    page.locator(".md-tabs").get_by_role("link", name="About").click()
    page.wait_for_url(site_server.url("disclaimer/"))
    page.locator("h1", has_text="Disclaimer").wait_for()
    assert page.evaluate("window.__htfMarker") == "kept", "the page was fully reloaded"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1

    # The HTML of the second page was fetched by instant navigation, not as a new document.
    assert site_server.url("disclaimer/") in recorder.requests
    assert_clean(recorder)


def test_a_path_outside_the_site_is_not_served(page, site_server):
    response = page.goto(site_server.origin + "/disclaimer/")
    assert response is not None and response.status == 404
