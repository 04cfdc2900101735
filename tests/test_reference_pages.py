"""The reference pages as built: every section, Table 11, ratings, differences, tooltips.

Expected values come from ``logic`` (and the content files), never from a second copy: these
tests check that the site shows what the data says, everywhere it should.
"""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import date
from pathlib import Path

import pytest

import logic
from generator import ratings, site_links
from generator.content_model import REFERENCE, load_pages
from generator.core import CONTENT_DIR, Context, long_date
from generator.reference.extras import load_glossary, load_table11, plural_forms
from generator.reference.site import nav_paths
from tests.support import text_of

PAGES = load_pages(Context())


DIFF_NOTE = 'class="t11-diff-note"'  # where an option's note on the text begins


def built(site: Path, md_path: str) -> Path:
    stem = md_path.removesuffix(".md")
    folder = "" if stem == "index" else stem.removesuffix("/index")
    return site / folder / "index.html"


def article(site: Path, md_path: str) -> str:
    """The page's main content (the article), as HTML."""
    text = built(site, md_path).read_text(encoding="utf-8")
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', text, re.S)
    assert match, md_path
    # Without the source notice that main.html adds to every page (a template, not content).
    return re.sub(r'<aside class="htf-source-notice".*?</aside>', "", match.group(1), flags=re.S)


def squash(text: str) -> str:
    """Text compared regardless of spacing (tags split words from punctuation)."""
    return re.sub(r"\s+", "", text)


def element(fragment: str, tag: str, element_id: str) -> str:
    match = re.search(
        rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(.*?)</{tag}>', fragment, re.S
    )
    assert match, f'<{tag} id="{element_id}"> not found'
    return match.group(1)


def badges(fragment: str) -> list[str]:
    return re.findall(r'<a class="rating-badge" data-rating="([A-C]I{1,3})"', fragment)


@pytest.fixture(scope="module")
def table11_html(built_site: Path) -> str:
    return article(built_site, site_links.TABLE11_PAGE)


# --------------------------------------------------------------------------- pages and sections


def test_every_page_and_section_renders(built_site: Path):
    for page in PAGES:
        content = article(built_site, page.path)
        assert text_of(re.search(r"<h1[^>]*>(.*?)</h1>", content, re.S).group(1)) == page.title
        for section in page.sections:
            heading = text_of(element(content, "h2", section.anchor))
            if "{" not in section.title:  # titles with {kind:id} references are expanded
                assert heading == section.title, (page.path, section.anchor)
            body = content.split(f'id="{section.anchor}"', 1)[1]
            assert len(text_of(body.split("<h2", 1)[0])) > 40, (page.path, section.anchor)


def test_every_source_section_is_anchored_where_site_links_says(built_site: Path):
    for section in logic.guideline().sections:
        page, _, anchor = site_links.section_link(section, logic.guideline()).partition("#")
        assert f'id="{anchor}"' in article(built_site, page), section


def test_every_reference_page_is_in_the_nav():
    nav = nav_paths(Context())
    assert not [page.path for page in PAGES if page.path not in nav]


# --------------------------------------------------------------------------- Table 11


def test_table11_holds_every_row_option_rating_and_footnote(table11_html: str):
    table = logic.table11()
    for row in table["rows"]:
        cells = element(table11_html, "tr", row["id"])
        text = squash(text_of(cells))
        for field in ("resistance", "goal"):
            assert squash(row[field]) in text, (row["id"], field)
        items = re.findall(r"<li>(.*?)</li>", cells, re.S)
        assert len(items) == len(row["options"]), row["id"]
        for option, item in zip(row["options"], items, strict=True):
            shown = squash(text_of(item))
            assert squash(option["text"]) in shown, option["text"]
            for qualifier in option["qualifiers"]:
                assert squash(qualifier) in shown, qualifier
            notes = re.findall(r"<sup>(.*?)</sup>", item)
            letters = re.findall(r">([a-e])</a>", "".join(notes))
            assert letters == option["footnotes"], option["text"]
            # The option's own badge comes before any note on how the text differs.
            own = item.split(DIFF_NOTE)[0]
            assert badges(own) == ([option["rating"]] if option["rating"] else []), option
        if row.get("row_note"):
            assert squash(row["row_note"]) in text
        for note in row.get("resistance_footnotes", []):
            assert f'href="#t11-note-{note}"' in cells
    for note in table["footnotes"]:
        assert squash(note["text"]) in squash(
            text_of(element(table11_html, "p", f"t11-note-{note['id']}"))
        )
    key = squash(text_of(element(table11_html, "p", "t11-key")))
    for item in table["key"]:
        assert squash(f"{item['abbr']} = {item['expansion']}") in key
    header = re.search(r"<thead>.*?</thead>", table11_html, re.S).group(0)
    assert re.findall(r">([a-e])</a>", header) == table["options_footnotes"]
    assert len(re.findall(r'<th scope="col"', header)) == 5


def test_table11_rows_link_to_their_text_and_walkthrough(table11_html: str):
    examples = load_table11(Context())
    walkthrough = site_links.WALKTHROUGH_PAGE in nav_paths(Context())
    for row in logic.guideline().rows.values():
        cells = element(table11_html, "tr", row["id"])
        page, _, anchor = site_links.section_link(row["section"], logic.guideline()).partition("#")
        target = page.removesuffix(".md").split("/")[-1]
        assert re.search(rf'href="[./]*{target}/#{anchor}"', cells), row["id"]
        tries = re.findall(r'href="[./]*walkthrough/\?case=([A-Za-z0-9_-]+)"', cells)
        assert len(tries) == (1 if walkthrough else 0), row["id"]
        if tries:
            data = tries[0] + "=" * (-len(tries[0]) % 4)
            case = json.loads(base64.urlsafe_b64decode(data))
            assert case == examples[row["id"]].example
            assert logic.evaluate(case)["scenario"] == row["id"]


def test_every_text_difference_is_visibly_noted(built_site: Path, table11_html: str):
    differences = logic.text_differences()
    assert differences, "logic reports no differences: this test would check nothing"
    section = element(table11_html, "h2", "text-differences")  # the heading exists
    assert section
    notes = re.findall(r'<div class="admonition note t11-diff">(.*?)</div>', table11_html, re.S)
    assert len(notes) == len(differences)
    for diff, note in zip(differences, notes, strict=True):
        text = squash(text_of(note))
        assert squash(diff["option"]) in text and squash(diff["text"]) in text
        if diff["rating_differs"]:
            # Table 11's side first: the option's badge where a qualifier differs.
            table_side = diff["option_rating"] if diff["qualifier"] else diff["table_rating"]
            assert badges(note)[:2] == [r for r in (table_side, diff["text_rating"]) if r]
            if not diff["table_rating"]:
                assert squash("not rated") in text
        if diff["wording"]:
            assert squash(diff["wording"]) in text
        # ...and at the option itself, in the table.
        cells = element(table11_html, "tr", diff["scenario"])
        item = next(
            i
            for i in re.findall(r"<li>(.*?)</li>", cells, re.S)
            if squash(diff["option"]) in squash(text_of(i))
        )
        assert DIFF_NOTE in item
        if diff["rating_differs"]:
            assert diff["text_rating"] in badges(item.split(DIFF_NOTE)[1])
    # The scenario page's row summaries note them too.
    scenarios = article(built_site, "guideline/scenarios.md")
    assert scenarios.count('class="t11-diff-note"') == len(differences)


# --------------------------------------------------------------------------- ratings


def test_rating_scheme_page_lists_every_rating(built_site: Path):
    content = article(built_site, site_links.RATINGS_PAGE)
    strength, evidence = ratings.scheme(logic.guideline())
    for code in ratings.all_ratings(logic.guideline()):
        assert text_of(element(content, "h3", f"rating-{code}")) == code
        meaning = content.split(f'id="rating-{code}"', 1)[1].split("</p>", 1)[0]
        assert badges(meaning) == [code]
        assert f"{strength[code[0]]} recommendation" in text_of(meaning)
        assert evidence[code[1:]].lower() in text_of(meaning).lower()
    recs = logic.guideline().recommendations.values()
    used = {rec["rating"] for rec in recs if rec.get("rating")}
    assert used <= set(ratings.all_ratings(logic.guideline()))
    text = squash(text_of(content))
    for rec in recs:
        if rec.get("rating"):
            assert squash(rec["text"]) in text, rec["id"]


def test_every_badge_links_to_its_rating_with_its_meaning(built_site: Path):
    titles = ratings.rating_titles(logic.guideline())
    seen = 0
    for page in PAGES:
        for code, href, title in re.findall(
            r'<a class="rating-badge" data-rating="(\w+)" href="([^"]+)" title="([^"]+)"',
            article(built_site, page.path),
        ):
            seen += 1
            own = page.path == site_links.RATINGS_PAGE and href == f"./#rating-{code}"
            assert own or href.endswith(f"ratings/#rating-{code}"), (page.path, href)
            assert html.unescape(title) == titles[code]
    assert seen > 100


def test_every_recommendation_appears_with_its_rating(built_site: Path):
    listed: dict[str, list[str]] = {}
    for page in PAGES:
        for rec_id, body in re.findall(
            r'<li class="rec" id="rec-([\w-]+)">(.*?)</li>', article(built_site, page.path), re.S
        ):
            listed.setdefault(rec_id, []).append(body)
    for rec in logic.guideline().recommendations.values():
        assert rec["id"] in listed, f"recommendation {rec['id']} is on no page"
        for body in listed[rec["id"]]:
            assert squash(rec["text"]) in squash(text_of(body))
            if rec.get("rating"):
                assert badges(body) == [rec["rating"]], rec["id"]
            else:
                assert not badges(body) and "not rated" in body, rec["id"]


def test_no_markdown_is_left_unrendered(built_site: Path):
    leaks = []
    for page in PAGES:
        text = text_of(article(built_site, page.path))
        for pattern in (r"\]\(", r"\{ ?[.#][\w-]", r"\{[a-z_]+:[^}\s]+\}", r"\*\*", r"^!!! "):
            leaks += [f"{page.path}: {m.group(0)!r}" for m in re.finditer(pattern, text, re.M)]
    assert not leaks, leaks


# --------------------------------------------------------------------------- data-driven pages


def test_definitions_come_from_logic(built_site: Path):
    content = article(built_site, "guideline/definitions.md")
    text = squash(text_of(content))
    g = logic.guideline()
    for definition in g.definitions.values():
        assert f'id="def-{definition["id"]}"' in content
        assert squash(definition["text"]) in text
        assert squash(definition["applied"]) in text
    for kind in g.failure_types:
        assert squash(kind["text"]) in text
    assert squash(g.failure_types_sequence) in text


def test_decision_map_has_a_node_per_rule_and_row(built_site: Path):
    content = article(built_site, "guideline/decision-map.md")
    for table in logic.guideline().tables.values():
        for rule in table["rules"]:
            assert f'data-rule="{rule["id"]}"' in content, rule["id"]
            assert f'id="rule-{rule["id"]}"' in content, rule["id"]
    for row in logic.guideline().rows:
        assert re.search(rf'class="dmap-node dmap-row"[^>]*data-scenario="{row}"', content), row


def test_decision_diagram_draws_every_stage_rule_and_row_and_links_to_their_cards(built_site):
    content = article(built_site, "guideline/decision-map.md")
    svg = re.search(r'<figure class="dmap-diagram"[^>]*>.*?</figure>', content, re.S)
    assert svg and "<svg" in svg.group(0), "no flowchart on the decision map"
    svg = svg.group(0)
    nodes = re.findall(
        r'<a xlink:href="#([^"]+)" class="dmap-d-node[^"]*" data-(\w+)="([^"]+)"', svg
    )
    ids = set(re.findall(r'\bid="([^"]+)"', content))
    skip = re.search(r'<p class="dmap-skip"><a href="#([^"]+)"', content)
    assert skip and skip.group(1) in ids, "no working link past the flowchart's boxes"
    broken = [href for href, _, _ in nodes if href not in ids]
    assert not broken, f"boxes linking to no card: {broken}"
    drawn = {(kind, value) for _, kind, value in nodes}
    g = logic.guideline()
    expected = {("stage", table) for table in g.tables} | {("stage", "rows")}
    expected |= {("rule", rule["id"]) for table in g.tables.values() for rule in table["rules"]}
    expected |= {("scenario", row) for row in g.rows}
    assert drawn == expected
    assert len(nodes) == len(drawn), "a stage, rule or row is drawn twice"
    # Each rule's box says what it concludes: a row's label for a rule that picks a row.
    for table in g.tables.values():
        for rule in table["rules"]:
            if "scenario" in rule["then"]:
                box = re.search(rf'data-rule="{rule["id"]}">(.*?)</a>', svg, re.S).group(1)
                label = load_table11(Context())[rule["then"]["scenario"]].label
                assert squash(label) in squash(text_of(box)), rule["id"]


PATIENT_PAGES = [page for page in PAGES if page.audience == "patients"]


def test_every_page_under_patients_is_written_for_patients():
    assert PATIENT_PAGES
    assert {p.path for p in PATIENT_PAGES} == {
        p.path for p in PAGES if p.path.startswith("patients/")
    }


def test_patient_pages_give_ratings_in_words_and_open_with_a_notice_to_the_reader(built_site):
    strength, evidence = ratings.scheme(logic.guideline())
    last_updated = long_date(date.fromisoformat(str(logic.guideline().source["last_updated"])))
    badges_seen = 0
    for page in PATIENT_PAGES:
        content = article(built_site, page.path)
        first = re.search(r"</h1>\s*<div class=\"admonition ([^\"]*)\">(.*?)</div>", content, re.S)
        assert first and "htf-patient-notice" in first.group(1).split(), page.path
        notice = text_of(first.group(2))
        assert last_updated in notice and "your HIV care team" in notice, notice
        assert "clinical judgement" not in text_of(content), page.path
        for match in re.finditer(
            r'<a class="rating-badge" data-rating="([A-C]I{1,3})" href="([^"]+)"[^>]*>([^<]*)</a>',
            content,
        ):
            code, href, label = match.groups()
            badges_seen += 1
            assert label == f"rating {code}", (page.path, label)
            assert href.endswith(f"guideline/ratings/#rating-{code}"), (page.path, href)
            words = text_of(content[: match.start()])[-300:].lower()
            assert f"{strength[code[0]].lower()} recommendation" in words, (page.path, code)
            assert evidence[code[1:]].lower() in words, (page.path, code)
        # No rating code stands alone, where "AI" would read as artificial intelligence.
        alone = re.findall(r"(?<!rating )\b[A-C]I{1,3}\b", text_of(content))
        assert not alone, (page.path, alone)
    assert badges_seen, "no patient page shows a rating: the test checks nothing"


def test_glossary_lists_every_abbreviation(built_site: Path):
    text = squash(text_of(article(built_site, "guideline/glossary.md")))
    for item in load_glossary(Context()).abbreviations.values():
        assert squash(f"{item.abbr}") in text and squash(item.expansion) in text, item.abbr


def test_source_page_maps_every_section(built_site: Path):
    content = article(built_site, "guideline/source.md")
    text = squash(text_of(content))
    for section in logic.guideline().sections.values():
        assert squash(section["title"]) in text
        page, _, anchor = site_links.section_link(section["id"], logic.guideline()).partition("#")
        assert f"#{anchor}" in content
    assert squash(logic.guideline().source["title"]) in text


def test_home_links_the_walkthrough_and_cases_only_if_they_exist(built_site: Path):
    content = article(built_site, "index.md")
    nav = nav_paths(Context())
    assert ('href="walkthrough/"' in content) == (site_links.WALKTHROUGH_PAGE in nav)
    assert ('href="cases/"' in content) == any(p.startswith("cases/") for p in nav)


# --------------------------------------------------------------------------- tooltips


def test_abbreviations_have_tooltips_wherever_they_appear(built_site: Path):
    glossary = load_glossary(Context())
    expansions = {a.abbr: a.expansion for a in glossary.abbreviations.values()}
    expansions.update(plural_forms(glossary))
    checked = 0
    for page in PAGES:
        content = article(built_site, page.path)
        # Explained at first use (generator/postbuild/tooltips.py), or titled inside a link.
        tagged = {
            (expansion, abbr)
            for abbr, expansion in re.findall(
                r'<abbr class="htf-abbr" [^>]*>([^<]+)<span class="htf-abbr__tip" [^>]*>([^<]+)',
                content,
            )
        } | set(re.findall(r'<abbr title="([^"]+)">([^<]+)</abbr>', content))
        # A chart's labels are part of an image (named by its title and description), where
        # no tooltip can go; the prose around it is checked.
        prose = re.sub(r"<svg\b.*?</svg>", " ", content, flags=re.S)
        plain = text_of(re.sub(r"<abbr\b.*?</abbr>", " ", prose, flags=re.S))
        for abbr, expansion in expansions.items():
            used = (html.escape(expansion, quote=True), abbr) in tagged
            pattern = rf"(?<![\w/-]){re.escape(abbr)}(?![\w/-])"
            if used:
                checked += 1
            # A bare, untagged use of an abbreviation is a missing tooltip.
            assert not re.search(pattern, plain), f"{page.path}: '{abbr}' without a tooltip"
    assert checked > 50


# --------------------------------------------------------------------------- one source of truth


def test_content_files_never_retype_a_threshold():
    """Thresholds are written {t:name} in content; a bare 200, 500 or 1,000 is a retyped one."""
    values = sorted(
        {v for v in logic.guideline().thresholds.values() if isinstance(v, int) and v >= 100}
    )
    assert values
    bare = re.compile(
        "|".join(rf"(?<![\w.,]){v:,}(?![\w,])|(?<![\w.,]){v}(?![\w,])" for v in values)
    )
    offenders = []
    for path in sorted((CONTENT_DIR / "pages").glob("*.toml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.lstrip().startswith("#"):
                for match in bare.finditer(REFERENCE.sub("", line)):
                    offenders.append(f"{path.name}:{number}: {match.group(0)}")
    assert not offenders, offenders
