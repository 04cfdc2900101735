"""The generator core: all-or-nothing runs, write-if-changed, stale removal, content errors.

Every test writes into a temporary docs folder (and, where it edits templates or content, a
temporary copy of them), never into this checkout.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import cli, core
from generator.core import ContentError, Context, GeneratorError, generate, read_manifest
from generator.steps import STEPS, abbreviations, reference_pages
from tests.support import snapshot


def outputs_step(files: dict[str, str | bytes]):
    def step(context):
        return list(files.items())

    return step


@pytest.fixture
def sources(tmp_path: Path) -> Context:
    """A context whose templates and content are temporary copies, safe to break."""
    shutil.copytree(core.TEMPLATES_DIR, tmp_path / "templates")
    shutil.copytree(core.CONTENT_DIR, tmp_path / "content")
    return Context(templates_dir=tmp_path / "templates", content_dir=tmp_path / "content")


def test_content_error_reads_file_entry_field_message():
    error = ContentError(
        core.ROOT / "generator/content/x.toml", "foo", "rating", "unknown rating 'AIV'"
    )
    assert str(error) == (
        "generator/content/x.toml: entry 'foo', field 'rating': unknown rating 'AIV'"
    )
    assert str(ContentError("a.toml", message="invalid TOML")) == "a.toml: invalid TOML"


def test_second_run_writes_nothing_and_keeps_mtimes(tmp_path: Path):
    step = outputs_step({"a.md": "# A\n", "sub/b.bin": b"\x00\x01"})
    first = generate([step], docs_dir=tmp_path)
    assert sorted(first.written) == ["a.md", "sub/b.bin"]
    before = snapshot(tmp_path)
    second = generate([step], docs_dir=tmp_path)
    assert second.written == () and second.removed == ()
    assert sorted(second.unchanged) == ["a.md", "sub/b.bin"]
    assert snapshot(tmp_path) == before


def test_stale_outputs_are_removed_and_hand_files_kept(tmp_path: Path):
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "hand.md").write_text("hand-written")
    generate([outputs_step({"a.md": "A", "old/deep/b.md": "B"})], docs_dir=tmp_path)
    result = generate([outputs_step({"a.md": "A"})], docs_dir=tmp_path)
    assert result.removed == ("old/deep/b.md",)
    assert not (tmp_path / "old").exists()  # emptied folders go too
    assert (tmp_path / "about" / "hand.md").read_text() == "hand-written"
    assert read_manifest(tmp_path) == ["a.md"]


def test_clean_removes_everything_generated(tmp_path: Path):
    generate([outputs_step({"a.md": "A", "x/y.md": "Y"})], docs_dir=tmp_path)
    assert cli.main(["--clean", "--docs-dir", str(tmp_path)]) == 0
    assert read_manifest(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == [core.MANIFEST_NAME]


def test_a_failing_step_leaves_the_last_good_output_untouched(tmp_path: Path):
    generate([outputs_step({"a.md": "A", "b.md": "B"})], docs_dir=tmp_path)
    before = snapshot(tmp_path)

    def broken(context):
        raise ContentError("content/x.toml", "foo", "rating", "unknown rating 'AIV'")

    # The first step would change a.md and drop b.md, but nothing is written.
    with pytest.raises(ContentError):
        generate([outputs_step({"a.md": "changed"}), broken], docs_dir=tmp_path)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "path", ["", "/abs.md", "../up.md", "a/../b.md", "a//b.md", "a\\b.md", "about/x.md"]
)
def test_bad_output_paths_are_refused(tmp_path: Path, path: str):
    with pytest.raises(GeneratorError):
        generate([outputs_step({path: "x"})], docs_dir=tmp_path)


def test_two_steps_producing_one_path_is_an_error(tmp_path: Path):
    with pytest.raises(GeneratorError, match="produced twice"):
        generate([outputs_step({"a.md": "1"}), outputs_step({"a.md": "2"})], docs_dir=tmp_path)


def test_undefined_template_variable_names_the_template_and_keeps_output(
    sources: Context, tmp_path: Path
):
    docs = tmp_path / "docs"
    generate(STEPS, context=sources, docs_dir=docs)
    before = snapshot(docs)
    page = sources.templates_dir / "reference" / "page.md.j2"
    lines = page.read_text().splitlines()
    line = lines.index("# {{ title }}") + 2  # 1-based number of the inserted line
    lines.insert(line - 1, "Reviewed by {{ reviewer }}.")
    page.write_text("\n".join(lines) + "\n")
    with pytest.raises(ContentError) as raised:
        # A fresh context: a new Jinja environment, so no cached template is reused.
        fresh = Context(templates_dir=sources.templates_dir, content_dir=sources.content_dir)
        generate(STEPS, context=fresh, docs_dir=docs)
    message = str(raised.value)
    assert message.endswith(f"page.md.j2: line {line}: 'reviewer' is undefined"), message
    assert snapshot(docs) == before


def test_template_syntax_error_names_the_line(sources: Context):
    (sources.templates_dir / "reference" / "blocks" / "footnotes.md.j2").write_text(
        "# D\n\n{% if %}\n"
    )
    with pytest.raises(ContentError, match=r"footnotes\.md\.j2: line 3: "):
        list(reference_pages.step(sources))


def test_bad_abbreviation_names_file_entry_and_field(sources: Context):
    path = sources.content_dir / "glossary.toml"
    text = path.read_text()
    path.write_text(text.replace('expansion = "ribonucleic acid"', 'expansion = ""'))
    with pytest.raises(ContentError) as raised:
        list(abbreviations.step(sources))
    assert str(raised.value) == (
        f"{path.as_posix()}: entry 'RNA', field 'expansion': must be a non-empty, "
        "single-line string"
    )


def test_invalid_toml_names_the_file(sources: Context):
    path = sources.content_dir / "pages" / "home.toml"
    path.write_text("[page\n")
    with pytest.raises(ContentError, match=rf"^{path.as_posix()}: invalid TOML: "):
        list(reference_pages.step(sources))


def test_wrong_field_type_in_page_content(sources: Context):
    path = sources.content_dir / "pages" / "home.toml"
    text = path.read_text()
    path.write_text(text.replace('path = "index.md"', "path = 3", 1))
    with pytest.raises(
        ContentError, match="entry 'page', field 'path': must be a non-empty string"
    ):
        list(reference_pages.step(sources))


def test_cli_reports_content_errors_in_one_line(monkeypatch, capsys, tmp_path: Path):
    def broken(context):
        raise ContentError("generator/content/x.toml", "foo", "rating", "unknown rating 'AIV'")

    monkeypatch.setattr("generator.steps.STEPS", [broken])
    assert cli.main(["--docs-dir", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        "generator: error: generator/content/x.toml: entry 'foo', field 'rating': "
        "unknown rating 'AIV'\n"
    )
    assert captured.out == ""
    assert not any(tmp_path.iterdir())


def test_cli_summary_line(monkeypatch, capsys, tmp_path: Path):
    monkeypatch.setattr("generator.steps.STEPS", [outputs_step({"a.md": "A"})])
    assert cli.main(["--docs-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("generator: 1 written, 0 unchanged, 0 removed in ")
    assert out.endswith(" s\n")


def test_missing_node_modules_is_explained(tmp_path: Path):
    context = Context(node_modules=tmp_path)
    with pytest.raises(GeneratorError, match=r"pyodide/package\.json not found: run `npm ci`"):
        generate(STEPS, context=context, docs_dir=tmp_path / "docs")


names = st.text(alphabet="abcxyz", min_size=1, max_size=3)
paths = st.lists(names, min_size=1, max_size=3).map("/".join)
trees = st.dictionaries(paths, st.binary(max_size=8), max_size=6)


def _consistent(tree: dict[str, bytes]) -> dict[str, bytes]:
    # A path cannot be both a file and a folder ("a" and "a/b"): keep the shorter one.
    kept: dict[str, bytes] = {}
    for path in sorted(tree, key=len):
        if not any(path.startswith(other + "/") for other in kept):
            kept[path] = tree[path]
    return kept


@settings(max_examples=60, deadline=None)
@given(first=trees, second=trees)
def test_any_sequence_of_runs_leaves_exactly_the_last_outputs(first, second):
    first, second = _consistent(first), _consistent(second)
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder)
        generate([outputs_step(first)], docs_dir=docs)
        result = generate([outputs_step(second)], docs_dir=docs)
        on_disk = {
            p.relative_to(docs).as_posix(): p.read_bytes()
            for p in docs.rglob("*")
            if p.is_file() and p.name != core.MANIFEST_NAME
        }
        assert on_disk == second
        assert read_manifest(docs) == sorted(second)
        assert set(result.removed) == first.keys() - second.keys()
        assert set(result.written) == {p for p in second if first.get(p) != second[p]}
        # No empty folder is left behind by removals.
        assert all(any(d.iterdir()) for d in docs.rglob("*") if d.is_dir())


def test_undefined_variable_in_an_included_template_names_that_template(sources: Context):
    (sources.templates_dir / "part.md.j2").write_text("Intro.\n\n{{ missing.field }}\n")
    (sources.templates_dir / "outer.md.j2").write_text('# Outer\n{% include "part.md.j2" %}\n')
    with pytest.raises(ContentError) as raised:
        sources.render("outer.md.j2")
    assert str(raised.value).endswith("part.md.j2: line 3: 'missing' is undefined")
