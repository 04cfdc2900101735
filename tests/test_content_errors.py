"""Content errors: one table of mistakes in the content files, each a one-line message.

Each row breaks a temporary copy of the content, runs the content steps, and checks the whole
message (file, entry, field, what is wrong), that it is one line, and that the last good output
on disk is left exactly as it was. The real tree is never touched. A message that names a block
gets the block's index from the good file (found by what the block holds), so adding or moving
blocks in the content does not break the table.
"""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import logic
from generator import cli, content_model, core, ratings
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


@dataclass(frozen=True)
class Block:
    """A block found by what it holds, not by its position: ``entry`` is a section id (or
    ``blocks`` for the page's own blocks), ``kind`` the block's field, ``holding`` text in it."""

    entry: str
    kind: str
    holding: str

    def index(self, path: Path) -> int:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if self.entry == "blocks":
            blocks = data["blocks"]
        else:
            (section,) = [s for s in data["sections"] if s["id"] == self.entry]
            blocks = section["blocks"]
        found = [i for i, b in enumerate(blocks) if self.holding in str(b.get(self.kind, ""))]
        assert found, f"test fixture out of date: no {self.kind} block holding {self.holding!r}"
        return found[0]


CAUSES = "pages/causes.toml"
SCENARIOS = "pages/scenarios.toml"
KEY_POINTS = "pages/key-considerations.toml"
ALLOWED_BLOCK_FIELDS = ", ".join(sorted(content_model.BLOCK_KEYS))
KINDS = ", ".join(content_model.KINDS)
GOOD_ID = 'recommendations = ["expert_advice", "evaluation_components"]'

# One row per mistake: the file under content/, the mistake, the whole message, and the block the
# message names (if any). In the message {file} is that file's path and {block} the index of that
# block in the good file; a message ending in "..." is matched as a prefix (tomllib's wording).
MISTAKES = [
    pytest.param(
        "pages/ratings.toml",
        edit("{rating:AI}", "{rating:AIV}"),
        "{file}: entry 'blocks', field 'blocks[{block}].text': unknown rating 'AIV' "
        f"(allowed: {', '.join(ratings.all_ratings(logic.guideline()))})",
        Block("blocks", "text", "{rating:AI}"),
        id="unknown rating",
    ),
    pytest.param(
        "pages/patients-salvage-therapy.toml",
        edit('audience = "patients"', 'audience = "patient"'),
        "{file}: entry 'page', field 'audience': 'patient' (allowed: clinicians, patients)",
        None,
        id="unknown audience",
    ),
    pytest.param(
        "glossary.toml",
        edit('abbr = "RNA"', 'abbr = "HIV"'),
        "{file}: entry 'HIV', field 'abbr': abbreviation 'HIV' defined twice "
        "(also in glossary.toml)",
        None,
        id="abbreviation twice in the glossary",
    ),
    pytest.param(
        "glossary.toml",
        edit('abbr = "MRI"', 'abbr = "DTG"'),
        "{file}: entry 'DTG', field 'abbr': abbreviation 'DTG' defined twice "
        "(also in logic/editions/dhhs-2019-12-18/abbreviations.toml)",
        None,
        id="abbreviation already in logic",
    ),
    pytest.param(
        CAUSES,
        edit('id = "causes"', 'id = "cause"'),
        "{file}: entry 'cause', field 'id': unknown section 'cause'",
        None,
        id="unknown section id",
    ),
    pytest.param(
        CAUSES,
        edit("{section:managing|", "{section:managment|"),
        "{file}: entry 'causes', field 'blocks[{block}].text': unknown section 'managment'",
        Block("causes", "text", "{section:managing|"),
        id="reference to an unknown section",
    ),
    pytest.param(
        SCENARIOS,
        edit('row = "first_nnrti"', 'row = "first_nnrtii"'),
        "{file}: entry 'first-regimen-failure', field 'blocks[{block}].row': "
        "unknown Table 11 scenario 'first_nnrtii'",
        Block("first-regimen-failure", "row", "first_nnrti"),
        id="unknown Table 11 row in a page",
    ),
    pytest.param(
        SCENARIOS,
        edit('cautions = ["m184vi"]', 'cautions = ["m184v"]'),
        "{file}: entry 'first-regimen-failure', field 'blocks[{block}].cautions': "
        "unknown caution 'm184v'",
        Block("first-regimen-failure", "cautions", "m184vi"),
        id="unknown caution in a page",
    ),
    pytest.param(
        KEY_POINTS,
        edit(GOOD_ID, 'recommendations = ["expert_advise", "evaluation_components"]'),
        "{file}: entry 'key-considerations', field 'blocks[{block}].recommendations': "
        "unknown recommendation 'expert_advise'",
        Block("key-considerations", "recommendations", "expert_advice"),
        id="unknown recommendation in a page",
    ),
    pytest.param(
        KEY_POINTS,
        edit(GOOD_ID, 'recommendations = ["expert_advice", "expert_advice"]'),
        "{file}: entry 'key-considerations', field 'blocks[{block}].recommendations': "
        "listed twice: expert_advice",
        Block("key-considerations", "recommendations", "expert_advice"),
        id="id listed twice in a block",
    ),
    pytest.param(
        "pages/decision-map.toml",
        edit('component = "decision_map"', 'component = "decision_maps"'),
        "{file}: entry 'blocks', field 'blocks[{block}].component': unknown component "
        f"'decision_maps' (allowed: {', '.join(content_model.COMPONENTS)})",
        Block("blocks", "component", "decision_map"),
        id="unknown component",
    ),
    pytest.param(
        CAUSES,
        edit('anchor = "patient-factors"', 'anchor = "Patient factors"'),
        "{file}: entry 'causes', field 'blocks[{block}].anchor': "
        "use lowercase letters, digits, - and _",
        Block("causes", "anchor", "patient-factors"),
        id="anchor with capitals and a space",
    ),
    pytest.param(
        CAUSES,
        edit('title = "The patient and adherence"\n', ""),
        "{file}: entry 'causes', field 'blocks[{block}].anchor': an anchor needs a title",
        Block("causes", "anchor", "patient-factors"),
        id="anchor without a title",
    ),
    pytest.param(
        CAUSES,
        edit('anchor = "patient-factors"', 'anchor = "patient-factors"\ncolour = "red"'),
        "{file}: entry 'causes', field 'blocks[{block}].colour': "
        f"unknown field (allowed: {ALLOWED_BLOCK_FIELDS})",
        Block("causes", "anchor", "patient-factors"),
        id="unknown field in a block",
    ),
    pytest.param(
        "table11.toml",
        edit('scenario = "limited_history"', 'scenario = "limited"'),
        "{file}: entry 'limited', field 'scenario': unknown Table 11 scenario 'limited'",
        None,
        id="unknown Table 11 row in table11.toml",
    ),
    pytest.param(
        "table11.toml",
        boosted_pi_example_on_the_nnrti_row,
        "{file}: entry 'first_boosted_pi', field 'example': this case reaches "
        "first_nnrti through logic.evaluate, not first_boosted_pi",
        None,
        id="example case reaching another row",
    ),
    pytest.param(
        CAUSES,
        edit('title = "Causes of virologic failure"\n', ""),
        "{file}: entry 'page', field 'title': required field is missing",
        None,
        id="missing page title",
    ),
    pytest.param(
        CAUSES,
        edit('title = "What can make a regimen fail"\n', ""),
        "{file}: entry 'causes', field 'title': required field is missing",
        None,
        id="missing section title",
    ),
    pytest.param(
        CAUSES,
        edit('title = "Causes of virologic failure"', "title = 7"),
        "{file}: entry 'page', field 'title': must be a non-empty string",
        None,
        id="number for a page title",
    ),
    pytest.param(
        CAUSES,
        edit(
            "[[sections.blocks]]\ntext = '''\nFailure",
            "[[sections.blocks]]\ncautions = []\ntext = '''\nFailure",
        ),
        f"{{file}}: entry 'causes', field 'blocks[{{block}}]': needs exactly one of {KINDS} "
        "(found: text, cautions)",
        Block("causes", "text", "Failure"),
        id="block with two kinds",
    ),
    pytest.param(
        "cases/low-level-viremia.toml",
        edit('summary = "Two detectable results in a row', 'summary = 7\nx = "'),
        "{file}: entry 'low-level-viremia', field 'x': unknown field (allowed: "
        f"{', '.join(cases.CASE_KEYS)})",
        None,
        id="unknown field in a case",
    ),
    pytest.param(
        CAUSES,
        prepend(b"# caf\xe9\n"),
        "{file}: not UTF-8: byte 0xe9 on line 1",
        None,
        id="non-UTF-8 bytes",
    ),
    pytest.param(
        CAUSES,
        edit("Causes of virologic failure", "x" * 5_000_000),
        "{file}: file is over the limit of 1,000,000 bytes",
        None,
        id="5 MB string",
    ),
    pytest.param(
        CAUSES,
        edit("Causes of virologic failure", "x" * 20_000),
        "{file}: entry 'page', field 'page.title': text of 20,000 characters is over the "
        "limit of 10,000",
        None,
        id="20,000-character string",
    ),
    pytest.param(
        CAUSES,
        edit('title = "Causes of virologic failure"', 'title = "Causes'),
        "{file}: invalid TOML: ...",
        None,
        id="bad TOML",
    ),
    pytest.param(
        CAUSES,
        append(b"\ndeep = " + b"[" * 50_000 + b"]" * 50_000 + b"\n"),
        "{file}: invalid TOML: nested too deeply",
        None,
        id="TOML nested too deeply",
    ),
]


@pytest.mark.parametrize(("file", "corrupt", "expected", "block"), MISTAKES)
def test_content_mistake_is_one_line_and_writes_nothing(site, file, corrupt, expected, block):
    context, docs = site
    path = context.content_dir / file
    at = block.index(path) if block else None
    corrupt(path)
    before = snapshot(docs)
    fresh = Context(templates_dir=context.templates_dir, content_dir=context.content_dir)
    with pytest.raises(ContentError) as raised:
        generate(STEPS, context=fresh, docs_dir=docs)
    message, wanted = str(raised.value), expected.format(file=path.as_posix(), block=at)
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
    """A copy of the default edition with a threshold written as text, as edition 'broken'
    in an extra editions folder ($LOGIC_EDITIONS_DIR)."""
    folder = tmp_path / "editions" / "broken"
    shutil.copytree(Path(logic.__file__).parent / "editions" / logic.DEFAULT_EDITION, folder)
    for name, old, new in (
        ("edition", f'id = "{logic.DEFAULT_EDITION}"', 'id = "broken"'),
        ("guideline", "failure_copies = 200", 'failure_copies = "200"'),
    ):
        path = folder / f"{name}.toml"
        path.write_text(path.read_text().replace(old, new))
    monkeypatch.setenv("LOGIC_EDITIONS_DIR", str(tmp_path / "editions"))
    return folder


def test_logic_data_error_through_the_command_is_one_line(broken_logic_data, tmp_path, capsys):
    """`python -m generator` prints a logic data mistake as one line, no traceback, exit 1."""
    expected = (
        f"{broken_logic_data}/guideline.toml: entry 'thresholds', field 'failure_copies': "
        "must be a number, not '200'"
    )
    with pytest.raises(GeneratorError) as raised:
        generate([abbreviations.step], Context(edition="broken"), docs_dir=tmp_path / "docs")
    assert str(raised.value) == expected
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("generator.steps.STEPS", [abbreviations.step])
        assert cli.main(["--docs-dir", str(tmp_path / "docs"), "--edition", "broken"]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"generator: error: {expected}\n"
    assert not (tmp_path / "docs").exists()
    with pytest.raises(logic.DataError) as raised:
        logic.load("broken")
    assert str(raised.value) == expected
