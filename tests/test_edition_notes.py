"""Notices from facts later than the 2019 edition (generator/content/later_evidence.toml): the
superseded edition on every page, and "After this edition" notes beside what they concern.
They never change logic's answer: logic does not read them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import logic
from generator import later_evidence
from generator.core import CONTENT_DIR, ContentError, Context
from tests.browser_harness import assert_clean
from tests.test_walkthrough_browser import open_walkthrough

SHARED = Path(__file__).resolve().parents[2] / "shared" / "later-evidence.md"
FAILING = [
    {"week": 12, "copies": "<50"},
    {"week": 24, "copies": 2400},
    {"week": 28, "copies": 3100},
]


def test_every_figure_of_a_note_is_in_the_later_evidence_file():
    if not SHARED.is_file():
        pytest.skip("shared/later-evidence.md is not beside this checkout")
    shared = " ".join(SHARED.read_text(encoding="utf-8").split())
    for note in later_evidence.load(Context()).notes:
        for token in note["text"].replace("(", " ").replace(")", " ").split():
            figure = token.strip(".,;:%")
            if any(ch.isdigit() for ch in figure):
                assert figure in shared, f"{note['id']}: {figure} is not in the later evidence"


def test_logic_does_not_read_the_notes():
    assert "later_evidence" not in " ".join(p.read_text() for p in Path("logic").rglob("*.py"))


def test_the_dtg_note_sits_after_the_dtg_caution_on_the_reference_pages():
    page = Path("docs/guideline/special-situations.md").read_text(encoding="utf-8")
    caution = logic.guideline().cautions["dtg_childbearing"]["title"]
    note = next(n for n in later_evidence.load(Context()).notes if n["id"] == "dtg_conception")
    assert page.index(f'!!! warning "{caution}"') < page.index(f'!!! info "{note["title"]}"')


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (('caution = "dtg_childbearing"', 'caution = "dtg"'), "field 'caution'"),
        (('drugs = ["CAB"]', 'drugs = ["XYZ"]'), "field 'drugs'"),
        (('current_url = "https://', 'current_url = "http://'), "field 'current_url'"),
    ],
)
def test_a_bad_note_is_one_line_naming_the_entry_and_field(tmp_path, edit, field):
    shutil.copytree(CONTENT_DIR, tmp_path / "content")
    path = Context(content_dir=tmp_path / "content").edition_content_dir / later_evidence.FILE
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        later_evidence.load(Context(content_dir=tmp_path / "content"))
    assert field in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("extra", "shown"),
    [
        ({"childbearing_potential": True}, ["dtg_conception"]),
        ({"regimen": "CAB + RPV"}, ["cab_rpv_long_acting"]),
        ({"regimen": "TDF/FTC/EFV"}, []),
    ],
)
def test_the_walkthrough_shows_a_note_only_where_it_applies(
    page, recorder, site_server, extra, shown
):
    case = {"viral_loads": FAILING, "history": "first_regimen", **extra}
    if "regimen" not in extra:
        case["failing_regimen"] = "nnrti_2nrti"
    open_walkthrough(page, site_server, case=case)
    notes = page.locator("[data-after-edition]")
    assert [notes.nth(i).get_attribute("data-after-edition") for i in range(notes.count())] == (
        shown
    )
    assert_clean(recorder)
