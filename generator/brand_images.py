"""The site's own favicon and Open Graph card (no third-party artwork), written as SVG and
rasterised to PNG by headless Chromium. The results are committed under
``site_overrides/assets/images/``; run ``.venv/bin/python -m generator.brand_images`` after
changing a drawing here (``tests/test_build.py`` checks the committed SVGs match).

The motif: a viral-load curve that falls below a dashed threshold, then rebounds above it (the
subject of the site), with the rebound marked by an amber dot.
"""

from __future__ import annotations

from pathlib import Path

IMAGES = Path(__file__).resolve().parent.parent / "site_overrides" / "assets" / "images"
INDIGO = "#303f9f"  # white on it: contrast 8.6:1
AMBER = "#ffc107"
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"


def curve(x: float, y: float, scale: float, stroke: float) -> str:
    """The motif in a 64 x 64 box at (x, y), ``scale`` times its size."""
    points = [(8, 12), (20, 46), (34, 50), (46, 34), (54, 20)]
    path = " ".join(f"{x + px * scale:g},{y + py * scale:g}" for px, py in points)
    dot_x, dot_y = x + 54 * scale, y + 20 * scale
    threshold_y = y + 38 * scale
    return (
        f'<line x1="{x + 4 * scale:g}" y1="{threshold_y:g}" x2="{x + 60 * scale:g}" '
        f'y2="{threshold_y:g}" stroke="#fff" stroke-opacity="0.7" '
        f'stroke-width="{stroke / 2:g}" stroke-dasharray="{stroke:g} {stroke:g}"/>'
        f'<polyline points="{path}" fill="none" stroke="#fff" stroke-width="{stroke:g}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
        f'<circle cx="{dot_x:g}" cy="{dot_y:g}" r="{stroke * 1.1:g}" fill="{AMBER}"/>'
    )


def favicon() -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
        f'<rect width="64" height="64" rx="12" fill="{INDIGO}"/>' + curve(0, 0, 1, 6) + "</svg>\n"
    )


def og_card(title: str = "HIV Virologic Failure", subtitle: str = "Clinical Reference") -> str:
    lines = [
        (150, 72, "bold", title),
        (220, 48, "normal", subtitle),
        (330, 30, "normal", "Recognise it, assess it, plan the next regimen:"),
        (372, 30, "normal", "for clinicians, trainees and patients."),
        (520, 24, "normal", "An educational reference; not a substitute for expert advice."),
    ]
    text = "".join(
        f'<text x="72" y="{y}" font-size="{size}" font-weight="{weight}">{words}</text>'
        for y, size, weight, words in lines
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630" width="1200" '
        f'height="630"><rect width="1200" height="630" fill="{INDIGO}"/>'
        f'<g fill="#fff" font-family="{FONT}">{text}</g>'
        f'<rect x="72" y="260" width="120" height="6" rx="3" fill="{AMBER}"/>'
        + curve(860, 170, 4.4, 14)
        + "</svg>\n"
    )


SVGS = {"favicon.svg": favicon, "og-card.svg": og_card}
# PNG fallbacks: (file, its SVG, width, height). Social sites do not read SVG.
PNGS = [("favicon-32.png", "favicon.svg", 32, 32), ("og-card.png", "og-card.svg", 1200, 630)]


def main() -> None:
    from playwright.sync_api import sync_playwright

    from tests import chromium

    for name, draw in SVGS.items():
        (IMAGES / name).write_text(draw(), encoding="utf-8")
    executable = chromium.system_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable) if executable else None,
            args=list(chromium.LAUNCH_ARGS),
        )
        for name, source, width, height in PNGS:
            page = browser.new_page(viewport={"width": width, "height": height})
            svg = (IMAGES / source).read_text(encoding="utf-8")
            page.set_content(
                "<style>html,body{margin:0}svg{display:block;width:100vw;height:100vh}</style>"
                + svg
            )
            page.screenshot(path=str(IMAGES / name), omit_background=True)
            page.close()
        browser.close()
    print(f"wrote {', '.join([*SVGS, *(p[0] for p in PNGS)])} in {IMAGES}")


if __name__ == "__main__":
    main()
