"""The reference pages in headless Chromium: accessibility (axe-core) in light and dark, no
sideways scrolling on a 375-px phone, and Table 11 printing with every column."""

from __future__ import annotations

import pytest

import logic
from generator.content_model import load_pages
from generator.core import Context
from tests.browser_harness import assert_clean, axe_problems

pytestmark = pytest.mark.browser

PAGES = [page.path for page in load_pages(Context())]
# Letter and A4 with half-inch margins: the narrower printable width, in CSS pixels (96/in).
PRINT_MARGIN_IN = 0.5
PRINT_WIDTH_PX = int((8.27 - 2 * PRINT_MARGIN_IN) * 96)


def url_of(site_server, md_path: str) -> str:
    stem = md_path.removesuffix(".md")
    folder = "" if stem == "index" else stem.removesuffix("/index") + "/"
    return site_server.url(folder)


def assert_clean_after_tour(recorder) -> None:
    """assert_clean, for a test that goes from page to page quickly: a request the browser
    dropped because the test moved on (a favicon, say) is not a failure of the site."""
    recorder.failed[:] = [f for f in recorder.failed if "net::ERR_ABORTED" not in f]
    assert_clean(recorder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_reference_page(page, recorder, site_server, scheme):
    page.emulate_media(color_scheme=scheme)
    problems = []
    for path in PAGES:
        page.goto(url_of(site_server, path))
        expected = "slate" if scheme == "dark" else "default"
        assert page.locator("body").get_attribute("data-md-color-scheme") == expected
        problems += [f"{path}: {problem}" for problem in axe_problems(page)]
    assert not problems, "\n".join(problems)
    assert_clean_after_tour(recorder)


def test_no_reference_page_scrolls_sideways_on_a_phone(page, recorder, site_server):
    page.set_viewport_size({"width": 375, "height": 800})
    wide = []
    for path in PAGES:
        page.goto(url_of(site_server, path))
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
        )
        if max(widths[:2]) > widths[2]:
            wide.append(f"{path}: {widths[:2]} > {widths[2]}")
    assert not wide, "\n".join(wide)
    assert_clean_after_tour(recorder)


def test_table11_reflows_into_cards_on_a_phone(page, site_server):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_server.url("guideline/table-11/"))
    table = page.locator("table.t11")
    assert table.evaluate("t => getComputedStyle(t).display") == "block"
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    # Every cell says which column it belongs to.
    labels = page.locator("table.t11 td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert labels and all(label not in ("none", "normal", '""') for label in labels)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_abbreviation_explains_itself_on_focus_and_tap_without_a_script(
    page, recorder, site_server, scheme
):
    """generator/postbuild/tooltips.py + site.css: the first use of an abbreviation in Table 11
    shows its expansion when focused from the keyboard or tapped on a phone, whole on screen
    (not clipped by the table's scroll box), readable (axe), with no tooltip script involved."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site_server.url("guideline/table-11/"))
    abbr = page.locator("table.t11 abbr.htf-abbr").first
    tip = abbr.locator(".htf-abbr__tip")
    assert tip.is_hidden()  # not shown, so not copied with the text
    # Before any interaction, assistive technology has the expansion as the description.
    description = abbr.evaluate(
        "a => document.getElementById(a.getAttribute('aria-describedby')).textContent"
    )
    assert description == tip.text_content() and description.strip()
    assert abbr.evaluate("a => a.innerText") == abbr.evaluate("a => a.firstChild.textContent")
    abbr.scroll_into_view_if_needed()
    abbr.focus()
    box = tip.bounding_box()
    assert box and box["width"] > 40 and box["height"] >= 16
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    covering = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('.htf-abbr__tip') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert covering, "the tooltip is hidden behind or clipped by something else"
    assert not axe_problems(page)
    page.keyboard.press("Tab")  # moving on hides it again
    assert tip.is_hidden()
    # A click or tap focuses it (tabindex) and shows the expansion; it stays while focused.
    abbr.click()
    page.mouse.move(0, 0)
    assert abbr.evaluate("a => a === document.activeElement")
    assert tip.bounding_box()["width"] > 40
    assert_clean(recorder)


def test_printing_table11_keeps_every_column(page, site_server):
    page.set_viewport_size({"width": PRINT_WIDTH_PX, "height": 1000})
    page.goto(site_server.url("guideline/table-11/"))
    page.emulate_media(media="print")
    layout = page.evaluate(
        """() => {
            const table = document.querySelector("table.t11");
            const box = table.getBoundingClientRect();
            const visible = (el) => {
                const r = el.getBoundingClientRect();
                const s = getComputedStyle(el);
                return s.display !== "none" && s.visibility !== "hidden"
                    && r.width > 20 && r.height > 0;
            };
            const clipped = [...table.querySelectorAll("th, td")]
                .filter((c) => c.scrollWidth > c.clientWidth + 1)
                .map((c) => c.textContent.trim().slice(0, 40));
            return {
                display: getComputedStyle(table).display,
                right: box.right,
                width: document.documentElement.clientWidth,
                tableScroll: table.scrollWidth - table.clientWidth,
                headers: [...table.querySelectorAll("thead th")].map(
                    (th) => [th.textContent.trim(), visible(th)]),
                options: [...table.querySelectorAll("td.t11-options li")].map(
                    (li) => [li.innerText.trim(), visible(li),
                             li.getBoundingClientRect().right <= box.right + 1]),
                clipped,
                sidebars: [...document.querySelectorAll(".md-sidebar")].some(visible),
            };
        }"""
    )
    assert layout["display"] == "table"
    assert layout["right"] <= layout["width"] + 1, layout
    assert layout["tableScroll"] <= 1
    assert len(layout["headers"]) == 5 and all(shown for _, shown in layout["headers"])
    expected = [o["text"] for row in logic.table11()["rows"] for o in row["options"]]
    assert len(layout["options"]) == len(expected)
    for text, (shown_text, shown, inside) in zip(expected, layout["options"], strict=True):
        assert shown and inside, text
        assert " ".join(text.split()) in " ".join(shown_text.split()), text
    assert not layout["clipped"], layout["clipped"]
    assert not layout["sidebars"], "navigation chrome is printed"
    margin = f"{PRINT_MARGIN_IN}in"
    pdf = page.pdf(
        format="A4", margin={"top": margin, "bottom": margin, "left": margin, "right": margin}
    )
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_decision_diagram_is_legible_on_a_phone_and_its_boxes_open_their_cards(
    page, recorder, site_server
):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site_server.url("guideline/decision-map/"))
    scales = page.locator("svg.dmap-svg").evaluate_all(
        "(panels) => panels.map((s) => s.getBoundingClientRect().width / s.viewBox.baseVal.width)"
    )
    assert len(scales) == len(logic.guideline().tables) + 1  # a panel per stage, one for rows
    assert all(12 * scale >= 11 for scale in scales), f"text under 11 px: scales {scales}"
    # SVG does not wrap text: the generator breaks the lines, and none may leave its box.
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll(".dmap-svg a")].flatMap((a) => {
            const box = a.querySelector("rect").getBBox();
            return [...a.querySelectorAll("text")]
                .filter((t) => getComputedStyle(t).display !== "none")
                .filter((t) => {
                    const b = t.getBBox();
                    return b.x < box.x || b.x + b.width > box.x + box.width
                        || b.y < box.y || b.y + b.height > box.y + box.height;
                })
                .map((t) => t.textContent);
        })"""
    )
    assert not overflowing, overflowing
    # Each box is a link reached by keyboard; Enter brings its card (the last one, here) into view.
    rule = logic.guideline().tables["cautions"]["rules"][-1]["id"]
    page.locator(f'.dmap-svg a[data-rule="{rule}"]').focus()
    assert page.evaluate("document.activeElement.dataset.rule") == rule
    page.keyboard.press("Enter")
    page.wait_for_function("(id) => location.hash === `#rule-${id}`", arg=rule)
    page.wait_for_timeout(300)  # let the scroll settle: the card must stay where it landed
    top = page.locator(f"#rule-{rule}").evaluate("(n) => n.getBoundingClientRect().top")
    assert 0 <= top < 800
    assert_clean(recorder)
