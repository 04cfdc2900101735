"""Content errors: one table of mistakes in the content files, each a one-line message.

Each row breaks a temporary copy of the content, runs the content steps, and checks the whole
message (file, entry, field, what is wrong), that it is one line, and that the last good output
on disk is left exactly as it was. The real tree is never touched.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import logic
from generator import cli, core, ratings
from generator.core import ContentError, Context, GeneratorError, generate
from generator.steps import abbreviations, cases, reference_pages
from tests.support import snapshot

STEPS = [abbreviations.step, reference_pages.step, cases.step]
Corrupt = Callable[[Path], None]


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


def edit(old: str, new: str) -> Corrupt:
    def corrupt(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"test fixture out of date: {old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return corrupt


def prepend(data: bytes) -> Corrupt:
    return lambda path: path.write_bytes(data + path.read_bytes())


def append(data: bytes) -> Corrupt:
    return lambda path: path.write_bytes(path.read_bytes() + data)


def remove(path: Path) -> None:
    path.unlink()


def boosted_pi_example_on_the_nnrti_row(path: Path) -> None:
    """The boosted-PI example, told it is an NNRTI regimen, lands on the NNRTI row."""
    text = path.read_text(encoding="utf-8")
    block = text.split('scenario = "first_boosted_pi"', 1)[1].split("[[rows]]", 1)[0]
    path.write_text(
        text.replace(block, block.replace('"boosted_pi_2nrti"', '"nnrti_2nrti"')), "utf-8"
    )


CAUSES = "pages/causes.toml"
SCENARIOS = "pages/scenarios.toml"
KINDS = (
    "text, recommendations, definitions, failure_types, cautions, text_notes, row, "
    "differences, footnotes, component"
)
# (file under content/, the mistake, the whole message; {file} is that file's path, and a
# message ending in "..." is matched as a prefix, for messages that quote tomllib).
MISTAKES = {
    "unknown rating": (
        "pages/ratings.toml",
        edit("{rating:AI}", "{rating:AIV}"),
        "{file}: entry 'blocks', field 'blocks[0].text': unknown rating 'AIV' "
        f"(allowed: {', '.join(ratings.all_ratings())})",
    ),
    "unknown audience": (
        "pages/patients-salvage-therapy.toml",
        edit('audience = "patients"', 'audience = "patient"'),
        "{file}: entry 'page', field 'audience': 'patient' (allowed: clinicians, patients)",
    ),
    "abbreviation twice in the glossary": (
        "glossary.toml",
        edit('abbr = "RNA"', 'abbr = "HIV"'),
        "{file}: entry 'HIV', field 'abbr': abbreviation 'HIV' defined twice "
        "(also in glossary.toml)",
    ),
    "abbreviation already in logic": (
        "glossary.toml",
        edit('abbr = "MRI"', 'abbr = "DTG"'),
        "{file}: entry 'DTG', field 'abbr': abbreviation 'DTG' defined twice "
        "(also in logic/data/abbreviations.toml)",
    ),
    "unknown section id": (
        CAUSES,
        edit('id = "causes"', 'id = "cause"'),
        "{file}: entry 'cause', field 'id': unknown section 'cause'",
    ),
    "reference to an unknown section": (
        CAUSES,
        edit("{section:managing|", "{section:managment|"),
        "{file}: entry 'causes', field 'blocks[4].text': unknown section 'managment'",
    ),
    "unknown Table 11 row in a page": (
        SCENARIOS,
        edit('row = "first_nnrti"', 'row = "first_nnrtii"'),
        "{file}: entry 'first-regimen-failure', field 'blocks[11].row': "
        "unknown Table 11 scenario 'first_nnrtii'",
    ),
    "unknown Table 11 row in table11.toml": (
        "table11.toml",
        edit('scenario = "limited_history"', 'scenario = "limited"'),
        "{file}: entry 'limited', field 'scenario': unknown Table 11 scenario 'limited'",
    ),
    "example case reaching another row": (
        "table11.toml",
        boosted_pi_example_on_the_nnrti_row,
        "{file}: entry 'first_boosted_pi', field 'example': this case reaches "
        "first_nnrti through logic.evaluate, not first_boosted_pi",
    ),
    "missing page title": (
        CAUSES,
        edit('title = "Causes of virologic failure"\n', ""),
        "{file}: entry 'page', field 'title': required field is missing",
    ),
    "missing section title": (
        CAUSES,
        edit('title = "What can make a regimen fail"\n', ""),
        "{file}: entry 'causes', field 'title': required field is missing",
    ),
    "number for a page title": (
        CAUSES,
        edit('title = "Causes of virologic failure"', "title = 7"),
        "{file}: entry 'page', field 'title': must be a non-empty string",
    ),
    "block with two kinds": (
        CAUSES,
        edit(
            "[[sections.blocks]]\ntext = '''\nFailure",
            "[[sections.blocks]]\ncautions = []\ntext = '''\nFailure",
        ),
        f"{{file}}: entry 'causes', field 'blocks[0]': needs exactly one of {KINDS} "
        "(found: text, cautions)",
    ),
    "decision map values": (
        "decision_map.toml",
        edit('values = "resistance"', 'values = "resistances"'),
        "{file}: entry 'resistance_outside_row', field 'values': "
        "must be 'bands', 'responses' or a choice field of logic's inputs",
    ),
    "number for a case summary": (
        "cases/low-level-viremia.toml",
        edit('summary = "Two detectable results in a row', 'summary = 7\nx = "'),
        "{file}: entry 'low-level-viremia', field 'x': unknown field (allowed: "
        f"{', '.join(cases.CASE_KEYS)})",
    ),
    "non-UTF-8 bytes": (
        CAUSES,
        prepend(b"# caf\xe9\n"),
        "{file}: not UTF-8: byte 0xe9 on line 1",
    ),
    "5 MB string": (
        CAUSES,
        edit("Causes of virologic failure", "x" * 5_000_000),
        "{file}: file is over the limit of 1,000,000 bytes",
    ),
    "20,000-character string": (
        CAUSES,
        edit("Causes of virologic failure", "x" * 20_000),
        "{file}: entry 'page', field 'page.title': text of 20,000 characters is over the "
        "limit of 10,000",
    ),
    "bad TOML": (
        CAUSES,
        edit('title = "Causes of virologic failure"', 'title = "Causes'),
        "{file}: invalid TOML: ...",
    ),
    "TOML nested too deeply": (
        CAUSES,
        append(b"\ndeep = " + b"[" * 50_000 + b"]" * 50_000 + b"\n"),
        "{file}: invalid TOML: nested too deeply",
    ),
}


@pytest.mark.parametrize(("file", "corrupt", "expected"), MISTAKES.values(), ids=MISTAKES.keys())
def test_content_mistake_is_one_line_and_writes_nothing(site, file, corrupt, expected):
    context, docs = site
    path = context.content_dir / file
    corrupt(path)
    before = snapshot(docs)
    fresh = Context(templates_dir=context.templates_dir, content_dir=context.content_dir)
    with pytest.raises(ContentError) as raised:
        generate(STEPS, context=fresh, docs_dir=docs)
    message, wanted = str(raised.value), expected.format(file=path.as_posix())
    if wanted.endswith("..."):
        assert message.startswith(wanted[:-3]), message
    else:
        assert message == wanted
    assert "\n" not in message and len(message) < 400
    assert snapshot(docs) == before, "the last good output changed"


def test_source_section_with_no_page(site):
    context, docs = site
    (context.content_dir / CAUSES).unlink()
    with pytest.raises(ContentError) as raised:
        generate(STEPS, context=context, docs_dir=docs)
    assert str(raised.value) == (
        f"{(context.content_dir / 'pages').as_posix()}: field 'sections': source sections "
        "with no content: causes (expected on guideline/causes.md)"
    )


@pytest.fixture
def broken_logic_data(tmp_path, monkeypatch):
    """logic/data with a threshold written as text, loaded in place of the real data."""
    guideline_module = sys.modules["logic.guideline"]
    data = tmp_path / "data"
    shutil.copytree(guideline_module.DATA_DIR, data)
    path = data / "guideline.toml"
    path.write_text(path.read_text().replace("failure_copies = 200", 'failure_copies = "200"'))
    monkeypatch.setattr(guideline_module, "DATA_DIR", str(data))
    guideline_module.load.cache_clear()
    yield
    guideline_module.load.cache_clear()


def test_logic_data_error_through_the_command_is_one_line(broken_logic_data, tmp_path, capsys):
    """`python -m generator` prints a logic/data mistake as one line, no traceback, exit 1."""
    expected = (
        "logic/data/guideline.toml: entry 'thresholds', field 'failure_copies': "
        "must be a number, not '200'"
    )
    with pytest.raises(GeneratorError, match=f"^{expected}$"):
        generate([abbreviations.step], docs_dir=tmp_path / "docs")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.steps.STEPS", [abbreviations.step])
        assert cli.main(["--docs-dir", str(tmp_path / "docs")]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"generator: error: {expected}\n"
    assert not (tmp_path / "docs").exists()
    with pytest.raises(logic.DataError, match=f"^{expected}$"):
        logic.guideline()
