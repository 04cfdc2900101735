"""Content errors in the reference pages' files: one test per class of mistake.

Each test breaks a temporary copy of the content, runs the reference steps, and checks that the
message names the file, the entry and the field, and that the last good output on disk is left
exactly as it was. The real tree is never touched.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator import core, ratings
from generator.core import ContentError, Context, generate
from generator.steps import abbreviations, reference_pages
from tests.conftest import snapshot

STEPS = [abbreviations.step, reference_pages.step]


@pytest.fixture
def site(tmp_path: Path) -> tuple[Context, Path]:
    """Temporary copies of the templates and content, and a docs folder holding a good run."""
    shutil.copytree(core.TEMPLATES_DIR, tmp_path / "templates")
    shutil.copytree(core.CONTENT_DIR, tmp_path / "content")
    context = Context(templates_dir=tmp_path / "templates", content_dir=tmp_path / "content")
    docs = tmp_path / "docs"
    generate(STEPS, context=context, docs_dir=docs)
    assert (docs / "guideline" / "table-11.md").is_file()
    return context, docs


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fails(site: tuple[Context, Path], expected: str) -> str:
    """Run again: it must fail with ``expected`` (the whole message) and write nothing."""
    context, docs = site
    before = snapshot(docs)
    fresh = Context(templates_dir=context.templates_dir, content_dir=context.content_dir)
    with pytest.raises(ContentError) as raised:
        generate(STEPS, context=fresh, docs_dir=docs)
    assert str(raised.value) == expected
    assert snapshot(docs) == before, "the last good output changed"
    return str(raised.value)


def test_unknown_rating(site):
    path = site[0].content_dir / "pages" / "ratings.toml"
    edit(path, "{rating:AI}", "{rating:AIV}")
    allowed = ", ".join(ratings.all_ratings())
    fails(
        site,
        f"{path.as_posix()}: entry 'blocks', field 'blocks[0].text': "
        f"unknown rating 'AIV' (allowed: {allowed})",
    )


def test_abbreviation_defined_twice_in_the_glossary_file(site):
    path = site[0].content_dir / "glossary.toml"
    edit(path, 'abbr = "RNA"', 'abbr = "HIV"')
    fails(
        site,
        f"{path.as_posix()}: entry 'HIV', field 'abbr': abbreviation 'HIV' defined twice "
        "(also in glossary.toml)",
    )


def test_abbreviation_already_defined_by_logic(site):
    path = site[0].content_dir / "glossary.toml"
    edit(path, 'abbr = "MRI"', 'abbr = "DTG"')
    fails(
        site,
        f"{path.as_posix()}: entry 'DTG', field 'abbr': abbreviation 'DTG' defined twice "
        "(also in logic/data/abbreviations.toml)",
    )


def test_missing_section_id(site):
    path = site[0].content_dir / "pages" / "causes.toml"
    edit(path, 'id = "causes"', 'id = "cause"')
    fails(site, f"{path.as_posix()}: entry 'cause', field 'id': unknown section 'cause'")


def test_reference_to_a_missing_section(site):
    path = site[0].content_dir / "pages" / "causes.toml"
    edit(path, "{section:managing|", "{section:managment|")
    fails(
        site,
        f"{path.as_posix()}: entry 'causes', field 'blocks[4].text': unknown section 'managment'",
    )


def test_missing_scenario_id_in_a_page(site):
    path = site[0].content_dir / "pages" / "scenarios.toml"
    edit(path, 'row = "first_nnrti"', 'row = "first_nnrtii"')
    message = fails(
        site,
        f"{path.as_posix()}: entry 'first-regimen-failure', field 'blocks[11].row': "
        "unknown Table 11 scenario 'first_nnrtii'",
    )
    assert "first_nnrtii" in message


def test_missing_scenario_id_in_the_table11_file(site):
    path = site[0].content_dir / "table11.toml"
    edit(path, 'scenario = "limited_history"', 'scenario = "limited"')
    fails(
        site,
        f"{path.as_posix()}: entry 'limited', field 'scenario': "
        "unknown Table 11 scenario 'limited'",
    )


def test_example_case_that_misses_its_row(site):
    path = site[0].content_dir / "table11.toml"
    text = path.read_text(encoding="utf-8")
    # The boosted-PI example, told it is an NNRTI regimen, lands on the NNRTI row.
    block = text.split('scenario = "first_boosted_pi"', 1)[1].split("[[rows]]", 1)[0]
    path.write_text(
        text.replace(block, block.replace('"boosted_pi_2nrti"', '"nnrti_2nrti"')), "utf-8"
    )
    fails(
        site,
        f"{path.as_posix()}: entry 'first_boosted_pi', field 'example': this case reaches "
        "first_nnrti through logic.evaluate, not first_boosted_pi",
    )


def test_missing_required_field(site):
    path = site[0].content_dir / "pages" / "causes.toml"
    edit(path, 'title = "Causes of virologic failure"\n', "")
    fails(site, f"{path.as_posix()}: entry 'page', field 'title': required field is missing")


def test_missing_required_field_in_a_section(site):
    path = site[0].content_dir / "pages" / "causes.toml"
    edit(path, 'title = "What can make a regimen fail"\n', "")
    fails(site, f"{path.as_posix()}: entry 'causes', field 'title': required field is missing")


def test_block_with_two_kinds(site):
    path = site[0].content_dir / "pages" / "causes.toml"
    edit(
        path,
        "[[sections.blocks]]\ntext = '''\nFailure",
        "[[sections.blocks]]\ncautions = []\ntext = '''\nFailure",
    )
    message = fails(
        site,
        f"{path.as_posix()}: entry 'causes', field 'blocks[0]': needs exactly one of "
        "text, recommendations, definitions, failure_types, cautions, text_notes, row, "
        "differences, footnotes, component (found: text, cautions)",
    )
    assert re.search(r"entry 'causes', field 'blocks\[0\]'", message)


def test_source_section_with_no_page(site):
    path = site[0].content_dir / "pages" / "causes.toml"
    path.unlink()
    fails(
        site,
        f"{(site[0].content_dir / 'pages').as_posix()}: field 'sections': source sections "
        "with no content: causes (expected on guideline/causes.md)",
    )


def test_decision_map_values_must_name_bands_or_a_choice_field(site):
    path = site[0].content_dir / "decision_map.toml"
    edit(path, 'values = "resistance"', 'values = "resistances"')
    fails(
        site,
        f"{path.as_posix()}: entry 'resistance_outside_row', field 'values': "
        "must be 'bands', 'responses' or a choice field of logic's inputs",
    )
