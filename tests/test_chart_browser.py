"""The viral-load chart inside a built Material page: colours from chart.css in the light and
dark schemes and in print, size on a phone, and axe-core. The chart and its table are put into
a reference page's article, as the generator and the walkthrough will put them."""

from __future__ import annotations

import pytest

from logic.chart import render_svg, render_table
from tests.browser_harness import assert_clean, axe_problems
from tests.test_chart import DATED, REBOUND

CHARTS = "".join(
    render_svg(c, title=f"Viral load, {name}", description=f"The {name} course.", id_prefix=name)
    + render_table(c)
    for name, c in (("rebound", REBOUND), ("dated", DATED))
)

INSERT = """(html) => {
    const holder = document.createElement("div");
    holder.id = "vl-test";
    holder.innerHTML = html;
    document.querySelector("article").prepend(holder);
}"""

# Computed colours of the parts that carry meaning, and the smallest text as drawn on screen.
MEASURE = """() => {
    const svg = document.querySelector("#vl-test svg.vl-chart");
    const style = (selector, property) =>
        getComputedStyle(svg.querySelector(selector)).getPropertyValue(property);
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll("text")].map(
        (t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {
        line: style(".vl-chart__line", "stroke"),
        episode: style(".vl-chart__episode", "stroke"),
        text: style(".vl-chart__tick-label", "fill"),
        open: style(".vl-chart__marker--triangle-down-open", "fill"),
        background: getComputedStyle(document.body).backgroundColor,
        width: svg.getBoundingClientRect().width,
        smallest_text_px: Math.min(...sizes),
    };
}"""


def measured(page, scheme: str, media: str = "screen") -> dict:
    """The charts put into the loaded page once, then measured in ``scheme`` and ``media``
    (switched in place: no second navigation)."""
    if not page.locator("#vl-test").count():
        page.evaluate(INSERT, CHARTS)
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    page.emulate_media(media=media)
    return page.evaluate(MEASURE)


@pytest.mark.browser
def test_the_chart_takes_its_colours_from_the_scheme_and_prints_black(page, recorder, site_server):
    page.goto(site_server.url("guideline/definitions/"))
    light = measured(page, "default")
    dark = measured(page, "slate")
    printed = [measured(page, scheme, media="print") for scheme in ("default", "slate")]
    for key in ("line", "episode", "text"):
        assert light[key] != dark[key], key
        assert [p[key] for p in printed] == ["rgb(0, 0, 0)"] * 2, key
    # Open markers are filled with the page's background, so the line does not show through.
    assert light["open"] == light["background"] and dark["open"] == dark["background"]
    assert 300 <= light["width"] <= 500  # capped near 480 px on a wide screen
    assert_clean(recorder)


@pytest.mark.browser
def test_the_chart_fits_a_phone_and_its_text_stays_readable(browser, site_server):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto(site_server.url("guideline/definitions/"))
        phone = measured(page, "default")
        overflow = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert phone["width"] <= 375 and overflow <= 375
    assert phone["smallest_text_px"] >= 10


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_finds_nothing_serious_around_the_chart(page, site_server, scheme):
    page.goto(site_server.url("guideline/definitions/"))
    measured(page, scheme)
    assert axe_problems(page) == []


@pytest.mark.browser
def test_charts_in_the_built_pages_figures_are_drawn_at_full_size(page, site_server):
    """The generator puts each chart in a <figure>, which Material sizes to its content: the
    chart must still fill the column (up to its cap), not fall back to a default 300 px."""
    page.goto(site_server.url("guideline/definitions/"))
    widths = page.evaluate(
        """() => [...document.querySelectorAll("figure.vl-figure svg.vl-chart")]
            .map((svg) => svg.getBoundingClientRect().width)"""
    )
    assert widths and all(400 <= width <= 500 for width in widths), widths
